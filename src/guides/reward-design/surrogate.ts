/**
 * The offline SURROGATE reward designer (not an LLM). It reads the prompt text as an LLM would — the
 * candidate number, and from iteration 2 the best previous code and its reflection (behaviour metrics,
 * component statistics) — and writes real reward code composed from a library of hand-written reward
 * terms, with weights adjusted in response to the reflected metrics. The whole loop (sandbox, training,
 * reflection, selection) thus runs without a key. Its answers say "surrogate" in the text and the code.
 *
 * Quality knob (see SurrogateQuality): with probability 1 - accuracy a candidate carries one realistic
 * bug (an unknown info field, a missing component on some steps, a syntax slip, a forbidden call) so the
 * validate-and-fix path is exercised; `noise` perturbs the weights.
 */
import { promptText, registerSurrogateHandler, type SurrogateQuality } from "../../llm/providers/surrogate.js";
import type { CompletionRequest } from "../../llm/types.js";
import type { SurrogateRng } from "../random.js";

export const REWARD_DESIGN_GUIDE = "reward-design";
export const WRITE_REWARD_TASK = "write-reward";
export const FIX_REWARD_TASK = "fix-reward";

/** One hand-written reward term: a value (JavaScript statements defining `const <name>`) and its meaning. */
export interface RewardTerm {
  name: string;
  /** Statements that define `const <name> = ...;` from obs, action, nextObs, info. */
  code: string;
  /** One-line rationale written into the answer. */
  why: string;
  /** Weight when the term is first introduced. */
  initialWeight: number;
}

/** The library the surrogate composes from. */
export const REWARD_TERMS: readonly RewardTerm[] = [
  { name: "progress", code: "const progress = (130 / 30) * info.hullVx / 50; // native scale: metres moved this step * 130/30", why: "forward movement of the hull, on the native reward's scale", initialWeight: 1 },
  { name: "speed", code: "const speed = tolerance(info.hullVx, {lower: 1.0, upper: 3.0, margin: 1.0, sigmoid: \"linear\"}) - 0.5;", why: "a bonus for walking at 1-3 m/s and a penalty for standing still", initialWeight: 0.1 },
  { name: "upright", code: "const upright = -Math.abs(info.hullAngle);", why: "keeps the hull level", initialWeight: 1 },
  { name: "wobble", code: "const wobble = -Math.abs(info.hullAngularVelocity) / 10;", why: "damps the hull's rotation", initialWeight: 0.5 },
  { name: "fall", code: "const fall = info.fell ? -1 : 0;", why: "a fall ends the episode: make it expensive", initialWeight: 100 },
  { name: "torque", code: "const torque = -absSum(action.map((a) => clip(a, -1, 1))) / 4;", why: "the native torque cost, normalised", initialWeight: 0.03 },
  { name: "energy", code: "let power = 0;\n  for (let j = 0; j < 4; j++) power += Math.abs(info.jointTorques[j] * info.jointSpeeds[j]);\n  const energy = -power / 50 / 100; // joules this step / 100", why: "mechanical energy |torque * speed| * dt actually spent", initialWeight: 0.2 },
  { name: "alternation", code: "const c1 = info.legContactCounts[0] > 0, c2 = info.legContactCounts[1] > 0;\n  const alternation = c1 !== c2 ? 1 : 0; // single support: one foot down, the other swinging", why: "rewards single support, the walking phase", initialWeight: 0.05 },
  { name: "scissor", code: "const scissor = clip(-(info.jointSpeeds[0] * info.jointSpeeds[2]) / 16, -1, 1);", why: "legs swinging in opposite directions (a left-right gait)", initialWeight: 0.05 },
  { name: "bounce", code: "const bounce = -Math.abs(info.hullVy) / 5;", why: "less vertical bobbing and hopping", initialWeight: 0.2 },
];

const TERM = new Map(REWARD_TERMS.map((t) => [t.name, t]));

/** The first-iteration designs, one per candidate slot (cycled with perturbed weights beyond 4). */
const INITIAL_DESIGNS: readonly string[][] = [
  ["progress", "upright", "fall", "torque"],
  ["progress", "speed", "fall", "energy", "alternation"],
  ["progress", "upright", "wobble", "scissor", "fall"],
  ["progress", "upright", "fall", "energy", "bounce", "alternation"],
];

export type Weights = Record<string, number>;

