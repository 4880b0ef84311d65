/**
 * The offline surrogate's answers to ULTRA's two prompts. Like an LLM, a handler sees only the prompt
 * text: it reads the environment id, the summary's numbers, the trajectory lines and the requested
 * answer format from it, applies hand-written domain knowledge and writes a reasoned answer ending in
 * the `ANSWER` block. Output of these handlers is "surrogate" output, never an LLM's.
 *
 *  - Pong: a state is critical when the ball approaches the agent and the paddle is off the ball's
 *    predicted intercept (walls reflected) while the agent's action does not close the gap; the advice
 *    is to move toward the intercept.
 *  - BipedalWalker (Gymnasium's observation layout): critical when the hull tilts past ~0.2 rad and keeps
 *    rotating the same way, or when the hull drops fast with a bent stance knee (leg collapse); the
 *    advice is a corrective torque: hips turning the hull back to level (the sign Gymnasium's own
 *    heuristic uses), stance knee straightened.
 *  - MuJoCo locomotion (Hopper-v5, Walker2d-v5, HalfCheetah-v5; fields read by name from the prompt):
 *    critical when the torso pitch heads out of the healthy range (beyond ~60% of the limit and still
 *    rotating outward), the torso height heads below the healthy minimum with a knee bent (a leg about
 *    to collapse), or forward velocity has stalled; the advice is corrective torques: hips against the
 *    pitch, knees straightened while the torso drops, ankles back toward neutral, and for a stall a push
 *    that follows the joints' current motion.
 */
import { promptText, registerSurrogateHandler, type SurrogateQuality } from "../../llm/providers/surrogate.js";
import type { SurrogateRng } from "../random.js";
import type { CompletionRequest } from "../../llm/types.js";

/** One trajectory line or critical-state block read back from a prompt. */
interface ReadState {
  step: number;
  values: number[];
  names: string[];
  action: string;
}

function readValues(text: string): { names: string[]; values: number[] } {
  const names: string[] = [];
  const values: number[] = [];
  for (const m of text.matchAll(/([A-Za-z_][\w\[\]]*)=(-?[\d.]+(?:e-?\d+)?)/g)) {
    names.push(m[1]!);
    values.push(Number(m[2]));
  }
  return { names, values };
}

/** The `step t: ... | action: a | reward: r` lines of a stage-1 prompt. */
function readTrajectory(prompt: string): ReadState[] {
  const out: ReadState[] = [];
  for (const m of prompt.matchAll(/^step (\d+): (.*?) \| action: (.*?) \| reward: (\S+)$/gm)) {
    out.push({ step: Number(m[1]), ...readValues(m[2]!), action: m[3]!.trim() });
  }
  return out;
}

