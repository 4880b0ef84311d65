/** Reads a one-element continuous action (Float32Array, number[] or a plain number) as its float32 value. */
export function scalarAction(envName: string, action: unknown): number {
  let v: unknown;
  if (typeof action === "number") v = action;
  else if (action !== null && typeof action === "object" && (Array.isArray(action) || ArrayBuffer.isView(action))) {
    const a = action as ArrayLike<unknown>;
    if (a.length !== 1) throw new RangeError(`${envName}: action must hold exactly one value, got ${a.length}`);
    v = a[0];
  }
  if (typeof v !== "number" || Number.isNaN(v)) {
    throw new TypeError(`${envName}: action must be a Float32Array of length 1 (or [number]), got ${String(action)}`);
  }
  return Math.fround(v);
}

/** numpy's float modulo (result has the divisor's sign), used by Pendulum's angle normalisation. */
export function pyMod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && m < 0 !== b < 0 ? m + b : m;
}
