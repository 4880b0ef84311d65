/**
 * The MuJoCo envs' constructor options: Gymnasium's keyword arguments in camelCase (snake_case accepted too),
 * read against each env's table of defaults, with errors that name the option.
 */
import type { EnvKwargs } from "../registration.js";
import { checkKwargs, kwargValue } from "../box2d/kwargs.js";

/** An option's value: a number, a flag, a string (`xmlFile`) or a `[low, high]` range (Infinity allowed). */
export type OptionValue = number | boolean | string | readonly [number, number];

/** Options every MuJoCo env takes besides its own table (accepted for Gymnasium compatibility). */
const IGNORED = ["renderMode"];

/**
 * Reads `kwargs` against `defaults`: every key of `defaults` may be given (camelCase or snake_case) with a value of
 * the default's type; unknown keys are an error. `frameSkip` must be a positive integer.
 */
export function readOptions<T extends Record<string, OptionValue>>(envName: string, kwargs: EnvKwargs, defaults: T): T {
  checkKwargs(envName, kwargs, [...Object.keys(defaults), ...IGNORED]);
  const out: Record<string, OptionValue> = { ...defaults };
  for (const [name, fallback] of Object.entries(defaults)) {
    const v = kwargValue(kwargs, name);
    if (v === undefined || v === null) continue;
    out[name] = checkOption(envName, name, v, fallback);
  }
  return out as T;
}

/** Checks one option against the type of its default; returns it. */
export function checkOption(envName: string, name: string, v: unknown, fallback: OptionValue): OptionValue {
  const bad = (want: string): never => {
    throw new TypeError(`${envName}: option ${name} must be ${want}, got ${JSON.stringify(v)}`);
  };
  if (name === "mainBody") return (typeof v === "string" && v.length > 0) || (Number.isInteger(v) && (v as number) >= 0) ? (v as string | number) : bad("a body name or id");
  if (typeof fallback === "number") {
    if (typeof v !== "number" || Number.isNaN(v)) bad("a number");
    if (name === "frameSkip" && !(Number.isInteger(v) && (v as number) >= 1)) bad("a positive integer");
    return v as number;
  }
  if (typeof fallback === "boolean") return typeof v === "boolean" ? v : bad("a boolean");
  if (typeof fallback === "string") return typeof v === "string" && v.length > 0 ? v : bad("a model name, a path to an .xml file or MJCF text");
  const ok = Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number" && !Number.isNaN(x)) && v[0] <= v[1];
  return ok ? ([v[0], v[1]] as const) : bad("[low, high] numbers with low <= high");
}