/** The `Critical state k (step t): ...` blocks of a stage-2 prompt. */
function readCriticalStates(prompt: string): ReadState[] {
  const out: ReadState[] = [];
  for (const m of prompt.matchAll(/^Critical state \d+ \(step (\d+)\): (.*)\n\s+agent's action: (.*)$/gm)) {
    out.push({ step: Number(m[1]), ...readValues(m[2]!), action: m[3]!.trim() });
  }
  return out;
}

function envId(prompt: string): string {
  return /^Environment: (\S+)/m.exec(prompt)?.[1] ?? "";
}

function numberAfter(prompt: string, pattern: RegExp, fallback: number): number {
  const m = pattern.exec(prompt);
  const v = m ? Number(m[1]) : NaN;
  return Number.isFinite(v) ? v : fallback;
}

// ---------------------------------------------------------------- Pong

interface PongGeometry { halfHeight: number; paddleSpeed: number; topSpeed: number }

function pongGeometry(prompt: string): PongGeometry {
  return {
    halfHeight: numberAfter(prompt, /A paddle is ([\d.]+) high/, 0.4) / 2,
    paddleSpeed: numberAfter(prompt, /it moves ([\d.]+) per step/, 0.06),
    topSpeed: numberAfter(prompt, /top speed is ([\d.]+) per step/, 0.08),
  };
}

interface PongReading { approaching: boolean; intercept: number; gap: number; stepsToArrive: number; toward: string }

function value(s: ReadState, name: string): number {
  const i = s.names.indexOf(name);
  return i >= 0 ? s.values[i]! : NaN;
}

/** Where the ball will cross the agent's paddle line, with the walls' reflections. */
function readPong(s: ReadState, g: PongGeometry): PongReading {
  const x = value(s, "ball_x"), y = value(s, "ball_y"), vx = value(s, "ball_vx") * g.topSpeed, vy = value(s, "ball_vy") * g.topSpeed;
  const paddle = value(s, "agent_y");
  if (!(vx > 1e-6)) {
    // Ball moving away: the useful place to wait is the centre.
    const gap = -paddle;
    return { approaching: false, intercept: 0, gap, stepsToArrive: Infinity, toward: Math.abs(gap) < 0.08 ? "stay" : gap > 0 ? "up" : "down" };
  }
  const steps = Math.max(0, (0.93 - x) / vx);
  let yy = y + vy * steps;
  const top = 0.98;
  for (let k = 0; k < 8 && Math.abs(yy) > top; k++) yy = yy > top ? 2 * top - yy : -2 * top - yy;
  const gap = yy - paddle;
  return {
    approaching: true, intercept: yy, gap, stepsToArrive: steps,
    toward: Math.abs(gap) < g.halfHeight * 0.3 ? "stay" : gap > 0 ? "up" : "down",
  };
}

function fmt(x: number): string {
  return x.toFixed(2);
}

function pongCritical(prompt: string, maxCritical: number, rng: SurrogateRng, q: SurrogateQuality): string {
  const g = pongGeometry(prompt);
  const states = readTrajectory(prompt);
  const lines = [
    "(surrogate answer: hand-written Pong heuristics, not an LLM)",
    `1. Goal. The agent's paddle (right, x = 0.95) must be where the ball crosses x = 0.95; a point is lost when the ball passes it. A paddle reaches ${fmt(g.halfHeight)} above and below its centre and moves ${fmt(g.paddleSpeed)} per step.`,
    "2. Case analysis.",
  ];
  const candidates: CriticalCandidate[] = [];
  for (const s of states) {
    const r = readPong(s, g);
    if (!r.approaching) continue;
    const off = Math.abs(r.gap) > g.halfHeight * 0.8;
    const helps = s.action === r.toward;
    // Only states where the point can still be saved: the paddle can reach the intercept in time.
    const stepsNeeded = Math.max(0, Math.abs(r.gap) - g.halfHeight * 0.5) / g.paddleSpeed;
    if (!off || helps || stepsNeeded > r.stepsToArrive) continue;
    const cases = `moving ${r.toward} closes the ${fmt(Math.abs(r.gap))} gap to the predicted intercept y = ${fmt(r.intercept)} with ${fmt(r.stepsToArrive)} steps left; "${s.action}" does not`;
    lines.push(`   - step ${s.step}: ball approaching, paddle at ${fmt(value(s, "agent_y"))}; ${cases}.`);
    candidates.push({
      step: s.step,
      urgency: stepsNeeded / Math.max(1, r.stepsToArrive),
      rationale: `Ball approaching and paddle ${fmt(Math.abs(r.gap))} ${r.gap > 0 ? "below" : "above"} the predicted intercept ${fmt(r.intercept)} with about ${Math.round(r.stepsToArrive)} steps left, but the agent chose ${s.action}.`,
    });
  }
  if (candidates.length === 0) lines.push("   - no step has the ball approaching with the paddle off its intercept and not correcting.");
  const chosen = degrade(mostUrgentApart(candidates, maxCritical), states.map((s) => s.step), rng, q, (step) => ({ step, urgency: 0, rationale: "This state looks decisive." }));
  lines.push("3. Selection. Keeping the states where the point can still be saved but with the least time to spare, at least 3 steps apart.");
  lines.push("ANSWER");
  lines.push(JSON.stringify(chosen.map((c) => ({ step: c.step, rationale: c.rationale }))));
  return lines.join("\n");
}

interface CriticalCandidate {
  step: number;
  urgency: number;
  rationale: string;
}

/** The most urgent candidates (earlier step first on ties), at most `maxCritical`, each at least 3 steps from those kept before it. */
function mostUrgentApart(candidates: CriticalCandidate[], maxCritical: number): CriticalCandidate[] {
  candidates.sort((a, b) => b.urgency - a.urgency || a.step - b.step);
  const chosen: CriticalCandidate[] = [];
  for (const c of candidates) {
    if (chosen.length >= maxCritical) break;
    if (chosen.some((o) => Math.abs(o.step - c.step) < 3)) continue;
    chosen.push(c);
  }
  return chosen;
}

/** The quality knob: with probability 1 - accuracy an entry is replaced by a random step; abstention drops entries. */
function degrade<T extends { step: number }>(chosen: T[], steps: number[], rng: SurrogateRng, q: SurrogateQuality, random: (step: number) => T): T[] {
  const out: T[] = [];
  for (const c of chosen) {
    if (q.abstention > 0 && rng.random() < q.abstention) continue;
    if (q.accuracy < 1 && rng.random() >= q.accuracy && steps.length > 0) out.push(random(rng.choice(steps)));
    else out.push(c);
  }
  return out;
}

function wants(prompt: string): { action: boolean; reward: boolean } {
  const format = prompt.slice(prompt.lastIndexOf("ANSWER"));
  return { action: format.includes('"suggested_action"'), reward: format.includes('"implicit_reward"') };
}

function pongModulation(prompt: string, rng: SurrogateRng, q: SurrogateQuality): string {
  const g = pongGeometry(prompt);
  const want = wants(prompt);
  const lines = ["(surrogate answer: hand-written Pong heuristics, not an LLM)"];
  const answers: Record<string, unknown>[] = [];
  for (const s of readCriticalStates(prompt)) {
    const r = readPong(s, g);
    const where = r.approaching ? `the predicted intercept y = ${fmt(r.intercept)}` : "the centre (ball moving away)";
    lines.push(`State at step ${s.step}: the paddle is ${fmt(Math.abs(r.gap))} from ${where}. Cases: "${r.toward}" closes the gap${r.toward === "stay" ? " (already there)" : ""}; the other actions ${r.toward === "stay" ? "move it off" : "keep or widen it"}.`);
    let reward: number;
    if (s.action === r.toward) reward = r.approaching ? 1 : 0.3;
    else if (!r.approaching) reward = 0;
    else if (s.action === "stay") reward = -0.5;
    else reward = -1;
    let suggestion = r.toward;
    if (q.accuracy < 1 && rng.random() >= q.accuracy) suggestion = rng.choice(["stay", "up", "down"]);
    if (q.noise > 0) reward = Math.max(-1, Math.min(1, reward + rng.normal(0, q.noise)));
    const a: Record<string, unknown> = { step: s.step };
    if (want.action) a.suggested_action = suggestion;
    if (want.reward) a.implicit_reward = Number(reward.toFixed(2));
    a.reason = r.approaching ? `Move ${r.toward} toward the intercept ${fmt(r.intercept)} before the ball arrives.` : "Return toward the centre while the ball is away.";
    answers.push(a);
  }
  lines.push("ANSWER", JSON.stringify(answers));
  return lines.join("\n");
}

// ---------------------------------------------------------------- BipedalWalker

/** Gymnasium's BipedalWalker observation layout (the order the trajectory lines follow). */
const W = { angle: 0, angVel: 1, velX: 2, velY: 3, hip1: 4, knee1: 6, contact1: 8, hip2: 9, knee2: 11, contact2: 13 } as const;

interface WalkerReading { critical: boolean; urgency: number; why: string; torques: number[] }

function clip(x: number): number {
  return Math.max(-1, Math.min(1, x));
}

function readWalker(v: number[]): WalkerReading {
  const angle = v[W.angle]!, angVel = v[W.angVel]!, velY = v[W.velY]!;
  const contact = [v[W.contact1]! > 0.5, v[W.contact2]! > 0.5];
  const knee = [v[W.knee1]!, v[W.knee2]!];
  const tilting = Math.abs(angle) > 0.2 && angle * angVel > 0;
  // Knee observations are the joint angle + 1 (Gymnasium's layout): 0.9 is straight, below 0.1 deeply bent.
  const collapsing = velY < -0.12 && contact.some((c, i) => c && knee[i]! < 0.1);
  // Hips turn the hull back toward level (the reaction to a hip torque turns the hull the other way, so
  // the torque has the sign of the tilt); the stance knee straightens, harder the faster the hull drops.
  const correction = clip(2.5 * angle + 4 * angVel);
  const torques = [0, 0, 0, 0];
  const stance = contact[0] || contact[1] ? contact : [true, true];
  for (let leg = 0; leg < 2; leg++) {
    torques[2 * leg] = stance[leg] ? correction : clip(0.5 * correction);
    torques[2 * leg + 1] = stance[leg] ? clip(2 * (0.7 - knee[leg]!) - 15 * velY) : 0;
  }
  const why = tilting
    ? `hull tilted ${angle.toFixed(2)} rad and still rotating that way (angular velocity ${angVel.toFixed(2)}): a fall is starting`
    : collapsing
      ? `hull dropping (vertical velocity ${velY.toFixed(2)}) on a bent stance knee: the leg is collapsing`
      : "posture stable";
  return { critical: tilting || collapsing, urgency: Math.abs(angle) + 2 * Math.abs(angVel) + Math.max(0, -velY), why, torques };
}

function readTorques(action: string): number[] {
  return readValues(action).values;
}

function walkerCritical(prompt: string, maxCritical: number, rng: SurrogateRng, q: SurrogateQuality): string {
  const states = readTrajectory(prompt);
  const lines = [
    "(surrogate answer: hand-written BipedalWalker heuristics, not an LLM)",
    "1. Goal. Walk forward without the hull touching the ground; a fall ends the episode with -100.",
    "2. Case analysis.",
  ];
  const candidates: CriticalCandidate[] = [];
  for (const s of states) {
    if (s.values.length < 14) continue;
    const r = readWalker(s.values);
    if (!r.critical) continue;
    const taken = readTorques(s.action);
    const agrees = taken.length === 4 && taken.every((t, i) => Math.abs(t - r.torques[i]!) < 0.5);
    if (agrees) continue;
    lines.push(`   - step ${s.step}: ${r.why}; corrective torques would be [${r.torques.map((t) => t.toFixed(2)).join(", ")}], the agent's differ.`);
    candidates.push({ step: s.step, urgency: r.urgency, rationale: `${r.why[0]!.toUpperCase()}${r.why.slice(1)}; the agent did not correct it.` });
  }
  if (candidates.length === 0) lines.push("   - no step shows a growing tilt or a collapsing leg left uncorrected.");
  const chosen = degrade(mostUrgentApart(candidates, maxCritical), states.map((s) => s.step), rng, q, (step) => ({ step, urgency: 0, rationale: "This state looks decisive." }));
  lines.push("3. Selection. Keeping the earliest uncorrected signs of each fall, at least 3 steps apart.", "ANSWER");
  lines.push(JSON.stringify(chosen.map((c) => ({ step: c.step, rationale: c.rationale }))));
  return lines.join("\n");
}

function actionNames(prompt: string): string[] {
  const m = /"suggested_action": \{(.*?)\}/.exec(prompt.slice(prompt.lastIndexOf("ANSWER")));
  return m ? [...m[1]!.matchAll(/"([^"]+)":/g)].map((x) => x[1]!) : [];
}

function walkerModulation(prompt: string, rng: SurrogateRng, q: SurrogateQuality): string {
  const want = wants(prompt);
  const names = actionNames(prompt);
  const lines = ["(surrogate answer: hand-written BipedalWalker heuristics, not an LLM)"];
  const answers: Record<string, unknown>[] = [];
  for (const s of readCriticalStates(prompt)) {
    if (s.values.length < 14) continue;
    const r = readWalker(s.values);
    const taken = readTorques(s.action);
    const dist = taken.length === 4 ? Math.sqrt(taken.reduce((acc, t, i) => acc + ((t - r.torques[i]!) / 2) ** 2, 0) / 4) : 1;
    let reward = r.critical ? clip(1 - 4 * dist) : 0;
    if (q.noise > 0) reward = clip(reward + rng.normal(0, q.noise));
    let torques = r.torques;
    if (q.accuracy < 1 && rng.random() >= q.accuracy) torques = torques.map(() => rng.random() * 2 - 1);
    lines.push(`State at step ${s.step}: ${r.why}. Cases: pushing the stance hip with the tilt would turn the hull back; the opposite deepens the fall; a straighter stance knee holds the hull up.`);
    const a: Record<string, unknown> = { step: s.step };
    if (want.action) a.suggested_action = names.length === 4 ? Object.fromEntries(names.map((n, i) => [n, Number(torques[i]!.toFixed(2))])) : torques.map((t) => Number(t.toFixed(2)));
    if (want.reward) a.implicit_reward = Number(reward.toFixed(2));
    a.reason = "Corrective torques: stance hip against the tilt, stance knee straightened.";
    answers.push(a);
  }
  lines.push("ANSWER", JSON.stringify(answers));
  return lines.join("\n");
}

// ---------------------------------------------------------------- MuJoCo locomotion

/** What the surrogate knows of each robot: the healthy ranges (Gymnasium's defaults) and its joint names. */
interface Robot { pitchLimit: number; zMin: number; hips: string[]; knees: string[]; ankles: string[]; stall: number }

function robotOf(id: string): Robot | undefined {
  if (/^Hopper/.test(id)) return { pitchLimit: 0.2, zMin: 0.7, hips: ["thigh_joint"], knees: ["leg_joint"], ankles: ["foot_joint"], stall: 0.2 };
  if (/^Walker2d/.test(id)) return { pitchLimit: 1.0, zMin: 0.8, hips: ["thigh_joint", "thigh_left_joint"], knees: ["leg_joint", "leg_left_joint"], ankles: ["foot_joint", "foot_left_joint"], stall: 0.2 };
  // HalfCheetah cannot fall; flipping onto its back (pitch past ~1 rad) is its classic dead end.
  if (/^HalfCheetah/.test(id)) return { pitchLimit: 1.0, zMin: -Infinity, hips: ["bthigh", "fthigh"], knees: ["bshin", "fshin"], ankles: ["bfoot", "ffoot"], stall: 0.5 };
  return undefined;
}

interface LocoReading { critical: boolean; urgency: number; why: string; torques: Map<string, number> }

/** Reads one state; `motors` are the action names in order (joint name + "_motor", or the joint name itself). */
function readLocomotion(s: ReadState, robot: Robot): LocoReading {
  const v = (name: string) => value(s, name);
  const pitch = v("rooty"), pitchVel = v("rooty_vel"), z = v("rootz"), zVel = v("rootz_vel"), vx = v("rootx_vel");
  const heading = pitch + 0.1 * pitchVel; // where the pitch will be in ~0.1 s
  const tipping = Math.abs(heading) > 0.6 * robot.pitchLimit && pitch * pitchVel > 0;
  const bent = robot.knees.some((k) => v(k) < -0.5);
  const sinking = Number.isFinite(robot.zMin) && z + 0.1 * zVel < robot.zMin + 0.25 && zVel < 0 && bent;
  const stalled = !tipping && !sinking && vx < robot.stall;
  const torques = new Map<string, number>();
  // Hip torque with the sign of the pitch: its reaction turns the torso back toward level.
  const correction = clip(4 * heading / robot.pitchLimit * 0.25 + 0.5 * pitchVel);
  for (const h of robot.hips) torques.set(h, stalled ? clip(0.5 * Math.sign(v(`${h}_vel`) || 1)) : correction);
  // Knees straighten (toward 0) the harder the torso drops; ankles back toward neutral.
  for (const k of robot.knees) torques.set(k, stalled ? clip(0.5 * Math.sign(v(`${k}_vel`) || 1)) : clip(-1.5 * v(k) - 2 * Math.min(0, zVel)));
  for (const a of robot.ankles) torques.set(a, stalled ? clip(0.5 * Math.sign(v(`${a}_vel`) || 1)) : clip(-1.0 * v(a)));
  const why = tipping
    ? `torso pitch ${pitch.toFixed(2)} rad heading out of the healthy range (limit ${robot.pitchLimit}) and still rotating that way (${pitchVel.toFixed(2)} rad/s)`
    : sinking
      ? `torso height ${z.toFixed(2)} m dropping (${zVel.toFixed(2)} m/s) toward the healthy minimum ${robot.zMin} on a bent knee: the leg is about to collapse`
      : stalled
        ? `forward velocity ${vx.toFixed(2)} m/s: the gait has stalled`
        : "posture and speed fine";
  const urgency = tipping ? 2 + Math.abs(heading) / robot.pitchLimit : sinking ? 2 + (robot.zMin + 0.25 - z) : stalled ? robot.stall - vx : 0;
  return { critical: tipping || sinking || stalled, urgency, why, torques };
}

/** The torques in the order of the action's field names (a motor named `<joint>_motor` or after the joint itself). */
function torquesFor(names: string[], r: LocoReading): number[] {
  return names.map((n) => r.torques.get(n.replace(/_motor$/, "").replace(/^(thigh|leg|foot)(_left)?$/, "$1$2_joint")) ?? 0);
}

function locomotionCritical(prompt: string, robot: Robot, maxCritical: number, rng: SurrogateRng, q: SurrogateQuality): string {
  const states = readTrajectory(prompt);
  const lines = [
    `(surrogate answer: hand-written ${envId(prompt)} locomotion heuristics, not an LLM)`,
    "1. Goal. Move forward as fast as possible; for a robot that can fall, stay healthy (torso height and pitch within range).",
    "2. Case analysis.",
  ];
  const candidates: CriticalCandidate[] = [];
  for (const s of states) {
    const r = readLocomotion(s, robot);
    if (!r.critical) continue;
    lines.push(`   - step ${s.step}: ${r.why}.`);
    candidates.push({ step: s.step, urgency: r.urgency, rationale: `${r.why[0]!.toUpperCase()}${r.why.slice(1)}.` });
  }
  if (candidates.length === 0) lines.push("   - no step heads out of the healthy range or stalls.");
  const chosen = degrade(mostUrgentApart(candidates, maxCritical), states.map((s) => s.step), rng, q, (step) => ({ step, urgency: 0, rationale: "This state looks decisive." }));
  lines.push("3. Selection. Keeping the states closest to a fall (then the slowest), at least 3 steps apart.", "ANSWER");
  lines.push(JSON.stringify(chosen.map((c) => ({ step: c.step, rationale: c.rationale }))));
  return lines.join("\n");
}

function locomotionModulation(prompt: string, robot: Robot, rng: SurrogateRng, q: SurrogateQuality): string {
  const want = wants(prompt);
  const names = actionNames(prompt);
  const lines = [`(surrogate answer: hand-written ${envId(prompt)} locomotion heuristics, not an LLM)`];
  const answers: Record<string, unknown>[] = [];
  for (const s of readCriticalStates(prompt)) {
    const r = readLocomotion(s, robot);
    let torques = torquesFor(names, r);
    const taken = readTorques(s.action);
    const dist = taken.length === torques.length ? Math.sqrt(taken.reduce((acc, t, i) => acc + ((t - torques[i]!) / 2) ** 2, 0) / torques.length) : 1;
    let reward = r.critical ? clip(1 - 4 * dist) : 0;
    if (q.noise > 0) reward = clip(reward + rng.normal(0, q.noise));
    if (q.accuracy < 1 && rng.random() >= q.accuracy) torques = torques.map(() => rng.random() * 2 - 1);
    lines.push(`State at step ${s.step}: ${r.why}. Cases: hip torque with the pitch turns the torso back; straighter knees hold it up; following the joints' motion restarts a stalled gait.`);
    const a: Record<string, unknown> = { step: s.step };
    if (want.action) a.suggested_action = Object.fromEntries(names.map((n, i) => [n, Number(torques[i]!.toFixed(2))]));
    if (want.reward) a.implicit_reward = Number(reward.toFixed(2));
    a.reason = "Corrective torques: hips against the pitch, knees straightened, ankles to neutral (or a push along the gait when stalled).";
    answers.push(a);
  }
  lines.push("ANSWER", JSON.stringify(answers));
  return lines.join("\n");
}

// ---------------------------------------------------------------- registration

function maxCriticalOf(prompt: string): number {
  return Math.max(0, Math.round(numberAfter(prompt, /Choose at most (\d+) states/, 3)));
}

function criticalStatesHandler(request: CompletionRequest, rng: SurrogateRng, q: SurrogateQuality): string {
  const prompt = promptText(request);
  const id = envId(prompt);
  if (/^Pong/.test(id)) return pongCritical(prompt, maxCriticalOf(prompt), rng, q);
  if (/^BipedalWalker/.test(id)) return walkerCritical(prompt, maxCriticalOf(prompt), rng, q);
  const robot = robotOf(id);
  if (robot) return locomotionCritical(prompt, robot, maxCriticalOf(prompt), rng, q);
  return `(surrogate answer: no heuristics for ${id || "this environment"}, not an LLM)\nI cannot judge this environment.\nANSWER\n[]`;
}

function modulationHandler(request: CompletionRequest, rng: SurrogateRng, q: SurrogateQuality): string {
  const prompt = promptText(request);
  const id = envId(prompt);
  if (/^Pong/.test(id)) return pongModulation(prompt, rng, q);
  if (/^BipedalWalker/.test(id)) return walkerModulation(prompt, rng, q);
  const robot = robotOf(id);
  if (robot) return locomotionModulation(prompt, robot, rng, q);
  return `(surrogate answer: no heuristics for ${id || "this environment"}, not an LLM)\nANSWER\n[]`;
}

/** Registers the surrogate's ULTRA handlers (idempotent); returns a function that removes them. */
export function registerUltraSurrogate(): () => void {
  const a = registerSurrogateHandler("ultra", "critical-states", criticalStatesHandler);
  const b = registerSurrogateHandler("ultra", "modulation", modulationHandler);
  return () => { a(); b(); };
}
