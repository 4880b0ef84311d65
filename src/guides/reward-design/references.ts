/**
 * Reference trajectories for the check before compute (as CARD checks a reward before training on it):
 * three short BipedalWalker-v3 episodes whose order any reward for walking must respect — a walking one
 * (Gymnasium's heuristic gait), a standing one (a wide stance held by PD control) and a falling one (full
 * hip torque forward, knees locked: down within a second). The package records them with
 * `recordReferenceTrajectories()` (scripts/reward-design-references.ts writes data/reward-design/
 * reference-trajectories.json: reset seed and actions only, a few kB) and rebuilds the transitions by
 * replaying the actions, checking that the replay ends with the recorded native return.
 */
import { readFileSync } from "node:fs";
import type { Env } from "../../core/env.js";
import { packagePath } from "../../core/paths.js";
import { makeAsync } from "../../envs/index.js";
import { BipedalWalkerHeuristic } from "../../envs/box2d/heuristics.js";
import type { TransitionStep } from "../../sandbox/index.js";
import { ENV_ID } from "./metrics.js";

/** The three references, in the order a reward must rank them (highest return first). */
export const REFERENCE_NAMES = ["walking", "standing", "falling"] as const;
export type ReferenceName = (typeof REFERENCE_NAMES)[number];

/** One recorded reference: how to replay it and what it showed. */
export interface ReferenceRecord {
  name: ReferenceName;
  /** What the trajectory shows, in words the designer reads in a fix request. */
  summary: string;
  seed: number;
  /** float32 actions, 4 per step. */
  actions: number[][];
  nativeReturn: number;
  distance: number;
  fell: boolean;
}

export interface ReferenceTrajectory extends ReferenceRecord {
  steps: TransitionStep[];
}

export const REFERENCE_FILE = ["data", "reward-design", "reference-trajectories.json"] as const;

/** The seed and length shared by the walking and standing references (the heuristic walks seed 6 well). */
const SEED = 6;
const STEPS = 300;

const clip = (v: number) => Math.max(-1, Math.min(1, v));

/** A wide stance held by PD control: hips at +-0.2 rad, knees at 0.5, the hips levelling the hull. */
export function standingAction(s: ArrayLike<number>): Float32Array {
  const hip = (target: number, angle: number, speed: number) => target - angle - 0.25 * speed + 2 * s[0]!;
  const knee = (angle: number, speed: number) => 4 * (0.5 - angle) - 0.25 * speed;
  return new Float32Array([clip(hip(0.2, s[4]!, s[5]!)), clip(knee(s[6]!, s[7]!)), clip(hip(-0.2, s[9]!, s[10]!)), clip(knee(s[11]!, s[12]!))]);
}

/** Full forward hip torque with the knees driven straight: the walker tips over. */
export const FALLING_ACTION = new Float32Array([-1, 1, -1, 1]);

type Controller = (obs: Float32Array) => Float32Array;

const CONTROLLERS: Record<ReferenceName, () => Controller> = {
  walking: () => {
    const h = new BipedalWalkerHeuristic();
    return (obs) => h.act(obs);
  },
  standing: () => standingAction,
  falling: () => () => FALLING_ACTION,
};

interface Rollout {
  actions: Float32Array[];
  steps: TransitionStep[];
  nativeReturn: number;
  distance: number;
  fell: boolean;
}

function rollout(env: Env, seed: number, next: (obs: Float32Array, t: number) => Float32Array | undefined): Rollout {
  let obs = env.reset({ seed }).obs as Float32Array;
  const steps: TransitionStep[] = [];
  const actions: Float32Array[] = [];
  let nativeReturn = 0, x0 = NaN, x = NaN, fell = false;
  for (let t = 0; ; t++) {
    const action = next(obs, t);
    if (!action) break;
    const r = env.step(action);
    nativeReturn += r.reward;
    x = r.info.hullX as number;
    if (Number.isNaN(x0)) x0 = x;
    steps.push({ obs, action, nextObs: r.obs as Float32Array, info: r.info });
    actions.push(action);
    obs = r.obs as Float32Array;
    if (r.terminated || r.truncated) {
      fell = r.info.fell === true;
      break;
    }
  }
  return { actions, steps, nativeReturn, distance: x - x0, fell };
}

/** Records the three references by running their controllers (what the shipped file holds). */
export async function recordReferenceTrajectories(): Promise<ReferenceRecord[]> {
  const env = await makeAsync(ENV_ID);
  try {
    return REFERENCE_NAMES.map((name) => {
      const act = CONTROLLERS[name]();
      const r = rollout(env, SEED, (obs, t) => (t < STEPS ? Float32Array.from(act(obs)) : undefined));
      const summary =
        name === "walking"
          ? `walks ${r.distance.toFixed(1)} m forward in ${r.steps.length} steps`
          : name === "standing"
            ? `stands in place for ${r.steps.length} steps`
            : `falls after ${r.steps.length} steps`;
      return { name, summary, seed: SEED, actions: r.actions.map((a) => Array.from(a)), nativeReturn: r.nativeReturn, distance: r.distance, fell: r.fell };
    });
  } finally {
    env.close();
  }
}

let cached: Promise<ReferenceTrajectory[]> | undefined;

/**
 * The shipped references with their transitions, rebuilt by replaying the recorded actions. Throws when a
 * replay does not end with the recorded native return (the environment changed: re-record them).
 */
export function referenceTrajectories(): Promise<ReferenceTrajectory[]> {
  cached ??= (async () => {
    const file = packagePath(...REFERENCE_FILE);
    const records = JSON.parse(readFileSync(file, "utf8")) as ReferenceRecord[];
    const env = await makeAsync(ENV_ID);
    try {
      return records.map((rec) => {
        const r = rollout(env, rec.seed, (_, t) => (t < rec.actions.length ? Float32Array.from(rec.actions[t]!) : undefined));
        if (Math.abs(r.nativeReturn - rec.nativeReturn) > 1e-6 * Math.max(1, Math.abs(rec.nativeReturn))) {
          throw new Error(`${file}: the ${rec.name} reference replays to native return ${r.nativeReturn}, recorded ${rec.nativeReturn}; re-record it (npx tsx scripts/reward-design-references.ts)`);
        }
        return { ...rec, steps: r.steps };
      });
    } finally {
      env.close();
    }
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}
