import { test } from "node:test";
import assert from "node:assert/strict";
import { PongEnv, describePong } from "../../src/envs/toy/pong.js";
import { SurrogateProvider } from "../../src/llm/providers/surrogate.js";
import {
  collectEpisodes, identifyCriticalStates, modulateCriticalStates, randomCriticalStates, registerUltraSurrogate,
  criticalStatesRequest, selectSegments,
} from "../../src/guides/ultra/index.js";

registerUltraSurrogate();
const desc = describePong();

/** Reacts only once the ball is past mid-court: misses steep balls. */
function latePolicy(obs: Float32Array): number {
  if (!(obs[2]! > 0 && obs[0]! > 0.45)) return 0;
  const d = obs[1]! - obs[4]!;
  return d > 0.05 ? 1 : d < -0.05 ? 2 : 0;
}

/** Where the ball crosses the paddle line, walls reflected (the test's own geometry). */
function intercept(o: Float32Array): number {
  const steps = (0.93 - o[0]!) / (o[2]! * 0.08);
  let y = o[1]! + o[3]! * 0.08 * steps;
  while (Math.abs(y) > 0.98) y = y > 0 ? 1.96 - y : -1.96 - y;
  return y;
}

const env = new PongEnv({ pointsToWin: 5 });
const episodes = collectEpisodes(env, { predict: (obs) => Float32Array.of(latePolicy(obs)) }, { episodes: 2, seed: 10 });

test("rollouts record every step; returns add up", () => {
  for (const ep of episodes) {
    assert.equal(ep.obs.length, ep.actions.length);
    assert.equal(ep.obs.length, ep.rewards.length);
    assert.equal(ep.return, ep.rewards.reduce((a, b) => a + b, 0));
    assert.ok(ep.terminated);
  }
  assert.ok(episodes.some((ep) => ep.return < 0), "the late policy should lose points");
});

test("surrogate: critical states are approaching balls with the paddle off the intercept and not moving toward it", async () => {
  const llm = new SurrogateProvider();
  const found = await identifyCriticalStates({ llm, description: desc, episodes, length: 40, maxSegments: 6, maxCriticalPerSegment: 2 });
  assert.ok(found.criticalStates.length >= 3, `only ${found.criticalStates.length} critical states`);
  for (const ex of found.transcript) {
    assert.match(ex.answer, /surrogate/);
    assert.equal(ex.provider, "surrogate");
    assert.deepEqual(ex.dropped, []);
    assert.equal(ex.error, undefined);
  }
  for (const cs of found.criticalStates) {
    assert.ok(cs.obs[2]! > 0, `step ${cs.step}: ball not approaching`);
    const want = intercept(cs.obs) > cs.obs[4]! ? 1 : 2;
    assert.notEqual(cs.takenAction, want, `step ${cs.step}: the policy already moved toward the intercept`);
    assert.match(cs.rationale, /intercept/);
  }
  const modulated = await modulateCriticalStates(found.criticalStates, { llm, description: desc, mode: "RA" });
  assert.equal(modulated.criticalStates.length, found.criticalStates.length);
  for (const cs of modulated.criticalStates) {
    const gap = intercept(cs.obs) - cs.obs[4]!;
    if (Math.abs(gap) > 0.1) assert.equal(cs.suggestedAction, gap > 0 ? 1 : 2, `step ${cs.step}: gap ${gap}`);
    assert.ok(cs.implicitReward! < 0, "the policy's action at a critical state was a mistake");
  }
});

test("surrogate reads the prompt: asking for fewer states gives fewer", async () => {
  const llm = new SurrogateProvider();
  const seg = selectSegments(episodes, { length: 60, maxSegments: 1 })[0]!;
  const ep = episodes[seg.episode]!;
  const three = await llm.complete(criticalStatesRequest(ep, seg, desc, 3));
  const one = await llm.complete(criticalStatesRequest(ep, seg, desc, 1));
  const count = (t: string) => JSON.parse(t.slice(t.indexOf("ANSWER") + 6)).length as number;
  assert.ok(count(three.text) > 1, three.text);
  assert.equal(count(one.text), 1);
});

test("random critical states: the same count, distinct steps, modulated like the LLM's", async () => {
  const rand = randomCriticalStates(episodes, 7, 1);
  assert.equal(rand.length, 7);
  assert.equal(new Set(rand.map((s) => `${s.episode}:${s.step}`)).size, 7);
  assert.deepEqual(randomCriticalStates(episodes, 7, 1).map((s) => s.step), rand.map((s) => s.step));
  const mod = await modulateCriticalStates(rand, { llm: new SurrogateProvider(), description: desc, mode: "A" });
  assert.equal(mod.criticalStates.length, 7);
  assert.ok(mod.criticalStates.every((s) => typeof s.suggestedAction === "number" && s.implicitReward === undefined));
});
