import { test } from "node:test";
import assert from "node:assert/strict";
import { describePong } from "../../src/envs/toy/pong.js";
import type { EnvDescription } from "../../src/core/env.js";
import {
  actionLegend, actionToText, observationLegend, segmentToText, selectSegments, shownSteps, stateToText,
  criticalStatesRequest, modulationRequest, fillTemplate, actionSpecOf, type Episode,
} from "../../src/guides/ultra/index.js";

const pong = describePong();

function episode(n: number, rewards: Record<number, number> = {}): Episode {
  const obs: Float32Array[] = [], actions: number[] = [], rs: number[] = [];
  for (let t = 0; t < n; t++) {
    obs.push(Float32Array.from([t / n, -0.5, 0.5, -0.25, 0.1, -0.0004]));
    actions.push(t % 3);
    rs.push(rewards[t] ?? 0);
  }
  return { obs, actions, rewards: rs, return: rs.reduce((a, b) => a + b, 0), terminated: true, truncated: false };
}

test("a state is written field by field with the env's names", () => {
  assert.equal(stateToText(Float32Array.from([0.1234, -0.5, 0.5, -0.25, 0.1, -0.0004]), pong),
    "ball_x=0.123, ball_y=-0.500, ball_vx=0.500, ball_vy=-0.250, agent_y=0.100, opponent_y=0.000");
  assert.equal(actionToText(1, pong), "up");
});

test("a segment becomes one line per step with action words and rewards", () => {
  const text = segmentToText(episode(10, { 7: -1 }), pong, 5, 9);
  const lines = text.split("\n");
  assert.equal(lines.length, 4);
  assert.equal(lines[0], "step 5: ball_x=0.500, ball_y=-0.500, ball_vx=0.500, ball_vy=-0.250, agent_y=0.100, opponent_y=0.000 | action: down | reward: 0");
  assert.match(lines[2]!, /^step 7: .* \| action: up \| reward: -1$/);
});

test("with a stride, reward events and the last step are still shown", () => {
  const ep = episode(20, { 7: -1 });
  assert.deepEqual(shownSteps(ep, 0, 20, 5), [0, 5, 7, 10, 15, 19]);
  assert.equal(segmentToText(ep, pong, 0, 20, { stride: 5 }).split("\n").length, 6);
});

test("Box states and actions use per-component names", () => {
  const desc: EnvDescription = {
    id: "Toy-v0", summary: "toy", reward: "r", termination: "t",
    observation: [{ name: "pos", index: [0, 1], description: "position" }, { name: "lidar", index: [1, 3], description: "rays", low: 0, high: 1 }],
    action: [{ name: "hip", index: [0, 1], description: "hip torque", low: -1, high: 1 }, { name: "knee", index: [1, 2], description: "knee torque", low: -1, high: 1 }],
  };
  assert.equal(stateToText([1, 0.25, 0.5], desc, 2), "pos=1.00, lidar[0]=0.25, lidar[1]=0.50");
  assert.equal(actionToText(Float32Array.from([0.5, -1]), desc), "[hip=0.50, knee=-1.00]");
  assert.match(observationLegend(desc), /- lidar \(obs\[1\.\.2\]\): rays; range \[0, 1\]/);
  assert.match(actionLegend(desc), /- knee \(action\[1\]\) in \[-1, 1\]: knee torque/);
  const spec = actionSpecOf(desc);
  assert.equal(spec.kind, "box");
});

test("segments end at the worst rewards first, then spread over the episodes, never overlapping", () => {
  const eps = [episode(200, { 50: -1, 150: -1 }), episode(100, { 90: -1 })];
  const segs = selectSegments(eps, { length: 20, maxSegments: 4 });
  assert.equal(segs.length, 4);
  const ends = segs.map((s) => `${s.episode}:${s.end - 1}`);
  for (const e of ["0:50", "0:150", "1:90"]) assert.ok(ends.includes(e), `${e} missing from ${ends}`);
  for (const a of segs) for (const b of segs) if (a !== b && a.episode === b.episode) assert.ok(a.end <= b.start || b.end <= a.start);
});

test("the stage-1 prompt carries the legend, the steps and the answer format; stage 2 asks what the mode needs", () => {
  const ep = episode(30, { 20: -1 });
  const req = criticalStatesRequest(ep, { episode: 0, start: 10, end: 21 }, pong, 2);
  const text = req.messages[0]!.content;
  assert.deepEqual(req.purpose, { guide: "ultra", task: "critical-states" });
  assert.match(text, /^Environment: Pong-v0/);
  assert.match(text, /- ball_vx \(obs\[2\]\):/);
  assert.match(text, /- 1 = up/);
  assert.match(text, /steps 10 to 20/);
  assert.match(text, /Case analysis/);
  assert.match(text, /Choose at most 2 states/);
  assert.equal(text.match(/^step \d+:/gm)!.length, 11);
  const spec = actionSpecOf(pong);
  const states = [{ step: 12, obs: ep.obs[12]!, takenAction: 0, rationale: "late" }];
  const a = modulationRequest(states, pong, "A", spec).messages[0]!.content;
  const r = modulationRequest(states, pong, "R", spec).messages[0]!.content;
  const ra = modulationRequest(states, pong, "RA", spec).messages[0]!.content;
  assert.match(a, /"suggested_action": "<one of: stay, up, down>"/);
  assert.doesNotMatch(a, /"implicit_reward"/);
  assert.match(r, /"implicit_reward"/);
  assert.doesNotMatch(r, /"suggested_action"/);
  assert.match(ra, /"suggested_action".*"implicit_reward"/);
  assert.match(ra, /Critical state 1 \(step 12\): ball_x=0\.400.*\n  agent's action: stay\n  why critical: late/);
});

test("templates: every placeholder must be filled and every value used", () => {
  assert.equal(fillTemplate("a {{x}} b", { x: 1 }), "a 1 b\n");
  assert.throws(() => fillTemplate("a {{x}} {{y}}", { x: 1 }), /no value for placeholder \{\{y\}\}/);
  assert.throws(() => fillTemplate("a {{x}}", { x: 1, z: 2 }), /no placeholder for z/);
});
