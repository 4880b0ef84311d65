import { test } from "node:test";
import assert from "node:assert/strict";
import { basicStrategyHits, blackjackExpert, cartPoleExpert, pendulumExpert, expertFor } from "../../src/guides/lmgt/surrogate/experts.js";
import { answerLmgtRequest, CHANCE_QUALITY, FULL_QUALITY, readLmgtRequest } from "../../src/guides/lmgt/surrogate/handler.js";
import { buildScoringRequest } from "../../src/guides/lmgt/prompt.js";
import { parseScores } from "../../src/guides/lmgt/parse.js";
import { npRandom } from "../../src/core/rng.js";
import { LMGT_PROMPT_STYLES } from "../../src/guides/lmgt/template.js";
import { blackjackDescription, cartPoleDescription, pendulumDescription } from "./fixtures.js";

/** Uniform draws in [0, 1) from the core PCG64 generator. */
const seededUniform = (seed: number): (() => number) => {
  const g = npRandom(seed)[0];
  return () => g.random();
};

const judge = (expert: typeof cartPoleExpert, desc: typeof cartPoleDescription, obs: number[], action: number[]) => {
  const req = buildScoringRequest(desc, [{ obs, action }], { style: "zero-shot" });
  const p = readLmgtRequest(req).pairs[0]!;
  return expert.judge(p.state, p.action).score;
};

test("CartPole expert: push toward the lean / fall", () => {
  assert.equal(judge(cartPoleExpert, cartPoleDescription, [0, 0, 0.08, 0.3], [1]), 1);
  assert.equal(judge(cartPoleExpert, cartPoleDescription, [0, 0, 0.08, 0.3], [0]), -1);
  assert.equal(judge(cartPoleExpert, cartPoleDescription, [0, 0, -0.05, -0.4], [0]), 1);
  // Leaning right but swinging back left fast: falling left.
  assert.equal(judge(cartPoleExpert, cartPoleDescription, [0, 0, 0.05, -0.6], [0]), 1);
  assert.equal(judge(cartPoleExpert, cartPoleDescription, [0, 0, 0.001, 0.002], [1]), 0);
});

test("Pendulum expert: pump energy along the swing below the top, balance near the top", () => {
  const at = (theta: number, omega: number, u: number) =>
    judge(pendulumExpert, pendulumDescription, [Math.cos(theta), Math.sin(theta), omega], [u]);
  assert.equal(at(3.0, 1.5, 1.5), 1); // low, too little energy: along the motion
  assert.equal(at(3.0, 1.5, -1.5), -1);
  assert.equal(at(-2.5, -2.0, -2), 1);
  assert.equal(at(0.2, 0.5, -2), 1); // near the top: against the tilt
  assert.equal(at(0.2, 0.5, 2), -1);
  assert.equal(at(3.0, 1.5, 0.1), 0); // too small to matter
  assert.equal(at(Math.PI, 0, 2), 0); // still at the bottom: either way
  assert.equal(at(1.5, 6.5, 2), -1); // too much energy: brake
});

test("Blackjack expert: basic strategy for hit / stick", () => {
  assert.equal(basicStrategyHits(16, 10, false), true);
  assert.equal(basicStrategyHits(16, 6, false), false);
  assert.equal(basicStrategyHits(12, 3, false), true);
  assert.equal(basicStrategyHits(12, 4, false), false);
  assert.equal(basicStrategyHits(11, 1, false), true);
  assert.equal(basicStrategyHits(17, 1, false), false);
  assert.equal(basicStrategyHits(18, 9, true), true);
  assert.equal(basicStrategyHits(18, 1, true), true);
  assert.equal(basicStrategyHits(18, 8, true), false);
  assert.equal(basicStrategyHits(17, 2, true), true);
  assert.equal(judge(blackjackExpert, blackjackDescription, [20, 10, 0], [0]), 1);
  assert.equal(judge(blackjackExpert, blackjackDescription, [20, 10, 0], [1]), -1);
  assert.equal(judge(blackjackExpert, blackjackDescription, [15, 1, 0], [1]), 1);
  assert.ok(expertFor("CartPole-v1") && expertFor("Blackjack-v1") && expertFor("Pendulum-v1"));
  assert.equal(expertFor("Acrobot-v1"), undefined);
});

