import { test } from "node:test";
import assert from "node:assert/strict";
import { CriticalStateTable, UltraGuide, type ActionSpec, type CriticalState, type UltraMode } from "../../src/guides/ultra/index.js";
import type { TransitionBatch } from "../../src/algos/seams.js";

const discrete: ActionSpec = { kind: "discrete", n: 3, meanings: ["stay", "up", "down"] };
const norm = { mean: Float32Array.from([0, 0]), scale: Float32Array.from([1, 1]) };
const critical: CriticalState = {
  episode: 0, step: 4, obs: Float32Array.from([1, 1]), takenAction: 0, rationale: "late",
  suggestedAction: 1, implicitReward: -0.8,
};
const table = new CriticalStateTable([critical], norm, 0.2);
const ctx = { numTimesteps: 0, totalTimesteps: 100 };

/** The paper's form (the defaults) unless `extra` says otherwise. */
function guide(mode: UltraMode, extra: Partial<ConstructorParameters<typeof UltraGuide>[0]> = {}) {
  return new UltraGuide({ table, mode, actionSpec: discrete, rewardScale: 0.5, ...extra });
}

function batch(rows: [number, number, number][]): TransitionBatch {
  const n = rows.length;
  return {
    n, obsDim: 2, actDim: 1,
    obs: Float32Array.from(rows.flatMap(([x, y]) => [x, y])),
    actions: Float32Array.from(rows.map((r) => r[2])),
    rewards: Float32Array.from(rows.map((_, i) => i === 0 ? 1 : 0)),
    nextObs: new Float32Array(2 * n), terminated: new Uint8Array(n), truncated: new Uint8Array(n),
  };
}

test("the paper's form is the default: executed overrides at probability 1, implicit reward at every matched state", () => {
  const g = guide("A");
  assert.equal(g.actionModulation, "override");
  assert.equal(g.implicitReward, "state");
  assert.equal(g.actionTargets, undefined, "no imitation term in the paper's form");
  const obs = new Float32Array(2 * 1000).fill(1);
  for (const numTimesteps of [0, 50, 100]) {
    assert.equal(g.overrideActions(obs, new Float32Array(1000), 1000, { numTimesteps, totalTimesteps: 100 }).length, 1000, `every matched state overridden at ${numTimesteps}/100: no decay`);
  }
});

test("action seam: matched states get the suggested action, others keep theirs", () => {
  const g = guide("A");
  const obs = Float32Array.from([1.05, 0.95, -1, -1, 1, 1]);
  const actions = Float32Array.from([0, 2, 2]);
  assert.deepEqual(g.overrideActions(obs, actions, 3, ctx), [0, 2]);
  assert.deepEqual(Array.from(actions), [1, 2, 1]);
  assert.equal(g.metrics()["ultra/overrides"], 2);
});

test("action seam: the override probability decays over the refinement", () => {
  const g = guide("A", { overrideProbability: [1, 0], seed: 3 });
  const obs = new Float32Array(2 * 1000).fill(1);
  const count = (numTimesteps: number) => g.overrideActions(obs, new Float32Array(1000), 1000, { numTimesteps, totalTimesteps: 100 }).length;
  assert.equal(count(0), 1000);
  assert.equal(count(100), 0);
  const half = count(50);
  assert.ok(half > 400 && half < 600, `${half} of 1000 overridden at half-way`);
});

test("reward seam (paper's form): the implicit reward is added at every state matched to a critical state, whatever the action, and nowhere else", () => {
  const g = guide("R");
  const out = g.transformRewards(batch([[1, 1, 0], [1, 1, 2], [0, 0, 0], [1.1, 1, 1], [-1, 1, 0]]))!;
  // rows 0, 1, 3 match the critical state (any action); rows 2 and 4 are far from it
  assert.deepEqual(Array.from(out), [Math.fround(1 - 0.4), -0.4, 0, -0.4, 0].map(Math.fround));
  assert.equal(g.metrics()["ultra/rewarded_rate"], 3 / 5);
  // ULTRA-RA in the paper's form: the overridden (suggested) action is what earns the LLM's reward
  const ra = guide("RA").transformRewards(batch([[1.1, 1, 1]]))!;
  assert.deepEqual(Array.from(ra), [Math.fround(1 - 0.4)]);
});

test("reward seam (judged-action variant): the implicit reward is added where state and action match the critical one", () => {
  const out = guide("R", { implicitReward: "judged-action" }).transformRewards(batch([[1, 1, 0], [1, 1, 2], [0, 0, 0], [1.1, 1, 1]]))!;
  // row 0: matched, the policy's mistake again -> 1 + 0.5 * -0.8; row 1: other action; row 2: far; row 3: suggested action, but R alone gives no bonus
  assert.deepEqual(Array.from(out), [Math.fround(1 - 0.4), 0, 0, 0]);
});

test("ULTRA-RA uses both seams; in the judged-action variant only the judged action is rewarded; ULTRA-A leaves rewards alone", () => {
  const b = batch([[1, 1, 0], [1.1, 1, 1], [1, 1, 2]]);
  // the advised action (row 1) earns nothing: a bonus there would pay the agent for reaching bad states
  assert.deepEqual(Array.from(guide("RA", { implicitReward: "judged-action" }).transformRewards(b)!), [Math.fround(0.6), 0, 0]);
  const actions = Float32Array.from([0]);
  assert.deepEqual(guide("RA").overrideActions(Float32Array.from([1, 1]), actions, 1, ctx), [0]);
  assert.equal(actions[0], 1);
  assert.equal(guide("A").transformRewards(b), undefined);
  assert.deepEqual(guide("R").overrideActions(Float32Array.from([1, 1]), Float32Array.from([0]), 1, ctx), []);
  assert.deepEqual(Array.from(b.rewards), [1, 0, 0], "the batch's own rewards are not modified");
});

