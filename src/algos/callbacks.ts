/**
 * What every algorithm's `learn()` accepts and reports, so the run folder, the CLI and the notebooks drive
 * PPO, A2C, DQN and SAC the same way (structurally the same as DQN's and SAC's own declarations).
 */

/** Reported after every training phase (one rollout + update for PPO/A2C). */
export interface TrainingProgress {
  numTimesteps: number;
  totalTimesteps: number;
  /** Gradient steps so far. */
  nUpdates: number;
  /** Finished training episodes so far. */
  episodes: number;
  /** Mean return of the last 100 training episodes (environment rewards), NaN before the first. */
  epRewMean: number;
  epLenMean: number;
  /** Algorithm metrics of the last phase (losses, learning rate, timings...). */
  metrics: Record<string, number>;
  /** Metrics reported by the guide, if any. */
  guideMetrics?: Record<string, number>;
}

/** Called after every training phase; return false to stop training (a budget, a target, a simulated kill). */
export type TrainingCallback = (info: TrainingProgress) => boolean | void | Promise<boolean | void>;

export interface LearnOptions {
  totalTimesteps: number;
  callback?: TrainingCallback;
  /** Write a checkpoint into this folder every `checkpointInterval` env steps (at the end of a phase). */
  checkpointDir?: string;
  checkpointInterval?: number;
}

/** Runs several callbacks in order; training stops if any returns false. */
export function chainCallbacks(...callbacks: (TrainingCallback | undefined)[]): TrainingCallback {
  return async (info) => {
    let keepGoing = true;
    for (const cb of callbacks) if (cb && (await cb(info)) === false) keepGoing = false;
    return keepGoing;
  };
}

/** Stops training once the mean training return of the last 100 episodes reaches `threshold`. */
export function stopOnRewardThreshold(threshold: number): TrainingCallback {
  return (info) => !(info.epRewMean >= threshold);
}

/** Raised when a loss becomes NaN or infinite: training stops before the bad update is applied. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly algo: string,
    /** Environment steps when it happened. */
    readonly numTimesteps: number,
    readonly lossName: string,
    /** The metrics of the last update whose losses were all finite. */
    readonly lastFiniteMetrics: Record<string, number>,
  ) {
    super(`${algo.toUpperCase()}: ${lossName} became non-finite at step ${numTimesteps}; training stopped before applying it (last finite metrics: ${JSON.stringify(lastFiniteMetrics)})`);
    this.name = "NonFiniteLossError";
  }
}