function randomCartPolePairs(n: number, seed: number) {
  const u = seededUniform(seed);
  return Array.from({ length: n }, () => ({
    obs: [u() * 2 - 1, u() * 2 - 1, (u() - 0.5) * 0.4, u() * 2 - 1],
    action: [u() < 0.5 ? 0 : 1],
  }));
}

for (const style of LMGT_PROMPT_STYLES) {
  test(`${style}: at full quality the answer parses to the expert's scores`, () => {
    const pairs = randomCartPolePairs(40, 1);
    const req = buildScoringRequest(cartPoleDescription, pairs, { style });
    const text = answerLmgtRequest(req, FULL_QUALITY, { random: seededUniform(2) });
    if (style === "chain-of-thought") assert.match(text, /\nScores:\n/);
    const parsed = parseScores(text, pairs.length);
    assert.equal(parsed.failures, 0);
    const expected = readLmgtRequest(req).pairs.map((p) => cartPoleExpert.judge(p.state, p.action).score);
    assert.deepEqual(Array.from(parsed.scores), expected);
  });
}

test("quality knob: chance level carries no information; abstention answers 0; noise garbles lines", () => {
  const pairs = randomCartPolePairs(3000, 5);
  const req = buildScoringRequest(cartPoleDescription, pairs, { style: "zero-shot" });
  const expert = readLmgtRequest(req).pairs.map((p) => cartPoleExpert.judge(p.state, p.action).score);
  const agree = (q: typeof FULL_QUALITY, seed: number) => {
    const parsed = parseScores(answerLmgtRequest(req, q, { random: seededUniform(seed) }), pairs.length);
    let same = 0, zeros = 0;
    parsed.scores.forEach((s, i) => {
      if (s === expert[i]) same++;
      if (s === 0) zeros++;
    });
    return { same: same / pairs.length, zeros: zeros / pairs.length, failures: parsed.failures / pairs.length };
  };
  const chance = agree(CHANCE_QUALITY, 7);
  assert.ok(Math.abs(chance.same - 1 / 3) < 0.04, `chance agreement ${chance.same}`);
  // At chance the score is independent of the action: P(+1 | push right) ~ P(+1 | push left).
  const parsed = parseScores(answerLmgtRequest(req, CHANCE_QUALITY, { random: seededUniform(8) }), pairs.length);
  const posRate = (a: number) => {
    let n = 0, pos = 0;
    pairs.forEach((p, i) => { if (p.action[0] === a) { n++; if (parsed.scores[i] === 1) pos++; } });
    return pos / n;
  };
  assert.ok(Math.abs(posRate(0) - posRate(1)) < 0.05);
  const abstain = agree({ accuracy: 1, abstention: 0.5, noise: 0 }, 9);
  assert.ok(Math.abs(abstain.zeros - 0.5) < 0.05, `abstained ${abstain.zeros}`);
  const noisy = agree({ accuracy: 1, abstention: 0, noise: 0.2 }, 10);
  assert.ok(Math.abs(noisy.failures - 0.2) < 0.03, `noise ${noisy.failures}`);
  assert.throws(() => answerLmgtRequest(req, { accuracy: 2, abstention: 0, noise: 0 }, { random: seededUniform(1) }), RangeError);
});

test("unknown environments are refused clearly", () => {
  const req = buildScoringRequest({ ...cartPoleDescription, id: "Acrobot-v1" }, randomCartPolePairs(1, 1), { style: "zero-shot" });
  assert.throws(() => answerLmgtRequest(req, FULL_QUALITY, { random: seededUniform(1) }), /no knowledge of Acrobot-v1/);
});
