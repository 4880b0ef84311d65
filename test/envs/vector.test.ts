import { test } from "node:test";
import assert from "node:assert/strict";
import { make } from "../../src/envs/index.js";
import { makeVec, makeVecAsync, SyncVectorEnv } from "../../src/envs/vector.js";
import type { EpisodeStatistics } from "../../src/envs/wrappers/record-episode-statistics.js";

test("makeVec batches observations row by row, env i seeded with seed + i (as SB3's make_vec_env)", () => {
  const venv = makeVec("CartPole-v1", 3, { seed: 10 });
  const { obs, infos } = venv.reset();
  assert.equal(obs.length, 12);
  assert.equal(infos.length, 3);
  for (let i = 0; i < 3; i++) {
    const single = make("CartPole-v1").reset({ seed: 10 + i }).obs;
    assert.deepEqual(obs.subarray(i * 4, i * 4 + 4), single);
  }
});

test("vector steps equal single-env steps; autoreset keeps final_observation and episode stats in infos", () => {
  const n = 4;
  const venv = makeVec("CartPole-v1", n, { seed: 0 });
  const singles = Array.from({ length: n }, () => make("CartPole-v1"));
  let vobs = venv.reset().obs;
  singles.forEach((e, i) => e.reset({ seed: i }));
  const returns = new Array(n).fill(0);
  let episodesEnded = 0;
  for (let t = 0; t < 300; t++) {
    const actions = Int32Array.from({ length: n }, (_, i) => ((t * 7 + i * 3) >> 2) & 1);
    const r = venv.step(actions);
    for (let i = 0; i < n; i++) {
      const s = singles[i]!.step(actions[i]!);
      returns[i] += s.reward;
      assert.equal(r.rewards[i], s.reward);
      assert.equal(r.terminated[i], s.terminated ? 1 : 0);
      assert.equal(r.truncated[i], s.truncated ? 1 : 0);
      if (s.terminated || s.truncated) {
        episodesEnded++;
        assert.deepEqual(r.infos[i]!.final_observation, s.obs);
        assert.equal((r.infos[i]!.episode as EpisodeStatistics).r, returns[i]);
        returns[i] = 0;
        const next = singles[i]!.reset(); // continues env i's generator, as the vector env does
        assert.deepEqual(r.obs.subarray(i * 4, i * 4 + 4), next.obs);
      } else {
        assert.equal(r.infos[i]!.final_observation, undefined);
        assert.deepEqual(r.obs.subarray(i * 4, i * 4 + 4), s.obs);
      }
    }
    assert.notEqual(r.obs, vobs); // a fresh array every step
    vobs = r.obs;
  }
  assert.ok(episodesEnded >= 4);
});

test("continuous actions: numEnvs * actionSize values, row after row", () => {
  const venv = makeVec("Pendulum-v1", 2, { seed: 3 });
  venv.reset();
  const r = venv.step(Float32Array.of(2, -2));
  const a = venv.envs[0]!.unwrapped as unknown as { lastU: number };
  const b = venv.envs[1]!.unwrapped as unknown as { lastU: number };
  assert.equal(a.lastU, 2);
  assert.equal(b.lastU, -2);
  assert.equal(r.obs.length, 6);
  assert.equal(venv.actionSize, 1);
  assert.equal(venv.obsSize, 3);
});

test("vector env bad input: wrong action count, step before reset, invalid action, bad n/seed, Tuple spaces", async () => {
  const venv = makeVec("CartPole-v1", 2);
  assert.throws(() => venv.step([0, 1]), /before reset/);
  venv.reset({ seed: 1 });
  assert.throws(() => venv.step([0]), /expected 2 action values/);
  assert.throws(() => venv.step([0, 7]), /not in the action space/);
  assert.throws(() => makeVec("CartPole-v1", 0), /positive integer/);
  assert.throws(() => makeVec("CartPole-v1", 2, { seed: -3 }), /non-negative/);
  assert.throws(() => makeVec("Blackjack-v1", 2), /Tuple/);
  assert.throws(() => new SyncVectorEnv([]), /at least one/);
  const asyncVenv = await makeVecAsync("Acrobot-v1", 2, { seed: 0 });
  assert.equal(asyncVenv.reset().obs.length, 12);
});
