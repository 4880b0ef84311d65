import { test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { make, makeAsync } from "../../src/envs/index.js";
import { PPO, evaluatePolicy } from "../../src/algos/index.js";
import { shippedPolicyPath, readPolicyFile, ppoFromPolicyFile } from "../../src/experiments/ultra/policy-file.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "pinned", "fixtures");

test("the evaluator: episodes side by side on several envs give what one env gives episode after episode", async () => {
  const model = new PPO([make("CartPole-v1")], { seed: 2, nSteps: 32, batchSize: 32 });
  await model.learn({ totalTimesteps: 64 });
  const one = evaluatePolicy(model, make("CartPole-v1"), { nEvalEpisodes: 7, seed: 40 });
  const three = evaluatePolicy(model, [make("CartPole-v1"), make("CartPole-v1"), make("CartPole-v1")], { nEvalEpisodes: 7, seed: 40 });
  const seven = evaluatePolicy(model, Array.from({ length: 7 }, () => make("CartPole-v1")), { nEvalEpisodes: 7, seed: 40 });
  assert.deepEqual(three, one);
  assert.deepEqual(seven, one);
  assert.ok(new Set(one.lengths).size > 1, "episodes of different lengths (the batch shrinks and refills)");
  assert.equal(one.meanReturn, one.returns.reduce((a, b) => a + b, 0) / 7);
  const capped = evaluatePolicy(model, make("CartPole-v1"), { nEvalEpisodes: 2, seed: 40, maxSteps: 5 });
  assert.deepEqual(capped.lengths, [5, 5]);
  let rows = 0;
  evaluatePolicy({ predict: (obs) => ((rows = Math.max(rows, obs.length / 4)), new Float32Array(obs.length / 4)) }, [make("CartPole-v1"), make("CartPole-v1")], { nEvalEpisodes: 3 });
  assert.equal(rows, 2, "one batched predict over the running episodes");
  assert.throws(() => evaluatePolicy(model, make("CartPole-v1"), { nEvalEpisodes: 0 }), /positive integer/);
});

test("PPO.fromPolicyFile loads a checkpoint's policy (weights and normaliser statistics) on any number of envs", async () => {
  const dir = join(fixtures, "checkpoints", "ppo-bipedalwalker");
  const envs = async (n: number) => Promise.all(Array.from({ length: n }, () => makeAsync("BipedalWalker-v3")));
  const resumed = PPO.load(dir, await envs(2), { policyKwargs: { netArch: [16, 16] } });
  const fromFolder = PPO.fromPolicyFile(dir, await envs(3));
  const fromFile = PPO.fromPolicyFile(join(dir, "ppo.json"), await envs(1));
  const obs = Float32Array.from((await makeAsync("BipedalWalker-v3")).reset({ seed: 9 }).obs as Float32Array);
  assert.ok(resumed.normalizer && fromFolder.normalizer, "the policy normalises observations");
  assert.deepEqual(fromFolder.normalizer!.obsRms.getState(), resumed.normalizer!.obsRms.getState());
  assert.deepEqual(fromFolder.predict(obs, true), resumed.predict(obs, true));
  assert.deepEqual(fromFile.predict(obs, true), resumed.predict(obs, true));
  assert.equal(fromFolder.numTimesteps, 0, "a new run from the policy, not a resumed one");
  assert.throws(() => PPO.fromPolicyFile(join(fixtures, "checkpoints", "a2c-cartpole"), [make("CartPole-v1")]), /a2c|A2C|cannot read/);
});

test("a shipped policy file (data/policies, format guided-rl/policy@1) loads with PPO.fromPolicyFile", () => {
  const file = readPolicyFile(shippedPolicyPath("pong-ppo-suboptimal"));
  const a = PPO.fromPolicyFile(shippedPolicyPath("pong-ppo-suboptimal"), [make("Pong-v0")]);
  const b = ppoFromPolicyFile(file, {}, 2);
  const obs = Float32Array.from(make("Pong-v0").reset({ seed: 3 }).obs as Float32Array);
  assert.deepEqual(a.policy.actor.params, b.policy.actor.params);
  assert.deepEqual(a.predict(obs, true), b.predict(obs, true));
});
