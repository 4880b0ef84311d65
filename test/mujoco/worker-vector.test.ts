/**
 * WorkerVectorEnv: envs stepped in worker threads give exactly what SyncVectorEnv gives (observations, rewards,
 * flags, infos with final observations; only the episode's wall time differs), seeds and reseeds alike, and
 * reports bad input and use after close clearly.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../src/envs/index.js";
import { makeVecAsync } from "../../src/envs/vector.js";
import { makeWorkerVecAsync } from "../../src/envs/worker-vector.js";

const withoutTime = (info: Record<string, unknown>) => {
  const ep = info.episode as Record<string, unknown> | undefined;
  return ep ? { ...info, episode: { ...ep, t: 0 } } : info;
};

test("5 Hopper envs in 2 workers (3 + 2) step exactly as a SyncVectorEnv, through episode ends and a reseed", async () => {
  const workers = await makeWorkerVecAsync("Hopper-v5", 5, { seed: 3, workers: 2 });
  const sync = await makeVecAsync("Hopper-v5", 5, { seed: 3 });
  try {
    assert.equal(workers.numEnvs, 5);
    assert.equal(workers.obsSize, 11);
    assert.equal(workers.actionSize, 3);
    assert.deepEqual(workers.reset().obs, sync.reset().obs);
    let ends = 0;
    for (let t = 0; t < 120; t++) {
      const act = Float32Array.from({ length: 15 }, (_, i) => Math.sin(0.7 * t + i));
      const a = workers.step(act), b = sync.step(act);
      assert.deepEqual(a.obs, b.obs, `step ${t}`);
      assert.deepEqual(a.rewards, b.rewards);
      assert.deepEqual([a.terminated, a.truncated], [b.terminated, b.truncated]);
      assert.deepEqual(a.infos.map(withoutTime), b.infos.map(withoutTime));
      ends += a.terminated.reduce((s, v) => s + v, 0);
    }
    assert.ok(ends > 0, "some episodes ended (autoreset and final_observation compared)");
    assert.deepEqual(workers.reset({ seed: 11 }).obs, sync.reset({ seed: 11 }).obs);
    assert.throws(() => workers.step(new Float32Array(4)), /expected 15 action values/);
  } finally {
    workers.close();
    sync.close();
  }
  workers.close(); // twice is fine
  assert.throws(() => workers.reset(), /closed/);
});

test("a bad env option fails at creation with the env's message", async () => {
  await assert.rejects(makeWorkerVecAsync("Hopper-v5", 2, { workers: 1, healthyZrange: [0, 1] }), /unknown option "healthyZrange"/);
});