/** Bugs the sandbox catches when it runs the code: an unknown field, a missing component, a syntax slip, a forbidden call. */
export const RUNTIME_BUGS = ["unknown-field", "missing-component", "syntax", "forbidden"] as const;
/**
 * Bugs that run cleanly but pay for the wrong behaviour (only the check before compute catches them before
 * training): progress with the wrong sign, a bonus for standing still that outweighs progress, a fall that
 * pays instead of costs.
 */
export const SEMANTIC_BUGS = ["wrong-sign", "pays-standing", "rewards-falling"] as const;
/** Bugs the surrogate plants on purpose (a realistic first-draft mistake each). */
export const PLANTED_BUGS = [...RUNTIME_BUGS, ...SEMANTIC_BUGS] as const;
export type PlantedBug = (typeof PLANTED_BUGS)[number];

/** Writes the reward code for a set of weights, optionally with a planted bug. */
export function composeRewardCode(weights: Weights, bug?: PlantedBug): string {
  const names = Object.keys(weights);
  for (const n of names) if (!TERM.has(n)) throw new Error(`surrogate: unknown reward term "${n}"`);
  const w = names.map((n) => `${n}: ${round(weights[n]!)}`).join(", ");
  const body = names.map((n) => "  " + TERM.get(n)!.code.replace(/\n/g, "\n")).join("\n");
  let code = `function computeReward(obs, action, nextObs, info) {
  // Written by the surrogate reward designer (hand-written terms, not an LLM).
  const w = {${w}};
${body}
  const components = {${names.map((n) => `${n}: w.${n} * ${n}`).join(", ")}};
  const reward = ${names.map((n) => `components.${n}`).join(" + ")};
  return {reward, components};
}`;
  if (bug === "unknown-field") code = code.replace(/info\.hullVx|info\.hullAngle\b/, "info.hull_vx");
  else if (bug === "missing-component") code = code.replace("return {reward, components};", "if (info.legContactCounts[0] > 0) return {reward, components: {total: reward}};\n  return {reward, components};");
  else if (bug === "syntax") code = code.replace("const components = {", "const components = {{");
  else if (bug === "forbidden") code = code.replace("const w = {", "const jitter = Math.random() * 1e-3;\n  const w = {").replace("const reward = ", "const reward = jitter + ");
  else if (bug === "wrong-sign") code = code.replace("const progress = (130 / 30)", "const progress = -(130 / 30)");
  else if (bug === "pays-standing") {
    code = code
      .replace("  const components = {", "  const still = Math.abs(info.hullVx) < 0.3 ? 2 : 0; // steady balance bonus\n  const components = {still, ")
      .replace("const reward = ", "const reward = components.still + ");
  } else if (bug === "rewards-falling") code = code.replace("const fall = info.fell ? -1 : 0;", "const fall = info.fell ? 1 : 0;");
  return code;
}

function round(x: number): number {
  return Number(x.toPrecision(3));
}

/** Reads the `const w = {...}` weights of the surrogate's (or a compatible) code. */
export function parseWeights(code: string): Weights | undefined {
  const m = /const\s+w\s*=\s*\{([^}]*)\}/.exec(code);
  if (!m) return undefined;
  const out: Weights = {};
  for (const pair of m[1]!.split(",")) {
    const kv = /^\s*(\w+)\s*:\s*(-?[\d.]+(?:e[-+]?\d+)?)\s*$/.exec(pair);
    if (kv && TERM.has(kv[1]!)) out[kv[1]!] = Number(kv[2]);
  }
  return Object.keys(out).length ? out : undefined;
}

/** Reads "- name: value" metric lines of the reflection. */
export function parseReflectedMetrics(prompt: string): Record<string, number> {
  const section = prompt.split("Behaviour metrics of the final evaluation episodes:")[1];
  const out: Record<string, number> = {};
  if (!section) return out;
  for (const line of section.split("\n")) {
    const m = /^- (\w+): (-?[\d.]+(?:e[-+]?\d+)?)/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
    else if (line.startsWith("Failure kinds")) break;
  }
  return out;
}

