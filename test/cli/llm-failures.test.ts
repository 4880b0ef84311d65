// The real CLI in a child process (issue 14, point 1): an LLM that does not answer is never credited.
// A missing key fails before any training; a server that fails every call stops the run with a non-zero
// exit, keeps the finished trials for --resume and marks the folder partial.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./run-cli.js";
import { anthropicError, startFakeServer } from "../llm/fake-servers.js";


test("reproduce lmgt --llm anthropic without a key: exits non-zero before any training, naming ANTHROPIC_API_KEY", async () => {
  const out = mkdtempSync(join(tmpdir(), "cli-nokey-"));
  const r = await runCli(["reproduce", "lmgt", "--llm", "anthropic", "--budget", "smoke", "--out", out, "--no-png"], { ANTHROPIC_API_KEY: undefined });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /set ANTHROPIC_API_KEY/);
  assert.ok(!existsSync(join(out, "trials.jsonl")), "no trial ran");
  assert.doesNotMatch(r.stdout, /return@/, "no table printed");
});

test("reproduce lmgt against a server that fails every call: non-zero exit, finished trials kept, folder marked partial, key never written", async () => {
  const key = "sk-ant-cli-failure-secret-0042";
  // 404 for the model list (the server is there), 500 with the key echoed back for every message.
  const server = await startFakeServer({ status: 500, echoHeaders: true });
  server.script({ status: 404, body: anthropicError("not_found_error", "no model list here") });
  try {
    const out = mkdtempSync(join(tmpdir(), "cli-fail-"));
    const r = await runCli(
      ["reproduce", "lmgt", "--llm", "anthropic", "--budget", "smoke", "--experiments", "main", "--algos", "ppo", "--seeds", "1", "--out", out, "--no-png"],
      { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: server.url, GUIDED_RL_MAX_FAILED_CALLS: undefined },
    );
    assert.notEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, /run stops: 1 failed call/);
    assert.match(r.stderr, /finished trial\(s\), kept in .*trials\.jsonl/);
    assert.doesNotMatch(r.stdout, /LMGT \(/, "no table credits the model");
    const status = JSON.parse(readFileSync(join(out, "status.json"), "utf8"));
    assert.equal(status.complete, false);
    assert.equal(status.partial, true);
    const trials = readFileSync(join(out, "trials.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(trials.map((t) => t.spec.variant), ["baseline"], "the finished baseline is kept for --resume");
    const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
    assert.ok(files.some((f) => f.endsWith("llm-transcript.jsonl")), files.join(", "));
    for (const file of files) assert.ok(!readFileSync(file, "utf8").includes(key), `${file} holds the key`);
    assert.ok(!r.stderr.includes(key) && !r.stdout.includes(key));
  } finally {
    await server.close();
  }
});
