import { test } from "node:test";
import assert from "node:assert/strict";
import { make, makeAsync, register, registeredIds, spec } from "../../src/envs/index.js";
import { CartPoleEnv } from "../../src/envs/classic/cartpole.js";
import { TimeLimit } from "../../src/envs/wrappers/time-limit.js";
import { EnvChecker } from "../../src/envs/wrappers/env-checker.js";

const gymnasium: Record<string, { maxEpisodeSteps?: number; rewardThreshold?: number }> = {
  "CartPole-v1": { maxEpisodeSteps: 500, rewardThreshold: 475 },
  "MountainCar-v0": { maxEpisodeSteps: 200, rewardThreshold: -110 },
  "MountainCarContinuous-v0": { maxEpisodeSteps: 999, rewardThreshold: 90 },
  "Pendulum-v1": { maxEpisodeSteps: 200 },
  "Acrobot-v1": { maxEpisodeSteps: 500, rewardThreshold: -100 },
  "Blackjack-v1": {},
};

test("built-in ids carry Gymnasium's episode limits and reward thresholds", () => {
  for (const [id, want] of Object.entries(gymnasium)) {
    const s = spec(id);
    assert.equal(s.maxEpisodeSteps, want.maxEpisodeSteps, id);
    assert.equal(s.rewardThreshold, want.rewardThreshold, id);
  }
});

test("every built-in env describes itself: named fields covering the observation and action", () => {
  for (const id of Object.keys(gymnasium)) {
    const env = make(id);
    const d = env.spec!.describe();
    assert.equal(d.id, id);
    assert.ok(d.summary.length > 20 && d.reward.length > 5 && d.termination.length > 5, id);
    const size = env.observationSpace.kind === "box" ? env.observationSpace.shape[0]! : 3;
    assert.equal(d.observation.length, size, id);
    d.observation.forEach((f, i) => {
      assert.deepEqual(f.index, [i, i + 1], `${id} ${f.name}`);
      assert.match(f.name, /^[a-z_0-9]+$/);
    });
    if (env.actionSpace.kind === "discrete") assert.equal(d.actionMeanings?.length, (env.actionSpace as unknown as { n: number }).n, id);
  }
});

test("make wraps as EnvChecker(TimeLimit(env)) and passes keyword arguments", () => {
  const env = make("CartPole-v1", { suttonBartoReward: true });
  assert.ok(env instanceof EnvChecker);
  assert.ok((env as EnvChecker).env instanceof TimeLimit);
  assert.ok(env.unwrapped instanceof CartPoleEnv);
  assert.equal(env.spec?.kwargs?.suttonBartoReward, true);
  env.reset({ seed: 0 });
  assert.equal(env.step(0).reward, 0);
  assert.throws(() => make("CartPole-v1", { suttonBartoRewards: true }), /unknown option\(s\) suttonBartoRewards; accepted: maxEpisodeSteps, disableEnvChecker, suttonBartoReward/);
  assert.throws(() => make("Acrobot-v1", { g: 3 }), /unknown option/);
  const bare = make("CartPole-v1", { disableEnvChecker: true, maxEpisodeSteps: null });
  assert.ok(bare instanceof CartPoleEnv);
});

test("unknown ids list the registered ids and suggest other versions", () => {
  assert.throws(() => make("NoSuchEnv-v0"), (e: Error) => e.message.includes("Unknown environment id") && e.message.includes("CartPole-v1, "));
  assert.throws(() => make("CartPole-v0"), /Did you mean CartPole-v1\?/);
});

test("bad input: step before reset, step after the episode ended, actions outside the space", () => {
  const env = make("CartPole-v1");
  assert.throws(() => env.step(0), /CartPole-v1: step\(\) called before reset\(\)/);
  env.reset({ seed: 0 });
  assert.throws(() => env.step(2), /action 2 is not in the action space Discrete\(2\)/);
  assert.throws(() => env.step(0.5), /not in the action space/);
  assert.throws(() => env.step(undefined), /not in the action space/);
  let r;
  do r = env.step(1);
  while (!r.terminated && !r.truncated);
  assert.throws(() => env.step(1), /after the episode ended \(terminated\); call reset\(\)/);
  env.reset();
  env.step(1);

  const pend = make("Pendulum-v1", { maxEpisodeSteps: 2 });
  pend.reset({ seed: 0 });
  assert.throws(() => pend.step(Float32Array.of(3)), /action Float32Array\[3\] is not in the action space Box\(-2, 2, \(1,\), float32\)/);
  assert.throws(() => pend.step(Float32Array.of(NaN)), /not in the action space/);
  assert.throws(() => pend.step(Float32Array.of(0, 0)), /not in the action space/);
  pend.step([1]);
  pend.step(Float32Array.of(1));
  assert.throws(() => pend.step(Float32Array.of(1)), /episode ended \(truncated\)/);
  assert.throws(() => pend.reset({ seed: -1 }), /non-negative integer/);
  assert.throws(() => pend.reset({ seed: 1.5 }), /non-negative integer/);
  assert.throws(() => make("CartPole-v1").reset({ seed: 0, options: { low: 1, high: 0 } }), /must not exceed/);
  assert.throws(() => make("CartPole-v1").reset({ seed: 0, options: { low: "x" } }), /could not be converted/);
});

test("bare envs also refuse bad actions (as Gymnasium's asserts do) and step before reset", () => {
  const env = new CartPoleEnv();
  assert.throws(() => env.step(0), /call reset\(\) before step\(\)/);
  env.reset({ seed: 0 });
  assert.throws(() => env.step(3), /action must be 0 or 1/);
  assert.throws(() => make("Pendulum-v1", { disableEnvChecker: true }).step(Float32Array.of(0)), /call reset\(\) before step\(\)/);
  const p = make("Pendulum-v1", { disableEnvChecker: true });
  p.reset({ seed: 0 });
  assert.throws(() => p.step("x" as never), /Float32Array of length 1/);
});

test("register validates; makeAsync awaits prepare() before making", async () => {
  assert.throws(() => register({ id: "bad id!", entryPoint: () => new CartPoleEnv() }), /malformed/);
  assert.throws(() => register({ id: "Test-v0", entryPoint: () => new CartPoleEnv(), maxEpisodeSteps: 0 }), /positive integer/);
  let prepared = false;
  register({
    id: "TestPrepared-v0",
    entryPoint: () => {
      if (!prepared) throw new Error("not prepared: await makeAsync or prepare first");
      return new CartPoleEnv();
    },
    prepare: async () => {
      await new Promise((r) => setTimeout(r, 1));
      prepared = true;
    },
  });
  assert.throws(() => make("TestPrepared-v0"), /not prepared/);
  const env = await makeAsync("TestPrepared-v0");
  assert.ok(env.unwrapped instanceof CartPoleEnv);
  assert.ok(registeredIds().includes("TestPrepared-v0"));
  const generic = env.spec!.describe();
  assert.equal(generic.observation.length, 4);
});

test("reset options: classic control bounds, Pendulum x_init/y_init", () => {
  const env = make("MountainCar-v0");
  const { obs } = env.reset({ seed: 0, options: { low: -0.1, high: -0.1 } });
  assert.equal(obs[0], Math.fround(-0.1));
  const pend = make("Pendulum-v1");
  pend.reset({ seed: 0, options: { x_init: 0, y_init: 0 } });
  assert.deepEqual(Array.from((pend.unwrapped as unknown as { state: Float64Array }).state), [0, 0]);
});
