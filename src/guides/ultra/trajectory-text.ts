/**
 * Step 2 of ULTRA: an episode as text the LLM can read. Each state is written field by field with the
 * names the environment gives in `describe()`, so the same code serves Pong and BipedalWalker; the
 * field legend (what each name means, its range and unit) goes in the prompt once.
 *
 *   step 37: ball_x=0.412, ball_y=-0.310, ... | action: up | reward: 0
 */
import type { EnvDescription, FieldDescription } from "../../core/env.js";
import type { Action, Episode, Segment } from "./types.js";

function fmt(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  const s = x.toFixed(digits);
  return s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s;
}

/** Per-component names of a vector described by `fields` (a field spanning k components gets name[0..k-1]). */
export function componentNames(fields: FieldDescription[], width: number): string[] {
  const names: string[] = Array.from({ length: width }, (_, i) => `x${i}`);
  for (const f of fields) {
    const [a, b] = f.index;
    for (let i = a; i < b && i < width; i++) names[i] = b - a === 1 ? f.name : `${f.name}[${i - a}]`;
  }
  return names;
}

/** The observation legend: one line per field with its index, meaning, range and unit. */
export function observationLegend(desc: EnvDescription): string {
  return desc.observation
    .map((f) => {
      const idx = f.index[1] - f.index[0] === 1 ? `obs[${f.index[0]}]` : `obs[${f.index[0]}..${f.index[1] - 1}]`;
      const range = f.low !== undefined && f.high !== undefined ? `; range [${f.low}, ${f.high}]` : "";
      const unit = f.unit ? `; unit ${f.unit}` : "";
      return `- ${f.name} (${idx}): ${f.description}${range}${unit}`;
    })
    .join("\n");
}

/** The action legend: the meaning of each discrete action, or each component of a Box action. */
export function actionLegend(desc: EnvDescription): string {
  if (desc.actionMeanings && desc.actionMeanings.length > 0) {
    return desc.actionMeanings.map((m, i) => `- ${i} = ${m}`).join("\n");
  }
  return desc.action
    .map((f) => {
      const range = f.low !== undefined && f.high !== undefined ? ` in [${f.low}, ${f.high}]` : "";
      return `- ${f.name} (action[${f.index[0]}${f.index[1] - f.index[0] > 1 ? `..${f.index[1] - 1}` : ""}])${range}: ${f.description}`;
    })
    .join("\n");
}

/** A state as `name=value` pairs. */
export function stateToText(obs: ArrayLike<number>, desc: EnvDescription, digits = 3): string {
  const names = componentNames(desc.observation, obs.length);
  const parts: string[] = [];
  for (let i = 0; i < obs.length; i++) parts.push(`${names[i]}=${fmt(obs[i]!, digits)}`);
  return parts.join(", ");
}

/** An action as the environment's words: the meaning of a discrete index, or `[name=value, ...]`. */
export function actionToText(action: Action, desc: EnvDescription, digits = 2): string {
  if (typeof action === "number") return desc.actionMeanings?.[action] ?? String(action);
  const names = componentNames(desc.action, action.length);
  return `[${Array.from(action, (v, i) => `${names[i]}=${fmt(v, digits)}`).join(", ")}]`;
}

export interface TrajectoryTextOptions {
  /** Decimals for observation values (default 3). */
  digits?: number;
  /** Write every k-th step (default 1); steps with a non-zero reward change are always written. */
  stride?: number;
}

/** The steps of [start, end) that `segmentToText` writes (every `stride`-th, plus reward events and the last). */
export function shownSteps(ep: Episode, start: number, end: number, stride = 1): number[] {
  const steps: number[] = [];
  const last = Math.min(end, ep.obs.length);
  for (let t = Math.max(0, start); t < last; t++) {
    if ((t - start) % stride === 0 || ep.rewards[t] !== 0 || t === last - 1) steps.push(t);
  }
  return steps;
}

