/**
 * The gait metrics of the reward-design seed repository's prompt (its v2 metric list, the ones its prompt
 * shows and the 13 it gives a 3-iteration trend for), computed here from evaluation episodes. The names and
 * what each measures follow the repository's documentation; the arithmetic is ours and uses physical units
 * from `info` (metres, m/s, radians) where the original read the normalised observation.
 */
import { fmt, type EpisodeTrace } from "./metrics.js";
import { pearson } from "./alignment.js";

export interface SeedMetricDoc {
  name: string;
  group: string;
  unit: string;
  /** What it measures and what a good value is (the prompt's interpretation guide). */
  guide: string;
  /** Lower is better (for the trend's improving/worsening tag). */
  lowerIsBetter: boolean;
  /** Shown with a 3-iteration trend. */
  trend: boolean;
}

export const SEED_METRICS: readonly SeedMetricDoc[] = [
  { name: "average_forward_distance", group: "Basic locomotion", unit: "m", guide: "higher is better; under 10 m means the walk mostly fails", lowerIsBetter: false, trend: true },
  { name: "average_speed", group: "Basic locomotion", unit: "m/s", guide: "mean forward speed; higher is better", lowerIsBetter: false, trend: true },
  { name: "fall_rate", group: "Basic locomotion", unit: "", guide: "fraction of episodes ending in a fall; 0 is perfect", lowerIsBetter: true, trend: true },
  { name: "torso_tilt", group: "Posture and stability", unit: "rad", guide: "mean |hull angle|; about 0.05-0.15 is a slight lean, above 0.4 is unstable", lowerIsBetter: true, trend: true },
  { name: "torso_tilt_variance", group: "Posture and stability", unit: "rad^2", guide: "variance of the hull angle; should stay below 0.01 (a wobbling torso is high)", lowerIsBetter: true, trend: false },
  { name: "lateral_stability", group: "Posture and stability", unit: "rad/s", guide: "mean |hull angular velocity|; low for smooth walking", lowerIsBetter: true, trend: false },
  { name: "energy_consumption", group: "Energy and smoothness", unit: "", guide: "sum of |action| over the episode; lower is more efficient", lowerIsBetter: true, trend: true },
  { name: "action_smoothness", group: "Energy and smoothness", unit: "", guide: "mean |change of action| per step; under 0.1 is smooth, over 0.3 jerky", lowerIsBetter: true, trend: true },
  { name: "specific_resistance", group: "Energy and smoothness", unit: "", guide: "energy / (distance x steps); lower is a more efficient gait", lowerIsBetter: true, trend: false },
  { name: "gait_symmetry_index", group: "Gait cycle", unit: "", guide: "|swings of the right leg - swings of the left| / their mean; 0 is symmetric, above 0.3 a limp", lowerIsBetter: true, trend: true },
  { name: "right_leg_swing_freq", group: "Gait cycle", unit: "per 100 steps", guide: "swing phases of leg 1 per 100 steps; about 15-30", lowerIsBetter: false, trend: false },
  { name: "left_leg_swing_freq", group: "Gait cycle", unit: "per 100 steps", guide: "swing phases of leg 2 per 100 steps; should match the other leg", lowerIsBetter: false, trend: false },
  { name: "mean_swing_duration", group: "Gait cycle", unit: "steps", guide: "steps per swing phase; about 10-20", lowerIsBetter: false, trend: false },
  { name: "double_support_fraction", group: "Gait cycle", unit: "", guide: "steps with both feet down; 0.1-0.2 is realistic", lowerIsBetter: false, trend: true },
  { name: "single_support_fraction", group: "Gait cycle", unit: "", guide: "steps with exactly one foot down; about 0.6-0.7", lowerIsBetter: false, trend: true },
  { name: "flight_fraction", group: "Gait cycle", unit: "", guide: "steps with both feet up; about 0 for walking, above 0.1 is hopping", lowerIsBetter: true, trend: true },
  { name: "hip_knee_coordination", group: "Hip and knee coordination", unit: "", guide: "|correlation| of hip and knee angle of the same leg; above 0.5 is coordinated", lowerIsBetter: false, trend: true },
  { name: "hip_angle_range", group: "Hip and knee coordination", unit: "rad", guide: "peak-to-trough hip swing; above 0.8 is a good propulsive range", lowerIsBetter: false, trend: true },
  { name: "stance_leg_straightness", group: "Hip and knee coordination", unit: "rad", guide: "mean |knee angle| while the foot is down; under 0.3 is a near-straight stance leg", lowerIsBetter: true, trend: true },
  { name: "contact_per_metre", group: "Contact quality", unit: "1/m", guide: "touchdowns per metre walked; about 4-6, above 10 is shuffling", lowerIsBetter: true, trend: false },
];

/** Swing phases of one leg: runs of steps without ground contact, at least 3 steps long. */
function swings(contact: boolean[]): number[] {
  const out: number[] = [];
  let run = 0;
  for (const c of contact) {
    if (!c) run++;
    else {
      if (run >= 3) out.push(run);
      run = 0;
    }
  }
  if (run >= 3) out.push(run);
  return out;
}

const mean = (a: readonly number[]) => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : 0);

