/**
 * Behaviour metrics of a BipedalWalker policy, computed from evaluation rollouts. They describe HOW the
 * walker moves (not just how much native reward it got), so the reflection shown to the reward designer
 * can say "it falls", "it shuffles on one leg", "it burns energy", and the final table can compare gaits.
 *
 * Every metric is documented in `BEHAVIOUR_METRICS` (name, unit, meaning); the prompts show those texts.
 */

/** What one evaluation step contributes (read from BipedalWalker's documented `info`). */
export interface StepRecord {
  hullX: number;
  hullY: number;
  hullAngle: number;
  hullAngularVelocity: number;
  hullVx: number;
  hullVy: number;
  jointAngles: readonly number[];
  jointSpeeds: readonly number[];
  jointTorques: readonly number[];
  legContactCounts: readonly number[];
  action: ArrayLike<number>;
  reward: number;
}

/** One evaluation episode: the start position, every step, and how it ended. */
export interface EpisodeTrace {
  startX: number;
  steps: StepRecord[];
  nativeReturn: number;
  fell: boolean;
  reachedEnd: boolean;
  truncated: boolean;
}

/** The environment reward design is written for. */
export const ENV_ID = "BipedalWalker-v3";

/** BipedalWalker runs at 50 steps per second. */
export const STEP_SECONDS = 1 / 50;

export interface MetricDoc {
  name: string;
  unit: string;
  description: string;
  /** Which direction is better for walking (used by the surrogate designer and for reading tables). */
  better: "higher" | "lower" | "closer to 1" | "neutral";
}

/** The documented behaviour metrics, in the order they are reported. */
export const BEHAVIOUR_METRICS: readonly MetricDoc[] = [
  { name: "native_return", unit: "", description: "Episode return of BipedalWalker's own reward (the fitness; about 300 when walking the whole course).", better: "higher" },
  { name: "distance", unit: "m", description: "Hull x displacement from the start to the end of the episode.", better: "higher" },
  { name: "forward_speed", unit: "m/s", description: "Mean forward speed: distance divided by the episode duration.", better: "higher" },
  { name: "episode_length", unit: "steps", description: "Steps until the episode ended (1600 is the time limit).", better: "neutral" },
  { name: "fall_rate", unit: "", description: "Fraction of episodes that ended in a fall (hull touched the ground or x < 0); reaching the end is not a fall.", better: "lower" },
  { name: "success_rate", unit: "", description: "Fraction of episodes that reached the end of the course.", better: "higher" },
  { name: "hull_tilt", unit: "rad", description: "Mean |hull angle| over the steps: how far the body leans.", better: "lower" },
  { name: "max_hull_tilt", unit: "rad", description: "Largest |hull angle| seen in an episode (mean over episodes).", better: "lower" },
  { name: "hull_angular_speed", unit: "rad/s", description: "Root mean square of the hull's angular velocity: wobble.", better: "lower" },
  { name: "vertical_bounce", unit: "m/s", description: "Root mean square of the hull's vertical velocity: how much it bobs.", better: "lower" },
  { name: "energy", unit: "J", description: "Mechanical energy spent per episode: sum over steps and joints of |torque * joint speed| * dt.", better: "lower" },
  { name: "energy_per_meter", unit: "J/m", description: "Energy divided by distance walked (only when the walker moved forward at least 1 m; else the energy itself).", better: "lower" },
  { name: "mean_abs_action", unit: "", description: "Mean |action| over joints and steps: motor effort as commanded (the native torque cost reads this).", better: "lower" },
  { name: "gait_symmetry", unit: "", description: "1 - |contact time leg1 - contact time leg2| / (sum): 1 when both legs carry the walker equally long, 0 when one leg never touches.", better: "closer to 1" },
  { name: "double_support", unit: "", description: "Fraction of steps with both lower legs on the ground.", better: "neutral" },
  { name: "single_support", unit: "", description: "Fraction of steps with exactly one lower leg on the ground (walking spends most time here).", better: "higher" },
  { name: "flight", unit: "", description: "Fraction of steps with no leg on the ground (hopping, jumping, or falling).", better: "lower" },
  { name: "step_frequency", unit: "Hz", description: "Touchdowns (a lower leg starting a ground contact) per second, both legs counted.", better: "neutral" },
  { name: "step_length", unit: "m", description: "Mean hull advance between consecutive touchdowns of the same leg (stride length).", better: "higher" },
  { name: "step_length_symmetry", unit: "", description: "min / max of the two legs' mean stride lengths: 1 when both legs step equally far.", better: "closer to 1" },
  { name: "alternation", unit: "", description: "Fraction of touchdowns made by the other leg than the previous touchdown: 1 for a clean left-right gait, 0 for hopping or dragging on one leg.", better: "higher" },
  { name: "hip_range", unit: "rad", description: "Mean over the two hips of (max - min) hip angle in an episode: how far the legs swing.", better: "neutral" },
  { name: "knee_range", unit: "rad", description: "Mean over the two knees of (max - min) knee angle in an episode.", better: "neutral" },
];

export type BehaviourMetrics = Record<string, number>;

