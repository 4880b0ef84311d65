import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// tfjs is a devDependency (the kernels' cross-check tests and bench:train --kernel): the package must train
// without it, and selectBackend() must say what to install.
const withoutTfjs = (args: string[]) =>
  spawnSync(process.execPath, ["--require", "./test/helpers/without-tfjs.cjs", "--import", "tsx", ...args], {
    encoding: "utf8", env: { ...process.env, GUIDED_RL_QUIET: "1" },
  });

test("without @tensorflow/tfjs installed the CLI trains PPO on CartPole and writes its run folder", () => {
  const out = mkdtempSync(join(tmpdir(), "guided-rl-no-tfjs-"));
  try {
    const res = withoutTfjs(["src/cli.ts", "train", "--env", "CartPole-v1", "--algo", "ppo", "--hyperparams", "default", "--steps", "256", "--set", "nSteps=128", "--out", join(out, "run")]);
    assert.equal(res.status, 0, res.stderr);
    assert.ok(existsSync(join(out, "run", "config.json")), `run folder: ${res.stdout}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("without @tensorflow/tfjs, selectBackend() rejects naming the packages to install", () => {
  const res = withoutTfjs(["--input-type=module", "--eval",
    `import("./src/nn/index.ts").then((nn) => nn.selectBackend()).then(() => console.log("resolved"), (e) => console.log("rejected: " + e.message))`]);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /rejected: .*npm install @tensorflow\/tfjs @tensorflow\/tfjs-backend-wasm/);
});