test("Box actions: matched within the action radius", () => {
  const box: ActionSpec = { kind: "box", dim: 2, names: ["hip", "knee"], low: [-1, -1], high: [1, 1] };
  const cs: CriticalState = { ...critical, takenAction: Float32Array.from([0.5, 0.5]), suggestedAction: Float32Array.from([-0.5, 0]) };
  const g = new UltraGuide({ table: new CriticalStateTable([cs], norm, 0.2), mode: "RA", actionSpec: box, rewardScale: 1, implicitReward: "judged-action" });
  const b: TransitionBatch = {
    n: 3, obsDim: 2, actDim: 2, obs: Float32Array.from([1, 1, 1, 1, 1, 1]),
    actions: Float32Array.from([0.55, 0.45, -0.5, 0.1, 1, -1]), rewards: new Float32Array(3),
    nextObs: new Float32Array(6), terminated: new Uint8Array(3), truncated: new Uint8Array(3),
  };
  assert.deepEqual(Array.from(g.transformRewards(b)!), [Math.fround(-0.8), 0, 0]);
  const actions = Float32Array.from([0, 0]);
  g.overrideActions(Float32Array.from([1, 1]), actions, 1, ctx);
  assert.deepEqual(Array.from(actions), [-0.5, 0]);
});

test("bad options: clear errors", () => {
  assert.throws(() => guide("X" as UltraMode), /mode must be/);
  assert.throws(() => guide("A", { overrideProbability: 2 }), /overrideProbability/);
  assert.throws(() => guide("A", { actionModulation: "nudge" as "imitation" }), /actionModulation/);
  assert.throws(() => guide("A", { actionModulation: "imitation", imitationCoef: -1 }), /imitationCoef/);
  assert.throws(() => guide("R", { implicitReward: "always" as "state" }), /implicitReward/);
  assert.throws(() => guide("R").transformRewards({ ...batch([[1, 1, 0]]), obsDim: 3 }), /3-dimensional/);
});

test("imitation (our variant): actions are left alone; matched rows become targets with the suggested action and an annealed weight", () => {
  const g = new UltraGuide({ table, mode: "A", actionSpec: discrete, actionModulation: "imitation", imitationCoef: [2, 0] });
  assert.equal(g.actionModulation, "imitation");
  const actions = Float32Array.from([0]);
  assert.deepEqual(g.overrideActions(Float32Array.from([1, 1]), actions, 1, ctx), [], "no override");
  assert.equal(actions[0], 0);
  // rows 0 and 2 match the critical state (row 2 already takes the suggested action), row 1 is far away
  const b = batch([[1, 1, 0], [-1, -1, 2], [1.05, 0.95, 1]]);
  const t = g.actionTargets!(b, { numTimesteps: 25, totalTimesteps: 100 })!;
  assert.deepEqual(Array.from(t.rows), [0, 2]);
  assert.deepEqual(Array.from(t.actions), [1, 1]);
  assert.equal(t.coef, 1.5, "2 -> 0 linearly, a quarter of the way");
  assert.equal(g.actionTargets!(batch([[-1, -1, 0]]), ctx), undefined, "no match, no targets");
  assert.equal(g.metrics()["ultra/imitation_rate"], 2 / 4);
  assert.equal(g.metrics()["ultra/suggestion_followed_rate"], 1 / 2);
  assert.equal(g.transformRewards(b), undefined, "ULTRA-A leaves rewards alone");
});

test("the action-target seam exists only where it acts: not for ULTRA-R, not in override mode", () => {
  assert.equal(new UltraGuide({ table, mode: "R", actionSpec: discrete }).actionTargets, undefined);
  assert.equal(guide("A", { actionModulation: "override" }).actionTargets, undefined);
  assert.equal(new UltraGuide({ table, mode: "RA", actionSpec: discrete }).actionTargets, undefined, "the default (paper's) form overrides");
  assert.equal(typeof new UltraGuide({ table, mode: "RA", actionSpec: discrete, actionModulation: "imitation" }).actionTargets, "function");
});

test("imitation targets for Box actions are the suggested vectors", () => {
  const box: ActionSpec = { kind: "box", dim: 2, names: ["hip", "knee"], low: [-1, -1], high: [1, 1] };
  const cs: CriticalState = { ...critical, takenAction: Float32Array.from([0.5, 0.5]), suggestedAction: Float32Array.from([-0.5, 0.25]) };
  const g = new UltraGuide({ table: new CriticalStateTable([cs], norm, 0.2), mode: "A", actionSpec: box, actionModulation: "imitation", imitationCoef: 1 });
  const b: TransitionBatch = {
    n: 2, obsDim: 2, actDim: 2, obs: Float32Array.from([0, 0, 1, 1]), actions: Float32Array.from([0, 0, 0.5, 0.5]),
    rewards: new Float32Array(2), nextObs: new Float32Array(4), terminated: new Uint8Array(2), truncated: new Uint8Array(2),
  };
  const t = g.actionTargets!(b, ctx)!;
  assert.deepEqual(Array.from(t.rows), [1]);
  assert.deepEqual(Array.from(t.actions), [-0.5, 0.25]);
  assert.equal(t.coef, 1);
});
