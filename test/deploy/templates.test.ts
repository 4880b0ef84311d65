// The job-array templates in deploy/: they parse, and their command lines, run here with the scheduler's
// index variable set, write the shard folder of that index. (Docker cannot run on these machines: the
// Dockerfile is checked statically — what it copies and the npm scripts it runs exist.)
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const TINY = "reproduce lmgt --env cartpole --budget smoke --experiments main --algos dqn --seeds 2 --no-png";
// CI installs shellcheck and python3-yaml; elsewhere a missing tool skips its check and says so.
const REQUIRED = process.env.CI === "true";

function has(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
}

/** shellcheck on the scripts (required in CI; elsewhere skipped with a note when it is not installed). */
function lint(t: TestContext, scripts: string[]): void {
  if (has("shellcheck", ["--version"])) {
    const sc = spawnSync("shellcheck", scripts, { encoding: "utf8" });
    assert.equal(sc.status, 0, sc.stdout);
  } else if (REQUIRED) assert.fail("shellcheck is not installed (apt-get install shellcheck)");
  else t.diagnostic("shellcheck not installed: lint skipped");
}

/** A stand-in scheduler command `name` (script text) in a fresh folder, with its empty job log and a run folder path. */
function standIn(name: string, script: string): { tmp: string; fake: string; log: string; out: string } {
  const tmp = mkdtempSync(join(tmpdir(), `${name}-rd-`));
  const fake = join(tmp, name);
  writeFileSync(fake, script, { mode: 0o755 });
  const log = join(tmp, "jobs.log");
  writeFileSync(log, "");
  return { tmp, fake, log, out: join(tmp, "run") };
}

function shardOf(dir: string): { index: number; count: number } {
  return (JSON.parse(readFileSync(join(dir, "shard.json"), "utf8")) as { shard: { index: number; count: number } }).shard;
}

