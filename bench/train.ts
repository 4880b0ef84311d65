/**
 * Training throughput beside Stable-Baselines3 (npm run bench:train):
 *
 *   PPO CartPole-v1       rl-zoo settings, 8 envs, 100k steps      vs ../shared/reference/sb3/ppo_cartpole_seed*.json
 *   PPO BipedalWalker-v3  rl-zoo settings, 32 envs, 262k steps     vs ppo_bipedal_seed*.json
 *   SAC Pendulum-v1       rl-zoo settings, 20k steps               vs sac_pendulum_seed0.json
 *
 * Steps per second count training only (rollouts + updates, evaluation excluded), as the reference's
 * `steps_per_sec`. The reference figures were recorded on an idle machine of this kind; on a shared machine
 * the ratio is pessimistic, so the load average is printed beside it.
 *
 * Options: --only ppo-cartpole,ppo-bipedal,sac-pendulum   --scale 0.25 (fewer steps; steps/s stays comparable)
 *          --kernel (also time one minibatch gradient step: Float32Array kernel vs tfjs, batch 64, 64x64 nets)
 *          --sac-update N (also time N bare SAC gradient steps on a filled buffer, wall and CPU time: the
 *          counterpart of `/usr/bin/python3 bench/sac_update_torch.py N`, SB3's update arithmetic in plain torch)
 *          --net 64,64 (the hidden layers of --sac-update's networks; default rl-zoo's 256,256)
 *          --gemm auto|native|wasm (SAC's product kernels: the native BLAS addon of `npm run build:native` or
 *          WebAssembly; sets GUIDED_RL_NATIVE)   --threads N (native threads, GUIDED_RL_NATIVE_THREADS; default 2 on 2+ cores)
 *
 * SAC's line also gives the kernels and thread count, and milliseconds per update (gradient step) and per
 * collected step beside SB3's. SB3's figure is labelled one torch thread: a ratio measured with 2 native
 * threads is labelled as such. (Debian's torch multiplies through OpenBLAS, whose own threads
 * torch.set_num_threads does not limit: bench/sac_update_torch.py here took 8.7-9.5 ms per update with
 * OpenBLAS's default 2 threads and 11.7-11.9 ms with OPENBLAS_NUM_THREADS=1, against the reference's 10.05.)
 */
