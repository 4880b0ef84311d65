/**
 * The environment registry: Gymnasium's `register` / `make` / `spec` (its envs/registration.py). The
 * built-in ids are registered in register.ts (imported by envs/index.ts).
 *
 *     register({ id: "CartPole-v1", entryPoint: (kw) => new CartPoleEnv(kw), maxEpisodeSteps: 500, rewardThreshold: 475 });
 *     const env = make("CartPole-v1");              // EnvChecker(TimeLimit(CartPoleEnv))
 *     const lander = await makeAsync("LunarLander-v3"); // awaits the registration's prepare() first
 *
 * `make` is synchronous. Environments that need an asynchronously loaded engine (Box2D's wasm) register a
 * `prepare()`; `makeAsync` awaits it and then calls `make`.
 */
import type { Env, EnvDescription, EnvSpec, FieldDescription } from "../core/env.js";
import type { Space } from "../core/spaces.js";
// make() applies the standard wrappers.
import { EnvChecker } from "./wrappers/env-checker.js";
import { TimeLimit } from "./wrappers/time-limit.js";

/** Keyword arguments an environment is constructed with (Gymnasium's `kwargs`), camelCase keys. */
export type EnvKwargs = Record<string, unknown>;

export interface EnvRegistration {
  /** Gymnasium's id, e.g. "CartPole-v1". */
  id: string;
  /** Builds the bare environment from its keyword arguments. */
  entryPoint: (kwargs: EnvKwargs) => Env<any, any>;
  maxEpisodeSteps?: number;
  rewardThreshold?: number;
  nondeterministic?: boolean;
  /** Default keyword arguments; `make(id, {...})` overrides them. */
  kwargs?: EnvKwargs;
  /** Loads what the environment needs before it can be constructed (e.g. a wasm engine). */
  prepare?: () => Promise<unknown>;
  /** The environment's self-description for prompts; defaults to one derived from its spaces. */
  describe?: (kwargs: EnvKwargs) => EnvDescription;
  /** The keyword arguments the env accepts; when given, `make` rejects any other (catches typos). */
  kwargNames?: readonly string[];
}

/** Options of `make`: the registry's own, plus any keyword arguments for the environment. */
export interface MakeOptions {
  /** Overrides the registered episode limit (a positive integer); `null` makes the env without a TimeLimit. */
  maxEpisodeSteps?: number | null;
  /** Skips the EnvChecker wrapper (no input validation; slightly faster). */
  disableEnvChecker?: boolean;
  [kwarg: string]: unknown;
}

const registry = new Map<string, EnvRegistration>();

/** Registers an environment id; registering an id twice replaces the earlier entry. */
export function register(registration: EnvRegistration): void {
  const { id, entryPoint } = registration;
  if (typeof id !== "string" || !/^([\w:.-]+\/)?[\w:.-]+?(-v\d+)?$/.test(id)) {
    throw new Error(`register: malformed environment id ${JSON.stringify(id)} (expected something like "Name-v0")`);
  }
  if (typeof entryPoint !== "function") throw new TypeError(`register(${id}): entryPoint must be a function`);
  const m = registration.maxEpisodeSteps;
  if (m !== undefined && (!Number.isInteger(m) || m <= 0)) {
    throw new RangeError(`register(${id}): maxEpisodeSteps must be a positive integer, got ${m}`);
  }
  registry.set(id, { ...registration });
}

/** All registered ids, sorted. */
export function registeredIds(): string[] {
  return [...registry.keys()].sort();
}

/** The registration of an id; throws the unknown-id error when absent. */
export function registration(id: string): EnvRegistration {
  const found = registry.get(id);
  if (found === undefined) throw new Error(unknownIdMessage(id));
  return found;
}

function unknownIdMessage(id: string): string {
  const known = registeredIds();
  const base = String(id).replace(/-v\d+$/, "");
  const versions = known.filter((k) => k.replace(/-v\d+$/, "") === base);
  const hint = versions.length > 0 ? ` Did you mean ${versions.join(" or ")}?` : "";
  return `Unknown environment id ${JSON.stringify(id)}.${hint} Registered ids: ${known.length > 0 ? known.join(", ") : "(none)"}.`;
}

/**
 * Makes the environment registered under `id`: the bare env, wrapped in TimeLimit (when the id has an
 * episode limit) and then in EnvChecker (unless `disableEnvChecker`). Extra options are the env's
 * keyword arguments, e.g. `make("Blackjack-v1", {natural: true})`.
 */
