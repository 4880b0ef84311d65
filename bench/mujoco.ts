/**
 * MuJoCo environment speed beside native MuJoCo on the same model files.
 *
 * Per env: (1) `env` — one env made with make() (EnvChecker + TimeLimit), actions pre-sampled from the seeded
 * action space, reset when an episode ends (resets included): env steps per second with observation and reward;
 * (2) `wasm bare` — only `mj_step` on the same compiled model, protocol of the native program: new controls per env
 * step from an LCG, frameSkip `mj_step` calls, `mj_resetData` every 1000 env steps; (3) `native` — that protocol in C
 * over Debian's libmujoco (bench/mujoco-native.c, built here with gcc when /usr/include/mujoco exists). Figures are
 * env steps per CPU second of this process (process.cpuUsage / CLOCK_PROCESS_CPUTIME_ID), median of 5 runs taken
 * in turn; the wall clock is printed too (on a shared machine it mostly measures the other tenants).
 * Goal: env >= 0.5x native mj_step / frameSkip.
 *
 * `--vector` then compares 8 envs stepped in this thread (SyncVecEnv) with 8 envs in 2 worker threads
 * (WorkerVecEnv): total env steps per wall-clock second (goal >= 1.5x one env), with the load average.
 *
 *   npm run bench:mujoco
 *   npm run bench:mujoco -- --vector
 *   npm run bench:mujoco -- --envs Hopper-v5,Ant-v5
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { packagePath } from "../src/core/paths.js";
import type { Env } from "../src/core/env.js";
import { makeAsync, makeVecAsync } from "../src/envs/index.js";
import { loadMujoco } from "../src/envs/mujoco/loader.js";
import type { MujocoEnv } from "../src/envs/mujoco/mujoco-env.js";
import { makeWorkerVecAsync } from "../src/envs/worker-vector.js";

const MODELS: Record<string, { file: string; steps: number }> = {
  "Hopper-v5": { file: "hopper", steps: 6000 },
  "Walker2d-v5": { file: "walker2d", steps: 6000 },
  "HalfCheetah-v5": { file: "half_cheetah", steps: 6000 },
  "Ant-v5": { file: "ant", steps: 2000 },
  "Humanoid-v5": { file: "humanoid", steps: 1500 },
};

interface Speed {
  wall: number;
  cpu: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed(steps: number, body: () => void): Speed {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  body();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall: steps / wall, cpu: steps / ((c.user + c.system) / 1e6) };
}

function envRun(env: Env<Float32Array, Float32Array>, actions: Float32Array[], steps: number): Speed {
  env.reset({ seed: 0 });
  return timed(steps, () => {
    for (let i = 0; i < steps; i++) {
      const r = env.step(actions[i % actions.length]!);
      if (r.terminated || r.truncated) env.reset();
    }
  });
}

function bareRun(u: MujocoEnv, steps: number): Speed {
  const { mj, model, data } = u;
  const range = model.actuator_ctrlrange as Float64Array;
  let x = 12345;
  return timed(steps, () => {
    const ctrl = data.ctrl as Float64Array;
    for (let t = 0; t < steps; t++) {
      if (t % 1000 === 0) mj.mj_resetData(model, data);
      for (let i = 0; i < u.nu; i++) {
        x = (Math.imul(1664525, x) + 1013904223) >>> 0;
        ctrl[i] = range[2 * i]! + (range[2 * i + 1]! - range[2 * i]!) * (x / 4294967296);
      }
      for (let k = 0; k < u.frameSkip; k++) mj.mj_step(model, data);
    }
  });
}

/** Builds bench/mujoco-native.c once into the temp folder; undefined (with the reason printed) when it cannot. */
function nativeBinary(): string | undefined {
  if (!existsSync("/usr/include/mujoco/mujoco.h")) {
    console.log("native: Debian's libmujoco-dev is not installed (apt-get install libmujoco-dev); wasm figures only\n");
    return undefined;
  }
  const dir = join(tmpdir(), "guided-rl-bench");
  mkdirSync(dir, { recursive: true });
  const out = join(dir, "mujoco-native");
  try {
    execFileSync("gcc", ["-O2", "-o", out, packagePath("bench", "mujoco-native.c"), "-lmujoco"], { stdio: "pipe" });
    return out;
  } catch (e) {
    console.log(`native: could not build bench/mujoco-native.c (${(e as Error).message.split("\n")[0]}); wasm figures only\n`);
    return undefined;
  }
}

function nativeRun(bin: string, file: string, frameSkip: number, steps: number): Speed & { version: number } {
  const line = execFileSync(bin, [packagePath("data", "mujoco", `${file}.xml`), String(frameSkip), String(steps)], { encoding: "utf8" });
  return JSON.parse(line) as Speed & { version: number };
}