function episodeSeedMetrics(ep: EpisodeTrace): Record<string, number> {
  const st = ep.steps;
  const T = Math.max(st.length, 1);
  const distance = st.length ? st[st.length - 1]!.hullX - ep.startX : 0;
  const angles = st.map((s) => s.hullAngle);
  const tiltMean = mean(angles);
  const contact = [0, 1].map((leg) => st.map((s) => (s.legContactCounts[leg] ?? 0) > 0));
  let energy = 0, smooth = 0, both = 0, one = 0, none = 0, touchdowns = 0;
  for (let t = 0; t < st.length; t++) {
    const a = st[t]!.action;
    for (let j = 0; j < a.length; j++) {
      energy += Math.abs(a[j]!);
      if (t > 0) smooth += Math.abs(a[j]! - st[t - 1]!.action[j]!);
    }
    const [c0, c1] = [contact[0]![t]!, contact[1]![t]!];
    if (c0 && c1) both++;
    else if (c0 || c1) one++;
    else none++;
    for (let leg = 0; leg < 2; leg++) if (contact[leg]![t] && t > 0 && !contact[leg]![t - 1]) touchdowns++;
  }
  const sw = [swings(contact[0]!), swings(contact[1]!)];
  const nMean = (sw[0]!.length + sw[1]!.length) / 2;
  const hip = [0, 1].map((leg) => st.map((s) => s.jointAngles[2 * leg] ?? 0));
  const knee = [0, 1].map((leg) => st.map((s) => s.jointAngles[2 * leg + 1] ?? 0));
  const coordination = [0, 1].map((leg) => {
    const r = pearson(hip[leg]!, knee[leg]!);
    return Number.isFinite(r) ? Math.abs(r) : 0;
  });
  const stanceKnee: number[] = [];
  for (let t = 0; t < st.length; t++) for (let leg = 0; leg < 2; leg++) if (contact[leg]![t]) stanceKnee.push(Math.abs(knee[leg]![t]!));
  const range = (xs: number[]) => (xs.length ? Math.max(...xs) - Math.min(...xs) : 0);
  const moved = Math.max(Math.abs(distance), 1e-3);
  return {
    average_forward_distance: distance,
    average_speed: mean(st.map((s) => s.hullVx)),
    fall_rate: ep.fell ? 1 : 0,
    torso_tilt: mean(angles.map(Math.abs)),
    torso_tilt_variance: mean(angles.map((a) => (a - tiltMean) ** 2)),
    lateral_stability: mean(st.map((s) => Math.abs(s.hullAngularVelocity))),
    energy_consumption: energy,
    action_smoothness: st.length > 1 ? smooth / ((st.length - 1) * (st[0]!.action.length || 1)) : 0,
    specific_resistance: energy / (moved * T),
    gait_symmetry_index: nMean > 0 ? Math.abs(sw[0]!.length - sw[1]!.length) / nMean : 0,
    right_leg_swing_freq: (sw[0]!.length / T) * 100,
    left_leg_swing_freq: (sw[1]!.length / T) * 100,
    mean_swing_duration: mean([...sw[0]!, ...sw[1]!]),
    double_support_fraction: both / T,
    single_support_fraction: one / T,
    flight_fraction: none / T,
    hip_knee_coordination: mean(coordination),
    hip_angle_range: mean([range(hip[0]!), range(hip[1]!)]),
    stance_leg_straightness: mean(stanceKnee),
    contact_per_metre: touchdowns / moved,
  };
}

/** The seed metrics averaged over episodes. */
export function seedMetrics(episodes: readonly EpisodeTrace[]): Record<string, number> {
  if (episodes.length === 0) throw new Error("seedMetrics: no episodes");
  const per = episodes.map(episodeSeedMetrics);
  return Object.fromEntries(SEED_METRICS.map((m) => [m.name, mean(per.map((p) => p[m.name]!))]));
}

/** The current metrics grouped as the seed prompt shows them. */
export function seedMetricsText(m: Record<string, number>): string {
  const lines: string[] = [];
  let group = "";
  for (const d of SEED_METRICS) {
    if (d.group !== group) lines.push(`  ${(group = d.group)}:`);
    lines.push(`    ${d.name.padEnd(26)} ${fmt(m[d.name] ?? NaN, 4)}${d.unit ? ` ${d.unit}` : ""}`);
  }
  return lines.join("\n");
}

/** The trend of the trend metrics over the last `n` iterations (empty with fewer than 2). */
export function seedTrendText(history: readonly Record<string, number>[], n = 3): string {
  if (history.length < 2) return "";
  const last = history.slice(-n);
  return SEED_METRICS.filter((d) => d.trend)
    .map((d) => {
      const vals = last.map((h) => h[d.name]!);
      const delta = vals[vals.length - 1]! - vals[0]!;
      const tag = delta === 0 ? "stable" : delta < 0 === d.lowerIsBetter ? "improving" : "worsening";
      return `  ${d.name.padEnd(26)} ${vals.map((v) => fmt(v, 4)).join(" -> ")}  (${tag})`;
    })
    .join("\n");
}

/** The interpretation guide of the seed prompt. */
export function seedMetricsGuide(): string {
  return SEED_METRICS.map((d) => `  ${d.name}: ${d.guide}`).join("\n");
}
