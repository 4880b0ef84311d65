import { test } from "node:test";
import assert from "node:assert/strict";
import { readCommonOption, readOptions, readSeeds, usageFailure, type ReproduceCommonArgs } from "../../src/cli/options.js";

const USAGE = "usage: demo [--llm NAME] [--flag]";

function parseDemo(argv: readonly string[]): ReproduceCommonArgs & { flag: boolean; seeds?: number } {
  const args: ReproduceCommonArgs & { flag: boolean; seeds?: number } = { provider: "surrogate", budget: "full", png: true, flag: false };
  const fail = usageFailure(USAGE);
  readOptions(argv, fail, (option) => {
    if (option.name === "--flag") {
      args.flag = true;
      return true;
    }
    if (option.name === "--seeds") {
      args.seeds = readSeeds(option, fail);
      return true;
    }
    return readCommonOption(args, option, fail);
  });
  return args;
}

test("shared options: --name value and --name=value, the common reproduction options, command-specific ones", () => {
  const a = parseDemo(["--llm", "openai", "--model=m-1", "--budget", "smoke", "--out=x/y", "--no-png", "--flag", "--seeds", "3"]);
  assert.deepEqual(a, { provider: "openai-compatible", model: "m-1", budget: "smoke", out: "x/y", png: false, flag: true, seeds: 3 });
  assert.equal(parseDemo(["--llm=anthropic"]).provider, "anthropic");
  assert.equal(parseDemo(["--llm", "openai-compatible"]).provider, "openai-compatible");
  assert.deepEqual(parseDemo([]), { provider: "surrogate", budget: "full", png: true, flag: false });
  assert.equal(parseDemo(["--max-failed-calls", "2"]).maxFailedCalls, 2);
  assert.equal(parseDemo(["--max-failed-calls=0"]).maxFailedCalls, 0);
  assert.throws(() => parseDemo(["--max-failed-calls", "-1"]), /--max-failed-calls must be a whole number >= 0/);
});

test("shared options: usage errors carry the message then the command's usage", () => {
  assert.throws(() => parseDemo(["--frobnicate=1"]), (err: Error) => err.message === `unknown option "--frobnicate=1"\n${USAGE}`);
  assert.throws(() => parseDemo(["--out"]), (err: Error) => err.message === `--out needs a value\n${USAGE}`);
  assert.throws(() => parseDemo(["--llm", "gpt"]), /unknown --llm "gpt" \(surrogate, anthropic or openai\)\nusage: demo/);
  assert.throws(() => parseDemo(["--budget", "huge"]), /--budget must be smoke or full, or showcase \(the published notebooks' size\), got "huge"/);
  assert.equal(parseDemo(["--budget", "showcase"]).budget, "showcase");
  for (const bad of ["1.5", "0", "1e1", "0x10", " ", "", "-2", "+3", "9007199254740993", "3 "]) {
    assert.throws(() => parseDemo(["--seeds", bad]), /--seeds must be a whole number >= 1 written in decimal digits \(e\.g\. 1000\)/, JSON.stringify(bad));
  }
});
