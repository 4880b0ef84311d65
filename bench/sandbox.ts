/**
 * Round trip of one 2048-transition BipedalWalker-like batch through the reward sandbox
 * (target from issue 7: <= 5 ms). Run: `npm run bench:sandbox` (options: --iters N, --n N).
 *
 * Prints the median / p90 / mean round trip of `sb.evaluate` for a typical reward-design reward, and of a
 * trivial `return 0` reward on the same batch (transport + per-step object building only), plus the
 * parent-side encoding time alone. The machine is shared: read the median, and compare within one run.
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { Sandbox } from "../src/sandbox/index.js";
import type { Transitions } from "../src/sandbox/index.js";
import { encodeTransitions } from "../src/sandbox/wire.js";
import { ACT, OBS, WALKER_REWARD, walkerBatch } from "../test/sandbox/walker-fixture.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const N = arg("n", 2048);
const ITERS = arg("iters", 200);
const TRIVIAL = "function computeReward(obs, action, nextObs, info) { return 0; }";

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `median ${q(0.5).toFixed(2)} ms  p90 ${q(0.9).toFixed(2)} ms  mean ${mean.toFixed(2)} ms  min ${s[0]!.toFixed(2)} ms`;
}

/** CPU time (user + system) of a process in ms, from /proc (Linux). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

interface Timing {
  wall: number[];
  /** CPU ms per round trip: parent and sandbox process together (what an idle machine would take). */
  cpuPerCall: number;
}

async function time(sb: Sandbox, source: string, batch: Transitions): Promise<Timing> {
  const wall: number[] = [];
  let cpu0 = 0;
  let child0 = 0;
  for (let i = 0; i < ITERS + 20; i++) {
    if (i === 20) {
      const u = process.cpuUsage();
      cpu0 = (u.user + u.system) / 1000;
      child0 = processCpuMs(sb.pid!);
    }
    const t = performance.now();
    const r = await sb.evaluate(source, batch);
    const dt = performance.now() - t;
    if (!r.ok) throw new Error(`benchmark reward failed: ${JSON.stringify(r.error)}`);
    if (i >= 20) wall.push(dt);
  }
  const u = process.cpuUsage();
  const cpu = (u.user + u.system) / 1000 - cpu0 + processCpuMs(sb.pid!) - child0;
  return { wall, cpuPerCall: cpu / ITERS };
}

const batch = walkerBatch(N);
const sb = await Sandbox.start({ timeoutMs: 5000, heapMb: 128 });
try {
  const enc: number[] = [];
  for (let i = 0; i < ITERS; i++) {
    const t = performance.now();
    encodeTransitions(batch);
    enc.push(performance.now() - t);
  }
  const typical = await time(sb, WALKER_REWARD, batch);
  const trivial = await time(sb, TRIVIAL, batch);
  const [load1] = loadavg();
  console.log(`sandbox round trip, ${N} transitions (obs ${OBS}, action ${ACT}, 8 info keys), ${ITERS} iterations; load average ${load1!.toFixed(1)} on ${cpus().length} cores`);
  console.log(`  typical walker reward : wall ${stats(typical.wall)}; CPU ${typical.cpuPerCall.toFixed(2)} ms per round trip (both processes)`);
  console.log(`  trivial reward        : wall ${stats(trivial.wall)}; CPU ${trivial.cpuPerCall.toFixed(2)} ms per round trip (both processes)`);
  console.log(`  parent-side encoding  : ${stats(enc)}`);
  const median = [...typical.wall].sort((a, b) => a - b)[Math.floor(typical.wall.length / 2)]!;
  console.log(`  target <= 5 ms per batch: ${median <= 5 ? "met" : "NOT met"} (median wall ${median.toFixed(2)} ms)`);
} finally {
  await sb.close();
}
