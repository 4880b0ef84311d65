// Child processes get only the variables they need (issue 14 point 4): while a real training worker of
// the reward-design pool (and the sandbox it starts for the candidate's code) runs, their environments are
// read from /proc: no API key, the OpenBLAS settings passed on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composeRewardCode, trainInPool } from "../../src/experiments/reward-design/index.js";
import { tinyProtocol } from "./fixtures/tiny.js";

interface Proc { pid: number; cmdline: string; env: Record<string, string> }

/** Every live descendant of `root`, with its command line and environment. */
function descendants(root: number): Proc[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: Proc[] = [];
  const walk = (pid: number) => {
    for (const [child, ppid] of parent) {
      if (ppid !== pid) continue;
      try {
        const cmdline = readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").join(" ");
        const env = Object.fromEntries(readFileSync(`/proc/${child}/environ`, "utf8").split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
        out.push({ pid: child, cmdline, env });
      } catch {
        // gone meanwhile
      }
      walk(child);
    }
  };
  walk(root);
  return out;
}

test("the training worker and its sandbox see no API key; OpenBLAS settings reach the worker", { skip: !existsSync("/proc/self/environ") && "needs /proc" }, async () => {
  const key = "sk-ant-child-env-secret-7731";
  const saved = { key: process.env.ANTHROPIC_API_KEY, openai: process.env.GUIDED_RL_OPENAI_API_KEY, blas: process.env.OPENBLAS_L2_SIZE };
  process.env.ANTHROPIC_API_KEY = key;
  process.env.GUIDED_RL_OPENAI_API_KEY = "sk-openai-child-env-secret";
  process.env.OPENBLAS_L2_SIZE = "512";
  const seen = new Map<number, Proc>();
  const poll = setInterval(() => {
    for (const p of descendants(process.pid)) if (/worker\.(ts|js)|child\.(ts|js)/.test(p.cmdline)) seen.set(p.pid, p);
  }, 20);
  try {
    const dir = mkdtempSync(join(tmpdir(), "grl-rd-child-env-"));
    const [result] = await trainInPool([{ id: "env-check", dir, source: composeRewardCode({ progress: 1, fall: 100 }), protocol: tinyProtocol(256) }], { concurrency: 1 });
    assert.ok(result!.ok, JSON.stringify(result!.failure));
  } finally {
    clearInterval(poll);
    for (const [k, v] of [["ANTHROPIC_API_KEY", saved.key], ["GUIDED_RL_OPENAI_API_KEY", saved.openai], ["OPENBLAS_L2_SIZE", saved.blas]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const procs = [...seen.values()];
  const workers = procs.filter((p) => /worker\.(ts|js)/.test(p.cmdline));
  const sandboxes = procs.filter((p) => /sandbox[/\\]child\.(ts|js)/.test(p.cmdline));
  assert.ok(workers.length >= 1, `a training worker was seen: ${procs.map((p) => p.cmdline).join(" | ")}`);
  assert.ok(sandboxes.length >= 1, "the worker's sandbox was seen");
  for (const p of procs) {
    assert.equal(p.env.ANTHROPIC_API_KEY, undefined, p.cmdline);
    assert.equal(p.env.GUIDED_RL_OPENAI_API_KEY, undefined, p.cmdline);
    assert.ok(!Object.values(p.env).some((v) => v.includes(key)), p.cmdline);
  }
  for (const w of workers) assert.equal(w.env.OPENBLAS_L2_SIZE, "512", "the worker keeps the BLAS settings it computes with");
  for (const s of sandboxes) assert.deepEqual(Object.keys(s.env).filter((k) => !k.startsWith("NODE_CHANNEL_")).sort(), ["NODE_ENV", "PATH"], "the sandbox: PATH and NODE_ENV only (and Node's IPC channel)");
});
