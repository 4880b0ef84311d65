// A checkpoint with a missing field is refused with an error naming the file and the field (issue 14
// point 5), for every algorithm, on real checkpoint files; the field list the check uses is what `save`
// writes. Through the real CLI: `train --resume` on such a folder, and `--set` with a name the algorithm
// does not have (refused for every algorithm, naming the accepted names, the folder not created).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeAsync } from "../../src/envs/index.js";
import { A2C, DQN, PPO, SAC, TD3 } from "../../src/algos/index.js";
import { CHECKPOINT_FIELDS } from "../../src/algos/checkpoint.js";
import { runCliSync } from "../cli/run-cli.js";

const ALGOS = {
  ppo: { env: "CartPole-v1", make: (e: never) => new PPO(e, { nSteps: 16, batchSize: 16 }), load: PPO.load.bind(PPO) },
  a2c: { env: "CartPole-v1", make: (e: never) => new A2C(e, { nSteps: 8 }), load: A2C.load.bind(A2C) },
  dqn: { env: "CartPole-v1", make: (e: never) => new DQN(e, { learningStarts: 8, batchSize: 8, netArch: [8] }), load: DQN.load.bind(DQN) },
  sac: { env: "Pendulum-v1", make: (e: never) => new SAC(e, { learningStarts: 8, batchSize: 8, netArch: [8] }), load: SAC.load.bind(SAC) },
  td3: { env: "Pendulum-v1", make: (e: never) => new TD3(e, { learningStarts: 8, batchSize: 8, netArch: [8] }), load: TD3.load.bind(TD3) },
} as const;

for (const [name, a] of Object.entries(ALGOS)) {
  test(`${name}: the checked fields are what save writes; a missing one is named with its file`, async () => {
    const model = a.make((await makeAsync(a.env)) as never) as { learn(o: { totalTimesteps: number }): Promise<unknown>; save(dir: string): void };
    await model.learn({ totalTimesteps: 24 });
    const dir = mkdtempSync(join(tmpdir(), `ckpt-fields-${name}-`));
    model.save(dir);
    const file = join(dir, `${name}.json`);
    const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    assert.deepEqual([...CHECKPOINT_FIELDS[name]!].sort(), Object.keys(json).filter((k) => !["algo", "version", "format"].includes(k)).sort());
    await a.load(dir, (await makeAsync(a.env)) as never); // whole: loads
    const field = CHECKPOINT_FIELDS[name]!.at(-1)!;
    const { [field]: _dropped, totalTimesteps: _also, ...rest } = json;
    writeFileSync(file, JSON.stringify(rest));
    await assert.rejects(async () => a.load(dir, (await makeAsync(a.env)) as never), (e: Error) => {
      assert.ok(e.message.startsWith(`${file}: the ${name.toUpperCase()} checkpoint has no `), e.message);
      assert.match(e.message, new RegExp(`"totalTimesteps", "${field}" fields|"${field}", "totalTimesteps" fields`));
      return true;
    });
  });
}

const train = (args: string[]) => runCliSync(["train", "--env", "CartPole-v1", ...args]);

test("train --resume on a checkpoint with a missing field: non-zero exit naming the file and the field", () => {
  const out = join(mkdtempSync(join(tmpdir(), "ckpt-cli-")), "run");
  assert.equal(train(["--algo", "ppo", "--hyperparams", "default", "--steps", "256", "--set", "nSteps=64", "--set", "batchSize=32", "--out", out]).code, 0);
  const file = join(out, "checkpoint", "ppo.json");
  assert.ok(existsSync(file), "the run saved a checkpoint");
  const { optimizer: _gone, ...rest } = JSON.parse(readFileSync(file, "utf8"));
  writeFileSync(file, JSON.stringify(rest));
  const r = train(["--algo", "ppo", "--hyperparams", "default", "--steps", "512", "--set", "nSteps=64", "--set", "batchSize=32", "--out", out, "--resume"]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: the PPO checkpoint has no "optimizer" field`));
});

test("--set with a name the algorithm does not have is refused for every algorithm, naming the accepted ones; no folder is made", () => {
  for (const [algo, env] of [["ppo", "CartPole-v1"], ["a2c", "CartPole-v1"], ["dqn", "CartPole-v1"], ["sac", "Pendulum-v1"], ["td3", "Pendulum-v1"]]) {
    const out = join(mkdtempSync(join(tmpdir(), "set-cli-")), "run");
    const r = train(["--algo", algo!, "--env", env!, "--steps", "64", "--set", "learnigRate=0.001", "--out", out]);
    assert.notEqual(r.code, 0, algo);
    assert.match(r.stderr, new RegExp(`${algo!.toUpperCase()}: unknown option "learnigRate" \\(known: learningRate, `), algo);
    assert.ok(!existsSync(out), `${algo}: the run folder was not created`);
  }
});
