/**
 * Ant-v5, Humanoid-v5, Swimmer-v5, Reacher-v5, InvertedPendulum-v5 and InvertedDoublePendulum-v5: spaces, models
 * against Gymnasium's, Gymnasium's initial states, reward terms, termination rules, restore, checkEnv, describe.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { makeAsync, spec } from "../../src/envs/registration.js";
import { checkEnv } from "../../src/core/check-env.js";
import "../../src/envs/index.js";
import { loadMujoco, type MujocoModule } from "../../src/envs/mujoco/loader.js";
import type { MujocoEnv } from "../../src/envs/mujoco/mujoco-env.js";
import { AntEnv, HumanoidEnv } from "../../src/envs/mujoco/ant-humanoid.js";
import { InvertedDoublePendulumEnv, InvertedPendulumEnv } from "../../src/envs/mujoco/inverted-pendulums.js";
import type { Env } from "../../src/core/env.js";

let mj: MujocoModule;
before(async () => {
  mj = await loadMujoco();
});

const bare = (env: Env<Float32Array, Float32Array>) => env.unwrapped as unknown as MujocoEnv;

// Read from Gymnasium's model files compiled by the same MuJoCo build (scripts/compare-mujoco-models.mjs), and
// Gymnasium's registrations (episode limits, thresholds) and observation sizes.
const GYMNASIUM = {
  "Ant-v5": { totalMass: 0.9108800827073915, nq: 15, nv: 14, nu: 8, timestep: 0.01, frameSkip: 5, obs: 105, limit: 1000, threshold: 6000, ctrl: 1 },
  "Humanoid-v5": { totalMass: 42.11603049212989, nq: 24, nv: 23, nu: 17, timestep: 0.003, frameSkip: 5, obs: 348, limit: 1000, threshold: undefined, ctrl: 0.4 },
  "Swimmer-v5": { totalMass: 106.81415022205297, nq: 5, nv: 5, nu: 2, timestep: 0.01, frameSkip: 4, obs: 8, limit: 1000, threshold: 360, ctrl: 1 },
  "Reacher-v5": { totalMass: 0.07845185174544432, nq: 4, nv: 4, nu: 2, timestep: 0.01, frameSkip: 2, obs: 10, limit: 50, threshold: -3.75, ctrl: 1 },
  "InvertedPendulum-v5": { totalMass: 15.490567153329286, nq: 2, nv: 2, nu: 1, timestep: 0.02, frameSkip: 2, obs: 4, limit: 1000, threshold: 950, ctrl: 3 },
  "InvertedDoublePendulum-v5": { totalMass: 18.869452675011495, nq: 3, nv: 3, nu: 1, timestep: 0.01, frameSkip: 5, obs: 9, limit: 1000, threshold: 9100, ctrl: 1 },
} as const;
const IDS = Object.keys(GYMNASIUM) as Array<keyof typeof GYMNASIUM>;

test("registrations, models, spaces and dt match Gymnasium's", async () => {
  for (const id of IDS) {
    const want = GYMNASIUM[id];
    assert.equal(spec(id).maxEpisodeSteps, want.limit, id);
    assert.equal(spec(id).rewardThreshold, want.threshold, id);
    const env = await makeAsync<Float32Array, Float32Array>(id);
    const u = bare(env);
    assert.ok(Math.abs(mj.mj_getTotalmass(u.model) - want.totalMass) < 1e-12, `${id} total mass ${mj.mj_getTotalmass(u.model)}`);
    assert.deepEqual([u.model.nq, u.model.nv, u.model.nu], [want.nq, want.nv, want.nu], id);
    assert.equal(u.model.opt.timestep, want.timestep, id);
    assert.ok(Math.abs(u.dt - want.timestep * want.frameSkip) < 1e-15, id);
    assert.deepEqual(env.observationSpace.shape, [want.obs], id);
    assert.equal(env.reset({ seed: 0 }).obs.length, want.obs, id);
    const box = env.actionSpace as unknown as { low: Float32Array; high: Float32Array };
    assert.deepEqual(Array.from(box.high), new Array(want.nu).fill(Math.fround(want.ctrl)), id);
    assert.deepEqual(Array.from(box.low), new Array(want.nu).fill(-Math.fround(want.ctrl)), id);
    env.close();
  }
});

test("the observation switches change the sizes as Gymnasium's", async () => {
  const sizes: Array<[string, Record<string, unknown>, number]> = [
    ["Ant-v5", { excludeCurrentPositionsFromObservation: false }, 107],
    ["Ant-v5", { includeCfrcExtInObservation: false }, 27],
    ["Humanoid-v5", { includeCinertInObservation: false, includeCvelInObservation: false }, 348 - 130 - 78],
    ["Humanoid-v5", { includeQfrcActuatorInObservation: false, includeCfrcExtInObservation: false }, 348 - 17 - 78],
    ["Swimmer-v5", { excludeCurrentPositionsFromObservation: false }, 10],
  ];
  for (const [id, opts, n] of sizes) {
    const env = await makeAsync<Float32Array, Float32Array>(id, opts);
    assert.equal(env.reset({ seed: 0 }).obs.length, n, `${id} ${JSON.stringify(opts)}`);
    assert.equal(env.spec!.describe().observation.at(-1)!.index[1], n, `${id} describe`);
    env.close();
  }
});

// numpy 2.4, Generator(PCG64(SeedSequence(seed))), the draws of Gymnasium's reset_model in its order.
test("reset(seed) gives Gymnasium's initial state: Reacher's goal rejection loop, Ant's normal velocities", async () => {
  const reacher = bare(await makeAsync("Reacher-v5"));
  reacher.reset({ seed: 0 });
  assert.deepEqual(Array.from(reacher.data.qpos as Float64Array), [0.027392337464290872, -0.04604265724722594, 0.042654310306871945, 0.09179862439359937]);
  assert.deepEqual(Array.from(reacher.data.qvel as Float64Array), [0.00043624991465422876, 0.004350724237877682, 0, 0]);
  const ant = bare(await makeAsync("Ant-v5"));
  ant.reset({ seed: 1 });
  const qpos = [
    0.0023643249400513433, 0.09009273926518707, 0.6788319225439268, 1.0897298894274488, -0.03763370959790291, -0.015334710205484867, 0.06554051876408837,
    -0.01816017272616774, 0.009918737534611893, -0.09448817735138633, 0.05070262173496132, 0.007628662643855644, -0.03405365670018157, 0.05768574068568086,
    -0.039361034141671004,
  ];
  assert.deepEqual(Array.from(ant.data.qpos as Float64Array), qpos);
  const qvel = [
    0.05988462126346276, 0.003972210748165899, -0.029245675096508862, -0.07819084623568422, -0.02571922406188707, 0.0008142180518343508, -0.027560290529937043,
    0.12940638143982072, 0.10067243153057943, -0.2711162478965969, -0.18890132459676728, -0.017477209205516195, -0.04221904115763536, 0.02136429974986111,
  ];
  (Array.from(ant.data.qvel as Float64Array)).forEach((v, i) => assert.ok(Math.abs(v - qvel[i]!) < 1e-15, `ant qvel[${i}]`));
  reacher.close();
  ant.close();
});

function actions(n: number, dim: number, scale: number, seed: number): Float32Array[] {
  let x = 12345 + seed;
  return Array.from({ length: n }, () =>
    Float32Array.from({ length: dim }, () => {
      x = (Math.imul(1664525, x) + 1013904223) >>> 0;
      return scale * (-1 + 2 * (x / 2 ** 32));
    }),
  );
}

const TERMS: Record<string, string[]> = {
  "Ant-v5": ["reward_forward", "reward_survive", "reward_ctrl", "reward_contact"],
  "Humanoid-v5": ["reward_forward", "reward_survive", "reward_ctrl", "reward_contact"],
  "Swimmer-v5": ["reward_forward", "reward_ctrl"],
  "Reacher-v5": ["reward_dist", "reward_ctrl"],
  "InvertedPendulum-v5": ["reward_survive"],
  "InvertedDoublePendulum-v5": ["reward_survive", "distance_penalty", "velocity_penalty"],
};

test("the reward terms in info sum to the reward; documented info keys are present", async () => {
  for (const id of IDS) {
    const env = await makeAsync<Float32Array, Float32Array>(id);
    const info = env.spec!.describe().info!;
    env.reset({ seed: 2 });
    let contactSeen = false;
    for (const a of actions(30, GYMNASIUM[id].nu, GYMNASIUM[id].ctrl, 4)) {
      const r = env.step(a);
      const sum = TERMS[id]!.reduce((s, k) => s + (r.info[k] as number), 0);
      assert.ok(Math.abs(sum - r.reward) < 1e-9, `${id}: terms ${sum} vs reward ${r.reward}`);
      for (const k of Object.keys(info)) assert.ok(k in r.info, `${id}: info.${k}`);
      if (r.info.reward_contact !== undefined && (r.info.reward_contact as number) < 0) contactSeen = true;
      if (r.terminated) break;
    }
    if (id === "Ant-v5" || id === "Humanoid-v5") assert.ok(contactSeen, `${id}: contact forces (cfrc_ext after mj_rnePostConstraint) reach the reward`);
    env.close();
  }
});

test("termination: Ant outside 0.2 <= z <= 1, Humanoid outside 1 < z < 2, the pendulums when they fall", () => {
  const ant = new AntEnv();
  const stepAt = (env: MujocoEnv, k: number, v: number) => {
    env.reset({ seed: 0 });
    const s = env.getState();
    s.qpos[k] = v;
    env.setState({ qpos: s.qpos, qvel: s.qvel });
    return env.step(new Float32Array(env.nu));
  };
  assert.equal(stepAt(ant, 2, 0.6).terminated, false);
  assert.equal(stepAt(ant, 2, 1.3).terminated, true, "too high");
  // the bounds are inclusive for Ant (Gymnasium: min_z <= z <= max_z)
  for (const [z, healthy] of [[0.2, true], [1.0, true], [0.1999, false], [1.0001, false]] as const) {
    const s = ant.getState();
    s.qpos[2] = z;
    ant.setState({ qpos: s.qpos, qvel: s.qvel });
    assert.equal(ant.isHealthy, healthy, `z = ${z}`);
  }
  const humanoid = new HumanoidEnv();
  assert.equal(stepAt(humanoid, 2, 1.4).terminated, false);
  assert.equal(stepAt(humanoid, 2, 0.9).terminated, true);
  const ip = new InvertedPendulumEnv();
  const fell = stepAt(ip, 1, 0.5);
  assert.deepEqual([fell.terminated, fell.reward], [true, 0]);
  const up = stepAt(ip, 1, 0);
  assert.deepEqual([up.terminated, up.reward], [false, 1]);
  const idp = new InvertedDoublePendulumEnv();
  assert.equal(stepAt(idp, 1, 0).terminated, false);
  assert.equal(stepAt(idp, 1, 1.2).terminated, true, "the tip drops below 1 m");
  for (const e of [ant, humanoid, ip, idp]) e.close();
});

test("getState/setState: restored envs continue exactly (contact-rich Ant and Humanoid too)", async () => {
  for (const id of IDS) {
    const opts = id === "Ant-v5" || id === "Humanoid-v5" ? { terminateWhenUnhealthy: false } : {};
    // No EnvChecker: the pendulums may fall (terminate) and the physics is compared past that point.
    const a = await makeAsync<Float32Array, Float32Array>(id, { maxEpisodeSteps: null, disableEnvChecker: true, ...opts });
    const b = await makeAsync<Float32Array, Float32Array>(id, { maxEpisodeSteps: null, disableEnvChecker: true, ...opts });
    const { nu, ctrl } = GYMNASIUM[id];
    a.reset({ seed: 3 });
    for (const act of actions(12, nu, ctrl, 5)) a.step(act);
    const saved = JSON.parse(JSON.stringify(bare(a).getState()));
    b.reset({ seed: 4 });
    bare(b).setState(saved);
    for (const act of actions(12, nu, ctrl, 6)) {
      const ra = a.step(act), rb = b.step(act);
      assert.deepEqual(rb.obs, ra.obs, id);
      assert.equal(rb.reward, ra.reward, id);
      assert.deepEqual(rb.info, ra.info, id);
    }
    assert.deepEqual(b.reset().obs, a.reset().obs, `${id}: the generator came along`);
    a.close();
    b.close();
  }
});

test("checkEnv passes, and describe() names every value, for each env", async () => {
  for (const id of IDS) {
    const env = await makeAsync(id);
    const report = checkEnv(env, { steps: 20 });
    assert.deepEqual(report.errors, [], id);
    assert.deepEqual(report.warnings.filter((w) => w.includes("describe")), [], id);
    env.close();
  }
});

test("describe()'s per-body groups follow the model's body order", async () => {
  for (const id of ["Ant-v5", "Humanoid-v5"] as const) {
    const env = await makeAsync<Float32Array, Float32Array>(id);
    const u = bare(env);
    const names = Array.from({ length: u.model.nbody - 1 }, (_, i) => mj.mj_id2name(u.model, mj.mjtObj.mjOBJ_BODY.value, i + 1));
    const described = env.spec!.describe().observation.filter((f) => f.name.startsWith("contact force") || f.name.startsWith("external contact force")).map((f) => f.name.slice(f.name.indexOf("[") + 1, -1));
    assert.deepEqual(described, names, id);
    env.close();
  }
});

test("render() draws each env (top view for Swimmer and Reacher, oblique for Ant and Humanoid)", async () => {
  for (const id of IDS) {
    const env = await makeAsync<Float32Array, Float32Array>(id);
    env.reset({ seed: 0 });
    const svg = env.render!();
    assert.match(svg, /^<svg [^>]*width="\d+"/, id);
    assert.ok((svg.match(/<(polygon|circle) /g) ?? []).length >= GYMNASIUM[id].nu + 1, `${id}: geoms drawn`);
    env.close();
  }
});
