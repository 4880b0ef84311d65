import { test } from "node:test";
import assert from "node:assert/strict";
import { LmgtGuide } from "../../src/guides/lmgt/guide.js";
import { readLmgtRequest } from "../../src/guides/lmgt/surrogate/handler.js";
import type { TransitionBatch } from "../../src/algos/seams.js";
import { cartPoleDescription, ScriptedLlm } from "./fixtures.js";

/** A CartPole-shaped batch: obs rows from `obs(i)`, actions from `action(i)`, rewards 1. */
function batch(n: number, obs: (i: number) => number[], action: (i: number) => number): TransitionBatch {
  const b: TransitionBatch = {
    n, obsDim: 4, actDim: 1,
    obs: new Float32Array(n * 4), actions: new Float32Array(n), rewards: new Float32Array(n).fill(1),
    nextObs: new Float32Array(n * 4), terminated: new Uint8Array(n), truncated: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    b.obs.set(obs(i), i * 4);
    b.actions[i] = action(i);
  }
  return b;
}

/** Answers +1 when the pair's cart position is positive, -1 otherwise, listing the pairs in REVERSE order. */
function reversedSignAnswer(request: Parameters<ConstructorParameters<typeof ScriptedLlm>[0]>[0]): string {
  const read = readLmgtRequest(request);
  return read.pairs
    .map((p) => `${p.k}: ${p.state.values[0]! > 0 ? "+1" : "-1"}`)
    .reverse()
    .join("\n");
}

const ctx = (numTimesteps: number, totalTimesteps = 10_000) => ({ numTimesteps, totalTimesteps });

test("batching: scores land on the right transitions even when the answer is out of order", async () => {
  const llm = new ScriptedLlm(reversedSignAnswer);
  const guide = new LmgtGuide({ llm, description: cartPoleDescription, pairsPerCall: 8, shiftScale: 0.5 });
  // 20 distinct states alternating sign of the cart position.
  const b = batch(20, (i) => [(i % 2 ? 1 : -1) * (0.1 + i * 0.01), 0, 0, 0], () => 1);
  const rewards = await guide.transformRewards(b, ctx(20));
  assert.equal(llm.requests.length, 3); // 8 + 8 + 4
  assert.deepEqual(llm.requests.map((r) => readLmgtRequest(r).pairs.length), [8, 8, 4]);
  for (let i = 0; i < 20; i++) assert.equal(rewards[i], i % 2 ? 1.5 : 0.5, `transition ${i}`);
  assert.deepEqual(Array.from(b.rewards), new Array(20).fill(1), "the batch's own rewards are untouched");
  const s = guide.snapshot();
  assert.equal(s.calls, 3);
  assert.equal(s.pairsScored, 20);
  assert.deepEqual(s.shiftHistogram, { "-1": 10, "0": 0, "+1": 10 });
  assert.equal(s.inputTokens, 300);
  assert.ok(Math.abs(s.costUsd - 0.003) < 1e-12);
});

test("per-step querying: one call per transition", async () => {
  const llm = new ScriptedLlm(reversedSignAnswer);
  const guide = new LmgtGuide({ llm, description: cartPoleDescription, pairsPerCall: 1 });
  await guide.transformRewards(batch(5, (i) => [i, 0, 0, 0], () => 0), ctx(5));
  assert.equal(llm.requests.length, 5);
  assert.equal(guide.stats.callsPer1k(), 1000);
});

test("bucket cache: a bucket is asked about once; hits counted within and across batches", async () => {
  const llm = new ScriptedLlm(reversedSignAnswer);
  const guide = new LmgtGuide({
    llm, description: cartPoleDescription, pairsPerCall: 64,
    cache: { obsWidths: [0.5, 0.5, 0.05, 0.5] },
  });
  // 100 states in 4 buckets of the cart position (0.1..0.4 -> bucket 0, 0.6.. -> 1, -0.1.. -> -1, -0.6.. -> -2), action 1.
  const xs = [0.1, 0.6, -0.1, -0.6];
  const first = await guide.transformRewards(batch(100, (i) => [xs[i % 4]! + (i % 7) * 0.01, 0, 0.01, 0], () => 1), ctx(100));
  assert.equal(llm.requests.length, 1);
  assert.equal(readLmgtRequest(llm.requests[0]!).pairs.length, 4);
  assert.equal(guide.stats.cacheHits, 96);
  for (let i = 0; i < 100; i++) assert.equal(first[i], xs[i % 4]! > 0 ? 2 : 0);
  // Same buckets again: no call at all. A new action makes new buckets.
  await guide.transformRewards(batch(50, (i) => [xs[i % 4]!, 0, 0.01, 0], () => 1), ctx(150));
  assert.equal(llm.requests.length, 1);
  await guide.transformRewards(batch(10, (i) => [xs[i % 4]!, 0, 0.01, 0], () => 0), ctx(160));
  assert.equal(llm.requests.length, 2);
  assert.equal(guide.cache!.size, 8);
  const s = guide.snapshot();
  assert.equal(s.queried, 160);
  assert.equal(s.pairsScored, 8);
  assert.equal(s.cacheHits, 152);
  assert.equal(s.transitions, 160);
  assert.ok(Math.abs(guide.stats.callsPer1k() - 12.5) < 1e-9);
});

