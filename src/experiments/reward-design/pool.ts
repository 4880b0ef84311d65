/**
 * Trains candidates in parallel, each in its own child process (PPO is single-threaded JS: one process per
 * core is how the cores are used). At most `concurrency` jobs run at once; results come back in job order.
 * A worker that dies (out of memory, killed) yields a failed result of kind "crash", never a hang. Workers
 * get only the environment variables training reads (core/child-env.ts TRAINING_ENV).
 */
import { fork } from "node:child_process";
import { childEnv, TRAINING_ENV } from "../../core/child-env.js";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readResult, runTrainingJob, writeResult, type TrainingJob, type TrainingResult } from "./training.js";
import type { WorkerReply } from "./worker.js";

export interface PoolOptions {
  /** Jobs at once; default: the machine's cores. 0 runs the jobs one after another in this process. */
  concurrency?: number;
  /** Heap cap of each worker in MB (default 1024). */
  heapMb?: number;
  /** Called when a job finishes (progress display); `resumed` when its result was read back from its folder. */
  onResult?: (result: TrainingResult, job: TrainingJob, resumed: boolean) => void;
}

/** Runs every job (finished ones are read back, not redone) and returns their results in order. */
export async function trainInPool(jobs: readonly TrainingJob[], options: PoolOptions = {}): Promise<TrainingResult[]> {
  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 0) throw new Error(`concurrency must be a non-negative integer, got ${concurrency}`);
  const results = new Array<TrainingResult>(jobs.length);
  const finish = (i: number, r: TrainingResult, resumed: boolean) => {
    results[i] = r;
    options.onResult?.(r, jobs[i]!, resumed);
  };
  if (concurrency === 0) {
    for (let i = 0; i < jobs.length; i++) {
      const done = readResult(jobs[i]!.dir);
      finish(i, done ?? (await runTrainingJob(jobs[i]!)), done !== undefined);
    }
    return results;
  }
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i]!;
      const done = readResult(job.dir);
      finish(i, done ?? (await runInChild(job, options.heapMb ?? 1024)), done !== undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
  return results;
}

function runInChild(job: TrainingJob, heapMb: number): Promise<TrainingResult> {
  const { entry, execArgv } = workerEntry();
  return new Promise((resolve) => {
    // Only what training reads (backend, native BLAS, OpenBLAS, logging): no API key reaches a worker.
    const child = fork(entry, [], { execArgv: [...execArgv, `--max-old-space-size=${heapMb}`], stdio: ["ignore", "inherit", "pipe", "ipc"], env: childEnv(TRAINING_ENV) });
    let stderr = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (c: string) => (stderr = (stderr + c).slice(-4000)));
    let settled = false;
    const settle = (r: TrainingResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    child.on("message", (reply: WorkerReply) => {
      if (reply.type === "result") settle(reply.result);
      else settle(crashed(job, reply.message));
    });
    child.on("exit", (code, signal) => {
      // The result file may exist even if the message was lost.
      settle(readResult(job.dir) ?? crashed(job, `training process exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split("\n").slice(-3).join(" | ")}` : ""}`));
    });
    child.send({ type: "job", job });
  });
}

function crashed(job: TrainingJob, message: string): TrainingResult {
  const r: TrainingResult = {
    id: job.id, ok: false, failure: { kind: "crash", message }, nativeReturn: NaN, distance: NaN, metrics: {},
    checkpoints: [], rollouts: [], numTimesteps: 0, wallSeconds: 0, stepsPerSecond: 0, evalSeconds: 0,
  };
  writeResult(job.dir, r);
  return r;
}

/** worker.ts through tsx from source, worker.js from dist/. */
function workerEntry(): { entry: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith(".ts")) return { entry: join(dir, "worker.ts"), execArgv: ["--import", import.meta.resolve("tsx")] };
  const entry = join(dir, "worker.js");
  if (!existsSync(entry)) throw new Error(`guided-rl reward design: ${entry} is missing (run npm run build)`);
  return { entry, execArgv: [] };
}
