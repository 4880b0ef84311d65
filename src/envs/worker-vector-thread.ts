/**
 * The worker side of WorkerVecEnv: runs a SyncVecEnv over envs [start, start + count) and serves the main thread's
 * commands from the shared control words until told to close (see worker-vector.ts).
 */
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import "./index.js";
import { makeVecAsync, type SyncVecEnv, type VecEnvState } from "./vector.js";
import { CMD, type WorkerInit, type WorkerReply } from "./worker-vector.js";

const init = workerData as WorkerInit;
const ctrl = new Int32Array(init.ctrl);
const { start, count, obsDim, actDim } = init;
const actions = new Float32Array(init.actions, 4 * start * actDim, count * actDim);
const obs = new Float32Array(init.obs, 4 * start * obsDim, count * obsDim);
const rewards = new Float32Array(init.rewards);
const flags = new Uint8Array(init.flags);
const n = rewards.length;

let venv: SyncVecEnv;
try {
  venv = await makeVecAsync(init.id, count, { ...init.makeOptions, seed: init.seed });
  parentPort!.postMessage({ ready: true });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}

function serve(cmd: number): WorkerReply {
  if (cmd === CMD.reset) {
    obs.set(venv.reset());
    return {};
  }
  if (cmd === CMD.step) {
    const r = venv.step(actions);
    obs.set(r.obs);
    const finalObs: Array<[number, Float32Array]> = [];
    for (let j = 0; j < count; j++) {
      rewards[start + j] = r.rewards[j]!;
      flags[start + j] = r.terminated[j]!;
      flags[n + start + j] = r.truncated[j]!;
      if (r.finalObs[j]) finalObs.push([j, r.finalObs[j]!]);
    }
    return { infos: r.infos, finalObs, episodes: venv.drainEpisodes() };
  }
  if (cmd === CMD.getState) return { state: venv.getState() };
  if (cmd === CMD.restore) {
    const msg = receiveMessageOnPort(init.port);
    if (msg === undefined) throw new Error("restore: no state arrived");
    obs.set(venv.restore(msg.message as VecEnvState));
    return {};
  }
  venv.close();
  return {};
}

let seen = 0;
for (;;) {
  Atomics.wait(ctrl, 1, seen);
  seen = Atomics.load(ctrl, 1);
  const cmd = Atomics.load(ctrl, 0);
  let reply: WorkerReply;
  try {
    reply = serve(cmd);
  } catch (e) {
    reply = { error: e instanceof Error ? e.message : String(e) };
  }
  init.port.postMessage(reply);
  Atomics.store(ctrl, 2, seen);
  Atomics.notify(ctrl, 2);
  if (cmd === CMD.close) break;
}
init.port.close();
