import { test } from "node:test";
import assert from "node:assert/strict";
import { CartPoleEnv } from "../../src/envs/classic/cartpole.js";
import { make } from "../../src/envs/index.js";
import { replay } from "./trajectory.js";

test("CartPole-v1 replays Gymnasium's recorded trajectories (obs 1e-6, state 1e-9, exact rewards and flags)", () => {
  const r = replay("CartPole-v1", (env) => (env as CartPoleEnv).state);
  assert.ok(r.steps > 0);
});

test("CartPole-v1: spec matches Gymnasium's registration", () => {
  const env = make("CartPole-v1");
  assert.equal(env.spec?.maxEpisodeSteps, 500);
  assert.equal(env.spec?.rewardThreshold, 475);
  assert.equal(env.spec?.describe().observation.length, 4);
});

test("CartPole-v1: keeps stepping after termination with reward 0, as Gymnasium's bare env does", () => {
  const env = new CartPoleEnv();
  env.reset({ seed: 0 });
  let r;
  do r = env.step(0);
  while (!r.terminated);
  assert.equal(r.reward, 1);
  assert.equal(env.step(0).reward, 0);
});