test("schedules: first N steps, probability p, annealed", async () => {
  const llm = new ScriptedLlm(reversedSignAnswer);
  const first = new LmgtGuide({ llm, description: cartPoleDescription, schedule: { kind: "first", steps: 30 } });
  // Steps 0..49 in one batch, then 50..99: only steps < 30 are scored.
  const r1 = await first.transformRewards(batch(50, () => [1, 0, 0, 0], () => 1), ctx(50));
  const r2 = await first.transformRewards(batch(50, () => [1, 0, 0, 0], () => 1), ctx(100));
  assert.equal(Array.from(r1).filter((r) => r === 2).length, 30);
  assert.ok(Array.from(r2).every((r) => r === 1));
  assert.equal(first.stats.queried, 30);

  const prob = new LmgtGuide({ llm, description: cartPoleDescription, schedule: { kind: "probability", p: 0.2 }, seed: 3 });
  await prob.transformRewards(batch(5000, () => [1, 0, 0, 0], () => 1), ctx(5000));
  assert.ok(Math.abs(prob.stats.queried / 5000 - 0.2) < 0.03, `queried fraction ${prob.stats.queried / 5000}`);

  const annealed = new LmgtGuide({ llm, description: cartPoleDescription, schedule: { kind: "annealed", from: 1, to: 0, fraction: 0.5 }, seed: 1 });
  await annealed.transformRewards(batch(2000, () => [1, 0, 0, 0], () => 1), ctx(2000, 4000));
  const early = annealed.stats.queried;
  await annealed.transformRewards(batch(2000, () => [1, 0, 0, 0], () => 1), ctx(4000, 4000));
  // Linear 1 -> 0 over the first 2000 steps: about 1000 queried, none after.
  assert.ok(Math.abs(early - 1000) < 80, `annealed early ${early}`);
  assert.equal(annealed.stats.queried, early);
  assert.throws(() => new LmgtGuide({ llm, description: cartPoleDescription, schedule: { kind: "probability", p: 2 } }), RangeError);
});

test("unparseable answers shift by 0 and are counted; failing calls leave rewards unshifted", async () => {
  const garbled = new ScriptedLlm((r) => readLmgtRequest(r).pairs.map((p) => `${p.k}: ${p.k % 2 ? "+1" : "perhaps"}`).join("\n"));
  const g1 = new LmgtGuide({ llm: garbled, description: cartPoleDescription });
  const r = await g1.transformRewards(batch(6, (i) => [i, 0, 0, 0], () => 1), ctx(6));
  assert.deepEqual(Array.from(r), [2, 1, 2, 1, 2, 1]);
  assert.equal(g1.stats.parseFailures, 3);
  assert.deepEqual(g1.stats.shiftHistogram, { "-1": 0, "0": 3, "+1": 3 });

  const failing = new ScriptedLlm(() => {
    throw new Error("provider down");
  });
  const g2 = new LmgtGuide({ llm: failing, description: cartPoleDescription, pairsPerCall: 2 });
  const r2 = await g2.transformRewards(batch(4, (i) => [i, 0, 0, 0], () => 1), ctx(4));
  assert.deepEqual(Array.from(r2), [1, 1, 1, 1]);
  assert.equal(g2.stats.callErrors, 2);
});

test("concurrent requests still map scores to their own pairs", async () => {
  // Later chunks answer sooner: completion order differs from request order.
  let calls = 0;
  const llm = new ScriptedLlm(async (req) => {
    const delay = 20 - 5 * calls++;
    await new Promise((res) => setTimeout(res, Math.max(0, delay)));
    return reversedSignAnswer(req);
  });
  const guide = new LmgtGuide({ llm, description: cartPoleDescription, pairsPerCall: 3, concurrency: 4 });
  const r = await guide.transformRewards(batch(12, (i) => [i % 3 === 0 ? 1 : -1, i, 0, 0], () => 1), ctx(12));
  for (let i = 0; i < 12; i++) assert.equal(r[i], i % 3 === 0 ? 2 : 0);
});

test("bad options are clear errors", () => {
  const llm = new ScriptedLlm(() => "");
  assert.throws(() => new LmgtGuide({ llm, description: cartPoleDescription, pairsPerCall: 0 }), /pairsPerCall/);
  assert.throws(() => new LmgtGuide({ llm: {} as never, description: cartPoleDescription }), /LlmClient/);
  assert.throws(() => new LmgtGuide({ llm, description: {} as never }), /EnvDescription/);
});

test("one-hot rows of a Tuple observation are decoded before rendering and caching", async () => {
  const { Discrete } = await import("../../src/core/discrete.js");
  const { Tuple } = await import("../../src/core/tuple.js");
  const { blackjackDescription } = await import("./fixtures.js");
  const space = new Tuple([new Discrete(32), new Discrete(11), new Discrete(2)]);
  const llm = new ScriptedLlm((req) => readLmgtRequest(req).pairs.map((p) => `${p.k}: ${p.state.values.join("/")}`).join("\n"));
  const guide = new LmgtGuide({ llm, description: blackjackDescription, observationSpace: space, cache: { obsWidths: 1 } });
  const row = new Float32Array(45);
  row[14] = 1; // player sum 14
  row[32 + 10] = 1; // dealer 10
  row[43] = 1; // no usable ace
  const b: TransitionBatch = {
    n: 1, obsDim: 45, actDim: 1, obs: row, actions: Float32Array.of(1), rewards: Float32Array.of(0),
    nextObs: new Float32Array(45), terminated: Uint8Array.of(1), truncated: Uint8Array.of(0),
  };
  await guide.transformRewards(b, ctx(1));
  assert.match(llm.requests[0]!.messages[0]!.content, /Pair 1: state: player's current sum = 14, dealer's showing card = 10, usable ace = 0; action: 1 \(hit\)/);
  assert.equal(guide.cache!.size, 1);
  assert.ok(guide.cache!.key([14, 10, 0], [1]) === "14,10,0,|,1");
});
