// Run folders never lose data (issue 14 point 5): real files, real child processes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseTrainArgs } from "../../src/cli/train.js";
import { readJsonl } from "../../src/core/jsonl.js";
import { ensureDir } from "../../src/core/fs.js";
import { createLlm } from "../../src/llm/index.js";
import { runCli, runCliSync } from "./run-cli.js";

const train = (args: string[]) => runCliSync(["train", "--env", "CartPole-v1", "--algo", "ppo", ...args]);

test("--resume on a folder without a checkpoint refuses (non-zero exit) and leaves every file as it was", () => {
  const dir = mkdtempSync(join(tmpdir(), "run-nockpt-"));
  writeFileSync(join(dir, "config.json"), '{"env":"Pendulum-v1"}\n');
  writeFileSync(join(dir, "metrics.jsonl"), '{"type":"eval","step":5}\n');
  const before = readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]);
  const r = train(["--steps", "256", "--out", dir, "--resume"]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /has no checkpoint to resume from \(it holds config\.json, metrics\.jsonl\); the folder was left untouched/);
  assert.deepEqual(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]), before);
  // A fresh run into a folder with other files refuses too.
  const other = mkdtempSync(join(tmpdir(), "run-other-"));
  writeFileSync(join(other, "notes.txt"), "mine");
  const r2 = train(["--steps", "256", "--out", other]);
  assert.notEqual(r2.code, 0);
  assert.match(r2.stderr, /is not empty \(it holds notes\.txt\)/);
  assert.equal(readFileSync(join(other, "notes.txt"), "utf8"), "mine");
});

test("--out under /proc fails within seconds with the folder named (Node's recursive mkdir spins there)", () => {
  const started = Date.now();
  const r = train(["--steps", "256", "--out", "/proc/guided-rl-no/such"]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /cannot create folder \/proc\/guided-rl-no\/such/);
  assert.ok(Date.now() - started < 60_000, `${Date.now() - started} ms`);
  assert.throws(() => ensureDir("/proc/guided-rl-no"), /cannot create folder \/proc\/guided-rl-no/);
  const ok = join(mkdtempSync(join(tmpdir(), "ensure-")), "a", "b", "c");
  ensureDir(ok);
  ensureDir(ok);
  assert.ok(readdirSync(join(ok, "..")).includes("c"));
});

test("numeric flags are strict: 1e3, 0x100, ' ', 1.0, -1 are refused with the accepted form", () => {
  for (const [flag, bad] of [["--steps", "1e3"], ["--steps", "0x100"], ["--seed", " "], ["--steps", "1.0"], ["--seed", "+3"], ["--n-envs", "2.5"], ["--steps", ""]] as const) {
    assert.throws(
      () => parseTrainArgs(["--env", "CartPole-v1", "--algo", "ppo", flag, bad]),
      (e: Error) => e.message.startsWith(`${flag} must be a whole number >= `) && e.message.includes(`written in decimal digits (e.g. 1000), got ${JSON.stringify(bad)}`),
      `${flag} ${JSON.stringify(bad)}`,
    );
  }
  assert.equal(parseTrainArgs(["--env", "CartPole-v1", "--algo", "ppo", "--steps", "100_000", "--seed", "0"]).steps, 100_000);
});

test("a torn last JSONL line is dropped with a warning; damage elsewhere names the file and line", () => {
  const dir = mkdtempSync(join(tmpdir(), "jsonl-"));
  const path = join(dir, "metrics.jsonl");
  writeFileSync(path, '{"a":1}\n{"a":2}\n{"a":');
  const warnings: string[] = [];
  assert.deepEqual(readJsonl(path, (m) => warnings.push(m)), [{ a: 1 }, { a: 2 }]);
  assert.match(warnings[0]!, /metrics\.jsonl: dropped a torn last line 3/);
  writeFileSync(path, '{"a":1}\n{"a":\n{"a":3}\n');
  assert.throws(() => readJsonl(path), new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, line 2: not valid JSON`));
  mkdirSync(join(dir, "adir.jsonl"));
  assert.throws(() => readJsonl(join(dir, "adir.jsonl")), /cannot read .*adir\.jsonl/);
});

test("every reproduce command's --out, and an LLM transcript, under /proc fail within seconds naming the folder", async () => {
  for (const cmd of [["reproduce", "lmgt", "--experiments", "main", "--algos", "ppo", "--seeds", "1"], ["reproduce", "ultra"], ["reproduce", "reward-design"]]) {
    const started = Date.now();
    const r = await runCli([...cmd, "--budget", "smoke", "--no-png", "--out", "/proc/guided-rl-no/out"]);
    assert.notEqual(r.code, 0, cmd.join(" "));
    assert.match(r.stderr, /cannot create folder \/proc\/guided-rl-no\/out/, `${cmd.join(" ")}: ${r.stderr.slice(-400)}`);
    assert.ok(Date.now() - started < 60_000, `${cmd.join(" ")}: ${Date.now() - started} ms`);
  }
  assert.throws(() => createLlm({ provider: "surrogate", transcript: "/proc/guided-rl-no/llm/llm-transcript.jsonl" }), /cannot create folder \/proc\/guided-rl-no\/llm/);
});
