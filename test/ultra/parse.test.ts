import { test } from "node:test";
import assert from "node:assert/strict";
import { describePong } from "../../src/envs/toy/pong.js";
import { actionFromAnswer, actionSpecOf, extractAnswerArray, parseCriticalStates, parseModulation, UltraParseError, type ActionSpec } from "../../src/guides/ultra/index.js";

const pongSpec = actionSpecOf(describePong());
const boxSpec: ActionSpec = { kind: "box", dim: 2, names: ["hip", "knee"], low: [-1, -1], high: [1, 1] };

test("the array after ANSWER is found even with brackets in the reasoning", () => {
  const text = 'Step 2 [case analysis]: ...\nANSWER\n[{"step": 3, "rationale": "ball [fast]"}]\ntrailing words';
  assert.deepEqual(extractAnswerArray(text), [{ step: 3, rationale: "ball [fast]" }]);
});

test("a fenced json block, a bold ANSWER: marker and trailing commas are accepted", () => {
  assert.deepEqual(extractAnswerArray('reasoning\n```json\n[{"step": 1,},]\n```'), [{ step: 1 }]);
  assert.deepEqual(extractAnswerArray('**ANSWER:**\n[]'), []);
});

test("no array at all is a parse error carrying the text", () => {
  assert.throws(() => extractAnswerArray("I think step 4 is critical."), (e: unknown) => e instanceof UltraParseError && /ANSWER/.test(e.message) && e.text.includes("step 4"));
});

test("critical states: unknown, duplicate, malformed and surplus steps are dropped with reasons", () => {
  const text = `ANSWER
[{"step": 12, "rationale": "late"}, {"step": "13", "rationale": "also late"}, {"step": 99, "rationale": "x"},
 {"step": 12, "rationale": "again"}, {"step": 1.5}, "nonsense", {"step": 14, "rationale": "one too many"}]`;
  const r = parseCriticalStates(text, new Set([10, 11, 12, 13, 14]), 2);
  assert.deepEqual(r.items, [{ step: 12, rationale: "late" }, { step: 13, rationale: "also late" }]);
  assert.equal(r.dropped.length, 5);
  assert.match(r.dropped.join("\n"), /step 99 was not among the steps shown/);
  assert.match(r.dropped.join("\n"), /step 12 listed twice/);
  assert.match(r.dropped.join("\n"), /not an integer/);
  assert.match(r.dropped.join("\n"), /more than the 2 states/);
});

test("modulation: actions by name or index, rewards clipped, missing fields dropped per mode", () => {
  const text = `ANSWER
[{"step": 5, "suggested_action": "UP", "implicit_reward": -3, "reason": "move"},
 {"step": 6, "suggested_action": 2, "implicit_reward": "0.5"},
 {"step": 7, "suggested_action": "jump", "implicit_reward": 0},
 {"step": 8, "implicit_reward": 1}]`;
  const steps = new Set([5, 6, 7, 8]);
  const ra = parseModulation(text, steps, "RA", pongSpec);
  assert.deepEqual(ra.items.map((i) => [i.step, i.suggestedAction, i.implicitReward]), [[5, 1, -1], [6, 2, 0.5]]);
  assert.match(ra.dropped.join("\n"), /step 7\): suggested_action not one of the actions \(stay, up, down\)/);
  const r = parseModulation(text, steps, "R", pongSpec);
  assert.deepEqual(r.items.map((i) => i.step), [5, 6, 7, 8]);
  assert.ok(r.items.every((i) => i.suggestedAction === undefined));
  const a = parseModulation(text, steps, "A", pongSpec);
  assert.deepEqual(a.items.map((i) => i.step), [5, 6]);
});

test("Box actions: arrays or objects by component name, clipped to the bounds", () => {
  assert.deepEqual(Array.from(actionFromAnswer([0.5, 2], boxSpec) as Float32Array), [0.5, 1]);
  assert.deepEqual(Array.from(actionFromAnswer({ knee: -0.25 }, boxSpec) as Float32Array), [0, -0.25]);
  assert.throws(() => actionFromAnswer([1], boxSpec), /expected 2 numbers/);
  assert.throws(() => actionFromAnswer({ ankle: 1 }, boxSpec), /unknown action component "ankle"/);
});