export function make<Obs = any, Act = any>(id: string, opts: MakeOptions = {}): Env<Obs, Act> {
  const reg = registration(id);
  const { maxEpisodeSteps: limitOpt, disableEnvChecker, ...kwargOverrides } = opts;
  if (reg.kwargNames !== undefined) {
    const unknown = Object.keys(kwargOverrides).filter((k) => !reg.kwargNames!.includes(k));
    if (unknown.length > 0) {
      const accepted = ["maxEpisodeSteps", "disableEnvChecker", ...reg.kwargNames].join(", ");
      throw new TypeError(`make(${id}): unknown option(s) ${unknown.join(", ")}; accepted: ${accepted}`);
    }
  }
  const kwargs: EnvKwargs = { ...(reg.kwargs ?? {}), ...kwargOverrides };
  const maxEpisodeSteps = limitOpt === null ? undefined : (limitOpt ?? reg.maxEpisodeSteps);
  if (maxEpisodeSteps !== undefined && (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0)) {
    throw new RangeError(`make(${id}): maxEpisodeSteps must be a positive integer or null, got ${String(limitOpt)}`);
  }
  const bare = reg.entryPoint(kwargs);
  const spec = makeSpec(reg, kwargs, maxEpisodeSteps, bare);
  bare.spec = spec;
  let env: Env<any, any> = bare;
  if (maxEpisodeSteps !== undefined) env = new TimeLimit(env, maxEpisodeSteps);
  if (!disableEnvChecker) env = new EnvChecker(env);
  return env as Env<Obs, Act>;
}

/** Awaits the registration's `prepare()` (e.g. loading Box2D's wasm), then `make(id, opts)`. */
export async function makeAsync<Obs = any, Act = any>(id: string, opts: MakeOptions = {}): Promise<Env<Obs, Act>> {
  const reg = registration(id);
  if (reg.prepare !== undefined) await reg.prepare();
  return make<Obs, Act>(id, opts);
}

/** Awaits the `prepare()` of a registered id (no-op when it has none). */
export async function prepareEnv(id: string): Promise<void> {
  const reg = registration(id);
  if (reg.prepare !== undefined) await reg.prepare();
}

/** The spec an id would be made with (Gymnasium's `gym.spec(id)`), without constructing the env. */
export function spec(id: string): EnvSpec {
  const reg = registration(id);
  const kwargs = { ...(reg.kwargs ?? {}) };
  return makeSpec(reg, kwargs, reg.maxEpisodeSteps, undefined);
}

function makeSpec(reg: EnvRegistration, kwargs: EnvKwargs, maxEpisodeSteps: number | undefined, env: Env<any, any> | undefined): EnvSpec {
  const s: EnvSpec = {
    id: reg.id,
    describe: () => {
      if (reg.describe !== undefined) return reg.describe(kwargs);
      if (env !== undefined) return describeFromSpaces(reg.id, env);
      return { id: reg.id, summary: reg.id, observation: [], action: [], reward: "", termination: "" };
    },
  };
  if (maxEpisodeSteps !== undefined) s.maxEpisodeSteps = maxEpisodeSteps;
  if (reg.rewardThreshold !== undefined) s.rewardThreshold = reg.rewardThreshold;
  if (reg.nondeterministic !== undefined) s.nondeterministic = reg.nondeterministic;
  s.kwargs = kwargs;
  return s;
}

/** A generic description from the spaces alone, for envs registered without one. */
export function describeFromSpaces(id: string, env: Env<unknown, unknown>): EnvDescription {
  return {
    id,
    summary: id,
    observation: fieldsOf(env.observationSpace, "obs"),
    action: fieldsOf(env.actionSpace, "action"),
    reward: "(not documented)",
    termination: "(not documented)",
  };
}

function fieldsOf(space: Space<unknown>, prefix: string): FieldDescription[] {
  const s = space as Space<unknown> & { low?: Float32Array; high?: Float32Array; n?: number; start?: number; spaces?: Space<unknown>[] };
  if (space.kind === "box" && s.low !== undefined && s.high !== undefined) {
    return Array.from(s.low, (low, i) => ({ name: `${prefix}[${i}]`, index: [i, i + 1], description: "", low, high: s.high![i]! }));
  }
  if (space.kind === "discrete") {
    const start = s.start ?? 0;
    return [{ name: prefix, index: [0, 1], description: "integer", low: start, high: start + (s.n ?? 1) - 1 }];
  }
  return (s.spaces ?? []).map((sub, i) => ({ name: `${prefix}[${i}]`, index: [i, i + 1] as [number, number], description: sub.kind }));
}
