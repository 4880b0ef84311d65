// The job-array templates in deploy/: they parse, and their command lines, run here with the scheduler's
// index variable set, write the shard folder of that index. (Docker cannot run on these machines: the
// Dockerfile is checked statically — what it copies and the npm scripts it runs exist.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const TINY = "reproduce lmgt --env cartpole --budget smoke --experiments main --algos dqn --seeds 2 --no-png";
// CI installs shellcheck and python3-yaml; elsewhere a missing tool skips its check and says so.
const REQUIRED = process.env.CI === "true";

function has(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
}

function shardOf(dir: string): { index: number; count: number } {
  return (JSON.parse(readFileSync(join(dir, "shard.json"), "utf8")) as { shard: { index: number; count: number } }).shard;
}

test("Slurm array script: shellcheck clean; run with SLURM_ARRAY_TASK_ID it writes that shard's folder", (t) => {
  const script = join(ROOT, "deploy", "slurm", "reproduce.sbatch");
  if (has("shellcheck", ["--version"])) {
    const sc = spawnSync("shellcheck", [script], { encoding: "utf8" });
    assert.equal(sc.status, 0, sc.stdout);
  } else if (REQUIRED) assert.fail("shellcheck is not installed (apt-get install shellcheck)");
  else t.diagnostic("shellcheck not installed: lint skipped");
  const out = mkdtempSync(join(tmpdir(), "slurm-"));
  const res = spawnSync("bash", [script], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "2", GUIDED_RL_ARGS: TINY, GUIDED_RL_OUT: out },
  });
  assert.equal(res.status, 0, res.stderr);
  assert.deepEqual(shardOf(join(out, "shard-1")), { index: 1, count: 2 });
  assert.ok(existsSync(join(out, "shard-1", "trials.jsonl")));
  // Without the array variable it refuses with the fix.
  const bare = spawnSync("bash", [script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, SLURM_ARRAY_TASK_ID: "" } });
  assert.notEqual(bare.status, 0);
  assert.match(bare.stderr, /sbatch --array/);
});

test("Kubernetes Indexed Job: parses as an Indexed Job; its command with JOB_COMPLETION_INDEX writes that shard", (t) => {
  const manifest = join(ROOT, "deploy", "kubernetes", "reproduce-job.yaml");
  const parse = spawnSync("/usr/bin/python3", ["-c", "import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", manifest], { encoding: "utf8" });
  if (parse.status !== 0 && !REQUIRED && /No module named 'yaml'/.test(parse.stderr)) {
    t.skip("python3-yaml not installed");
    return;
  }
  assert.equal(parse.status, 0, parse.stderr);
  const job = JSON.parse(parse.stdout);
  assert.equal(job.kind, "Job");
  assert.equal(job.spec.completionMode, "Indexed");
  const container = job.spec.template.spec.containers[0];
  const env = Object.fromEntries((container.env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
  assert.equal(Number(env.GUIDED_RL_SHARDS), job.spec.completions, "GUIDED_RL_SHARDS must equal completions");
  assert.deepEqual(container.command, ["bash", "-c"]);
  const out = mkdtempSync(join(tmpdir(), "k8s-"));
  const res = spawnSync("bash", ["-c", container.args[0]], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env, GUIDED_RL_ARGS: TINY, GUIDED_RL_OUT: out, JOB_COMPLETION_INDEX: "3" },
  });
  assert.equal(res.status, 0, res.stderr);
  assert.deepEqual(shardOf(join(out, "shard-3")), { index: 3, count: Number(env.GUIDED_RL_SHARDS) });
});

test("Dockerfile: what it copies exists and the npm scripts it runs are defined", () => {
  const docker = readFileSync(join(ROOT, "deploy", "Dockerfile"), "utf8");
  const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const runs = [...docker.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
  assert.ok(runs.length >= 2);
  for (const s of runs) assert.ok(scripts[s], `Dockerfile runs npm run ${s}, which package.json does not define`);
  for (const m of docker.matchAll(/^COPY (.+) \.\/?$/gm)) for (const f of m[1]!.split(/\s+/)) if (f !== ".") assert.ok(existsSync(join(ROOT, f)), `COPY ${f}: no such file`);
  assert.match(docker, /^FROM node:20/m);
});
