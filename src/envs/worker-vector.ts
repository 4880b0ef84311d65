/**
 * A vector environment whose envs step in worker threads (SB3's SubprocVecEnv, with threads): the same
 * `VectorEnv` contract, seeding and autoreset as SyncVectorEnv (each worker runs a SyncVectorEnv over its share of
 * the envs), so it is a drop-in replacement when one env step costs enough to pay for the hand-over (MuJoCo's
 * Hopper ~100 us, not CartPole's ~1 us).
 *
 * `step` stays synchronous: actions go into shared memory, each worker is woken with `Atomics.notify`, the main
 * thread blocks in `Atomics.wait` until all are done, observations / rewards / flags come back through shared
 * memory and the per-env `infos` through a MessagePort read with `receiveMessageOnPort` (no event loop needed).
 *
 *     const venv = await makeWorkerVecAsync("Hopper-v5", 8, { seed: 0, workers: 2 });
 *     let { obs } = venv.reset();                 // Float32Array(8 * 11)
 *     const r = venv.step(actions);               // 8 * 3 actions, row after row
 *     venv.close();                               // stops the threads
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { Info } from "../core/env.js";
import type { Space } from "../core/spaces.js";
import { make, prepareEnv } from "./registration.js";
import type { MakeVecOptions, VectorEnv, VectorResetResult, VectorStepResult } from "./vector.js";

export interface WorkerVecOptions extends MakeVecOptions {
  /** Worker threads (default: one per core, at most one per env). The envs are split among them in order. */
  workers?: number;
}

/** Commands in the control words (see the worker). */
export const CMD = { reset: 1, step: 2, close: 3 } as const;
/** Control words per worker: [command, request count, done count, has seed]. */
export const CTRL_WORDS = 4;

/** What each worker thread is told at start. */
export interface WorkerInit {
  id: string;
  /** make() options and the env keyword arguments (structured-cloneable). */
  makeOptions: Record<string, unknown>;
  recordEpisodeStatistics: boolean;
  /** First env index of this worker and how many envs it runs. */
  start: number;
  count: number;
  /** Base seed of the vector (env i: seed + i), or null. */
  seed: number | null;
  obsSize: number;
  actionSize: number;
  ctrl: SharedArrayBuffer;
  seedSlot: SharedArrayBuffer;
  actions: SharedArrayBuffer;
  obs: SharedArrayBuffer;
  rewards: SharedArrayBuffer;
  flags: SharedArrayBuffer;
  port: MessagePort;
}

interface Thread {
  worker: Worker;
  ctrl: Int32Array;
  seedSlot: Float64Array;
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

export class WorkerVectorEnv implements VectorEnv {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<any>;
  readonly singleActionSpace: Space<any>;
  readonly obsSize: number;
  readonly actionSize: number;
  private readonly threads: Thread[];
  private readonly actions: Float32Array;
  private readonly obs: Float32Array;
  private readonly rewards: Float64Array;
  private readonly flags: Uint8Array;
  private closed = false;

  /** Use `makeWorkerVecAsync`: the workers load their engines asynchronously. */
  private constructor(n: number, spaces: { obs: Space<any>; act: Space<any>; obsSize: number; actionSize: number }, threads: Thread[], buffers: { actions: Float32Array; obs: Float32Array; rewards: Float64Array; flags: Uint8Array }) {
    this.numEnvs = n;
    this.singleObservationSpace = spaces.obs;
    this.singleActionSpace = spaces.act;
    this.obsSize = spaces.obsSize;
    this.actionSize = spaces.actionSize;
    this.threads = threads;
    ({ actions: this.actions, obs: this.obs, rewards: this.rewards, flags: this.flags } = buffers);
  }

