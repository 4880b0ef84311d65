/**
 * Checking the algorithms' hyperparameters (SB3 names, camelCase): unknown names are refused as SB3 refuses
 * unknown keyword arguments, and each setting is checked with an error that names it.
 */

/** `o` without its undefined entries (so `{ ...defaults, ...stripUndefined(options) }` keeps the defaults). */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Options that rl-zoo files carry for gSDE, which this package does not implement: accepted and ignored. */
const IGNORED_OPTIONS = ["useSde", "sdeSampleFreq", "useSdeAtWarmup", "logStdInit"];

/**
 * Rejects misspelt or unsupported hyperparameters (SB3 raises on unknown keyword arguments too): every name
 * must be one of `defaults` or of `accepted` (options without a default, e.g. the guide); the error lists
 * them all. Returns the options without the ignored gSDE ones.
 */
export function knownOptions<T extends object>(algo: string, options: Partial<T>, defaults: T, accepted: readonly string[] = ["guide"]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (IGNORED_OPTIONS.includes(k)) continue;
    if (!(k in defaults) && !accepted.includes(k)) throw new Error(`${algo}: unknown option "${k}" (known: ${[...Object.keys(defaults), ...accepted].join(", ")})`);
    out[k] = v;
  }
  return out as Partial<T>;
}

export function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${v}`);
  return v;
}

/** `positiveInt` for each of `keys` of `config`, the error prefixed with the algorithm's name. */
export function validatePositive(algo: string, config: object, keys: string[]): void {
  for (const k of keys) positiveInt(`${algo}: ${k}`, (config as Record<string, number>)[k]!);
}

export function finite(name: string, v: number): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${name} must be a finite number, got ${v}`);
  return v;
}

export function inRange(name: string, v: number, lo: number, hi: number): number {
  if (typeof v !== "number" || !(v >= lo && v <= hi)) throw new Error(`${name} must be in [${lo}, ${hi}], got ${v}`);
  return v;
}

/** The JSON-safe part of the options (stored in checkpoints and run configs). */
export type StoredOptions = Record<string, unknown>;

/** Options as stored: the guide left out, functions (schedules) written as "function". */
export function jsonSafe(o: Record<string, unknown>): StoredOptions {
  const out: StoredOptions = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === "guide") continue;
    out[k] = typeof v === "function" ? "function" : v;
  }
  return out;
}
