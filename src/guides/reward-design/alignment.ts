/**
 * Reward-hacking alert. While a policy trains on a designed reward, every finished training episode gives
 * two returns: the designed one (what the policy optimises) and the native one (what the task pays). If the
 * designed reward measures the task, the two rise and fall together; when the policy finds a way to collect
 * designed reward that the task does not pay for (standing still under a balance bonus, say), they part.
 * Two signs are flagged: a per-episode correlation below a threshold within a window, and a designed mean
 * return that rises from one window to the next while the native mean falls (each by more than 5%).
 */

/** Designed vs native returns of the training episodes that finished in one window. */
export interface AlignmentWindow {
  /** Env steps at the end of the window. */
  step: number;
  episodes: number;
  designedMean: number;
  nativeMean: number;
  /** Pearson correlation of designed and native episode returns (NaN with < 3 episodes or no spread). */
  correlation: number;
}

export interface HackingAlertOptions {
  /** Flag a window whose correlation is below this (default 0.3). */
  minCorrelation?: number;
  /** Windows with fewer finished episodes are not judged by their correlation (default 5). */
  minEpisodes?: number;
}

export interface HackingAlert {
  step: number;
  kind: "low-correlation" | "diverging";
  /** One line for the reflection and the report. */
  message: string;
}

/** Pearson correlation; NaN when either side has no spread or fewer than 3 points. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = Math.min(x.length, y.length);
  if (n < 3) return NaN;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) (mx += x[i]!), (my += y[i]!);
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const scale = Math.sqrt(sxx * syy);
  return scale > 1e-12 * Math.max(1, n) ? sxy / scale : NaN;
}

/** Accumulates designed and native returns per env and closes episodes at terminated/truncated flags. */
export class EpisodeAlignment {
  private designed: number[] = [];
  private native: number[] = [];
  private runDesigned = new Map<number, number>();
  private runNative = new Map<number, number>();

  /** One batch of transitions, in order; `env[i]` says which env each row came from (default 0). */
  add(designed: ArrayLike<number>, native: ArrayLike<number>, done: (i: number) => boolean, env?: ArrayLike<number>): void {
    for (let i = 0; i < designed.length; i++) {
      const e = env ? env[i]! : 0;
      const d = (this.runDesigned.get(e) ?? 0) + designed[i]!;
      const n = (this.runNative.get(e) ?? 0) + native[i]!;
      if (done(i)) {
        this.designed.push(d);
        this.native.push(n);
        this.runDesigned.delete(e);
        this.runNative.delete(e);
      } else {
        this.runDesigned.set(e, d);
        this.runNative.set(e, n);
      }
    }
  }

  /** Closes the window of episodes finished since the last call. */
  window(step: number): AlignmentWindow {
    const k = this.designed.length;
    const mean = (a: number[]) => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : NaN);
    const w = { step, episodes: k, designedMean: mean(this.designed), nativeMean: mean(this.native), correlation: pearson(this.designed, this.native) };
    this.designed = [];
    this.native = [];
    return w;
  }

  /** Episodes still running keep their partial sums; call when the reward changes to start them afresh. */
  restartEpisodes(): void {
    this.runDesigned.clear();
    this.runNative.clear();
  }
}

const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));

/** The alerts a sequence of windows raises (see the module comment). */
export function hackingAlerts(windows: readonly AlignmentWindow[], options: HackingAlertOptions = {}): HackingAlert[] {
  const minCorrelation = options.minCorrelation ?? 0.3;
  const minEpisodes = options.minEpisodes ?? 5;
  const alerts: HackingAlert[] = [];
  let previous: AlignmentWindow | undefined;
  for (const w of windows) {
    if (w.episodes >= minEpisodes && Number.isFinite(w.correlation) && w.correlation < minCorrelation) {
      alerts.push({
        step: w.step,
        kind: "low-correlation",
        message: `training episodes up to step ${w.step}: designed and native returns correlate at r = ${w.correlation.toFixed(2)} over ${w.episodes} episodes (below ${minCorrelation}); the designed reward pays for something the task does not`,
      });
    }
    const margin = (x: number) => 0.05 * Math.max(1, Math.abs(x));
    if (previous && w.episodes > 0 && w.designedMean > previous.designedMean + margin(previous.designedMean) && w.nativeMean < previous.nativeMean - margin(previous.nativeMean)) {
      alerts.push({
        step: w.step,
        kind: "diverging",
        message: `between steps ${previous.step} and ${w.step} the mean designed return of training episodes rose (${f(previous.designedMean)} -> ${f(w.designedMean)}) while the native one fell (${f(previous.nativeMean)} -> ${f(w.nativeMean)})`,
      });
    }
    if (w.episodes > 0) previous = w;
  }
  return alerts;
}
