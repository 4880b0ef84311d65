/**
 * Recording an episode of a Box2D environment as scenes, for `episodeAnimation`:
 *
 *     const env = await makeAsync("BipedalWalker-v3");
 *     const run = recordEpisode(env, { seed: 0, policy: (obs) => walker.act(obs), maxSteps: 500 });
 *     const svg = episodeAnimation(run.frames, { every: 2 });   // display as image/svg+xml
 */
import type { Env } from "../../../core/env.js";
import type { Scene } from "./scene.js";

/** An environment (or a wrapper around one) that can describe its current picture as a Scene. */
interface SceneSource {
  renderScene(): Scene;
}

function sceneSource(env: Env<any, any>): SceneSource {
  let e: unknown = env;
  for (let depth = 0; depth < 32 && e; depth++) {
    if (typeof (e as Partial<SceneSource>).renderScene === "function") return e as SceneSource;
    e = (e as { env?: unknown }).env;
  }
  throw new TypeError("recordEpisode: this environment cannot draw scenes (the Box2D and MuJoCo environments can)");
}

export interface RecordOptions<Obs, Act> {
  /** Reset seed (default: no seed, the env's generator continues). */
  seed?: number;
  /** Chooses the action from the observation; default: a uniform sample of the action space. */
  policy?: (obs: Obs) => Act;
  /** Stop after this many steps even if the episode goes on (default 2000). */
  maxSteps?: number;
  /** Keep every n-th frame (the first and last are always kept). Default 1. */
  every?: number;
}

export interface RecordedEpisode<Obs> {
  frames: Scene[];
  observations: Obs[];
  rewards: number[];
  totalReward: number;
  length: number;
  terminated: boolean;
  truncated: boolean;
}

/** Runs one episode, keeping a Scene of the reset state and of every step (or every n-th). */
export function recordEpisode<Obs, Act>(env: Env<Obs, Act>, opts: RecordOptions<Obs, Act> = {}): RecordedEpisode<Obs> {
  const source = sceneSource(env);
  const every = Math.max(1, Math.floor(opts.every ?? 1));
  const maxSteps = opts.maxSteps ?? 2000;
  const policy = opts.policy ?? (() => env.actionSpace.sample());
  let { obs } = env.reset(opts.seed === undefined ? {} : { seed: opts.seed });
  const frames = [source.renderScene()];
  const observations = [obs];
  const rewards: number[] = [];
  let terminated = false;
  let truncated = false;
  for (let t = 1; t <= maxSteps; t++) {
    const r = env.step(policy(obs));
    obs = r.obs;
    observations.push(obs);
    rewards.push(r.reward);
    terminated = r.terminated;
    truncated = r.truncated;
    const done = terminated || truncated || t === maxSteps;
    if (t % every === 0 || done) frames.push(source.renderScene());
    if (done) break;
  }
  return {
    frames,
    observations,
    rewards,
    totalReward: rewards.reduce((a, b) => a + b, 0),
    length: rewards.length,
    terminated,
    truncated,
  };
}
