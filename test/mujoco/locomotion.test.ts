/**
 * Hopper-v5, Walker2d-v5 and HalfCheetah-v5: spaces, models against Gymnasium's, seeded resets equal to
 * Gymnasium's initial state, reward terms, termination rules, state save/restore, checkEnv, options,
 * description and rendering.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { make, makeAsync, spec } from "../../src/envs/registration.js";
import { checkEnv } from "../../src/core/check-env.js";
import "../../src/envs/index.js";
import { loadMujoco, type MujocoModule } from "../../src/envs/mujoco/loader.js";
import type { MujocoEnv } from "../../src/envs/mujoco/mujoco-env.js";
import { HalfCheetahEnv } from "../../src/envs/mujoco/half-cheetah.js";
import { HopperEnv, Walker2dEnv } from "../../src/envs/mujoco/hopper-walker.js";
import type { Env } from "../../src/core/env.js";

let mj: MujocoModule;
before(async () => {
  mj = await loadMujoco();
});

const bare = (env: Env<Float32Array, Float32Array>) => env.unwrapped as unknown as MujocoEnv;

// Read from Gymnasium's model files (hopper.xml, walker2d_v5.xml, half_cheetah.xml) compiled by the same MuJoCo
// build: scripts/compare-mujoco-models.mjs prints these and compares every numeric field of the two models.
const GYMNASIUM_MODELS = {
  "Hopper-v5": { totalMass: 15.820013405927003, nq: 6, nv: 6, nu: 3, timestep: 0.002, frameSkip: 4, obs: 11 },
  "Walker2d-v5": { totalMass: 23.677136632555076, nq: 9, nv: 9, nu: 6, timestep: 0.002, frameSkip: 4, obs: 17 },
  "HalfCheetah-v5": { totalMass: 14.000000000000002, nq: 9, nv: 9, nu: 6, timestep: 0.01, frameSkip: 5, obs: 17 },
} as const;
const IDS = Object.keys(GYMNASIUM_MODELS) as Array<keyof typeof GYMNASIUM_MODELS>;

test("ids carry Gymnasium's v5 episode limits and reward thresholds", () => {
  for (const id of IDS) assert.equal(spec(id).maxEpisodeSteps, 1000, id);
  assert.equal(spec("Hopper-v5").rewardThreshold, 3800);
  assert.equal(spec("HalfCheetah-v5").rewardThreshold, 4800);
  assert.equal(spec("Walker2d-v5").rewardThreshold, undefined);
});

test("make before loadMujoco is only an error when the wasm is not loaded; makeAsync always works", async () => {
  const env = await makeAsync("Hopper-v5");
  assert.ok(env);
  env.close();
});

test("models match Gymnasium's: total mass, dofs, actuators, timestep; spaces and dt follow", async () => {
  for (const id of IDS) {
    const want = GYMNASIUM_MODELS[id];
    const env = await makeAsync<Float32Array, Float32Array>(id);
    const u = bare(env);
    assert.ok(Math.abs(mj.mj_getTotalmass(u.model) - want.totalMass) < 1e-12, `${id} total mass ${mj.mj_getTotalmass(u.model)}`);
    assert.deepEqual([u.model.nq, u.model.nv, u.model.nu], [want.nq, want.nv, want.nu], id);
    assert.equal(u.model.opt.timestep, want.timestep, id);
    assert.equal(u.frameSkip, want.frameSkip, id);
    assert.ok(Math.abs(u.dt - want.timestep * want.frameSkip) < 1e-15, id);
    assert.deepEqual(env.observationSpace.shape, [want.obs], id);
    assert.deepEqual(env.actionSpace.shape, [want.nu], id);
    const box = env.actionSpace as unknown as { low: Float32Array; high: Float32Array };
    assert.deepEqual(Array.from(box.low), new Array(want.nu).fill(-1), id);
    assert.deepEqual(Array.from(box.high), new Array(want.nu).fill(1), id);
    assert.equal(env.reset({ seed: 3 }).obs.length, want.obs, id);
    env.close();
  }
});

test("excludeCurrentPositionsFromObservation: false puts x first (one more value)", async () => {
  for (const id of IDS) {
    const env = await makeAsync<Float32Array, Float32Array>(id, { excludeCurrentPositionsFromObservation: false });
    const { obs, info } = env.reset({ seed: 0 });
    assert.equal(obs.length, GYMNASIUM_MODELS[id].obs + 1, id);
    assert.equal(obs[0], Math.fround(info.x_position as number), id);
    env.close();
  }
});

// Gymnasium's reset draws with numpy's Generator(PCG64(SeedSequence(seed))): uniform(-s, s, size=nq) then
// uniform(-s, s, size=nv) (HalfCheetah: 0.1 * standard_normal(nv)) added to the model's qpos0 and zero velocity.
// These values come from numpy 2.4 with exactly those calls.
const NUMPY_INITIAL = {
  "Hopper-v5/0": {
    qpos: [0.001369616873214543, 1.2476978671376386, -0.0045902647606380536, -0.0048347236447147095, 0.003132702392002724, 0.004127555772777218],
    qvel: [0.001066357757671799, 0.0022949656098399844, 0.00043624991465422876, 0.004350724237877682, 0.003158535541215322, -0.00497261499829852],
  },
  "HalfCheetah-v5/0": {
    qpos: [0.027392337464290872, -0.04604265724722594, -0.09180529521276107, -0.09669447289429418, 0.06265404784005449, 0.08255111545554436, 0.021327155153435973, 0.045899312196799685, 0.008724998293084568],
    qvel: [-0.12654214710460526, -0.06232744625373522, 0.00413259793472436, -0.23250307746388343, -0.021879166393254573, -0.12459109472530652, -0.07322673547034517, -0.054425898285730995, -0.031630015636915455],
  },
};

test("reset(seed) gives Gymnasium's initial qpos/qvel (numpy's draws in Gymnasium's order)", async () => {
  const hopper = bare(await makeAsync("Hopper-v5"));
  hopper.reset({ seed: 0 });
  assert.deepEqual(Array.from(hopper.data.qpos as Float64Array), NUMPY_INITIAL["Hopper-v5/0"].qpos);
  assert.deepEqual(Array.from(hopper.data.qvel as Float64Array), NUMPY_INITIAL["Hopper-v5/0"].qvel);
  // Walker2d draws the same uniform stream over 9 + 9 coordinates: its first 6 are Hopper's qpos.
  const walker = bare(await makeAsync("Walker2d-v5"));
  walker.reset({ seed: 0 });
  assert.deepEqual(Array.from(walker.data.qpos as Float64Array).slice(0, 6), NUMPY_INITIAL["Hopper-v5/0"].qpos);
  assert.deepEqual(Array.from(walker.data.qpos as Float64Array).slice(6), NUMPY_INITIAL["Hopper-v5/0"].qvel.slice(0, 3));
  const cheetah = bare(await makeAsync("HalfCheetah-v5"));
  cheetah.reset({ seed: 0 });
  assert.deepEqual(Array.from(cheetah.data.qpos as Float64Array), NUMPY_INITIAL["HalfCheetah-v5/0"].qpos);
  // The normal draws agree to a few ulps (the ziggurat tables of the RNG port are computed, not numpy's constants).
  const qvel = Array.from(cheetah.data.qvel as Float64Array);
  qvel.forEach((v, i) => assert.ok(Math.abs(v - NUMPY_INITIAL["HalfCheetah-v5/0"].qvel[i]!) < 1e-15, `qvel[${i}] ${v}`));
  for (const e of [hopper, walker, cheetah]) e.close();
});

test("seeded resets are reproducible, different seeds differ, an unseeded reset continues the generator", async () => {
  for (const id of IDS) {
    const env = await makeAsync<Float32Array, Float32Array>(id);
    const a = env.reset({ seed: 7 }).obs;
    const a2 = env.reset().obs;
    const b = env.reset({ seed: 7 }).obs;
    const b2 = env.reset().obs;
    const c = env.reset({ seed: 8 }).obs;
    assert.deepEqual(a, b, id);
    assert.deepEqual(a2, b2, id);
    assert.notDeepEqual(a, a2, id);
    assert.notDeepEqual(a, c, id);
    env.close();
  }
});

function lcgActions(n: number, dim: number, seed: number): Float32Array[] {
  let x = 12345 + seed;
  const out: Float32Array[] = [];
  for (let t = 0; t < n; t++) {
    const a = new Float32Array(dim);
    for (let i = 0; i < dim; i++) {
      x = (Math.imul(1664525, x) + 1013904223) >>> 0;
      a[i] = -1 + 2 * (x / 2 ** 32);
    }
    out.push(a);
  }
  return out;
}

test("reward terms in info sum to the reward; x_velocity is the torso's displacement over dt", async () => {
  for (const id of IDS) {
    const env = await makeAsync<Float32Array, Float32Array>(id);
    const u = bare(env);
    env.reset({ seed: 1 });
    for (const a of lcgActions(25, env.actionSpace.shape![0]!, 1)) {
      const x0 = (u.data.qpos as Float64Array)[0]!;
      const r = env.step(a);
      const i = r.info as Record<string, number>;
      const terms = i.reward_forward! + i.reward_ctrl! + (i.reward_survive ?? 0);
      assert.ok(Math.abs(terms - r.reward) < 1e-12, `${id}: ${terms} vs ${r.reward}`);
      assert.ok(Math.abs(i.x_velocity! - (i.x_position! - x0) / u.dt) < 1e-9, id);
      assert.ok(Math.abs(i.reward_forward! - i.x_velocity!) < 1e-12, id);
      const weight = id === "HalfCheetah-v5" ? 0.1 : 1e-3;
      assert.ok(Math.abs(i.reward_ctrl! + weight * a.reduce((s, v) => s + v * v, 0)) < 1e-9, id);
      if (id !== "HalfCheetah-v5") assert.equal(i.reward_survive, r.terminated ? 0 : 1, id);
      if (r.terminated) break;
    }
    env.close();
  }
});

test("Hopper terminates when too low, tilted or too fast; terminateWhenUnhealthy: false keeps going without the survive reward", async () => {
  const zero = new Float32Array(3);
  const hopper = new HopperEnv();
  const stand = () => {
    hopper.reset({ seed: 0 });
    return hopper.getState();
  };
  const fall = (edit: (s: ReturnType<typeof stand>) => void) => {
    const s = stand();
    edit(s);
    hopper.setState({ qpos: s.qpos, qvel: s.qvel });
    return hopper.step(zero);
  };
  assert.equal(fall(() => {}).terminated, false);
  assert.equal(fall((s) => (s.qpos[1] = 0.65)).terminated, true, "z below 0.7");
  assert.equal(fall((s) => (s.qpos[2] = 0.3)).terminated, true, "angle above 0.2");
  assert.equal(fall((s) => (s.qpos[2] = -0.3)).terminated, true, "angle below -0.2");
  assert.equal(fall((s) => (s.qvel[4] = 500)).terminated, true, "a joint velocity beyond the state range 100");
  const lenient = new HopperEnv({ terminate_when_unhealthy: false });
  lenient.reset({ seed: 0 });
  const s = lenient.getState();
  s.qpos[1] = 0.65;
  lenient.setState({ qpos: s.qpos, qvel: s.qvel });
  const r = lenient.step(zero);
  assert.equal(r.terminated, false);
  assert.equal(r.info.reward_survive, 0);
  const wide = new HopperEnv({ healthyZRange: [0.5, Infinity] });
  wide.reset({ seed: 0 });
  wide.setState({ qpos: s.qpos, qvel: s.qvel });
  assert.equal(wide.step(zero).terminated, false, "healthyZRange moves the bound");
  for (const e of [hopper, lenient, wide]) e.close();
});

test("Walker2d terminates outside 0.8 < z < 2 or |angle| >= 1; HalfCheetah never terminates", () => {
  const walker = new Walker2dEnv();
  const zero6 = new Float32Array(6);
  for (const [k, v, want] of [[1, 0.75, true], [1, 2.1, true], [2, 1.2, true], [2, -1.2, true], [2, 0.5, false]] as const) {
    walker.reset({ seed: 0 });
    const s = walker.getState();
    s.qpos[k] = v;
    walker.setState({ qpos: s.qpos, qvel: s.qvel });
    assert.equal(walker.step(zero6).terminated, want, `qpos[${k}] = ${v}`);
  }
  const cheetah = new HalfCheetahEnv();
  cheetah.reset({ seed: 0 });
  const s = cheetah.getState();
  s.qpos[2] = Math.PI; // upside down
  cheetah.setState({ qpos: s.qpos, qvel: s.qvel });
  for (let t = 0; t < 20; t++) assert.equal(cheetah.step(zero6).terminated, false);
  walker.close();
  cheetah.close();
});

test("getState/setState: a restored env (another instance, via JSON) continues exactly as the original", async () => {
  for (const id of IDS) {
    const opts = id === "HalfCheetah-v5" ? {} : { terminateWhenUnhealthy: false };
    const a = await makeAsync<Float32Array, Float32Array>(id, { maxEpisodeSteps: null, ...opts });
    const b = await makeAsync<Float32Array, Float32Array>(id, { maxEpisodeSteps: null, ...opts });
    const dim = a.actionSpace.shape![0]!;
    a.reset({ seed: 5 });
    for (const act of lcgActions(15, dim, 2)) a.step(act);
    const saved = JSON.parse(JSON.stringify(bare(a).getState()));
    b.reset({ seed: 99 });
    bare(b).setState(saved);
    for (const act of lcgActions(30, dim, 3)) {
      const ra = a.step(act), rb = b.step(act);
      assert.deepEqual(rb.obs, ra.obs, id);
      assert.equal(rb.reward, ra.reward, id);
      assert.deepEqual(rb.info, ra.info, id);
    }
    // The generator came along: the next unseeded resets agree too.
    assert.deepEqual(b.reset().obs, a.reset().obs, id);
    assert.throws(() => bare(b).setState({ qpos: [1, 2], qvel: [] }), /qpos must have/);
    a.close();
    b.close();
  }
});

test("checkEnv passes for each env made through the registry", async () => {
  for (const id of IDS) {
    const env = await makeAsync(id);
    const report = checkEnv(env, { steps: 30 });
    assert.deepEqual(report.errors, [], id);
    env.close();
  }
});

test("options: Gymnasium's names in camelCase or snake_case, checked", async () => {
  const env = await makeAsync<Float32Array, Float32Array>("HalfCheetah-v5", { ctrl_cost_weight: 0, forwardRewardWeight: 2 });
  env.reset({ seed: 0 });
  const r = env.step(new Float32Array(6).fill(1));
  assert.equal(r.info.reward_ctrl, -0);
  assert.ok(Math.abs(r.info.reward_forward as number - 2 * (r.info.x_velocity as number)) < 1e-12);
  env.close();
  assert.throws(() => make("Hopper-v5", { healthyZrange: [0, 1] }), /unknown option "healthyZrange"/);
  assert.throws(() => make("Hopper-v5", { healthyZRange: [1, 0] }), /healthyZRange must be \[low, high\]/);
  assert.throws(() => make("Walker2d-v5", { frameSkip: 0 }), /frameSkip must be a positive integer/);
  assert.throws(() => make("Walker2d-v5", { healthyStateRange: [0, 1] }), /unknown option "healthyStateRange"/);
  const skip = bare(make<Float32Array, Float32Array>("Hopper-v5", { frame_skip: 2 }));
  assert.ok(Math.abs(skip.dt - 0.004) < 1e-15);
  skip.close();
});

test("describe() names every observation value with a unit and every actuator", async () => {
  for (const id of IDS) {
    for (const exclude of [true, false]) {
      const env = await makeAsync<Float32Array, Float32Array>(id, { excludeCurrentPositionsFromObservation: exclude });
      const d = env.spec!.describe();
      assert.equal(d.observation.length, env.observationSpace.shape![0], id);
      d.observation.forEach((f, i) => {
        assert.deepEqual(f.index, [i, i + 1]);
        assert.match(f.unit ?? "", /^(m|rad)(\/s)?$/, `${id} ${f.name}`);
      });
      assert.equal(d.observation[0]!.name, exclude ? "rootz" : "rootx", id);
      assert.equal(d.action.length, env.actionSpace.shape![0], id);
      assert.match(d.reward, /x_velocity/);
      for (const key of Object.keys(d.info!)) assert.ok(key in env.reset({ seed: 0 }).info || key in env.step(env.actionSpace.sample()).info, `${id} ${key}`);
      env.close();
    }
  }
});

test("render() draws the geoms as an SVG side view that follows the torso", () => {
  const env = new HopperEnv();
  env.reset({ seed: 0 });
  const svg = env.render();
  assert.match(svg, /^<svg /);
  assert.equal((svg.match(/<polygon /g) ?? []).length, 1 + 4, "ground + torso, thigh, leg, foot");
  const before = env.renderScene().viewX;
  const s = env.getState();
  s.qpos[0] += 3;
  env.setState({ qpos: s.qpos, qvel: s.qvel });
  assert.ok(Math.abs(env.renderScene().viewX - before - 3) < 1e-9);
  env.close();
});

test("10,000 resets leave the wasm heap where it was; make/close frees models", async () => {
  const probe = () => {
    const b = new mj.DoubleBuffer(1);
    const p = b.GetPointer();
    b.delete();
    return p;
  };
  const env = new HopperEnv();
  env.reset({ seed: 0 });
  const heap = (env.data.qpos as Float64Array).buffer.byteLength;
  const before = probe();
  for (let i = 0; i < 10_000; i++) env.reset({ seed: i });
  assert.equal(probe(), before, "an allocation after the resets lands where it did before");
  assert.equal((env.data.qpos as Float64Array).buffer.byteLength, heap);
  for (let i = 0; i < 100; i++) new Walker2dEnv().close();
  assert.equal((env.data.qpos as Float64Array).buffer.byteLength, heap, "100 models compiled and freed: the heap did not grow");
  env.close();
  env.close(); // twice is fine
  assert.throws(() => env.step(new Float32Array(3)), /closed/);
});
