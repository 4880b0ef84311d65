import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunDir, trainRun, type RunOptions } from "../../src/algos/index.js";

const TIMING_KEYS = ["wallSeconds", "time/collect_seconds", "time/update_seconds"];
function numbersOf(dir: string): Record<string, unknown>[] {
  return new RunDir(dir).metrics().map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING_KEYS.includes(k))));
}
const tmp = () => mkdtempSync(join(tmpdir(), "guided-rl-resume-"));

const cases: { name: string; opts: Omit<RunOptions, "out"> }[] = [
  {
    name: "PPO CartPole",
    opts: { env: "CartPole-v1", algo: "ppo", seed: 5, totalTimesteps: 1536, evalFreq: 256, checkpointFreq: 512, nEvalEpisodes: 2,
      evalStochastic: true, overrides: { nEnvs: 2, nSteps: 64, batchSize: 64, nEpochs: 2 } },
  },
  {
    name: "A2C Pendulum with VecNormalize",
    opts: { env: "Pendulum-v1", algo: "a2c", seed: 2, totalTimesteps: 1200, evalFreq: 300, checkpointFreq: 400, nEvalEpisodes: 1,
      hyperparams: "zoo", overrides: { nEnvs: 3 } },
  },
];

for (const c of cases) {
  test(`kill-and-resume (${c.name}): a run interrupted after a checkpoint resumes to the same numbers`, async () => {
    const whole = join(tmp(), "whole");
    const full = await trainRun({ ...c.opts, out: whole });
    const broken = join(tmp(), "broken");
    const killAt = (c.opts.checkpointFreq! * 3) / 2;
    await assert.rejects(
      trainRun({ ...c.opts, out: broken, callback: (p) => { if (p.numTimesteps > killAt) throw new Error("simulated crash"); } }),
      /simulated crash/,
    );
    assert.ok(new RunDir(broken).metrics().some((r) => (r.step as number) > c.opts.checkpointFreq!), "metrics after the checkpoint exist before resuming");
    const resumed = await trainRun({ ...c.opts, out: broken, resume: true });
    assert.deepEqual(numbersOf(broken), numbersOf(whole));
    assert.deepEqual(resumed.finalEval, full.finalEval);
    assert.equal(resumed.numTimesteps, full.numTimesteps);
    assert.deepEqual(
      JSON.parse(readFileSync(join(broken, "checkpoint", `${c.opts.algo}.json`), "utf8")).policy,
      JSON.parse(readFileSync(join(whole, "checkpoint", `${c.opts.algo}.json`), "utf8")).policy,
      "same final weights",
    );
  });
}

test("run folder errors: existing run without --resume, changed settings, unreadable checkpoint", async () => {
  const opts = cases[0].opts;
  const dir = join(tmp(), "run");
  await trainRun({ ...opts, totalTimesteps: 512, out: dir });
  await assert.rejects(trainRun({ ...opts, out: dir }), /already holds a run; pass --resume/);
  await assert.rejects(trainRun({ ...opts, seed: 6, out: dir, resume: true }), /different settings \(seed: 5 in the folder, 6 now\)/);
  await assert.rejects(trainRun({ ...opts, logInterval: 3, out: dir, resume: true }), /different settings \(logInterval: 1 in the folder, 3 now\)/);
  writeFileSync(join(dir, "checkpoint", "ppo.json"), "{ not json");
  await assert.rejects(trainRun({ ...opts, out: dir, resume: true }), /unreadable checkpoint .*cannot read the PPO checkpoint/);
});

test("NaN loss in a run folder: error line with step and last finite metrics, then the error", async () => {
  let calls = 0;
  const dir = join(tmp(), "nan");
  const guide = { name: "nan", transformRewards: (b: { n: number }) => (++calls > 1 ? new Float32Array(b.n).fill(NaN) : undefined) };
  await assert.rejects(trainRun({ ...cases[0].opts, out: dir, guide }), /non-finite at step 256/);
  const last = new RunDir(dir).metrics().at(-1)!;
  assert.equal(last.type, "error");
  assert.equal(last.step, 256);
  assert.ok(typeof (last.lastFiniteMetrics as Record<string, number>)["train/loss"] === "number");
  assert.ok(existsSync(join(dir, "error.json")));
});