/** Metrics of one episode (see `BEHAVIOUR_METRICS`). */
export function episodeMetrics(ep: EpisodeTrace): BehaviourMetrics {
  const n = ep.steps.length;
  const endX = n > 0 ? ep.steps[n - 1]!.hullX : ep.startX;
  const distance = endX - ep.startX;
  const seconds = Math.max(n, 1) * STEP_SECONDS;
  let tilt = 0, maxTilt = 0, angSq = 0, vySq = 0, energy = 0, effort = 0;
  let contact1 = 0, contact2 = 0, both = 0, single = 0, none = 0;
  const hipMin = [Infinity, Infinity], hipMax = [-Infinity, -Infinity];
  const kneeMin = [Infinity, Infinity], kneeMax = [-Infinity, -Infinity];
  // Touchdowns: a leg's contact count going from 0 to > 0.
  const prevContact = [true, true];
  const lastTouchX: (number | undefined)[] = [undefined, undefined];
  const strideSum = [0, 0], strideCount = [0, 0];
  let touchdowns = 0, alternations = 0, lastLeg = -1, consecutivePairs = 0;
  for (let t = 0; t < n; t++) {
    const s = ep.steps[t]!;
    const a = Math.abs(s.hullAngle);
    tilt += a;
    if (a > maxTilt) maxTilt = a;
    angSq += s.hullAngularVelocity * s.hullAngularVelocity;
    vySq += s.hullVy * s.hullVy;
    for (let j = 0; j < 4; j++) energy += Math.abs((s.jointTorques[j] ?? 0) * (s.jointSpeeds[j] ?? 0)) * STEP_SECONDS;
    let act = 0;
    for (let j = 0; j < s.action.length; j++) act += Math.abs(s.action[j]!);
    effort += s.action.length ? act / s.action.length : 0;
    const c = [(s.legContactCounts[0] ?? 0) > 0, (s.legContactCounts[1] ?? 0) > 0];
    if (c[0]) contact1++;
    if (c[1]) contact2++;
    if (c[0] && c[1]) both++;
    else if (c[0] || c[1]) single++;
    else none++;
    for (let leg = 0; leg < 2; leg++) {
      const hip = s.jointAngles[leg * 2] ?? 0;
      const knee = s.jointAngles[leg * 2 + 1] ?? 0;
      if (hip < hipMin[leg]!) hipMin[leg] = hip;
      if (hip > hipMax[leg]!) hipMax[leg] = hip;
      if (knee < kneeMin[leg]!) kneeMin[leg] = knee;
      if (knee > kneeMax[leg]!) kneeMax[leg] = knee;
      if (c[leg] && !prevContact[leg]) {
        touchdowns++;
        if (lastLeg >= 0) {
          consecutivePairs++;
          if (lastLeg !== leg) alternations++;
        }
        lastLeg = leg;
        const prevX = lastTouchX[leg];
        if (prevX !== undefined) {
          strideSum[leg]! += s.hullX - prevX;
          strideCount[leg]!++;
        }
        lastTouchX[leg] = s.hullX;
      }
      prevContact[leg] = c[leg]!;
    }
  }
  const safeN = Math.max(n, 1);
  const contactTotal = contact1 + contact2;
  const stride = [0, 1].map((leg) => (strideCount[leg]! > 0 ? strideSum[leg]! / strideCount[leg]! : 0));
  const strideAll = strideCount[0]! + strideCount[1]! > 0 ? (strideSum[0]! + strideSum[1]!) / (strideCount[0]! + strideCount[1]!) : 0;
  const strideMax = Math.max(Math.abs(stride[0]!), Math.abs(stride[1]!));
  const range = (lo: number[], hi: number[]) => (n > 0 ? (hi[0]! - lo[0]! + hi[1]! - lo[1]!) / 2 : 0);
  return {
    native_return: ep.nativeReturn,
    distance,
    forward_speed: distance / seconds,
    episode_length: n,
    fall_rate: ep.fell ? 1 : 0,
    success_rate: ep.reachedEnd ? 1 : 0,
    hull_tilt: tilt / safeN,
    max_hull_tilt: maxTilt,
    hull_angular_speed: Math.sqrt(angSq / safeN),
    vertical_bounce: Math.sqrt(vySq / safeN),
    energy,
    energy_per_meter: distance >= 1 ? energy / distance : energy,
    mean_abs_action: effort / safeN,
    gait_symmetry: contactTotal > 0 ? 1 - Math.abs(contact1 - contact2) / contactTotal : 0,
    double_support: both / safeN,
    single_support: single / safeN,
    flight: none / safeN,
    step_frequency: touchdowns / seconds,
    step_length: strideAll,
    step_length_symmetry: strideMax > 0 && stride[0]! * stride[1]! > 0 ? Math.min(Math.abs(stride[0]!), Math.abs(stride[1]!)) / strideMax : 0,
    alternation: consecutivePairs > 0 ? alternations / consecutivePairs : 0,
    hip_range: range(hipMin, hipMax),
    knee_range: range(kneeMin, kneeMax),
  };
}

/** The mean of each metric over episodes (rates become fractions of episodes). */
export function behaviourMetrics(episodes: readonly EpisodeTrace[]): BehaviourMetrics {
  if (episodes.length === 0) throw new Error("behaviourMetrics: no episodes");
  const per = episodes.map(episodeMetrics);
  const out: BehaviourMetrics = {};
  for (const { name } of BEHAVIOUR_METRICS) out[name] = per.reduce((s, m) => s + m[name]!, 0) / per.length;
  return out;
}

/** The metric documentation as prompt text, one line each. */
export function metricsDocText(): string {
  return BEHAVIOUR_METRICS.map((m) => `- ${m.name}${m.unit ? ` (${m.unit})` : ""}: ${m.description}`).join("\n");
}

/** Metrics as "name: value" lines with units (for reflections). */
export function formatMetrics(metrics: BehaviourMetrics, digits = 3): string {
  return BEHAVIOUR_METRICS.filter((m) => m.name in metrics)
    .map((m) => `- ${m.name}: ${fmt(metrics[m.name]!, digits)}${m.unit ? ` ${m.unit}` : ""}`)
    .join("\n");
}

export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1000 && a < 1e7) return String(Math.round(x));
  if (a >= 1e7 || a < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(digits + (a >= 100 ? 1 : 0))).toString();
}