test("Slurm array script: shellcheck clean; run with SLURM_ARRAY_TASK_ID it writes that shard's folder", (t) => {
  const script = join(ROOT, "deploy", "slurm", "reproduce.sbatch");
  lint(t, [script]);
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

// A stand-in for sbatch that runs each job at once, in submission order (so afterok holds when the previous
// job succeeded): an array's tasks in parallel with SLURM_ARRAY_TASK_ID/COUNT set. It logs what was asked.
const FAKE_SBATCH = `#!/usr/bin/env bash
set -euo pipefail
log="\${FAKE_SBATCH_LOG:?}"
phase="" dep="" array="" script=""
for a in "$@"; do
  case "$a" in
    --parsable) ;;
    --export=ALL,GUIDED_RL_PHASE=*) phase="\${a#--export=ALL,GUIDED_RL_PHASE=}" ;;
    --dependency=afterok:*) dep="\${a#--dependency=afterok:}" ;;
    --array=0-*) array="\${a#--array=0-}" ;;
    -*) echo "fake sbatch: unexpected option $a" >&2; exit 2 ;;
    *) script="$a" ;;
  esac
done
id=$(( $(wc -l < "$log") + 1 ))
echo "$id $phase \${dep:--} \${array:--}" >> "$log"
if [[ -n "$dep" && "$dep" != "$(( id - 1 ))" ]]; then echo "fake sbatch: job $id depends on $dep, not on the job before it" >&2; exit 3; fi
export GUIDED_RL_PHASE="$phase"
if [[ -n "$array" ]]; then
  pids=()
  for i in $(seq 0 "$array"); do SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=$(( array + 1 )) bash "$script" > "$log.$id.$i" 2>&1 & pids+=($!); done
  for p in "\${pids[@]}"; do wait "$p"; done
else
  bash "$script" > "$log.$id" 2>&1
fi
echo "$id"
`;

test("Slurm reward-design workflow: shellcheck clean; submitted to a stand-in sbatch, the chained phases run the whole smoke run", (t) => {
  const slurm = join(ROOT, "deploy", "slurm");
  const scripts = [join(slurm, "reward-design.sbatch"), join(slurm, "reward-design-submit.sh")];
  lint(t, scripts);
  const { fake, log, out } = standIn("sbatch", FAKE_SBATCH);
  const env = {
    ...process.env,
    SBATCH: fake,
    FAKE_SBATCH_LOG: log,
    GUIDED_RL_SHARDS: "2",
    GUIDED_RL_OUT: out,
    GUIDED_RL_ARGS: "reproduce reward-design --budget smoke --iterations 1 --steps 1024 --concurrency 0 --no-png",
  };
  const res = spawnSync("bash", [scripts[1]!], { cwd: ROOT, encoding: "utf8", env });
  assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}\n${readFileSync(log, "utf8")}`);
  // One iteration (propose, a 2-task train array, reflect), then the final stage (train array, reflect), each after the one before.
  assert.deepEqual(readFileSync(log, "utf8").trim().split("\n"), ["1 propose - -", "2 train 1 1", "3 reflect 2 -", "4 train 3 1", "5 reflect 4 -"]);
  assert.match(readFileSync(`${log}.2.0`, "utf8") + readFileSync(`${log}.2.1`, "utf8"), /shard 0\/2: trained[\s\S]*shard 1\/2: trained|shard 1\/2: trained[\s\S]*shard 0\/2: trained/);
  assert.ok(existsSync(join(out, "table.md")) && existsSync(join(out, "iter-01", "summary.json")));
  // Submitted again, the run is done: nothing more is submitted.
  const again = spawnSync("bash", [scripts[1]!], { cwd: ROOT, encoding: "utf8", env });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /: done: /);
  assert.equal(readFileSync(log, "utf8").trim().split("\n").length, 5);
  // The train phase outside an array refuses with the fix.
  const bare = spawnSync("bash", [scripts[0]!], { cwd: ROOT, encoding: "utf8", env: { ...env, GUIDED_RL_PHASE: "train", SLURM_ARRAY_TASK_ID: "" } });
  assert.notEqual(bare.status, 0);
  assert.match(bare.stderr, /sbatch --array/);
});

// A stand-in for kubectl: `create -f -` runs the Job at once (its completion indexes in parallel, each with the
// container's env — FAKE_KUBECTL_ENV overriding the image's settings and volume path — and JOB_COMPLETION_INDEX,
// from the project folder) and logs it; `get job/NAME` says Complete or Failed.
const FAKE_KUBECTL = `#!/usr/bin/env python3
import json, os, subprocess, sys, yaml
log = os.environ["FAKE_KUBECTL_LOG"]
args = sys.argv[1:]
if args[:2] == ["create", "-f"]:
    job = yaml.safe_load(sys.stdin)
    name, spec = job["metadata"]["name"], job["spec"]
    container = spec["template"]["spec"]["containers"][0]
    env = {**os.environ, **{e["name"]: e["value"] for e in container["env"]}, **json.loads(os.environ.get("FAKE_KUBECTL_ENV", "{}"))}
    procs = [subprocess.Popen(container["command"] + container["args"], env=dict(env, JOB_COMPLETION_INDEX=str(i)), stdout=open(f"{log}.{name}.{i}", "w"), stderr=subprocess.STDOUT) for i in range(spec["completions"])]
    ok = all(p.wait() == 0 for p in procs)
    phase = next(e["value"] for e in container["env"] if e["name"] == "GUIDED_RL_PHASE")
    with open(log, "a") as f: f.write(f"{name} {phase} {spec['completions']} {spec['parallelism']} {spec['backoffLimit']} {spec['completionMode']} {'Complete' if ok else 'Failed'}\\n")
    print(f"job.batch/{name} created")
elif args[0] == "get":
    name = args[1].split("/", 1)[1]
    print(next(l.split()[-1] for l in open(log) if l.split()[0] == name), end="")
else:
    sys.exit(f"fake kubectl: unexpected {args}")
`;

test("Kubernetes reward-design workflow: the phase Job parses as an Indexed Job; the driver, with a stand-in kubectl, runs the whole smoke run", (t) => {
  const k8s = join(ROOT, "deploy", "kubernetes");
  const driver = join(k8s, "reward-design.sh");
  lint(t, [driver]);
  if (!has("/usr/bin/python3", ["-c", "import yaml"])) {
    if (REQUIRED) assert.fail("python3-yaml is not installed");
    t.skip("python3-yaml not installed");
    return;
  }
  const job = JSON.parse(spawnSync("/usr/bin/python3", ["-c", "import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", join(k8s, "reward-design-phase-job.yaml")], { encoding: "utf8" }).stdout);
  assert.equal(job.kind, "Job");
  assert.equal(job.spec.completionMode, "Indexed");
  assert.deepEqual(job.spec.template.spec.containers[0].envFrom, [{ secretRef: { name: "guided-rl-llm", optional: true } }], "the key from an optional Secret");
  const { tmp, fake, log, out } = standIn("kubectl", FAKE_KUBECTL);
  const settings = "reproduce reward-design --budget smoke --iterations 1 --steps 1024 --concurrency 0 --no-png";
  const res = spawnSync("bash", [driver], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, KUBECTL: fake, FAKE_KUBECTL_LOG: log, FAKE_KUBECTL_ENV: JSON.stringify({ GUIDED_RL_ARGS: settings, GUIDED_RL_OUT: out }), GUIDED_RL_ITERATIONS: "1", GUIDED_RL_SHARDS: "2", GUIDED_RL_POLL: "0" },
  });
  assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}\n${readFileSync(log, "utf8")}`);
  const jobs = readFileSync(log, "utf8").trim().split("\n").map((l) => l.split(" ").slice(1).join(" "));
  // completions, parallelism, backoffLimit (only training pods are retried), mode, outcome
  assert.deepEqual(jobs, ["propose 1 1 0 Indexed Complete", "train 2 2 4 Indexed Complete", "reflect 1 1 0 Indexed Complete", "train 2 2 4 Indexed Complete", "reflect 1 1 0 Indexed Complete"]);
  const trainLogs = readdirSync(tmp).filter((f) => /-2-train\.\d$/.test(f)).map((f) => readFileSync(join(tmp, f), "utf8")).join("\n");
  assert.match(trainLogs, /shard 0\/2: trained/);
  assert.match(trainLogs, /shard 1\/2: trained/);
  assert.ok(existsSync(join(out, "table.md")) && existsSync(join(out, "iter-01", "summary.json")));
});
