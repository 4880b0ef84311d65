/** Replays a recorded Gymnasium trajectory (../shared/reference/gymnasium/traj_<id>.json) against `make(id)`. */
import assert from "node:assert/strict";
import { loadTrajectories } from "./recorded.js";
import { make } from "../../src/envs/index.js";

function closeArray(what: string, got: ArrayLike<number>, want: number[], tol: number): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    assert.ok(d <= tol, `${what}[${i}]: got ${got[i]}, want ${want[i]} (|diff| ${d} > ${tol})`);
  }
}

/**
 * Replays every episode: reset(seed) must give the recorded initial observation (within 1e-6) and float64
 * state (within 1e-9); each recorded action must give the recorded observation, state, reward (exactly unless
 * a tolerance is given), terminated and truncated flags. Returns the largest deviations seen, for reporting.
 */
export function replay(
  id: string,
  readState: (env: unknown) => ArrayLike<number> | undefined,
  opts: { rewardTolerance?: number } = {},
): { maxObs: number; maxState: number; maxReward: number; steps: number } {
  const rewardTolerance = opts.rewardTolerance ?? 0;
  let maxReward = 0;
  const data = loadTrajectories(id);
  let maxObs = 0, maxState = 0, steps = 0;
  const track = (got: ArrayLike<number>, want: number[], kind: "obs" | "state") => {
    for (let i = 0; i < want.length; i++) {
      const d = Math.abs(got[i]! - want[i]!);
      if (kind === "obs") maxObs = Math.max(maxObs, d);
      else maxState = Math.max(maxState, d);
    }
  };
  for (const ep of data.episodes) {
    const env = make(id);
    const { obs } = env.reset({ seed: ep.seed });
    closeArray(`seed ${ep.seed} initial obs`, obs as ArrayLike<number>, ep.initial_obs, 1e-6);
    track(obs as ArrayLike<number>, ep.initial_obs, "obs");
    if (ep.initial_state !== undefined) {
      const st = readState(env.unwrapped ?? env)!;
      closeArray(`seed ${ep.seed} initial state`, st, ep.initial_state, 1e-9);
      track(st, ep.initial_state, "state");
    }
    for (const s of ep.steps) {
      const action = Array.isArray(s.action) ? Float32Array.from(s.action) : s.action;
      const r = env.step(action);
      const where = `seed ${ep.seed} step ${s.t}`;
      closeArray(`${where} obs`, r.obs as ArrayLike<number>, s.obs, 1e-6);
      track(r.obs as ArrayLike<number>, s.obs, "obs");
      if (s.state !== undefined) {
        const st = readState(env.unwrapped ?? env)!;
        closeArray(`${where} state`, st, s.state, 1e-9);
        track(st, s.state, "state");
      }
      if (rewardTolerance === 0) assert.equal(r.reward, s.reward, `${where} reward`);
      else assert.ok(Math.abs(r.reward - s.reward) <= rewardTolerance, `${where} reward: got ${r.reward}, want ${s.reward}`);
      maxReward = Math.max(maxReward, Math.abs(r.reward - s.reward));
      assert.equal(r.terminated, s.terminated, `${where} terminated`);
      assert.equal(r.truncated, s.truncated, `${where} truncated`);
      steps++;
    }
    env.close();
  }
  return { maxObs, maxState, maxReward, steps };
}
