/**
 * WorkerVecEnv: envs stepped in worker threads give exactly what the per-worker SyncVecEnvs give side by side
 * (observations, rewards, flags, infos, final observations, finished episodes), state save/restore works across
 * the threads, and bad input and use after close are reported clearly.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../src/envs/index.js";
import { makeVecAsync } from "../../src/envs/vector.js";
import { makeWorkerVecAsync } from "../../src/envs/worker-vector.js";

const concat = (a: Float32Array | Uint8Array, b: Float32Array | Uint8Array) => [...a, ...b];

test("5 Hopper envs in 2 workers (3 + 2) equal SyncVecEnvs of 3 (seed 3) and 2 (seed 6) side by side; state restores", async () => {
  const workers = await makeWorkerVecAsync("Hopper-v5", 5, { seed: 3, workers: 2 });
  const left = await makeVecAsync("Hopper-v5", 3, { seed: 3 });
  const right = await makeVecAsync("Hopper-v5", 2, { seed: 6 });
  try {
    assert.deepEqual([workers.numEnvs, workers.obsDim, workers.actDim], [5, 11, 3]);
    assert.deepEqual([...workers.reset()], concat(left.reset(), right.reset()));
    let ends = 0;
    let saved: ReturnType<typeof workers.getState> | undefined;
    const after: Float32Array[] = [];
    for (let t = 0; t < 120; t++) {
      const act = Float32Array.from({ length: 15 }, (_, i) => Math.sin(0.7 * t + i));
      const a = workers.step(act), l = left.step(act.slice(0, 9)), r = right.step(act.slice(9));
      assert.deepEqual([...a.obs], concat(l.obs, r.obs), `step ${t}`);
      assert.deepEqual([...a.rewards], concat(l.rewards, r.rewards));
      assert.deepEqual([...a.terminated, ...a.truncated], [...concat(l.terminated, r.terminated), ...concat(l.truncated, r.truncated)]);
      assert.deepEqual(a.infos, [...l.infos, ...r.infos]);
      assert.deepEqual(a.finalObs, [...l.finalObs, ...r.finalObs]);
      assert.deepEqual(workers.drainEpisodes(), [...left.drainEpisodes(), ...right.drainEpisodes()]);
      ends += a.terminated.reduce((s, v) => s + v, 0);
      if (t === 60) saved = JSON.parse(JSON.stringify(workers.getState()));
      if (t > 60) after.push(a.obs);
    }
    assert.ok(ends > 0, "episodes ended (auto-reset, final observations and episode records compared)");
    workers.restore(saved!);
    for (let t = 61; t < 120; t++) {
      const act = Float32Array.from({ length: 15 }, (_, i) => Math.sin(0.7 * t + i));
      assert.deepEqual(workers.step(act).obs, after[t - 61], `after restore, step ${t}`);
    }
    assert.throws(() => workers.step(new Float32Array(4)), /expected 15 action values/);
  } finally {
    workers.close();
    left.close();
    right.close();
  }
  workers.close(); // twice is fine
  assert.throws(() => workers.reset(), /closed/);
});

test("a bad env option fails at creation with the env's message", async () => {
  await assert.rejects(makeWorkerVecAsync("Hopper-v5", 2, { workers: 1, healthyZrange: [0, 1] }), /unknown option "healthyZrange"/);
});
