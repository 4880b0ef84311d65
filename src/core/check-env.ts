/**
 * `checkEnv(env)`: checks that an environment keeps the Env contract, in the spirit of Gymnasium's
 * `check_env`: well-formed spaces, `reset` and `step` return shapes and types, observations inside the
 * observation space, seeding that makes `reset` and whole trajectories reproducible, fresh observation
 * arrays, finite rewards, boolean flags, and a self-description consistent with the spaces.
 * Contract violations are errors (thrown together unless `throwOnError: false`); things Gymnasium only
 * warns about (an observation slightly outside the declared bounds, a missing spec) are warnings.
 */
import type { Env, ResetResult, StepResult } from "./env.js";
import type { Space } from "./spaces.js";

export interface CheckEnvOptions {
  /** Throw one Error listing every failure (default true); otherwise just return the report. */
  throwOnError?: boolean;
  /** Steps rolled for the step and determinism checks (default 50). */
  steps?: number;
  /** Seed used for the determinism checks (default 123). */
  seed?: number;
}

export interface CheckEnvReport {
  errors: string[];
  warnings: string[];
  /** How many steps the checks took. */
  stepsTaken: number;
}

export function checkEnv(env: Env<any, any>, opts: CheckEnvOptions = {}): CheckEnvReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const nSteps = opts.steps ?? 50;
  const seed = opts.seed ?? 123;
  let stepsTaken = 0;
  const name = env?.spec?.id ?? env?.constructor?.name ?? "environment";

  const finish = (): CheckEnvReport => {
    const report = { errors, warnings, stepsTaken };
    if (errors.length > 0 && opts.throwOnError !== false) {
      throw new Error(`checkEnv(${name}) found ${errors.length} problem(s):\n  - ${errors.join("\n  - ")}`);
    }
    return report;
  };

  if (env === null || typeof env !== "object" || typeof env.reset !== "function" || typeof env.step !== "function") {
    errors.push("not an environment: reset() and step() are required");
    return finish();
  }
  if (typeof env.close !== "function") errors.push("close() is missing");
  for (const [which, space] of [["observationSpace", env.observationSpace], ["actionSpace", env.actionSpace]] as const) {
    const problem = spaceProblem(space);
    if (problem !== undefined) errors.push(`${which}: ${problem}`);
  }
  if (errors.length > 0) return finish();
  const obsSpace = env.observationSpace as Space<unknown>;
  const actSpace = env.actionSpace as Space<unknown>;

  // Spaces' own sampling must produce members.
  obsSpace.seed(seed);
  actSpace.seed(seed);
  for (let i = 0; i < 10; i++) {
    const a = actSpace.sample();
    if (!actSpace.contains(a)) {
      errors.push(`actionSpace.sample() returned ${show(a)}, which actionSpace.contains() rejects`);
      break;
    }
  }
  if (obsSpace.kind === "box" && obsSpace.sample !== undefined) {
    const o = obsSpace.sample();
    if (!obsSpace.contains(o)) errors.push(`observationSpace.sample() returned ${show(o)}, which observationSpace.contains() rejects`);
  }

  // reset: shape of the result, membership, determinism under a seed, fresh arrays.
  const first = guard(errors, "reset({seed})", () => env.reset({ seed }));
  if (first === undefined) return finish();
  checkReset(first, "reset({seed})");
  const firstObsCopy = copyObs(first.obs);
  mutate(first.obs);
  const second = guard(errors, "reset({seed}) again", () => env.reset({ seed }));
  if (second !== undefined) {
    if (!sameObs(firstObsCopy, second.obs)) {
      errors.push(`reset({seed: ${seed}}) twice gave different observations (${show(firstObsCopy)} vs ${show(second.obs)}), or reset returns a shared array the caller can overwrite`);
    }
  }
  const unseeded = guard(errors, "reset() without a seed", () => env.reset());
  if (unseeded !== undefined) checkReset(unseeded, "reset()");
  guard(errors, "reset({seed, options: {}})", () => env.reset({ seed, options: {} }));

  // step: result types and membership over a rollout; the same seed and actions must repeat it.
  const rollout = (): { obs: unknown[]; rewards: number[]; flags: string[] } | undefined => {
    const out = { obs: [] as unknown[], rewards: [] as number[], flags: [] as string[] };
    actSpace.seed(seed);
    const r0 = guard(errors, "reset", () => env.reset({ seed }));
    if (r0 === undefined) return undefined;
    out.obs.push(copyObs(r0.obs));
    for (let t = 0; t < nSteps; t++) {
      const action = actSpace.sample();
      const r = guard(errors, `step(${show(action)})`, () => env.step(action));
      if (r === undefined) return undefined;
      stepsTaken++;
      if (!checkStep(r, t)) return undefined;
      out.obs.push(copyObs(r.obs));
      out.rewards.push(r.reward);
      out.flags.push(`${r.terminated}/${r.truncated}`);
      if (r.terminated || r.truncated) {
        const rr = guard(errors, "reset after the episode ended", () => env.reset());
        if (rr === undefined) return undefined;
        out.obs.push(copyObs(rr.obs));
      }
    }
    return out;
  };
  const a = rollout();
  const b = a === undefined ? undefined : rollout();
  if (a !== undefined && b !== undefined) {
    const same =
      a.obs.length === b.obs.length &&
      a.obs.every((o, i) => sameObs(o, b.obs[i])) &&
      a.rewards.every((r, i) => Object.is(r, b.rewards[i])) &&
      a.flags.every((f, i) => f === b.flags[i]);
    if (!same && env.spec?.nondeterministic !== true) {
      errors.push(`two rollouts from reset({seed: ${seed}}) with the same actions differ: the env is not deterministic given its seed (set spec.nondeterministic if intended)`);
    }
  }

  // Self-description.
  if (env.spec === undefined) warnings.push("no spec: made without make(), so no id, limits or describe()");
  else {
    const d = guard(errors, "spec.describe()", () => env.spec!.describe());
    if (d !== undefined) {
      if (d.id !== env.spec.id) errors.push(`spec.describe().id is ${JSON.stringify(d.id)}, expected ${JSON.stringify(env.spec.id)}`);
      const obsSize = flatSize(obsSpace);
      if (obsSize !== undefined) checkFields(d.observation, obsSize, "observation");
      const actSize = flatSize(actSpace);
      if (actSize !== undefined) checkFields(d.action, actSize, "action");
      const n = (actSpace as Space<unknown> & { n?: number }).n;
      if (d.actionMeanings !== undefined && n !== undefined && d.actionMeanings.length !== n) {
        errors.push(`spec.describe().actionMeanings has ${d.actionMeanings.length} entries for ${n} actions`);
      }
    }
  }
  guard(errors, "close()", () => env.close());
  return finish();

  function checkReset(r: ResetResult<unknown>, call: string): void {
    if (r === null || typeof r !== "object" || !("obs" in r)) {
      errors.push(`${call} must return {obs, info}, got ${show(r)}`);
      return;
    }
    if (r.info === null || typeof r.info !== "object" || Array.isArray(r.info)) errors.push(`${call}: info must be an object, got ${show(r.info)}`);
    checkObs(r.obs, call);
  }

  function checkStep(r: StepResult<unknown>, t: number): boolean {
    const call = `step ${t}`;
    if (r === null || typeof r !== "object" || !("obs" in r)) {
      errors.push(`${call} must return {obs, reward, terminated, truncated, info}, got ${show(r)}`);
      return false;
    }
    let ok = checkObs(r.obs, call);
    if (typeof r.reward !== "number" || !Number.isFinite(r.reward)) {
      errors.push(`${call}: reward must be a finite number, got ${show(r.reward)}`);
      ok = false;
    }
    if (typeof r.terminated !== "boolean") {
      errors.push(`${call}: terminated must be a boolean, got ${show(r.terminated)}`);
      ok = false;
    }
    if (typeof r.truncated !== "boolean") {
      errors.push(`${call}: truncated must be a boolean, got ${show(r.truncated)}`);
      ok = false;
    }
    if (r.info === null || typeof r.info !== "object" || Array.isArray(r.info)) {
      errors.push(`${call}: info must be an object, got ${show(r.info)}`);
      ok = false;
    }
    return ok;
  }

  function checkObs(obs: unknown, call: string): boolean {
    if (obsSpace.kind === "box") {
      const size = flatSize(obsSpace)!;
      if (!(obs instanceof Float32Array)) {
        errors.push(`${call}: a Box observation must be a Float32Array, got ${show(obs)}`);
        return false;
      }
      if (obs.length !== size) {
        errors.push(`${call}: observation has ${obs.length} elements, the observation space ${size}`);
        return false;
      }
      if (obs.some((v) => Number.isNaN(v))) {
        errors.push(`${call}: observation contains NaN: ${show(obs)}`);
        return false;
      }
      if (!obsSpace.contains(obs)) warnOnce(`${call}: observation ${show(obs)} is outside the observation space bounds`);
      return true;
    }
    if (!obsSpace.contains(obs)) {
      errors.push(`${call}: observation ${show(obs)} is not in the observation space ${String(obsSpace)}`);
      return false;
    }
    return true;
  }

  function checkFields(fields: { name: string; index: [number, number] }[] | undefined, size: number, which: string): void {
    if (!Array.isArray(fields)) {
      errors.push(`spec.describe().${which} must be an array of fields`);
      return;
    }
    const covered = new Array(size).fill(false);
    for (const f of fields) {
      const [start, end] = f.index ?? [];
      if (!Number.isInteger(start) || !Number.isInteger(end) || start! < 0 || end! > size || start! >= end!) {
        errors.push(`spec.describe().${which} field ${JSON.stringify(f.name)} has index ${show(f.index)} outside [0, ${size})`);
        continue;
      }
      for (let i = start!; i < end!; i++) covered[i] = true;
    }
    const missing = covered.flatMap((c, i) => (c ? [] : [i]));
    if (missing.length > 0) warnings.push(`spec.describe().${which} does not name element(s) ${missing.join(", ")}`);
  }

  function warnOnce(message: string): void {
    const key = message.split(":")[1] ?? message;
    if (!warnings.some((w) => w.includes(key))) warnings.push(message);
  }
}

