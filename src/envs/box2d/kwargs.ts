/**
 * Reading environment keyword arguments given either in camelCase (this package's convention) or in
 * Gymnasium's snake_case (`enable_wind`), with clear errors for unknown names and wrong types.
 */
import type { EnvKwargs } from "../registration.js";

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Checks that every key of `kwargs` is one of `known` (camelCase) or its snake_case spelling. */
export function checkKwargs(envName: string, kwargs: EnvKwargs, known: readonly string[]): void {
  const accepted = new Set([...known, ...known.map(snake)]);
  for (const key of Object.keys(kwargs)) {
    if (!accepted.has(key)) {
      throw new TypeError(`${envName}: unknown option ${JSON.stringify(key)}; known options: ${known.join(", ")}`);
    }
  }
}

/** The value of option `name` (camelCase or snake_case), or undefined. */
export function kwargValue(kwargs: EnvKwargs, name: string): unknown {
  return kwargs[name] !== undefined ? kwargs[name] : kwargs[snake(name)];
}

export function boolOption(envName: string, kwargs: EnvKwargs, name: string, fallback: boolean): boolean {
  const v = kwargValue(kwargs, name);
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean") throw new TypeError(`${envName}: option ${name} must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

export function numberOption(envName: string, kwargs: EnvKwargs, name: string, fallback: number): number {
  const v = kwargValue(kwargs, name);
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${envName}: option ${name} must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

export function renderModeOption(envName: string, kwargs: EnvKwargs): "svg" | null {
  const v = kwargValue(kwargs, "renderMode");
  if (v === undefined || v === null) return null;
  if (v !== "svg") throw new TypeError(`${envName}: renderMode must be "svg" or null, got ${JSON.stringify(v)}`);
  return "svg";
}
