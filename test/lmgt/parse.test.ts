import { test } from "node:test";
import assert from "node:assert/strict";
import { parseScores, scoreFromToken } from "../../src/guides/lmgt/parse.js";

const arr = (p: { scores: Int8Array }) => Array.from(p.scores);

test("score tokens: signs, unicode minus, words; anything else is not a score", () => {
  assert.equal(scoreFromToken("+1"), 1);
  assert.equal(scoreFromToken("1"), 1);
  assert.equal(scoreFromToken("1.0"), 1);
  assert.equal(scoreFromToken("-1"), -1);
  assert.equal(scoreFromToken("\u22121"), -1);
  assert.equal(scoreFromToken("- 1"), -1);
  assert.equal(scoreFromToken("0"), 0);
  assert.equal(scoreFromToken("Good"), 1);
  assert.equal(scoreFromToken("negative"), -1);
  assert.equal(scoreFromToken("2"), undefined);
  assert.equal(scoreFromToken("0.5"), undefined);
  assert.equal(scoreFromToken("maybe"), undefined);
});

test("numbered lines in the requested format", () => {
  const p = parseScores("1: +1\n2: -1\n3: 0\n4: 1", 4);
  assert.deepEqual(arr(p), [1, -1, 0, 1]);
  assert.equal(p.failures, 0);
  assert.equal(p.format, "numbered");
});

test("numbered lines are matched by number, not by position", () => {
  const p = parseScores("3: -1\n1: +1\n2: 0", 3);
  assert.deepEqual(arr(p), [1, 0, -1]);
  assert.equal(p.failures, 0);
});

test("varied numbering styles models write", () => {
  const text = ["Pair 1: +1", "**2.** -1", "- 3) score: 0", "#4 = good", "(5) -1", "6 - +1", "Pair 7: Score: -1 because it falls"].join("\n");
  const p = parseScores(text, 7);
  assert.deepEqual(arr(p), [1, -1, 0, 1, -1, 1, -1]);
  assert.equal(p.failures, 0);
});

test("missing, out-of-range and invalid scores are 0 and counted", () => {
  const p = parseScores("1: +1\n2: 2\n4: -1\n9: +1\n5: hard to say", 5);
  assert.deepEqual(arr(p), [1, 0, 0, -1, 0]);
  assert.equal(p.failures, 3); // 2 invalid, 3 missing, 5 unreadable
});

test("chain of thought: only the block after the last `Scores:` marker counts", () => {
  const text = [
    "Pair 1: the pole leans right, pushing right is +1 in my view.",
    "Pair 2: 1 thing to note: the cart drifts.",
    "",
    "Scores:",
    "1: +1",
    "2: -1",
  ].join("\n");
  const p = parseScores(text, 2);
  assert.deepEqual(arr(p), [1, -1]);
  assert.equal(p.failures, 0);
});

test("markdown headings and bold markers around the final answer", () => {
  const p = parseScores("Reasoning...\n\n**Final answer:**\n1: -1\n2: +1", 2);
  assert.deepEqual(arr(p), [-1, 1]);
});

test("a JSON array of the right length", () => {
  const p = parseScores("Here you go: [1, -1, 0, +1]", 4);
  assert.deepEqual(arr(p), [1, -1, 0, 1]);
  assert.equal(p.format, "json");
});

test("bare scores one per line or comma separated, read by position", () => {
  assert.deepEqual(arr(parseScores("+1\n-1\n0", 3)), [1, -1, 0]);
  assert.deepEqual(arr(parseScores("+1, -1, 0", 3)), [1, -1, 0]);
});

test("a single pair answered in prose", () => {
  const p = parseScores("The pole falls left, so pushing right is harmful. My score is -1.", 1);
  assert.deepEqual(arr(p), [-1]);
  assert.equal(p.failures, 0);
});

test("garbage: every pair 0, all counted", () => {
  const p = parseScores("I'm sorry, I can't help with that.", 3);
  assert.deepEqual(arr(p), [0, 0, 0]);
  assert.equal(p.failures, 3);
  assert.equal(p.format, "none");
});

test("a later line for the same pair wins (models correct themselves)", () => {
  assert.deepEqual(arr(parseScores("1: +1\n2: +1\n1: -1", 2)), [-1, 1]);
});

test("bad count is an error", () => {
  assert.throws(() => parseScores("1: +1", -1), RangeError);
});