function spaceProblem(space: unknown): string | undefined {
  if (space === null || typeof space !== "object") return "missing";
  const s = space as Partial<Space<unknown>>;
  for (const m of ["sample", "contains", "seed"] as const) if (typeof s[m] !== "function") return `${m}() is missing`;
  if (s.kind !== "box" && s.kind !== "discrete" && s.kind !== "tuple") return `unknown kind ${show(s.kind)}`;
  if (!Array.isArray(s.shape)) return "shape must be an array";
  if (s.kind === "box") {
    const b = space as { low?: unknown; high?: unknown };
    if (!(b.low instanceof Float32Array) || !(b.high instanceof Float32Array)) return "a Box needs float32 low and high";
  }
  return undefined;
}

function flatSize(space: Space<unknown>): number | undefined {
  if (space.kind === "box") return space.shape.reduce((a, b) => a * b, 1);
  if (space.kind === "discrete") return 1;
  const spaces = (space as Space<unknown> & { spaces?: unknown[] }).spaces;
  return spaces?.length;
}

function guard<T>(errors: string[], what: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    errors.push(`${what} threw: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

function copyObs(obs: unknown): unknown {
  if (obs instanceof Float32Array) return Float32Array.from(obs);
  if (Array.isArray(obs)) return obs.map(copyObs);
  return obs;
}

function mutate(obs: unknown): void {
  if (obs instanceof Float32Array) obs.fill(12345.678);
}

function sameObs(a: unknown, b: unknown): boolean {
  if (a instanceof Float32Array && b instanceof Float32Array) return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameObs(v, b[i]));
  return Object.is(a, b);
}

function show(x: unknown): string {
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const arr = Array.from(x as unknown as ArrayLike<number>);
    return `${x.constructor.name}[${arr.slice(0, 6).join(", ")}${arr.length > 6 ? ", ..." : ""}]`;
  }
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}