const k = (v: number) => `${(v / 1e3).toFixed(2)}k`;

async function single(ids: string[]): Promise<void> {
  await loadMujoco();
  const bin = nativeBinary();
  let version = 0;
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} cores; env steps per CPU second (wall in brackets), median of 5\n`);
  for (const id of ids) {
    const { file, steps } = MODELS[id]!;
    const env = await makeAsync<Float32Array, Float32Array>(id);
    const u = env.unwrapped as unknown as MujocoEnv;
    env.actionSpace.seed(0);
    const actions = Array.from({ length: 4096 }, () => env.actionSpace.sample());
    const bareEnv = await makeAsync<Float32Array, Float32Array>(id, { maxEpisodeSteps: null, disableEnvChecker: true });
    const bare = bareEnv.unwrapped as unknown as MujocoEnv;
    envRun(env, actions, steps / 4);
    bareRun(bare, steps / 4);
    const envRuns: Speed[] = [], bareRuns: Speed[] = [], nativeRuns: Speed[] = [];
    for (let r = 0; r < 5; r++) {
      envRuns.push(envRun(env, actions, steps));
      bareRuns.push(bareRun(bare, steps));
      if (bin) {
        const n = nativeRun(bin, file, u.frameSkip, steps);
        version = n.version;
        nativeRuns.push(n);
      }
    }
    env.close();
    bareEnv.close();
    const e = median(envRuns.map((s) => s.cpu)), b = median(bareRuns.map((s) => s.cpu));
    const ew = median(envRuns.map((s) => s.wall)), bw = median(bareRuns.map((s) => s.wall));
    let line = `${id.padEnd(15)} frameSkip ${u.frameSkip}   env ${k(e)}/s (${k(ew)})   wasm bare ${k(b)}/s (${k(bw)})`;
    if (bin) {
      const n = median(nativeRuns.map((s) => s.cpu)), nw = median(nativeRuns.map((s) => s.wall));
      line += `   native ${k(n)}/s (${k(nw)})   env/native ${(e / n).toFixed(2)}x   bare/native ${(b / n).toFixed(2)}x`;
    }
    console.log(line);
  }
  if (bin) console.log(`\nnative: libmujoco ${Math.floor(version / 100)}.${Math.floor(version / 10) % 10}.${version % 10} (Debian); wasm: @mujoco/mujoco 3.14.0`);
}

async function vector(ids: string[]): Promise<void> {
  console.log(`\nvector of 8: env steps per wall-clock second (all envs), load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} cores, median of 3\n`);
  for (const id of ids) {
    const steps = Math.max(200, Math.floor(MODELS[id]!.steps / 8));
    const one = await makeAsync<Float32Array, Float32Array>(id);
    one.actionSpace.seed(0);
    const acts1 = Array.from({ length: 512 }, () => one.actionSpace.sample());
    const sync = await makeVecAsync(id, 8, { seed: 0 });
    const workers = await makeWorkerVecAsync(id, 8, { seed: 0, workers: 2 });
    const batch = Array.from({ length: 64 }, () => Float32Array.from({ length: 8 * sync.actLayout.dim }, () => Math.random() * 2 - 1));
    const vecRun = (v: { reset(): unknown; step(a: Float32Array): unknown }) => {
      v.reset();
      return timed(steps * 8, () => {
        for (let i = 0; i < steps; i++) v.step(batch[i % batch.length]!);
      });
    };
    vecRun(sync);
    vecRun(workers);
    envRun(one, acts1, steps);
    const s1: number[] = [], s8: number[] = [], w8: number[] = [];
    for (let r = 0; r < 3; r++) {
      s1.push(envRun(one, acts1, steps * 2).wall);
      s8.push(vecRun(sync).wall);
      w8.push(vecRun(workers).wall);
    }
    one.close();
    sync.close();
    workers.close();
    const a = median(s1), b = median(s8), c = median(w8);
    console.log(`${id.padEnd(15)} one env ${k(a)}/s   8 in this thread ${k(b)}/s (${(b / a).toFixed(2)}x)   8 in 2 workers ${k(c)}/s (${(c / a).toFixed(2)}x)`);
  }
}

const args = process.argv.slice(2);
const envArg = args.indexOf("--envs");
const ids = envArg >= 0 ? args[envArg + 1]!.split(",") : Object.keys(MODELS);
for (const id of ids) if (!(id in MODELS)) throw new Error(`bench:mujoco: unknown env ${id}; known: ${Object.keys(MODELS).join(", ")}`);
await single(ids);
if (args.includes("--vector")) await vector(ids);
