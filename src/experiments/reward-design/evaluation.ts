/**
 * The fixed fitness of reward design: deterministic evaluation episodes of a trained policy on
 * BipedalWalker-v3 scored by the NATIVE return (never by the candidate's own reward), with the distance
 * walked as tie-breaker, plus the behaviour metrics of those same episodes.
 */
import type { Env, Info } from "../../core/env.js";
import type { Predictor } from "../../algos/evaluate.js";
import type { Scene } from "../../envs/box2d/render/scene.js";
import { behaviourMetrics, type BehaviourMetrics, type EpisodeTrace, type StepRecord } from "../../guides/reward-design/metrics.js";


export interface WalkerEvaluationOptions {
  /** Episodes; episode i resets with seed + i. Default 3. */
  nEpisodes?: number;
  seed?: number;
  /** Cut episodes after this many steps (smoke budgets); the env's own 1600-step limit applies anyway. */
  maxSteps?: number;
  /** Call `renderScene()` after every step of the first episode (for animations). */
  recordFrames?: boolean;
}

export interface WalkerEvaluation {
  /** Mean native return: the fitness. */
  nativeReturn: number;
  /** Mean distance walked in metres: the tie-breaker. */
  distance: number;
  returns: number[];
  metrics: BehaviourMetrics;
  episodes: EpisodeTrace[];
  /** Scenes of the first episode when `recordFrames` was set. */
  frames?: Scene[];
}

const num = (info: Info, key: string): number => {
  const v = info[key];
  if (typeof v !== "number") throw new Error(`evaluation needs BipedalWalker's info.${key} (got ${typeof v}); is this BipedalWalker-v3?`);
  return v;
};
const vec = (info: Info, key: string): number[] => {
  const v = info[key];
  if (!Array.isArray(v)) throw new Error(`evaluation needs BipedalWalker's info.${key} array`);
  return v as number[];
};

/** Runs deterministic episodes and measures return, distance and behaviour. */
export function evaluateWalker(policy: Predictor, env: Env, options: WalkerEvaluationOptions = {}): WalkerEvaluation {
  const nEpisodes = options.nEpisodes ?? 3;
  const seed = options.seed ?? 0;
  const maxSteps = options.maxSteps ?? Infinity;
  if (!Number.isInteger(nEpisodes) || nEpisodes < 1) throw new Error(`nEpisodes must be a positive integer, got ${nEpisodes}`);
  const scenes = options.recordFrames ? sceneSource(env) : undefined;
  const frames: Scene[] | undefined = scenes ? [] : undefined;
  const episodes: EpisodeTrace[] = [];
  for (let ep = 0; ep < nEpisodes; ep++) {
    const reset = env.reset({ seed: seed + ep });
    let obs = reset.obs as Float32Array;
    const startX = typeof reset.info.hullX === "number" ? reset.info.hullX : NaN;
    const steps: StepRecord[] = [];
    let total = 0;
    let fell = false, reachedEnd = false, truncated = false;
    if (ep === 0 && frames && scenes) frames.push(scenes());
    for (;;) {
      const action = policy.predict(obs, true);
      const r = env.step(action);
      total += r.reward;
      const info = r.info;
      steps.push({
        hullX: num(info, "hullX"),
        hullY: num(info, "hullY"),
        hullAngle: num(info, "hullAngle"),
        hullAngularVelocity: num(info, "hullAngularVelocity"),
        hullVx: num(info, "hullVx"),
        hullVy: num(info, "hullVy"),
        jointAngles: vec(info, "jointAngles"),
        jointSpeeds: vec(info, "jointSpeeds"),
        jointTorques: vec(info, "jointTorques"),
        legContactCounts: vec(info, "legContactCounts"),
        action: Float32Array.from(action),
        reward: r.reward,
      });
      if (ep === 0 && frames && scenes) frames.push(scenes());
      obs = r.obs as Float32Array;
      if (r.terminated) {
        fell = info.fell === true;
        reachedEnd = info.reachedEnd === true;
        break;
      }
      if (r.truncated || steps.length >= maxSteps) {
        truncated = true;
        break;
      }
    }
    episodes.push({ startX: Number.isFinite(startX) ? startX : (steps[0]?.hullX ?? 0), steps, nativeReturn: total, fell, reachedEnd, truncated });
  }
  const metrics = behaviourMetrics(episodes);
  return {
    nativeReturn: metrics.native_return!,
    distance: metrics.distance!,
    returns: episodes.map((e) => e.nativeReturn),
    metrics,
    episodes,
    ...(frames ? { frames } : {}),
  };
}

/** The walker's `renderScene` through wrappers, or a clear error. */
function sceneSource(env: Env): () => Scene {
  const base = (env.unwrapped ?? env) as Env & { renderScene?: () => Scene };
  if (typeof base.renderScene !== "function") throw new Error("recordFrames needs an environment with renderScene() (BipedalWalker)");
  return () => base.renderScene!();
}

/** Fitness order: higher native return first, then longer distance. Negative when `a` is better. */
export function compareFitness(a: { nativeReturn: number; distance: number }, b: { nativeReturn: number; distance: number }): number {
  const ra = Number.isFinite(a.nativeReturn) ? a.nativeReturn : -Infinity;
  const rb = Number.isFinite(b.nativeReturn) ? b.nativeReturn : -Infinity;
  if (ra !== rb) return rb - ra;
  const da = Number.isFinite(a.distance) ? a.distance : -Infinity;
  const db = Number.isFinite(b.distance) ? b.distance : -Infinity;
  return db > da ? 1 : db < da ? -1 : 0;
}