  static async create(id: string, n: number, opts: WorkerVecOptions = {}): Promise<WorkerVectorEnv> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`makeWorkerVecAsync: n must be a positive integer, got ${n}`);
    const { seed, recordEpisodeStatistics = true, workers: w, ...makeOptions } = opts;
    const nWorkers = Math.min(n, w ?? cpus().length);
    if (!Number.isInteger(nWorkers) || nWorkers < 1) throw new RangeError(`makeWorkerVecAsync: workers must be a positive integer, got ${w}`);
    // One env here, for the spaces (and to fail early on a bad id or option).
    await prepareEnv(id);
    const probe = make(id, makeOptions);
    const obs = probe.observationSpace, act = probe.actionSpace;
    probe.close();
    if (obs.kind !== "box" || (act.kind !== "box" && act.kind !== "discrete")) {
      throw new TypeError(`makeWorkerVecAsync(${id}): Box observations and Box or Discrete actions are supported (got ${obs.kind} / ${act.kind})`);
    }
    const obsSize = (obs as unknown as { size: number }).size;
    const actionSize = act.kind === "box" ? (act as unknown as { size: number }).size : 1;
    const sab = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));
    const shared = { actions: sab(4 * n * actionSize), obs: sab(4 * n * obsSize), rewards: sab(8 * n), flags: sab(2 * n) };
    const threads: Thread[] = [];
    const ready: Promise<void>[] = [];
    for (let t = 0, start = 0; t < nWorkers; t++) {
      const count = Math.floor(n / nWorkers) + (t < n % nWorkers ? 1 : 0);
      const ctrl = sab(4 * CTRL_WORDS), seedSlot = sab(8);
      const { port1, port2 } = new MessageChannel();
      const init: WorkerInit = {
        id,
        makeOptions,
        recordEpisodeStatistics,
        start,
        count,
        seed: seed ?? null,
        obsSize,
        actionSize,
        ctrl,
        seedSlot,
        ...shared,
        port: port2,
      };
      const worker = startWorker(init, [port2]);
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.once("message", (m: { ready?: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(`worker ${t} (${id}): ${m.error}`))));
          worker.once("error", reject);
        }),
      );
      threads.push({ worker, ctrl: new Int32Array(ctrl), seedSlot: new Float64Array(seedSlot), port: port1, start, count });
      start += count;
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      for (const th of threads) void th.worker.terminate();
      throw e;
    }
    for (const th of threads) th.worker.unref();
    return new WorkerVectorEnv(
      n,
      { obs, act, obsSize, actionSize },
      threads,
      { actions: new Float32Array(shared.actions, 0, n * actionSize), obs: new Float32Array(shared.obs, 0, n * obsSize), rewards: new Float64Array(shared.rewards, 0, n), flags: new Uint8Array(shared.flags, 0, 2 * n) },
    );
  }

  /** Sends one command to every worker and waits for all; returns the infos, env by env. */
  private run(cmd: number, seed?: number): Info[] {
    if (this.closed) throw new Error("WorkerVectorEnv: closed");
    for (const th of this.threads) {
      Atomics.store(th.ctrl, 0, cmd);
      Atomics.store(th.ctrl, 3, seed === undefined ? 0 : 1);
      th.seedSlot[0] = seed ?? 0;
      Atomics.add(th.ctrl, 1, 1);
      Atomics.notify(th.ctrl, 1);
    }
    const infos: Info[] = new Array(this.numEnvs);
    let failure: string | undefined;
    for (const th of this.threads) {
      const want = Atomics.load(th.ctrl, 1);
      for (let done = Atomics.load(th.ctrl, 2); done !== want; done = Atomics.load(th.ctrl, 2)) Atomics.wait(th.ctrl, 2, done);
      let msg = receiveMessageOnPort(th.port);
      while (msg === undefined) {
        Atomics.wait(th.ctrl, 2, want, 1); // the message is posted before the done count; this is a rare race
        msg = receiveMessageOnPort(th.port);
      }
      const m = msg.message as { infos?: Info[]; error?: string };
      if (m.error !== undefined) failure ??= m.error;
      else for (let j = 0; j < th.count; j++) infos[th.start + j] = m.infos![j]!;
    }
    if (failure !== undefined) throw new Error(`WorkerVectorEnv: ${failure}`);
    return infos;
  }

  reset(opts: { seed?: number } = {}): VectorResetResult {
    const infos = this.run(CMD.reset, opts.seed);
    return { obs: this.obs.slice(), infos };
  }

  step(actions: ArrayLike<number>): VectorStepResult {
    if (actions.length !== this.numEnvs * this.actionSize) {
      throw new RangeError(`WorkerVectorEnv.step: expected ${this.numEnvs * this.actionSize} action values (${this.numEnvs} envs x ${this.actionSize}), got ${actions.length}`);
    }
    this.actions.set(actions);
    const infos = this.run(CMD.step);
    const n = this.numEnvs;
    return { obs: this.obs.slice(), rewards: this.rewards.slice(), terminated: this.flags.slice(0, n), truncated: this.flags.slice(n, 2 * n), infos };
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
export function makeWorkerVecAsync(id: string, n: number, opts: WorkerVecOptions = {}): Promise<WorkerVectorEnv> {
  return WorkerVectorEnv.create(id, n, opts);
}
