/**
 * The worker side of WorkerVectorEnv: runs a SyncVectorEnv over envs [start, start + count) and serves the main
 * thread's commands from the shared control words until told to close (see worker-vector.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Info } from "../core/env.js";
import "./index.js";
import { makeVecAsync, type SyncVectorEnv } from "./vector.js";
import { CMD, type WorkerInit } from "./worker-vector.js";

const init = workerData as WorkerInit;
const ctrl = new Int32Array(init.ctrl);
const seedSlot = new Float64Array(init.seedSlot);
const { start, count, obsSize, actionSize } = init;
const actions = new Float32Array(init.actions, 4 * start * actionSize, count * actionSize);
const obs = new Float32Array(init.obs, 4 * start * obsSize, count * obsSize);
const rewards = new Float64Array(init.rewards);
const flags = new Uint8Array(init.flags);
const n = rewards.length;

let venv: SyncVectorEnv;
try {
  venv = await makeVecAsync(init.id, count, {
    ...init.makeOptions,
    recordEpisodeStatistics: init.recordEpisodeStatistics,
    ...(init.seed === null ? {} : { seed: init.seed + start }),
  });
  parentPort!.postMessage({ ready: true });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}

let seen = 0;
for (;;) {
  Atomics.wait(ctrl, 1, seen);
  seen = Atomics.load(ctrl, 1);
  const cmd = Atomics.load(ctrl, 0);
  let reply: { infos?: Info[]; error?: string };
  try {
    if (cmd === CMD.reset) {
      const r = venv.reset(Atomics.load(ctrl, 3) === 1 ? { seed: seedSlot[0]! + start } : {});
      obs.set(r.obs);
      reply = { infos: r.infos };
    } else if (cmd === CMD.step) {
      const r = venv.step(actions);
      obs.set(r.obs);
      for (let j = 0; j < count; j++) {
        rewards[start + j] = r.rewards[j]!;
        flags[start + j] = r.terminated[j]!;
        flags[n + start + j] = r.truncated[j]!;
      }
      reply = { infos: r.infos };
    } else {
      venv.close();
      reply = { infos: [] };
    }
  } catch (e) {
    reply = { error: e instanceof Error ? e.message : String(e) };
  }
  init.port.postMessage(reply);
  Atomics.store(ctrl, 2, seen);
  Atomics.notify(ctrl, 2);
  if (cmd === CMD.close) break;
}
init.port.close();
