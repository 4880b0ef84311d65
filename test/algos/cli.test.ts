import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseTrainArgs, progressBar } from "../../src/cli/train.js";

test("train arguments: defaults, overrides, and clear errors", () => {
  const a = parseTrainArgs(["--env", "CartPole-v1", "--algo", "ppo", "--steps", "10_000", "--set", "learningRate=lin_0.001", "--set", "nEpochs=3"]);
  assert.equal(a.steps, 10000);
  assert.equal(a.seed, 0);
  assert.equal(a.hyperparams, "zoo");
  assert.deepEqual(a.overrides, { learningRate: "lin_0.001", nEpochs: 3 });
  assert.throws(() => parseTrainArgs(["--algo", "ppo"]), /--env is required/);
  assert.throws(() => parseTrainArgs(["--env", "CartPole-v1", "--algo", "trpo"]), /--algo must be one of ppo, a2c, dqn, sac/);
  assert.throws(() => parseTrainArgs(["--env", "CartPole-v1", "--algo", "ppo", "--steps=-5"]), /--steps must be a whole number >= 1 written in decimal digits/);
  assert.throws(() => parseTrainArgs(["--env", "CartPole-v1", "--algo", "ppo", "--bogus"]), /Unknown option '--bogus'/);
  assert.equal(parseTrainArgs(["--env", "Pendulum-v1", "--algo", "td3", "--log-interval", "10"]).logInterval, 10);
  assert.equal(a.logInterval, undefined, "the algorithm's SB3 default when not given");
  assert.throws(() => parseTrainArgs(["--env", "Pendulum-v1", "--algo", "td3", "--log-interval", "0"]), /--log-interval must be a whole number >= 1/);
});

test("progress bar shows progress, steps/s, episode return and the last evaluation", () => {
  const line = progressBar({ numTimesteps: 500, totalTimesteps: 1000, nUpdates: 1, episodes: 3, epRewMean: 21.5, epLenMean: 21.5, metrics: {},
    stepsPerSecond: 1234.4, lastEval: { type: "eval", step: 400, meanReturn: 99, stdReturn: 0, returns: [99], lengths: [99], deterministic: true } }, 10);
  assert.equal(line, "[#####.....]  50% 500/1,000 steps · 1,234 steps/s · ~0 s left · ep return 21.5 · eval 99.0");
});

test("CLI end to end: plain lines without a TTY, --json summary, bad combination exits 1 with the reason", () => {
  const out = join(mkdtempSync(join(tmpdir(), "guided-rl-cli-")), "run");
  const ok = spawnSync(process.execPath, ["bin/guided-rl.js", "train", "--env", "CartPole-v1", "--algo", "a2c", "--steps", "800", "--eval-freq", "400", "--out", out], { encoding: "utf8" });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^step \d+\/800 steps\/s \d+ ep_return/m);
  assert.match(ok.stdout, /done: 800 steps, eval return/);
  const json = spawnSync(process.execPath, ["bin/guided-rl.js", "train", "--env", "CartPole-v1", "--algo", "ppo", "--steps", "256", "--json", "--out", out + "-json"], { encoding: "utf8" });
  assert.equal(json.status, 0, json.stderr);
  const summary = JSON.parse(json.stdout.trim());
  assert.equal(summary.steps, 256);
  assert.ok(Number.isFinite(summary.evalReturn) && summary.stepsPerSecond > 0);
  const bad = spawnSync(process.execPath, ["bin/guided-rl.js", "train", "--env", "Pendulum-v1", "--algo", "dqn", "--steps", "100", "--out", out + "-bad"], { encoding: "utf8" });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /DQN needs a Discrete action space; Pendulum-v1 has Box\(1,\)/);
  const unknown = spawnSync(process.execPath, ["bin/guided-rl.js", "fly"], { encoding: "utf8" });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "fly"/);
});