/** The seed prompt's gait metrics in the names adjustWeights reads, or undefined for other prompts. */
export function parseSeedPromptMetrics(prompt: string): Record<string, number> | undefined {
  if (!/Gait metrics of the current policy/.test(prompt)) return undefined;
  const read = (name: string) => {
    const m = new RegExp(`^\\s+${name}\\s+(-?[\\d.]+(?:e[-+]?\\d+)?)`, "m").exec(prompt);
    return m ? Number(m[1]) : NaN;
  };
  const out: Record<string, number> = {
    fall_rate: read("fall_rate"),
    distance: read("average_forward_distance"),
    hull_tilt: read("torso_tilt"),
    gait_symmetry: 1 - Math.min(1, read("gait_symmetry_index")),
    flight: read("flight_fraction"),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => Number.isFinite(v)));
}

/** Reads the last window's component means ("- name: mean [min, max] -> ..."). */
export function parseComponentMeans(prompt: string): Record<string, number> {
  const section = prompt.split("Reward components per step during training")[1]?.split("Behaviour metrics")[0];
  const out: Record<string, number> = {};
  if (!section) return out;
  for (const line of section.split("\n")) {
    const m = /^- (\w+): (.*)$/.exec(line);
    if (!m) continue;
    const last = m[2]!.split("->").pop()!.trim();
    const v = Number(last.split(" ")[0]);
    if (Number.isFinite(v)) out[m[1]!] = v;
  }
  return out;
}

/** A candidate slot's variation of the adjustment rules (so K candidates explore different fixes). */
export function adjustWeights(base: Weights, metrics: Record<string, number>, componentMeans: Record<string, number>, candidate: number): { weights: Weights; notes: string[] } {
  const w: Weights = { ...base };
  const notes: string[] = [];
  const scale = (name: string, f: number, why: string) => {
    if (w[name] === undefined) {
      w[name] = TERM.get(name)!.initialWeight;
      notes.push(`add ${name} (${TERM.get(name)!.why}) because ${why}`);
    } else {
      w[name] = w[name]! * f;
      notes.push(`${f > 1 ? "raise" : "lower"} ${name} x${f} because ${why}`);
    }
  };
  const m = (k: string, d: number) => (Number.isFinite(metrics[k]) ? metrics[k]! : d);
  const variant = (candidate - 1) % 4;
  if (m("fall_rate", 0) > 0) {
    scale("fall", 1.5, `${Math.round(m("fall_rate", 0) * 100)}% of episodes fall`);
    if (variant !== 2) scale("upright", 1.5, "falls start with the hull tipping over");
  }
  // Stability first: while most episodes end in a fall, only candidate slot 2 pushes for more progress
  // (measured: pushing progress on a falling walker taught lunges that fall further out).
  const mostlyFalls = m("fall_rate", 0) >= 0.5;
  if (m("distance", 0) < 10 && (!mostlyFalls || variant === 1)) {
    scale("progress", variant === 1 ? 2 : 1.5, `it only walks ${m("distance", 0).toFixed(1)} m`);
    if (variant === 1 || m("distance", 0) < 1) scale("speed", 1.5, "it barely moves forward");
  }
  if (m("hull_tilt", 0) > 0.2) scale(variant === 3 ? "wobble" : "upright", 1.5, `the hull leans ${m("hull_tilt", 0).toFixed(2)} rad on average`);
  if (m("gait_symmetry", 1) < 0.5 || m("alternation", 1) < 0.5) scale(variant === 2 ? "scissor" : "alternation", 1.5, "the gait is one-legged or does not alternate");
  if (m("flight", 0) > 0.3) scale("bounce", 1.5, `it is airborne ${Math.round(m("flight", 0) * 100)}% of the time`);
  if (m("energy_per_meter", 0) > 60 && m("distance", 0) >= 1) scale("energy", 1.3, `it spends ${m("energy_per_meter", 0).toFixed(0)} J per metre`);
  // Terms that dwarf progress drown the learning signal: shrink them (the fall term is episodic, keep it).
  const progressMean = Math.abs(componentMeans.progress ?? 0);
  if (variant === 3 && progressMean > 0) {
    for (const [name, mean] of Object.entries(componentMeans)) {
      if (name === "progress" || name === "fall" || name === "total" || w[name] === undefined) continue;
      if (Math.abs(mean) > 5 * progressMean) scale(name, 0.5, `its mean per step (${mean.toExponential(1)}) dwarfs progress`);
    }
  }
  if (notes.length === 0) scale("progress", 1.2, "nothing is wrong, so push for more speed");
  return { weights: w, notes };
}