import { readFileSync, mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { referencePath } from "../src/core/index.js";
import { registeredIds } from "../src/envs/index.js";
import { trainRun, type AlgoName } from "../src/algos/index.js";
import { Adam, Mlp, Random, clipGradNorm, describeNativeBackend, nativeBlas, selectBackend } from "../src/nn/index.js";

interface Case {
  name: string;
  algo: AlgoName;
  env: string;
  steps: number;
  reference: string[];
}

const CASES: Case[] = [
  { name: "ppo-cartpole", algo: "ppo", env: "CartPole-v1", steps: 100_000, reference: ["ppo_cartpole_seed0.json", "ppo_cartpole_seed1.json"] },
  { name: "ppo-bipedal", algo: "ppo", env: "BipedalWalker-v3", steps: 262_144, reference: ["ppo_bipedal_seed0.json", "ppo_bipedal_seed1.json"] },
  { name: "sac-pendulum", algo: "sac", env: "Pendulum-v1", steps: 20_000, reference: ["sac_pendulum_seed0.json"] },
];

interface Sb3Figures {
  stepsPerSec: number;
  collect: number;
  update: number;
  collectSeconds: number;
  updateSeconds: number;
  timesteps: number;
  /** Gradient steps of an off-policy run (train_freq 1, gradient_steps 1: one per step after learning_starts). */
  offPolicyUpdates?: number;
}

function reference(files: string[]): Sb3Figures {
  const runs = files.map((f) => JSON.parse(readFileSync(referencePath("sb3", f), "utf8")));
  const mean = (k: string) => runs.reduce((s, r) => s + r[k], 0) / runs.length;
  const total = mean("collect_seconds") + mean("update_seconds");
  const learningStarts = /learning_starts=(\d+)/.exec(String(runs[0].hyperparams ?? ""));
  return {
    stepsPerSec: mean("steps_per_sec"), collect: mean("collect_seconds") / total, update: mean("update_seconds") / total,
    collectSeconds: mean("collect_seconds"), updateSeconds: mean("update_seconds"), timesteps: mean("actual_timesteps"),
    ...(learningStarts ? { offPolicyUpdates: mean("actual_timesteps") - Number(learningStarts[1]) } : {}),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

async function benchCase(c: Case, scale: number): Promise<void> {
  const load = loadavg()[0].toFixed(1);
  if (!registeredIds().includes(c.env)) {
    console.log(`${c.name.padEnd(14)} pending: ${c.env} is not registered yet`);
    return;
  }
  const ref = reference(c.reference);
  const steps = Math.max(1, Math.round(c.steps * scale));
  let result;
  let nUpdates = 0;
  if (c.algo === "sac") {
    nativeBlas(); // loads (or not) the native kernels now, so the log line comes before the result
    console.log(`${c.name.padEnd(14)} gemm: ${describeNativeBackend()}`);
  }
  try {
    result = await trainRun({ env: c.env, algo: c.algo, seed: 0, totalTimesteps: steps, evalFreq: 10 * steps, nEvalEpisodes: 1,
      out: join(mkdtempSync(join(tmpdir(), "guided-rl-bench-")), c.name), callback: (p) => void (nUpdates = p.nUpdates) });
  } catch (err) {
    console.log(`${c.name.padEnd(14)} failed: ${(err as Error).message}`);
    return;
  }
  const split = result.collectSeconds !== undefined && result.updateSeconds !== undefined
    ? (() => {
        const t = result.collectSeconds! + result.updateSeconds!;
        return `rollout ${pct(result.collectSeconds! / t)} / update ${pct(result.updateSeconds! / t)}`;
      })()
    : "split n/a";
  const threads = c.algo === "sac" ? nativeBlas()?.threads() : undefined;
  const ratioNote = threads !== undefined && threads > 1 ? ` (${threads} native threads vs SB3's 1 torch thread)` : "";
  console.log(
    `${c.name.padEnd(14)} ${result.numTimesteps} steps  ${result.stepsPerSecond.toFixed(c.algo === "sac" ? 1 : 0).padStart(6)} steps/s  (${split})  | SB3 ${ref.stepsPerSec.toFixed(c.algo === "sac" ? 1 : 0)} steps/s (rollout ${pct(ref.collect)} / update ${pct(ref.update)})  | ratio ${(result.stepsPerSecond / ref.stepsPerSec).toFixed(2)}x${ratioNote}  | load avg ${load} -> ${loadavg()[0].toFixed(1)} on 2 cores`,
  );
  if (ref.offPolicyUpdates && nUpdates > 0 && result.updateSeconds !== undefined && result.collectSeconds !== undefined) {
    const ms = (seconds: number, n: number) => ((1000 * seconds) / n).toFixed(2);
    console.log(
      `${"".padEnd(14)} ${ms(result.updateSeconds, nUpdates)} ms per update (${nUpdates} updates), ${ms(result.collectSeconds, result.numTimesteps)} ms per collected step` +
        `  | SB3 ${ms(ref.updateSeconds, ref.offPolicyUpdates)} ms per update, ${ms(ref.collectSeconds, ref.timesteps)} ms per collected step`,
    );
  }
}

/** N SAC gradient steps at rl-zoo's Pendulum settings ([256, 256] unless `netArch`, batch 256, lr 1e-3) on a buffer of 1000 random-policy steps. */
async function benchSacUpdate(updates: number, netArch: number[]): Promise<void> {
  const { SAC } = await import("../src/algos/sac.js");
  const { make } = await import("../src/envs/index.js");
  const model = new SAC(make("Pendulum-v1"), { learningRate: 1e-3, learningStarts: 1000, seed: 0, netArch });
  await model.learn({ totalTimesteps: 1000 });
  for (let i = 0; i < 20; i++) model.train(1, 256);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < updates; i++) model.train(1, 256);
  const wall = (performance.now() - t0) / updates;
  const cpu = process.cpuUsage(cpu0);
  const threads = model.gemmBackend === "native" ? nativeBlas()?.threads() ?? 1 : 1;
  const sb3 = reference(CASES.find((c) => c.name === "sac-pendulum")!.reference);
  const sb3Ms = (1000 * sb3.updateSeconds) / sb3.offPolicyUpdates!;
  console.log(
    `sac-update     [${netArch.join(", ")}] on ${model.gemmBackend} kernels, ${threads} thread${threads === 1 ? "" : "s"}: ${wall.toFixed(2)} ms wall, ${((cpu.user + cpu.system) / 1000 / updates).toFixed(2)} ms CPU per update over ${updates} updates` +
      `${netArch.join(",") === "256,256" ? ` | SB3 reference ${sb3Ms.toFixed(2)} ms (1 torch thread)` : ""} | load avg ${loadavg()[0].toFixed(1)}`,
  );
}

/** One PPO-sized minibatch gradient step (actor 24-64-64-4 + critic 24-64-64-1, batch 64) per engine. */
async function benchKernel(): Promise<void> {
  const B = 64;
  const rng = new Random(0);
  const actor = Mlp.create({ sizes: [24, 64, 64, 4], activation: "tanh" }, { rng, outputGain: 0.01 });
  const critic = Mlp.create({ sizes: [24, 64, 64, 1], activation: "tanh" }, { rng });
  const groups = [{ params: actor.params, grads: actor.grads }, { params: critic.params, grads: critic.grads }];
  const opt = new Adam(groups, { learningRate: 3e-4, eps: 1e-5 });
  const x = new Float32Array(B * 24).map(() => rng.normal());
  const dA = new Float32Array(B * 4).map(() => rng.normal() / B);
  const dV = new Float32Array(B).map(() => rng.normal() / B);
  const step = () => {
    actor.zeroGrad();
    critic.zeroGrad();
    actor.forward(x, B);
    actor.backward(dA);
    critic.forward(x, B);
    critic.backward(dV);
    clipGradNorm(groups, 0.5);
    opt.step();
  };
  const time = (fn: () => void, n: number) => {
    for (let i = 0; i < 20; i++) fn();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (performance.now() - t0) / n;
  };
  const kernelMs = time(step, 500);

  const backend = await selectBackend();
  const tf = await import("@tensorflow/tfjs");
  const dense = (i: number, o: number) => [tf.variable(tf.randomNormal([i, o], 0, 0.1)), tf.variable(tf.zeros([o]))];
  const vars = [...dense(24, 64), ...dense(64, 64), ...dense(64, 4), ...dense(24, 64), ...dense(64, 64), ...dense(64, 1)] as import("@tensorflow/tfjs").Variable[];
  const xt = tf.tensor2d(x, [B, 24]);
  const targetA = tf.tensor2d(dA, [B, 4]);
  const targetV = tf.tensor2d(dV, [B, 1]);
  const tfOpt = tf.train.adam(3e-4, 0.9, 0.999, 1e-5);
  type T2 = import("@tensorflow/tfjs").Tensor2D;
  const mlp = (h: T2, w: import("@tensorflow/tfjs").Variable[]) => {
    h = tf.tanh(tf.add(tf.matMul(h, w[0] as T2), w[1])) as T2;
    h = tf.tanh(tf.add(tf.matMul(h, w[2] as T2), w[3])) as T2;
    return tf.add(tf.matMul(h, w[4] as import("@tensorflow/tfjs").Tensor2D), w[5]) as import("@tensorflow/tfjs").Tensor2D;
  };
  const tfStep = () => {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.add(tf.sum(tf.mul(mlp(xt, vars.slice(0, 6)), targetA)), tf.sum(tf.mul(mlp(xt, vars.slice(6)), targetV))) as import("@tensorflow/tfjs").Scalar, vars);
      const list = vars.map((v) => grads[v.name]);
      const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
      const scale = tf.minimum(tf.scalar(1), tf.div(0.5, tf.add(norm, 1e-6)));
      tfOpt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: tf.mul(list[i], scale) })));
    });
  };
  const tfMs = time(tfStep, 100);
  console.log(`kernel         one PPO minibatch step (batch 64, actor+critic 64x64, Adam, clipping): Float32Array kernel ${kernelMs.toFixed(3)} ms | tfjs-${backend} ${tfMs.toFixed(3)} ms | SB3 reference ~1.44 ms | load avg ${loadavg()[0].toFixed(1)}`);
}

