/**
 * A vector environment whose envs step in worker threads (SB3's SubprocVecEnv, with threads), with SyncVecEnv's
 * interface (reset, step with auto-reset and final observations, drainEpisodes, getState / restore). Worker w runs
 * a SyncVecEnv over its share of the envs, seeded with seed + (index of its first env): env i's first episode uses
 * seed + i as in SyncVecEnv; later episodes draw their seeds from each worker's own generator, so the batch equals
 * those per-worker SyncVecEnvs side by side (not one SyncVecEnv of n). It pays when one env step costs enough to
 * cover the hand-over (MuJoCo's Hopper ~100 us, not CartPole's ~1 us).
 *
 * `step` stays synchronous: actions go into shared memory, each worker is woken with `Atomics.notify`, the main
 * thread blocks in `Atomics.wait` until all are done; observations, rewards and flags come back through shared
 * memory, the rest (infos, final observations, finished episodes, states) as messages read with
 * `receiveMessageOnPort` on both sides (neither thread needs its event loop).
 *
 *     const venv = await makeWorkerVecAsync("Hopper-v5", 8, { seed: 0, workers: 2 });
 *     let obs = venv.reset();                     // Float32Array(8 * 11)
 *     const r = venv.step(actions);               // 8 * 3 actions, row after row
 *     venv.close();                               // stops the threads
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { spacesOf } from "../core/space-layout.js";
import { make, prepareEnv } from "./registration.js";
import type { EpisodeRecord, MakeVecOptions, VecEnvState, VecStepResult } from "./vector.js";

export interface WorkerVecOptions extends MakeVecOptions {
  /** Worker threads (default: one per core, at most one per env). The envs are split among them in order. */
  workers?: number;
}

/** Commands in the control words (see the worker). */
export const CMD = { reset: 1, step: 2, getState: 3, restore: 4, close: 5 } as const;
/** Control words per worker: [command, request count, done count]. */
export const CTRL_WORDS = 3;

/** What each worker thread is told at start. */
export interface WorkerInit {
  id: string;
  /** make() options and the env keyword arguments (structured-cloneable). */
  makeOptions: Record<string, unknown>;
  /** First env index of this worker and how many envs it runs. */
  start: number;
  count: number;
  seed: number;
  obsDim: number;
  actDim: number;
  ctrl: SharedArrayBuffer;
  actions: SharedArrayBuffer;
  obs: SharedArrayBuffer;
  rewards: SharedArrayBuffer;
  flags: SharedArrayBuffer;
  port: MessagePort;
}

/** A worker's answer to one command. */
export interface WorkerReply {
  error?: string;
  infos?: Record<string, unknown>[];
  /** Final observations of the envs that finished this step, by local index. */
  finalObs?: Array<[number, Float32Array]>;
  episodes?: EpisodeRecord[];
  state?: VecEnvState;
}

/** The state of a WorkerVecEnv: one SyncVecEnv state per worker. */
export interface WorkerVecEnvState {
  workers: VecEnvState[];
}

interface Thread {
  worker: Worker;
  ctrl: Int32Array;
  port: MessagePort;
  start: number;
  count: number;
}

/**
 * Starts the worker module beside this one: the .js from dist/, or, running from source, the .ts through tsx's ESM
 * hooks registered inside the worker (tsx's loader is not inherited by worker threads).
 */
