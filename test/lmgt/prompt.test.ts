import { test } from "node:test";
import assert from "node:assert/strict";
import { buildScoringRequest } from "../../src/guides/lmgt/prompt.js";
import { renderAction, renderState, formatNumber } from "../../src/guides/lmgt/render.js";
import { fillTemplate, readLmgtPromptFile, templatePlaceholders, LMGT_PROMPT_STYLES } from "../../src/guides/lmgt/template.js";
import { readLmgtRequest } from "../../src/guides/lmgt/surrogate/handler.js";
import { blackjackDescription, cartPoleDescription, pendulumDescription } from "./fixtures.js";

const pairs = [
  { obs: [0.01, -0.2, 0.05, 0.3], action: [1] },
  { obs: [-1.5, 0.7, -0.1, -0.02], action: [0] },
  { obs: [0, 0, 0, 0], action: [1] },
];

test("numbers are rendered compactly, without negative zero", () => {
  assert.equal(formatNumber(0.123456), "0.123");
  assert.equal(formatNumber(-0.0001), "0.000");
  assert.equal(formatNumber(3), "3");
  assert.equal(formatNumber(-2.5, 1), "-2.5");
});

test("states and actions are rendered from the env's self-description", () => {
  assert.equal(
    renderState(cartPoleDescription, [0.01, -0.2, 0.05, 0.3]),
    "cart position = 0.010 m, cart velocity = -0.200 m/s, pole angle = 0.050 rad, pole angular velocity = 0.300 rad/s",
  );
  assert.equal(renderAction(cartPoleDescription, [1]), "1 (push cart to the right)");
  assert.equal(renderAction(pendulumDescription, [-1.25]), "torque = -1.250 N m");
  assert.equal(renderState(blackjackDescription, [13, 1, 0]), "player's current sum = 13, dealer's showing card = 1, usable ace = 0");
  assert.throws(() => renderAction(cartPoleDescription, [2]), RangeError);
});

test("templates: every placeholder filled, missing values are an error", () => {
  assert.equal(fillTemplate("a {{x}} b {{ y }}", { x: 1, y: "z" }), "a 1 b z");
  assert.throws(() => fillTemplate("{{nope}}", {}), /nope/);
  for (const style of LMGT_PROMPT_STYLES) {
    const names = templatePlaceholders(readLmgtPromptFile(`${style}.txt`));
    assert.ok(names.includes("pairs") && names.includes("count") && names.includes("env_id"), style);
  }
});

for (const style of LMGT_PROMPT_STYLES) {
  test(`${style}: the request carries every pair in order and the answer format`, () => {
    const req = buildScoringRequest(cartPoleDescription, pairs, { style });
    const text = req.messages[0]!.content;
    assert.ok(!text.includes("{{"), "no unfilled placeholder");
    assert.deepEqual(req.purpose, { guide: "lmgt", task: "score-actions" });
    assert.ok(req.system && req.system.length > 20);
    const i1 = text.indexOf("Pair 1: state: cart position = 0.010 m");
    const i2 = text.indexOf("Pair 2: state: cart position = -1.500 m");
    const i3 = text.indexOf("Pair 3: state:");
    assert.ok(i1 >= 0 && i1 < i2 && i2 < i3, "pairs numbered in order");
    assert.match(text, /exactly 3 lines/);
    assert.match(text, /push cart to the right/);
    if (style === "chain-of-thought") assert.match(text, /Scores:/);
    if (style === "few-shot") assert.match(text, /Example 1: state: .*\nScore: \+1/);
    // What the surrogate (like a model) reads back is what was rendered.
    const read = readLmgtRequest(req);
    assert.equal(read.envId, "CartPole-v1");
    assert.equal(read.chainOfThought, style === "chain-of-thought");
    assert.equal(read.pairs.length, 3);
    assert.deepEqual(read.pairs[1]!.state.values, [-1.5, 0.7, -0.1, -0.02]);
    assert.equal(read.pairs[1]!.action.index, 0);
    assert.equal(read.pairs[1]!.action.meaning, "push cart to the left");
  });
}

test("few-shot without shipped examples is a clear error", () => {
  const desc = { ...cartPoleDescription, id: "Unknown-v0" };
  assert.throws(() => buildScoringRequest(desc, pairs, { style: "few-shot" }), /no examples for Unknown-v0/);
  assert.throws(() => buildScoringRequest(cartPoleDescription, [], { style: "zero-shot" }), RangeError);
});