const { values } = parseArgs({ options: { only: { type: "string" }, scale: { type: "string" }, kernel: { type: "boolean" }, "sac-update": { type: "string" }, net: { type: "string" }, gemm: { type: "string" }, threads: { type: "string" } } });
if (values.gemm !== undefined) {
  const modes: Record<string, string | undefined> = { auto: undefined, native: "1", wasm: "0" };
  if (!(values.gemm in modes)) throw new Error("--gemm must be auto, native or wasm");
  if (modes[values.gemm] === undefined) delete process.env.GUIDED_RL_NATIVE;
  else process.env.GUIDED_RL_NATIVE = modes[values.gemm];
}
if (values.threads !== undefined) process.env.GUIDED_RL_NATIVE_THREADS = values.threads;
const only = values.only?.split(",");
const scale = values.scale ? Number(values.scale) : 1;
if (!(scale > 0)) throw new Error("--scale must be positive");
console.log(`bench:train — steps/s of training (evaluation excluded) beside Stable-Baselines3 2.4.1 (torch, 1 thread) recorded on an idle machine of this kind${scale !== 1 ? `; steps scaled by ${scale}` : ""}`);
if (values.kernel) await benchKernel();
if (values["sac-update"] !== undefined) {
  const n = Number(values["sac-update"]);
  if (!Number.isInteger(n) || n < 1) throw new Error("--sac-update takes a positive number of updates");
  const netArch = (values.net ?? "256,256").split(",").map(Number);
  if (!netArch.every((h) => Number.isInteger(h) && h > 0)) throw new Error("--net takes hidden layer sizes, e.g. 64,64");
  await benchSacUpdate(n, netArch);
}
// --sac-update alone times the bare updates only; add --only to run training cases too.
const runCases = only !== undefined || values["sac-update"] === undefined;
for (const c of CASES) if (runCases && (!only || only.includes(c.name))) await benchCase(c, scale);
