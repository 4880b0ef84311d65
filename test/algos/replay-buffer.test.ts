import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReplayBuffer } from "../../src/algos/replay-buffer.js";
import { Random } from "../../src/nn/random.js";

/** Transition i has obs [i, -i], action i % 3, reward i / 10, next obs [i + 1, -(i + 1)], done when i % 5 == 4. */
function fill(buf: ReplayBuffer, from: number, to: number): void {
  for (let i = from; i < to; i++) buf.add(1, [i, -i], [i % 3], [i / 10], [i + 1, -(i + 1)], [i % 5 === 4]);
}

test("a sampled row keeps its fields together", () => {
  const buf = new ReplayBuffer({ bufferSize: 100, obsDim: 2, actDim: 1 });
  fill(buf, 0, 50);
  const s = buf.sample(64, new Random(1));
  for (let k = 0; k < s.n; k++) {
    const i = s.obs[2 * k]!;
    assert.ok(Number.isInteger(i) && i >= 0 && i < 50);
    assert.equal(s.obs[2 * k + 1], -i);
    assert.equal(s.actions[k], i % 3);
    assert.equal(s.rewards[k], Math.fround(i / 10));
    assert.equal(s.nextObs[2 * k], i + 1);
    assert.equal(s.dones[k], i % 5 === 4 ? 1 : 0);
  }
});

test("the ring keeps the newest bufferSize transitions and samples them uniformly", () => {
  const buf = new ReplayBuffer({ bufferSize: 10, obsDim: 2, actDim: 1 });
  fill(buf, 0, 25);
  assert.equal(buf.size, 10);
  assert.ok(buf.full);
  const counts = new Map<number, number>();
  const rng = new Random(7);
  for (let r = 0; r < 200; r++) {
    const s = buf.sample(50, rng);
    for (let k = 0; k < s.n; k++) counts.set(s.obs[2 * k]!, (counts.get(s.obs[2 * k]!) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort((a, b) => a - b), [15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
  // 10000 draws over 10 rows: each count ~ Binomial(10000, 0.1), sd 30.
  for (const c of counts.values()) assert.ok(c > 850 && c < 1150, `count ${c}`);
});

test("growth past the initial allocation keeps earlier rows", () => {
  const buf = new ReplayBuffer({ bufferSize: 10000, obsDim: 2, actDim: 1 });
  fill(buf, 0, 9000);
  const st = buf.getState();
  assert.equal(st.size, 9000);
  assert.equal(st.obs[2 * 123], 123);
  assert.equal(st.nextObs[2 * 8999], 9000);
});

test("addBatch stores a TransitionBatch, with replacement rewards when given", () => {
  const buf = new ReplayBuffer({ bufferSize: 10, obsDim: 1, actDim: 2 });
  buf.addBatch(
    {
      n: 2, obsDim: 1, actDim: 2,
      obs: Float32Array.of(1, 2), actions: Float32Array.of(0.1, 0.2, 0.3, 0.4), rewards: Float32Array.of(5, 6),
      nextObs: Float32Array.of(2, 3), terminated: Uint8Array.of(0, 1), truncated: Uint8Array.of(1, 0),
    },
    Float32Array.of(-5, -6),
  );
  const st = buf.getState();
  assert.deepEqual([...st.rewards], [-5, -6]);
  assert.deepEqual([...st.dones], [0, 1]);
  assert.deepEqual([...st.actions], [0.1, 0.2, 0.3, 0.4].map(Math.fround));
  assert.throws(() => buf.addBatch({ n: 1, obsDim: 2, actDim: 2, obs: new Float32Array(2), actions: new Float32Array(2), rewards: new Float32Array(1), nextObs: new Float32Array(2), terminated: new Uint8Array(1), truncated: new Uint8Array(1) }), /obsDim 2/);
});

test("save and load restore the same samples for the same generator state", () => {
  const dir = mkdtempSync(join(tmpdir(), "replay-"));
  try {
    const a = new ReplayBuffer({ bufferSize: 30, obsDim: 2, actDim: 1 });
    fill(a, 0, 47);
    a.save(dir);
    const b = new ReplayBuffer({ bufferSize: 30, obsDim: 2, actDim: 1 });
    b.load(dir);
    assert.equal(b.size, 30);
    fill(a, 47, 52);
    fill(b, 47, 52);
    const sa = a.sample(40, new Random(3));
    const sb = b.sample(40, new Random(3));
    assert.deepEqual(sa, sb);
    const c = new ReplayBuffer({ bufferSize: 31, obsDim: 2, actDim: 1 });
    assert.throws(() => c.load(dir), /bufferSize 30/);
    assert.throws(() => c.load(join(dir, "missing")), /cannot read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input is refused with a clear message", () => {
  assert.throws(() => new ReplayBuffer({ bufferSize: 0, obsDim: 1, actDim: 1 }), /bufferSize/);
  const buf = new ReplayBuffer({ bufferSize: 5, obsDim: 1, actDim: 1 });
  assert.throws(() => buf.sample(4, new Random(0)), /empty/);
  assert.throws(() => buf.add(2, [1], [0], [0], [1], [0]), /too short/);
});