/** Steps [start, end) of an episode, one line per step. */
export function segmentToText(ep: Episode, desc: EnvDescription, start: number, end: number, opts: TrajectoryTextOptions = {}): string {
  const lines: string[] = [];
  for (const t of shownSteps(ep, start, end, opts.stride ?? 1)) {
    lines.push(
      `step ${t}: ${stateToText(ep.obs[t]!, desc, opts.digits ?? 3)} | action: ${actionToText(ep.actions[t]!, desc)} | reward: ${fmt(ep.rewards[t]!, 3).replace(/\.?0+$/, "") || "0"}`,
    );
  }
  return lines.join("\n");
}

/** A whole episode as text (long episodes are better shown in segments: see `selectSegments`). */
export function episodeToText(ep: Episode, desc: EnvDescription, opts: TrajectoryTextOptions = {}): string {
  return segmentToText(ep, desc, 0, ep.obs.length, opts);
}

export interface SegmentOptions {
  /** Steps per segment (default 40). */
  length?: number;
  /** How many segments at most (default 8). */
  maxSegments?: number;
}

/**
 * Chooses the parts of the episodes to show the LLM. Most segments end at the worst rewards (a lost
 * point, a fall): the states just before a failure are where critical states are likely. The rest are
 * spread evenly over the episodes so that states away from failures are shown too.
 */
export function selectSegments(episodes: Episode[], opts: SegmentOptions = {}): Segment[] {
  const length = opts.length ?? 40;
  const maxSegments = opts.maxSegments ?? 8;
  if (!(length >= 2)) throw new RangeError(`selectSegments: length must be >= 2, got ${length}`);
  const segments: Segment[] = [];
  const overlaps = (s: Segment) => segments.some((o) => o.episode === s.episode && s.start < o.end && o.start < s.end);

  const events: { episode: number; step: number; reward: number }[] = [];
  episodes.forEach((ep, e) => ep.rewards.forEach((r, t) => { if (r < 0) events.push({ episode: e, step: t, reward: r }); }));
  events.sort((a, b) => a.reward - b.reward || a.episode - b.episode || a.step - b.step);
  const failureQuota = Math.ceil(maxSegments * 0.75);
  // Round-robin over episodes so one long losing episode does not take every segment.
  const perEpisode = new Map<number, typeof events>();
  for (const ev of events) {
    const list = perEpisode.get(ev.episode) ?? [];
    list.push(ev);
    perEpisode.set(ev.episode, list);
  }
  const queues = [...perEpisode.values()];
  for (let round = 0; segments.length < failureQuota && queues.some((q) => q.length > 0); round++) {
    for (const q of queues) {
      while (q.length > 0 && segments.length < failureQuota) {
        const ev = q.shift()!;
        const seg = { episode: ev.episode, start: Math.max(0, ev.step - length + 1), end: ev.step + 1 };
        if (!overlaps(seg)) { segments.push(seg); break; }
      }
    }
  }
  // Fill the rest with windows on a grid, each the free one nearest to an evenly spaced point.
  const grid: { seg: Segment; at: number }[] = [];
  let offset = 0;
  episodes.forEach((ep, e) => {
    const len = ep.obs.length;
    for (let start = 0; start < len; start += length) {
      const s = Math.max(0, Math.min(start, len - length));
      grid.push({ seg: { episode: e, start: s, end: Math.min(len, s + length) }, at: offset + s });
    }
    offset += len;
  });
  const needed = maxSegments - segments.length;
  for (let k = 0; k < needed; k++) {
    const target = ((k + 0.5) * offset) / needed;
    let best: Segment | undefined;
    let bestDist = Infinity;
    for (const g of grid) {
      const d = Math.abs(g.at - target);
      if (d < bestDist && !overlaps(g.seg)) { best = g.seg; bestDist = d; }
    }
    if (best === undefined) break;
    segments.push(best);
  }
  return segments.sort((a, b) => a.episode - b.episode || a.start - b.start);
}
