/**
 * Single-env stepping speed of every environment in ../shared/reference/gymnasium/env_step_speed.json,
 * printed beside the Python (Gymnasium 1.0) figures as a ratio. Same protocol as the reference: one env,
 * actions pre-sampled from its seeded action space (sampling excluded), reset when an episode ends,
 * resets included in the time. Two variants, as the reference:
 *   make      = make(id): EnvChecker + TimeLimit       vs Python gym.make (PassiveEnvChecker, OrderEnforcing, TimeLimit)
 *   unwrapped = the bare env, time limit by hand        vs Python env.unwrapped
 * Each figure is the median of 5 timed runs after a warm-up run. The machine is shared and noisy: compare the
 * ratios, and rerun when in doubt. Ids not registered (yet) are skipped with a message.
 *
 * When GYMNASIUM_PYTHON names a Python that has gymnasium installed, Python's make() speed is also measured
 * live, right after the TypeScript run of the same env (same load on the machine), and that ratio printed too.
 *
 *   npm run bench:envs            (or: npx tsx bench/envs.ts [substring-of-id] )
 *   GYMNASIUM_PYTHON=/path/to/python npm run bench:envs
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Env } from "../src/core/env.js";
import { referencePath } from "../src/core/paths.js";
import { makeAsync, registeredIds, registration } from "../src/envs/index.js";
import { makeVec } from "../src/envs/vector.js";

interface PythonSpeed {
  gym_make_wrapped: { steps: number; steps_per_sec: number };
  unwrapped: { steps: number; steps_per_sec: number };
}

const reference = JSON.parse(readFileSync(referencePath("gymnasium", "env_step_speed.json"), "utf8")) as { envs: Record<string, PythonSpeed> };
const filter = process.argv[2] ?? "";
const REPEATS = 5;

function presample(env: Env<any, any>, n: number): unknown[] {
  env.actionSpace.seed(0);
  return Array.from({ length: n }, () => env.actionSpace.sample());
}

/** Steps per second over `steps` steps; `limit` emulates the time limit for the bare env. */
function timeRun(env: Env<any, any>, actions: unknown[], steps: number, limit: number | undefined): number {
  env.reset({ seed: 0 });
  let t = 0;
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    const r = env.step(actions[i % actions.length]);
    t++;
    if (r.terminated || r.truncated || (limit !== undefined && t >= limit)) {
      env.reset();
      t = 0;
    }
  }
  return steps / ((performance.now() - start) / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(env: Env<any, any>, steps: number, limit?: number): number {
  const actions = presample(env, 4096);
  timeRun(env, actions, Math.max(2000, steps >> 2), limit); // warm-up: let the JIT compile the step
  return median(Array.from({ length: REPEATS }, () => timeRun(env, actions, steps, limit)));
}

// The reference protocol in Python: gym.make, actions pre-sampled, resets included, median of 3 runs.
const PYTHON_TIMER = `
import sys, time, statistics, gymnasium as gym
env = gym.make(sys.argv[1]); env.action_space.seed(0)
acts = [env.action_space.sample() for _ in range(4096)]
def run(n):
    env.reset(seed=0); t0 = time.perf_counter()
    for i in range(n):
        _, _, term, trunc, _ = env.step(acts[i % 4096])
        if term or trunc: env.reset()
    return n / (time.perf_counter() - t0)
run(5000)
print(statistics.median(run(int(sys.argv[2])) for _ in range(3)), gym.__version__)
`;

let liveVersion: string | undefined;

/** Python's steps/s measured now, or undefined when no GYMNASIUM_PYTHON (or it fails, e.g. no Box2D). */
function livePython(id: string, steps: number): number | undefined {
  const python = process.env.GYMNASIUM_PYTHON;
  if (!python) return undefined;
  const r = spawnSync(python, ["-c", PYTHON_TIMER, id, String(steps)], { encoding: "utf8" });
  const [speed, version] = r.stdout.trim().split(/\s+/);
  const v = Number(speed);
  if (r.status !== 0 || !Number.isFinite(v)) return undefined;
  liveVersion = version;
  return v;
}

const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(1)}k`);
const pad = (s: string, n: number) => s.padEnd(n);

console.log(`node ${process.version}, ${REPEATS} runs each (median); Python figures from env_step_speed.json (Gymnasium 1.0.0)\n`);
const live = Boolean(process.env.GYMNASIUM_PYTHON);
console.log(
  `${pad("env", 26)}${pad("make() steps/s", 16)}${pad("python", 10)}${pad("ratio", 9)}${pad("bare steps/s", 15)}${pad("python", 10)}${pad("ratio", 9)}` +
    (live ? "python now  ratio now" : ""),
);
for (const [id, py] of Object.entries(reference.envs)) {
  if (!id.includes(filter)) continue;
  if (!registeredIds().includes(id)) {
    console.log(`${pad(id, 26)}skipped: not registered yet`);
    continue;
  }
  const steps = Math.max(20000, py.gym_make_wrapped.steps * 4);
  const wrapped = await makeAsync(id);
  const made = measure(wrapped, steps);
  const bare = await makeAsync(id, { disableEnvChecker: true, maxEpisodeSteps: null });
  const unwrapped = measure(bare, steps, registration(id).maxEpisodeSteps);
  wrapped.close();
  bare.close();
  const pyMade = py.gym_make_wrapped.steps_per_sec, pyBare = py.unwrapped.steps_per_sec;
  const pyNow = live ? livePython(id, py.gym_make_wrapped.steps) : undefined;
  const nowColumns = !live ? "" : pyNow === undefined ? "(python failed)" : `${pad(fmt(pyNow), 12)}${(made / pyNow).toFixed(1)}x`;
  console.log(
    `${pad(id, 26)}${pad(fmt(made), 16)}${pad(fmt(pyMade), 10)}${pad(`${(made / pyMade).toFixed(1)}x`, 9)}${pad(fmt(unwrapped), 15)}${pad(fmt(pyBare), 10)}${pad(`${(unwrapped / pyBare).toFixed(1)}x`, 9)}${nowColumns}`,
  );
}

if (liveVersion !== undefined) console.log(`(python now = gymnasium ${liveVersion} from GYMNASIUM_PYTHON, measured between the TypeScript runs)`);

// Not in the reference file: Blackjack, and the batched vector env (8 envs, env-steps per second).
if ("Blackjack-v1".includes(filter)) {
  const bj = await makeAsync("Blackjack-v1");
  console.log(`\n${pad("Blackjack-v1", 26)}${pad(fmt(measure(bj, 200000)), 16)}(no Python figure)`);
}
if ("vector".includes(filter) || filter === "") {
  for (const id of ["CartPole-v1", "Pendulum-v1"]) {
    const n = 8;
    const venv = makeVec(id, n, { seed: 0 });
    const actionSize = venv.actLayout.dim;
    const actionsPerStep = n * actionSize;
    const space = venv.envs[0]!.actionSpace;
    space.seed(0);
    const pool = Float32Array.from({ length: 4096 * actionSize }, (_, i) => {
      const a = space.sample();
      return typeof a === "number" ? a : (a as Float32Array)[i % actionSize]!;
    });
    const run = (steps: number) => {
      venv.reset();
      const start = performance.now();
      for (let i = 0; i < steps; i++) {
        const off = (i * actionsPerStep) % (pool.length - actionsPerStep);
        venv.step(pool.subarray(off, off + actionsPerStep));
      }
      return (steps * n) / ((performance.now() - start) / 1000);
    };
    run(2000);
    console.log(`${pad(`makeVec(${id}, ${n})`, 26)}${pad(fmt(median(Array.from({ length: REPEATS }, () => run(20000)))), 16)}env-steps/s (no Python figure)`);
  }
}
