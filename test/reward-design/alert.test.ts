/**
 * Reward-hacking alert: the reward seam pairs each finished training episode's designed return with its
 * native return; a reward that pays for standing still, fed the episodes of a policy that has started to
 * stand, is flagged (low correlation within a window, or designed up while native down between windows)
 * and the flag reaches the reflection the designer reads; a reward for walking, fed the same episodes, is not.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Sandbox } from "../../src/sandbox/index.js";
import type { TransitionBatch } from "../../src/algos/seams.js";
import {
  composeRewardCode,
  EpisodeAlignment,
  hackingAlerts,
  pearson,
  referenceTrajectories,
  reflectionText,
  SandboxRewardGuide,
  type ReferenceName,
  type ReferenceTrajectory,
  type TrainingResult,
} from "../../src/experiments/reward-design/index.js";

const GOOD = composeRewardCode({ progress: 1, upright: 1, fall: 100, torque: 0.03 });
const PAYS_STANDING = composeRewardCode({ progress: 1, upright: 1, fall: 100, torque: 0.03 }, "pays-standing");

/** The episodes as one batch of transitions, each episode in its own env slot, ending with its last step. */
function batchOf(refs: readonly ReferenceTrajectory[], names: ReferenceName[]): TransitionBatch {
  const eps = names.map((n) => refs.find((r) => r.name === n)!);
  const n = eps.reduce((s, e) => s + e.steps.length, 0);
  const b: TransitionBatch = {
    n, obsDim: 24, actDim: 4,
    obs: new Float32Array(n * 24), actions: new Float32Array(n * 4), nextObs: new Float32Array(n * 24), rewards: new Float32Array(n),
    terminated: new Uint8Array(n), truncated: new Uint8Array(n), envIndex: new Int32Array(n), infos: [],
  };
  let row = 0;
  eps.forEach((ep, k) => {
    ep.steps.forEach((s, t) => {
      const info = s.info as Record<string, number | boolean>;
      b.obs.set(s.obs as Float32Array, row * 24);
      b.actions.set(s.action as Float32Array, row * 4);
      b.nextObs.set(s.nextObs as Float32Array, row * 24);
      b.rewards[row] = info.fell ? -100 : (info.rewardProgress as number) + (info.rewardHeadAngle as number) + (info.rewardTorque as number);
      const last = t === ep.steps.length - 1;
      b.terminated[row] = last && ep.fell ? 1 : 0;
      b.truncated[row] = last && !ep.fell ? 1 : 0;
      b.envIndex![row] = k;
      b.infos!.push(s.info!);
      row++;
    });
  });
  return b;
}

describe("reward-hacking alert", () => {
  let sandbox: Sandbox;
  let refs: ReferenceTrajectory[];
  before(async () => {
    sandbox = await Sandbox.start({ timeoutMs: 10_000 });
    refs = await referenceTrajectories();
  });
  after(async () => sandbox.close());

  it("pearson and the episode accounting across envs and batches", () => {
    assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1);
    assert.ok(Math.abs(pearson([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
    assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
    const a = new EpisodeAlignment();
    // env 0 finishes an episode split over two batches; env 1 is still running at the window's end
    a.add([1, 2], [10, 20], () => false, [0, 1]);
    a.add([3, 4], [30, 40], (i) => i === 0, [0, 1]);
    const w = a.window(4);
    assert.deepEqual([w.episodes, w.designedMean, w.nativeMean], [1, 4, 40]);
  });

  const windows = [
    ["walking", "falling", "walking", "falling", "walking", "falling"],
    ["standing", "standing", "walking", "standing", "standing", "walking"],
  ] as ReferenceName[][];

  async function train(code: string) {
    const guide = new SandboxRewardGuide({ source: code, sandbox });
    const checkpoints = [];
    for (const [k, names] of windows.entries()) {
      await guide.transformRewards(batchOf(refs, names), { numTimesteps: (k + 1) * 1000, totalTimesteps: 2000 });
      const snap = guide.snapshot((k + 1) * 1000);
      checkpoints.push({ type: "checkpoint" as const, step: snap.step, nativeReturn: 0, distance: 0, components: snap.components, alignment: snap.alignment });
    }
    return checkpoints;
  }

  it("fires on a reward that pays for standing still, and the reflection says so", async () => {
    const checkpoints = await train(PAYS_STANDING);
    assert.equal(checkpoints[1]!.alignment.episodes, 6);
    const alerts = hackingAlerts(checkpoints.map((c) => c.alignment));
    assert.ok(alerts.some((a) => a.step === 2000 && a.kind === "low-correlation"), JSON.stringify(checkpoints.map((c) => c.alignment)));
    const result: TrainingResult = {
      id: "iter-01/cand-1", ok: true, nativeReturn: -3, distance: 0.1, metrics: { fall_rate: 0, success_rate: 0, distance: 0.1, hull_tilt: 0, gait_symmetry: 1, flight: 0, step_frequency: 0, alternation: 0, double_support: 1 },
      checkpoints, rollouts: [], numTimesteps: 2000, wallSeconds: 1, stepsPerSecond: 1, evalSeconds: 0,
    };
    const text = reflectionText(result, 1);
    assert.match(text, /Your reward vs the native reward/);
    assert.match(text, /reward hacking: .*correlate at r = -/);
  });

  it("stays quiet for a reward for walking fed the same episodes", async () => {
    const checkpoints = await train(GOOD);
    const alerts = hackingAlerts(checkpoints.map((c) => c.alignment));
    assert.deepEqual(alerts, [], JSON.stringify(checkpoints.map((c) => c.alignment)));
    assert.ok(checkpoints.every((c) => c.alignment.correlation > 0.9));
  });

  it("flags a designed return that rises while the native one falls", () => {
    const alerts = hackingAlerts([
      { step: 1, episodes: 2, designedMean: 10, nativeMean: 50, correlation: NaN },
      { step: 2, episodes: 2, designedMean: 30, nativeMean: -5, correlation: NaN },
    ]);
    assert.deepEqual(alerts.map((a) => a.kind), ["diverging"]);
  });
});
