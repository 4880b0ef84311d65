/**
 * `RecordEpisodeStatistics`: at the end of each episode puts `info.episode = {r, l, t}` (return, length,
 * seconds since the episode began), as Gymnasium's wrapper and SB3's Monitor do, and keeps the last
 * `bufferLength` returns and lengths.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import { BaseWrapper } from "../../core/wrapper.js";

export interface EpisodeStatistics {
  /** Episode return (sum of rewards). */
  r: number;
  /** Episode length in steps. */
  l: number;
  /** Wall-clock seconds the episode took. */
  t: number;
}

export class RecordEpisodeStatistics<Obs = unknown, Act = unknown> extends BaseWrapper<Obs, Act> {
  readonly returnQueue: number[] = [];
  readonly lengthQueue: number[] = [];
  readonly bufferLength: number;
  episodeCount = 0;
  private episodeReturn = 0;
  private episodeLength = 0;
  private episodeStart = 0;

  constructor(env: Env<Obs, Act>, bufferLength = 100) {
    super(env);
    if (!Number.isInteger(bufferLength) || bufferLength <= 0) throw new RangeError(`RecordEpisodeStatistics: bufferLength must be a positive integer, got ${bufferLength}`);
    this.bufferLength = bufferLength;
  }

  override reset(opts?: ResetOptions): ResetResult<Obs> {
    const result = this.env.reset(opts);
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.episodeStart = performance.now();
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    const result = this.env.step(action);
    this.episodeReturn += result.reward;
    this.episodeLength += 1;
    if (result.terminated || result.truncated) {
      const stats: EpisodeStatistics = { r: this.episodeReturn, l: this.episodeLength, t: (performance.now() - this.episodeStart) / 1000 };
      result.info = { ...result.info, episode: stats };
      this.returnQueue.push(stats.r);
      this.lengthQueue.push(stats.l);
      if (this.returnQueue.length > this.bufferLength) {
        this.returnQueue.shift();
        this.lengthQueue.shift();
      }
      this.episodeCount++;
    }
    return result;
  }
}
