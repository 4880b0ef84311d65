/**
 * Renders states and actions to text from the environment's self-description (`EnvSpec.describe()`),
 * so the prompt names every observation field the way the environment documents it.
 */
import type { EnvDescription, FieldDescription } from "../../core/env.js";

/** Formats a number compactly: fixed decimals, no negative zero, integers without a fraction. */
export function formatNumber(value: number, decimals = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const s = value.toFixed(decimals);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

function fieldValue(field: FieldDescription, row: ArrayLike<number>, decimals: number): string {
  const [start, end] = field.index;
  if (end - start === 1) return formatNumber(row[start]!, decimals);
  const parts: string[] = [];
  for (let i = start; i < end; i++) parts.push(formatNumber(row[i]!, decimals));
  return `[${parts.join(", ")}]`;
}

/** Field names as words: `pole_angular_velocity` -> `pole angular velocity`. */
export function fieldLabel(name: string): string {
  return name.replace(/_/g, " ");
}

function withUnit(text: string, unit: string | undefined): string {
  return unit ? `${text} ${unit}` : text;
}

/** `cart position = 0.012 m, cart velocity = -0.210 m/s, ...` */
export function renderState(desc: EnvDescription, obs: ArrayLike<number>, decimals = 3): string {
  return desc.observation.map((f) => `${fieldLabel(f.name)} = ${withUnit(fieldValue(f, obs, decimals), f.unit)}`).join(", ");
}

/** Discrete: `1 (push cart to the right)`; Box: `torque = 1.250 N m`. */
export function renderAction(desc: EnvDescription, action: ArrayLike<number>, decimals = 3): string {
  if (desc.actionMeanings && desc.actionMeanings.length > 0) {
    const index = Math.round(action[0]!);
    const meaning = desc.actionMeanings[index];
    if (meaning === undefined) throw new RangeError(`action ${index} is outside the ${desc.actionMeanings.length} actions of ${desc.id}`);
    return `${index} (${meaning})`;
  }
  if (desc.action.length === 0) return `[${Array.from(action, (v) => formatNumber(v, decimals)).join(", ")}]`;
  return desc.action.map((f) => `${fieldLabel(f.name)} = ${withUnit(fieldValue(f, action, decimals), f.unit)}`).join(", ");
}

/** One pair line, numbered from 1: `Pair 3: state: ...; action: ...`. */
export function renderPair(desc: EnvDescription, k: number, obs: ArrayLike<number>, action: ArrayLike<number>, decimals = 3): string {
  return `Pair ${k}: state: ${renderState(desc, obs, decimals)}; action: ${renderAction(desc, action, decimals)}`;
}

function rangeText(f: FieldDescription): string {
  const lo = f.low, hi = f.high;
  if (lo === undefined && hi === undefined) return "";
  const show = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "unbounded" : formatNumber(v));
  return ` (range ${show(lo)} to ${show(hi)})`;
}

/** The observation fields, one per line: `- pole angle (rad): angle of the pole from upright, ...`. */
export function renderObservationFields(desc: EnvDescription): string {
  return desc.observation.map((f) => `- ${fieldLabel(f.name)}${f.unit ? ` (${f.unit})` : ""}: ${f.description}${rangeText(f)}`).join("\n");
}

/** The actions: the meaning of each index for Discrete spaces, the fields and bounds for Box spaces. */
export function renderActionFields(desc: EnvDescription): string {
  if (desc.actionMeanings && desc.actionMeanings.length > 0) {
    return desc.actionMeanings.map((m, i) => `- ${i}: ${m}`).join("\n");
  }
  return desc.action.map((f) => `- ${fieldLabel(f.name)}${f.unit ? ` (${f.unit})` : ""}: ${f.description}${rangeText(f)}`).join("\n");
}
