import { test } from "node:test";
import assert from "node:assert/strict";
import { info, warn, inNotebookKernel } from "../../src/core/log.js";

/** Runs `fn` with GUIDED_RL_QUIET unset and argv[1] set as given, returning what reached stdout and stderr. */
function capture(argv1: string, fn: () => void): { stdout: string; stderr: string } {
  const out = { stdout: "", stderr: "" };
  const saved = { quiet: process.env.GUIDED_RL_QUIET, argv1: process.argv[1], o: process.stdout.write, e: process.stderr.write };
  delete process.env.GUIDED_RL_QUIET;
  process.argv[1] = argv1;
  process.stdout.write = ((s: string) => ((out.stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((out.stderr += s), true)) as typeof process.stderr.write;
  try {
    fn();
  } finally {
    process.stdout.write = saved.o;
    process.stderr.write = saved.e;
    process.argv[1] = saved.argv1;
    if (saved.quiet === undefined) delete process.env.GUIDED_RL_QUIET;
    else process.env.GUIDED_RL_QUIET = saved.quiet;
  }
  return out;
}

test("info prints once per key, on stderr from a script and as plain stdout text in a tslab kernel", () => {
  const cli = capture("/x/src/cli.ts", () => {
    assert.equal(info("test-a", "first"), true);
    assert.equal(info("test-a", "again"), false);
  });
  assert.deepEqual(cli, { stdout: "", stderr: "first\n" });
  const nb = capture("/p/node_modules/.bin/tslab", () => {
    assert.equal(inNotebookKernel(), true);
    info("test-b", "in a notebook");
  });
  assert.deepEqual(nb, { stdout: "in a notebook\n", stderr: "" });
});

test("warn always goes to stderr (once per key), even in a notebook; GUIDED_RL_QUIET=1 silences both", () => {
  const nb = capture("/p/node_modules/tslab/bin/tslab", () => {
    warn("test-w", "install chromium");
    warn("test-w", "install chromium");
  });
  assert.deepEqual(nb, { stdout: "", stderr: "install chromium\n" });
  process.env.GUIDED_RL_QUIET = "1";
  const saved = process.stderr.write;
  let written = "";
  process.stderr.write = ((s: string) => ((written += s), true)) as typeof process.stderr.write;
  try {
    assert.equal(info("test-q", "quiet"), true, "the key is still recorded");
    warn("test-q2", "quiet");
  } finally {
    process.stderr.write = saved;
  }
  assert.equal(written, "");
});
