/**
 * The reward seam of a candidate: a `Guide` whose `transformRewards` sends the whole rollout to the
 * sandbox in one round trip, learns from the candidate's rewards, and keeps statistics of every reward
 * component for the reflection (mean/min/max per window between checkpoints).
 */
import type { Guide, SeamContext, TransitionBatch } from "../../algos/seams.js";
import type { Sandbox, SandboxError } from "../../sandbox/index.js";
import { EpisodeAlignment, type AlignmentWindow } from "./alignment.js";

/** Thrown when the candidate fails on a training batch (validation passed but real data broke it). */
export class RewardCodeError extends Error {
  constructor(readonly error: SandboxError, readonly numTimesteps: number) {
    super(`reward code failed during training at step ${numTimesteps} (${error.kind}): ${error.message}${error.line ? ` (line ${error.line})` : ""}`);
    this.name = "RewardCodeError";
  }
}

/** Mean/min/max of one component over a window of training steps. */
export interface ComponentStats {
  mean: number;
  min: number;
  max: number;
}

/** The components' statistics over one window, ending at `step` env steps. */
export interface ComponentSnapshot {
  step: number;
  /** Per component name; "total" is the candidate's reward itself. */
  components: Record<string, ComponentStats>;
  /** Designed vs native returns of the training episodes that finished in the window (hacking alert). */
  alignment: AlignmentWindow;
}

class Accumulator {
  sum = 0;
  min = Infinity;
  max = -Infinity;
  count = 0;
  add(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      this.sum += v;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
    this.count += values.length;
  }
  stats(): ComponentStats {
    return this.count ? { mean: this.sum / this.count, min: this.min, max: this.max } : { mean: NaN, min: NaN, max: NaN };
  }
}

export interface SandboxRewardGuideOptions {
  /** The candidate's source (defines `computeReward`). */
  source: string;
  sandbox: Sandbox;
  name?: string;
}

/** Trains on a candidate's reward, evaluated batch-wise in the sandbox. */
export class SandboxRewardGuide implements Guide {
  readonly name: string;
  readonly needsInfos = true;
  readonly source: string;
  private readonly sandbox: Sandbox;
  private window = new Map<string, Accumulator>();
  private readonly snapshots: ComponentSnapshot[] = [];
  private batches = 0;
  private readonly alignment = new EpisodeAlignment();
  private sandboxSeconds = 0;

  constructor(options: SandboxRewardGuideOptions) {
    if (typeof options.source !== "string" || options.source.trim() === "") throw new Error("SandboxRewardGuide needs the candidate's source");
    this.source = options.source;
    this.sandbox = options.sandbox;
    this.name = options.name ?? "reward-design";
  }

  async transformRewards(batch: TransitionBatch, ctx: SeamContext): Promise<Float32Array> {
    const t0 = performance.now();
    const result = await this.sandbox.evaluate(this.source, batch);
    this.sandboxSeconds += (performance.now() - t0) / 1000;
    if (!result.ok) throw new RewardCodeError(result.error, ctx.numTimesteps);
    this.batches++;
    this.acc("total").add(result.rewards);
    this.alignment.add(result.rewards, batch.rewards, (i) => batch.terminated[i] === 1 || batch.truncated[i] === 1, batch.envIndex);
    for (const [name, values] of Object.entries(result.components)) this.acc(name).add(values);
    return Float32Array.from(result.rewards);
  }

  /** Closes the current window at `step` (a checkpoint) and starts a new one. */
  snapshot(step: number): ComponentSnapshot {
    const components: Record<string, ComponentStats> = {};
    for (const [name, acc] of this.window) components[name] = acc.stats();
    const snap = { step, components, alignment: this.alignment.window(step) };
    this.snapshots.push(snap);
    this.window = new Map();
    return snap;
  }

  /** All windows so far. */
  history(): ComponentSnapshot[] {
    return this.snapshots.slice();
  }

  metrics(): Record<string, number> {
    return { "reward_design/sandbox_batches": this.batches, "reward_design/sandbox_seconds": this.sandboxSeconds };
  }

  private acc(name: string): Accumulator {
    let a = this.window.get(name);
    if (!a) this.window.set(name, (a = new Accumulator()));
    return a;
  }
}