function candidateSlot(prompt: string): { candidate: number; candidates: number } {
  const m = /candidate (\d+) of (\d+)/.exec(prompt);
  return m ? { candidate: Number(m[1]), candidates: Number(m[2]) } : { candidate: 1, candidates: 1 };
}

function perturb(weights: Weights, rng: SurrogateRng, noise: number): Weights {
  if (noise <= 0) return weights;
  const out: Weights = {};
  for (const [k, v] of Object.entries(weights)) out[k] = v * Math.exp(noise * rng.normal());
  return out;
}

function answer(analysis: string[], code: string): string {
  return `(Surrogate reward designer: hand-written reward terms weighted by rules, not an LLM.)\n\n${analysis.join("\n")}\n\n\`\`\`javascript\n${code}\n\`\`\`\n`;
}

/** The surrogate's answer to a write-reward prompt. */
export function writeRewardAnswer(request: CompletionRequest, rng: SurrogateRng, quality: SurrogateQuality): string {
  const prompt = promptText(request);
  const { candidate } = candidateSlot(prompt);
  const bestCode = /The best reward function so far[\s\S]*?```javascript\n([\s\S]*?)```/.exec(prompt)?.[1];
  const seedMetrics = parseSeedPromptMetrics(prompt);
  let weights: Weights;
  let analysis: string[];
  if (seedMetrics) {
    // The seed preset's prompt shows metrics but no previous code: start from the first design and adjust.
    const base = Object.fromEntries(INITIAL_DESIGNS[0]!.map((n) => [n, TERM.get(n)!.initialWeight]));
    const adjusted = adjustWeights(base, seedMetrics, {}, candidate);
    weights = adjusted.weights;
    analysis = ["From the gait metrics (no previous code is shown, so from the first design):", ...adjusted.notes.map((n) => `- ${n}`)];
  } else if (bestCode) {
    const base = parseWeights(bestCode) ?? Object.fromEntries(INITIAL_DESIGNS[0]!.map((n) => [n, TERM.get(n)!.initialWeight]));
    const adjusted = adjustWeights(base, parseReflectedMetrics(prompt), parseComponentMeans(prompt), candidate);
    weights = adjusted.weights;
    analysis = ["Changes to the best reward so far, from the reflected metrics:", ...adjusted.notes.map((n) => `- ${n}`)];
  } else {
    const design = INITIAL_DESIGNS[(candidate - 1) % INITIAL_DESIGNS.length]!;
    weights = Object.fromEntries(design.map((n) => [n, TERM.get(n)!.initialWeight]));
    if (candidate > INITIAL_DESIGNS.length) weights = perturb(weights, rng, 0.3);
    analysis = ["Design: a weighted sum of named terms:", ...design.map((n) => `- ${n}: ${TERM.get(n)!.why}`)];
  }
  weights = perturb(weights, rng, quality.noise);
  const bug = rng.random() >= quality.accuracy ? rng.choice(PLANTED_BUGS) : undefined;
  return answer(analysis, composeRewardCode(weights, bug));
}

/** The surrogate's answer to a fix request: the same weights, written without the mistake. */
export function fixRewardAnswer(request: CompletionRequest, rng: SurrogateRng, quality: SurrogateQuality): string {
  const previous = [...request.messages].reverse().find((m) => m.role === "assistant")?.content ?? "";
  const code = /```javascript\n([\s\S]*?)```/.exec(previous)?.[1] ?? "";
  const weights = parseWeights(code) ?? Object.fromEntries(INITIAL_DESIGNS[0]!.map((n) => [n, TERM.get(n)!.initialWeight]));
  const error = /The check reported:\n\n(.*)/.exec(promptText(request))?.[1] ?? "the reported error";
  // A weak surrogate may fail the fix too (then the candidate is dropped).
  const bug = rng.random() >= quality.accuracy ? rng.choice(PLANTED_BUGS) : undefined;
  return answer([`Fix for: ${error}`, "Rewritten from the same terms and weights without the mistake."], composeRewardCode(weights, bug));
}

/** Registers the surrogate designer with the LLM layer (idempotent); returns a function that removes it. */
export function registerRewardDesignSurrogate(): () => void {
  const a = registerSurrogateHandler(REWARD_DESIGN_GUIDE, WRITE_REWARD_TASK, writeRewardAnswer);
  const b = registerSurrogateHandler(REWARD_DESIGN_GUIDE, FIX_REWARD_TASK, fixRewardAnswer);
  return () => {
    a();
    b();
  };
}