test("CLI: SIGKILL mid-run, then --resume, ends with the same numbers as an uninterrupted run", async () => {
  const base = tmp();
  const args = (out: string) => ["bin/guided-rl.js", "train", "--env", "CartPole-v1", "--algo", "ppo", "--steps", "6144", "--seed", "1",
    "--eval-freq", "1024", "--eval-episodes", "2", "--set", "nEnvs=4", "--set", "nSteps=64", "--set", "nEpochs=4", "--set", "batchSize=64", "--out", out, "--json"];
  const whole = spawnSync(process.execPath, args(join(base, "whole")), { encoding: "utf8" });
  assert.equal(whole.status, 0, whole.stderr);
  const wholeJson = JSON.parse(whole.stdout.trim().split("\n").at(-1)!);

  const killed = join(base, "killed");
  const child = spawn(process.execPath, args(killed), { stdio: "ignore" });
  const ckpt = join(killed, "checkpoint", "ppo.json");
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (existsSync(ckpt)) {
        clearInterval(timer);
        child.kill("SIGKILL");
        resolve();
      }
    }, 20);
    child.on("exit", () => { clearInterval(timer); resolve(); });
    setTimeout(() => reject(new Error("no checkpoint within 120 s")), 120_000).unref();
  });
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.on("exit", r)));
  assert.ok(!existsSync(join(killed, "result.json")), "the run was killed before it finished");
  const resumed = spawnSync(process.execPath, [...args(killed), "--resume"], { encoding: "utf8" });
  assert.equal(resumed.status, 0, resumed.stderr);
  const resumedJson = JSON.parse(resumed.stdout.trim().split("\n").at(-1)!);
  assert.equal(resumedJson.evalReturn, wholeJson.evalReturn);
  assert.equal(resumedJson.steps, wholeJson.steps);
  assert.deepEqual(numbersOf(killed), numbersOf(join(base, "whole")));
});

test("off-policy metrics: a train line every logInterval episodes (and at checkpoints and the end), its losses the mean of the phases since the last line", async () => {
  const perPhase: { step: number; metrics: Record<string, number> }[] = [];
  const dir = join(tmp(), "td3-lines");
  await trainRun({
    env: "Pendulum-v1", algo: "td3", seed: 3, totalTimesteps: 1100, evalFreq: 1000, nEvalEpisodes: 1, hyperparams: "default", logInterval: 2,
    overrides: { learningStarts: 100, batchSize: 32, policyKwargs: { netArch: [16, 16] } }, out: dir,
    onProgress: (p) => void perPhase.push({ step: p.numTimesteps, metrics: { ...p.metrics } }),
  });
  const lines = new RunDir(dir).metrics().filter((r) => r.type === "train");
  // Pendulum episodes are 200 steps: 2 episodes = 400 steps; the checkpoint at 1000 and the end at 1100 add lines
  assert.deepEqual(lines.map((r) => r.step), [400, 800, 1000, 1100]);
  assert.equal(perPhase.length, 1100, "TD3 trains every step: one phase per step");
  let from = 0;
  for (const line of lines) {
    const phases = perPhase.filter((p) => p.step > from && p.step <= (line.step as number));
    from = line.step as number;
    const withActor = phases.filter((p) => "actorLoss" in p.metrics);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    if (phases.some((p) => "criticLoss" in p.metrics)) {
      assert.ok(Math.abs((line.criticLoss as number) - mean(phases.filter((p) => "criticLoss" in p.metrics).map((p) => p.metrics.criticLoss!))) < 1e-9);
    }
    if (withActor.length > 0) assert.ok(Math.abs((line.actorLoss as number) - mean(withActor.map((p) => p.metrics.actorLoss!))) < 1e-9);
  }
  assert.ok(lines.some((l) => typeof l.actorLoss === "number"), "losses are logged once training started");
  await assert.rejects(trainRun({ env: "Pendulum-v1", algo: "td3", totalTimesteps: 10, logInterval: 0, out: join(tmp(), "bad") }), /logInterval must be a positive integer, got 0/);
});

test("kill-and-resume (TD3 Pendulum, a line every 4 episodes): the averaged lines are the uninterrupted run's", async () => {
  const opts: Omit<RunOptions, "out"> = {
    env: "Pendulum-v1", algo: "td3", seed: 4, totalTimesteps: 1500, evalFreq: 500, checkpointFreq: 500, nEvalEpisodes: 1, hyperparams: "default",
    overrides: { learningStarts: 100, batchSize: 32, policyKwargs: { netArch: [16, 16] } },
  };
  const whole = join(tmp(), "whole");
  await trainRun({ ...opts, out: whole });
  const broken = join(tmp(), "broken");
  await assert.rejects(trainRun({ ...opts, out: broken, callback: (p) => { if (p.numTimesteps > 700) throw new Error("simulated crash"); } }), /simulated crash/);
  await trainRun({ ...opts, out: broken, resume: true });
  assert.deepEqual(numbersOf(broken), numbersOf(whole));
});
