import { test } from "node:test";
import assert from "node:assert/strict";
import { make, makeVec, makeVecAsync, SyncVecEnv } from "../../src/envs/index.js";
import { observationLayout } from "../../src/core/index.js";

test("makeVec batches observations row by row, env i's first episode seeded with seed + i (as SB3's make_vec_env)", () => {
  const venv = makeVec("CartPole-v1", 3, { seed: 10 });
  const obs = venv.reset();
  assert.equal(obs.length, 12);
  for (let i = 0; i < 3; i++) {
    const single = make("CartPole-v1").reset({ seed: 10 + i }).obs;
    assert.deepEqual(obs.subarray(i * 4, i * 4 + 4), single);
  }
});

test("vector steps equal single-env steps; a finished env keeps finalObs, records the episode and restarts from its next episode seed", () => {
  const n = 4;
  const venv = makeVec("CartPole-v1", n, { seed: 0 });
  const singles = Array.from({ length: n }, () => make("CartPole-v1"));
  let vobs = venv.reset();
  singles.forEach((e, i) => e.reset({ seed: i }));
  const returns = new Array(n).fill(0);
  let episodesEnded = 0;
  for (let t = 0; t < 300; t++) {
    const actions = Float32Array.from({ length: n }, (_, i) => ((t * 7 + i * 3) >> 2) & 1);
    const r = venv.step(actions);
    const ended = venv.drainEpisodes();
    let k = 0;
    for (let i = 0; i < n; i++) {
      const s = singles[i]!.step(actions[i]!);
      returns[i] += s.reward;
      assert.equal(r.rewards[i], s.reward);
      assert.equal(r.terminated[i], s.terminated ? 1 : 0);
      assert.equal(r.truncated[i], s.truncated ? 1 : 0);
      if (s.terminated || s.truncated) {
        episodesEnded++;
        assert.deepEqual(r.finalObs[i], s.obs);
        assert.equal(ended[k++]!.return, returns[i]);
        returns[i] = 0;
        const next = singles[i]!.reset({ seed: venv.getState().episodeSeeds[i]! });
        assert.deepEqual(r.obs.subarray(i * 4, i * 4 + 4), next.obs);
      } else {
        assert.equal(r.finalObs[i], null);
        assert.deepEqual(r.obs.subarray(i * 4, i * 4 + 4), s.obs);
      }
    }
    assert.equal(k, ended.length);
    assert.notEqual(r.obs, vobs); // a fresh array every step
    vobs = r.obs;
  }
  assert.ok(episodesEnded >= 4);
});

test("restore() replays each env's episode from its seed and actions: a fresh vector env continues exactly", () => {
  const a = makeVec("Pendulum-v1", 2, { seed: 5 });
  a.reset();
  const act = (t: number) => Float32Array.of(Math.sin(t), Math.cos(t * 0.7) * 2);
  for (let t = 0; t < 250; t++) a.step(act(t)); // past a time limit: later episodes have drawn seeds
  const b = makeVec("Pendulum-v1", 2, { seed: 5 });
  const restored = b.restore(JSON.parse(JSON.stringify(a.getState())));
  for (let t = 250; t < 300; t++) {
    const ra = a.step(act(t)), rb = b.step(act(t));
    assert.deepEqual(rb.obs, ra.obs);
    assert.deepEqual(rb.rewards, ra.rewards);
  }
  assert.equal(restored.length, 6);
});

test("one flattening rule: Discrete observations one-hot, Tuple concatenated (Blackjack: 32 + 11 + 2)", () => {
  const venv = makeVec("Blackjack-v1", 2, { seed: 1 });
  const obs = venv.reset();
  assert.equal(venv.obsDim, 45);
  const single = make("Blackjack-v1").reset({ seed: 1 }).obs;
  const row = new Float32Array(45);
  observationLayout(make("Blackjack-v1").observationSpace).write(single, row, 0);
  assert.deepEqual(obs.subarray(0, 45), row);
  assert.equal(row.reduce((a, b) => a + b, 0), 3, "one 1 per Discrete part");
});

test("continuous actions: numEnvs * actDim values, row after row", () => {
  const venv = makeVec("Pendulum-v1", 2, { seed: 3 });
  venv.reset();
  const r = venv.step(Float32Array.of(2, -2));
  const a = venv.envs[0]!.unwrapped as unknown as { lastU: number };
  const b = venv.envs[1]!.unwrapped as unknown as { lastU: number };
  assert.equal(a.lastU, 2);
  assert.equal(b.lastU, -2);
  assert.equal(r.obs.length, 6);
  assert.equal(venv.actLayout.dim, 1);
  assert.equal(venv.obsDim, 3);
});

test("vector env bad input: wrong action count, invalid action, bad n/seed, no envs", async () => {
  const venv = makeVec("CartPole-v1", 2);
  venv.reset();
  assert.throws(() => venv.step(Float32Array.of(0)), /expected 2 action values/);
  assert.throws(() => venv.step(Float32Array.of(0, 7)), /not in the action space/);
  assert.throws(() => makeVec("CartPole-v1", 0), /positive integer/);
  assert.throws(() => makeVec("CartPole-v1", 2, { seed: -3 }), /non-negative/);
  assert.throws(() => new SyncVecEnv([], 0), /at least one/);
  const asyncVenv = await makeVecAsync("Acrobot-v1", 2, { seed: 0 });
  assert.equal(asyncVenv.reset().length, 12);
});