function startWorker(init: WorkerInit, transferList: MessagePort[]): Worker {
  const ts = new URL("./worker-vector-thread.ts", import.meta.url);
  if (import.meta.url.endsWith(".ts") && existsSync(fileURLToPath(ts))) {
    // tsx's ESM API (its "import" entry beside the "require" one that createRequire resolves)
    const api = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
    const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ts.href)}); });`;
    return new Worker(boot, { eval: true, workerData: init, transferList });
  }
  return new Worker(new URL("./worker-vector-thread.js", import.meta.url), { workerData: init, transferList });
}

export class WorkerVecEnv {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actDim: number;
  readonly seed: number;
  private readonly threads: Thread[];
  private readonly actions: Float32Array;
  private readonly obs: Float32Array;
  private readonly rewards: Float32Array;
  private readonly flags: Uint8Array;
  private finished: EpisodeRecord[] = [];
  private closed = false;

  /** Use `makeWorkerVecAsync`: the workers load their engines asynchronously. */
  private constructor(n: number, seed: number, dims: { obsDim: number; actDim: number }, threads: Thread[], shared: Record<"actions" | "obs" | "rewards" | "flags", SharedArrayBuffer>) {
    this.numEnvs = n;
    this.seed = seed;
    this.obsDim = dims.obsDim;
    this.actDim = dims.actDim;
    this.threads = threads;
    this.actions = new Float32Array(shared.actions, 0, n * dims.actDim);
    this.obs = new Float32Array(shared.obs, 0, n * dims.obsDim);
    this.rewards = new Float32Array(shared.rewards, 0, n);
    this.flags = new Uint8Array(shared.flags, 0, 2 * n);
  }

  static async create(id: string, n: number, opts: WorkerVecOptions = {}): Promise<WorkerVecEnv> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`makeWorkerVecAsync: n must be a positive integer, got ${n}`);
    const { seed = 0, workers: w, ...makeOptions } = opts;
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`makeWorkerVecAsync: seed must be a non-negative integer, got ${seed}`);
    const nWorkers = Math.min(n, w ?? cpus().length);
    if (!Number.isInteger(nWorkers) || nWorkers < 1) throw new RangeError(`makeWorkerVecAsync: workers must be a positive integer, got ${w}`);
    // One env here, for the layout (and to fail early on a bad id or option).
    await prepareEnv(id);
    const probe = make(id, makeOptions);
    const { obs, act } = spacesOf(probe);
    probe.close();
    const dims = { obsDim: obs.dim, actDim: act.dim };
    const sab = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));
    const shared = { actions: sab(4 * n * act.dim), obs: sab(4 * n * obs.dim), rewards: sab(4 * n), flags: sab(2 * n) };
    const threads: Thread[] = [];
    const ready: Promise<void>[] = [];
    for (let t = 0, start = 0; t < nWorkers; t++) {
      const count = Math.floor(n / nWorkers) + (t < n % nWorkers ? 1 : 0);
      const ctrl = sab(4 * CTRL_WORDS);
      const { port1, port2 } = new MessageChannel();
      const init: WorkerInit = { id, makeOptions, start, count, seed: seed + start, ...dims, ctrl, ...shared, port: port2 };
      const worker = startWorker(init, [port2]);
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.once("message", (m: { ready?: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(`worker ${t} (${id}): ${m.error}`))));
          worker.once("error", reject);
        }),
      );
      threads.push({ worker, ctrl: new Int32Array(ctrl), port: port1, start, count });
      start += count;
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      for (const th of threads) void th.worker.terminate();
      throw e;
    }
    for (const th of threads) th.worker.unref();
    return new WorkerVecEnv(n, seed, dims, threads, shared);
  }

  /** Sends one command (and per-worker payloads) to every worker and waits for all; returns their replies. */
  private run(cmd: number, payloads?: unknown[]): WorkerReply[] {
    if (this.closed) throw new Error("WorkerVecEnv: closed");
    this.threads.forEach((th, t) => {
      if (payloads !== undefined) th.port.postMessage(payloads[t]);
      Atomics.store(th.ctrl, 0, cmd);
      Atomics.add(th.ctrl, 1, 1);
      Atomics.notify(th.ctrl, 1);
    });
    const replies = this.threads.map((th) => {
      const want = Atomics.load(th.ctrl, 1);
      for (let done = Atomics.load(th.ctrl, 2); done !== want; done = Atomics.load(th.ctrl, 2)) Atomics.wait(th.ctrl, 2, done);
      let msg = receiveMessageOnPort(th.port);
      // The reply is posted before the done count moves; should it still be in flight, wait a moment for it.
      while (msg === undefined) {
        Atomics.wait(th.ctrl, 2, want, 1);
        msg = receiveMessageOnPort(th.port);
      }
      return msg.message as WorkerReply;
    });
    const failed = replies.find((r) => r.error !== undefined);
    if (failed) throw new Error(`WorkerVecEnv: ${failed.error}`);
    return replies;
  }

  /** Resets every env (env i with seed + i); returns the observations (numEnvs x obsDim). */
  reset(): Float32Array {
    this.run(CMD.reset);
    this.finished = [];
    return this.obs.slice();
  }

  /** Steps every env with its row of `actions` (numEnvs x actDim), auto-resetting finished ones. */
  step(actions: Float32Array): VecStepResult {
    const n = this.numEnvs;
    if (actions.length !== n * this.actDim) throw new RangeError(`WorkerVecEnv: expected ${n * this.actDim} action values (${n} envs x ${this.actDim}), got ${actions.length}`);
    this.actions.set(actions);
    const replies = this.run(CMD.step);
    const infos: Record<string, unknown>[] = new Array(n);
    const finalObs: (Float32Array | null)[] = new Array(n).fill(null);
    replies.forEach((r, t) => {
      const { start } = this.threads[t]!;
      r.infos!.forEach((info, j) => (infos[start + j] = info));
      for (const [j, o] of r.finalObs!) finalObs[start + j] = o;
      this.finished.push(...r.episodes!);
    });
    return { obs: this.obs.slice(), rewards: this.rewards.slice(), terminated: this.flags.slice(0, n), truncated: this.flags.slice(n, 2 * n), finalObs, infos };
  }

  /** Episodes completed since the previous call (worker by worker). */
  drainEpisodes(): EpisodeRecord[] {
    const out = this.finished;
    this.finished = [];
    return out;
  }

  getState(): WorkerVecEnvState {
    return { workers: this.run(CMD.getState).map((r) => r.state!) };
  }

  /** Puts every worker's envs back where `state` was taken (SyncVecEnv.restore in each); returns the observations. */
  restore(state: WorkerVecEnvState): Float32Array {
    if (state?.workers?.length !== this.threads.length) {
      throw new Error(`WorkerVecEnv.restore: the state holds ${state?.workers?.length} workers, this vector has ${this.threads.length}`);
    }
    this.run(CMD.restore, state.workers);
    this.finished = [];
    return this.obs.slice();
  }

  /** Stops the workers (each closes its envs first). Safe to call twice. */
  close(): void {
    if (this.closed) return;
    try {
      this.run(CMD.close);
    } finally {
      this.closed = true;
      for (const th of this.threads) {
        th.port.close();
        void th.worker.terminate();
      }
    }
  }
}

/** `n` copies of env `id` in worker threads (awaits each worker's engine loading). */
export function makeWorkerVecAsync(id: string, n: number, opts: WorkerVecOptions = {}): Promise<WorkerVecEnv> {
  return WorkerVecEnv.create(id, n, opts);
}
