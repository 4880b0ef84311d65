/**
 * The model sweep against a fake OpenAI-compatible server on 127.0.0.1: the real fetch client of the
 * openai-compatible provider talks to it. "big" scores every pair +1, "small" 0; "missing" gets 404s.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { runLmgtModelSweep } from "../../src/experiments/lmgt/models.js";
import { modelTable } from "../../src/experiments/lmgt/summary.js";
import { reproduceLmgt, parseReproduceLmgtArgs } from "../../src/cli/reproduce-lmgt.js";
import { runCli } from "../cli/run-cli.js";

async function fakeModels() {
  const seen: Record<string, number> = {};
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      if (req.method === "GET") {
        // The CLI's preflight asks for the model list before any training.
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ object: "list", data: [{ id: "small", object: "model" }] }));
        return;
      }
      const body = JSON.parse(raw) as { model: string; messages: { content: string }[] };
      seen[body.model] = (seen[body.model] ?? 0) + 1;
      res.setHeader("content-type", "application/json");
      if (body.model === "missing") {
        res.writeHead(404);
        res.end(JSON.stringify({ error: { message: `model "missing" not found` } }));
        return;
      }
      const text = body.messages.map((m) => m.content).join("\n");
      const ks = [...text.matchAll(/^Pair (\d+):/gm)].map((m) => m[1]);
      const score = body.model === "big" ? "+1" : "0";
      res.end(JSON.stringify({
        id: "x", object: "chat.completion", model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: ks.map((k) => `${k}: ${score}`).join("\n") }, finish_reason: "stop" }],
        usage: { prompt_tokens: 1000, completion_tokens: 7 * ks.length, total_tokens: 1000 + 7 * ks.length },
      }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

test("the sweep writes one row per model and survives one model failing (its row marked failed, the rest kept)", async () => {
  const fake = await fakeModels();
  try {
    const results = await runLmgtModelSweep({ envs: ["blackjack"], budget: "smoke", models: ["big", "missing", "small"], provider: "openai-compatible", baseURL: fake.url, seeds: 1 });
    assert.equal(results.length, 3);
    const [big, missing, small] = results;
    assert.equal(big!.failed, undefined);
    assert.equal(small!.failed, undefined);
    assert.match(missing!.failed!, /not found|404/);
    assert.deepEqual(missing!.evalReturns, [], "a model that did not answer is credited with no return");
    assert.ok(fake.seen.missing! <= 8, `the failing model was abandoned early (${fake.seen.missing} requests)`);
    assert.ok(big!.stats!.calls > 0 && big!.stats!.calls === fake.seen.big);
    assert.equal(big!.stats!.inputTokens, 1000 * big!.stats!.calls);
    assert.equal(big!.stats!.shiftHistogram["+1"], big!.stats!.queried);
    assert.equal(small!.stats!.shiftHistogram["0"], small!.stats!.queried);
    assert.equal(big!.llmModel, "big");
    const rows = modelTable(results);
    assert.deepEqual(rows.map((r) => r.model), ["big", "missing", "small"]);
    const missingRow = rows[1]!;
    assert.match(String(missingRow.status), /^failed: /);
    assert.ok(Object.keys(missingRow).filter((k) => k.startsWith("return@")).every((k) => missingRow[k] === "—"));
    assert.equal(missingRow["failed calls"], fake.seen.missing, "the failed requests are counted on the failed row");
    assert.equal(missingRow.calls, fake.seen.missing);
    assert.equal(rows[0]!.status, "ok");
    assert.equal(rows[0]!.calls, big!.stats!.calls);
    assert.equal(rows[0]!["input tokens"], big!.stats!.inputTokens);
    assert.equal(rows[0]!["failed calls"], 0);
    assert.notEqual(rows[0]!["return@2k"], "—");
  } finally {
    await fake.close();
  }
});

test("reproduce lmgt --models: one command, the models table on disk with the failed row", async () => {
  const fake = await fakeModels();
  const out = mkdtempSync(join(tmpdir(), "lmgt-models-"));
  try {
    const code = await reproduceLmgt(["--env", "blackjack", "--budget", "smoke", "--llm", "openai", "--base-url", fake.url, "--models", "small,missing", "--out", out, "--no-png"]);
    assert.equal(code, 0);
    const text = readFileSync(join(out, "models.txt"), "utf8");
    assert.match(text, /small\s+openai-compatible\s+ok/);
    assert.match(text, /missing\s+openai-compatible\s+failed: /);
    assert.ok(!/sample-efficiency/.test(readFileSync(join(out, "results.json"), "utf8")));
  } finally {
    await fake.close();
  }
  assert.throws(() => parseReproduceLmgtArgs(["--models", "a,b"]), /--models sweeps real models/);
  assert.throws(() => parseReproduceLmgtArgs(["--llm", "anthropic", "--base-url", "http://x"]), /--base-url is for --llm openai/);
  assert.deepEqual(parseReproduceLmgtArgs(["--llm", "anthropic", "--models", "claude-a, claude-b"]).models, ["claude-a", "claude-b"]);
});

test("reproduce lmgt --models as shards: each model one run of --list; 2 parallel shards + merge = the unsharded sweep (results and journal, 2 envs); --resume reruns nothing; a model cut short is missing", async () => {
  const fake = await fakeModels();
  const root = mkdtempSync(join(tmpdir(), "lmgt-models-shards-"));
  const settings = ["reproduce", "lmgt", "--env", "blackjack,cartpole", "--budget", "smoke", "--llm", "openai", "--base-url", fake.url, "--models", "big,missing,small", "--seeds", "2", "--no-png"];
  try {
    const list = await runCli([...settings, "--list", "--shard", "0/2"]);
    assert.equal(list.code, 0, list.stderr);
    const rows = list.stdout.split("\n").filter((l) => l.includes("model sweep: "));
    assert.deepEqual(rows.map((l) => /model sweep: (\S+),/.exec(l)![1]), ["big", "missing", "small"], list.stdout);
    assert.match(list.stdout, /^3 runs, /m, "the sweep alone: no protocol runs without --experiments");
    const shardOf = (model: string) => /shard (\d)\/2/.exec(rows.find((l) => l.includes(`sweep: ${model},`))!)![1];
    assert.notEqual(shardOf("big"), shardOf("small"), "two models of equal cost on different shards");

    const whole = join(root, "whole");
    const shard = (i: number) => join(root, `s${i}`);
    const runs = await Promise.all([runCli([...settings, "--out", whole]), ...[0, 1].map((i) => runCli([...settings, "--shard", `${i}/2`, "--out", shard(i)]))]);
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const trials = (dir: string) => readFileSync(join(dir, "trials.jsonl"), "utf8").trim().split("\n").filter(Boolean).length;
    assert.equal(trials(shard(0)) + trials(shard(1)), trials(whole), "every sweep trial ran once, on the shard of its model");
    // --resume on the finished folder reuses every sweep trial: none runs again or is journalled twice.
    const journalled = trials(whole);
    const resumed = await runCli([...settings, "--out", whole, "--resume"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(trials(whole), journalled, "no sweep trial ran again");

    const missing = await runCli(["merge", join(root, "partial"), shard(0), "--no-png"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /model sweep: /);
    // A shard killed in the middle of a model (its last trial lost): the model is missing as a whole, and
    // --only-missing runs it again, all its trials.
    const cut = join(root, "cut");
    mkdirSync(cut);
    const lines = readFileSync(join(shard(0), "trials.jsonl"), "utf8").trim().split("\n");
    writeFileSync(join(cut, "trials.jsonl"), lines.slice(0, -1).map((l) => `${l}\n`).join(""));
    writeFileSync(join(cut, "shard.json"), readFileSync(join(shard(0), "shard.json")));
    const cutModel = (JSON.parse(lines.at(-1)!) as { spec: { variant: string } }).spec.variant;
    const partial = join(root, "partial2");
    const incomplete = await runCli(["merge", partial, cut, shard(1), "--no-png"]);
    assert.equal(incomplete.code, 1);
    assert.match(incomplete.stderr, new RegExp(`1 run\\(s\\) are missing[\\s\\S]*model sweep: ${cutModel},`));
    const extra = join(root, "extra");
    const rerun = await runCli([...settings, "--only-missing", partial, "--out", extra]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /1 of 3 runs are missing there/);
    assert.equal(readFileSync(join(extra, "trials.jsonl"), "utf8").trim().split("\n").length, 4, "all trials of the cut model (2 envs x 2 seeds)");
    const refilled = await runCli(["merge", partial, partial, extra, "--no-png"]);
    assert.equal(refilled.code, 0, refilled.stderr);
    const merged = join(root, "merged");
    const merge = await runCli(["merge", merged, shard(0), shard(1), "--no-png"]);
    assert.equal(merge.code, 0, merge.stderr);
    // Equal but for wall times and where each folder keeps the model's LLM files (its own llm/<model>, copied there by merge).
    type Result = { wallSeconds?: number; spec: { llm: { runDir?: string } } };
    const results = (dir: string) =>
      (JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Result[]).map(({ wallSeconds: _w, ...rest }) => {
        assert.equal(rest.spec.llm.runDir, join(dir, "llm", rest.spec.llm.runDir!.split("/").at(-1)!));
        return { ...rest, spec: { ...rest.spec, llm: { ...rest.spec.llm, runDir: undefined } } };
      });
    assert.equal(results(whole).length, 12, "2 envs x 3 models x 2 seeds");
    assert.deepEqual(results(merged), results(whole));
    assert.deepEqual(results(partial), results(whole));
    // The merged journal lists the trials as the unsharded run wrote them (env by env, then model), not model by model.
    const journal = (dir: string) => readFileSync(join(dir, "trials.jsonl"), "utf8").trim().split("\n").map((l) => {
      const { spec } = JSON.parse(l) as { spec: { env: string; variant: string; seed: number } };
      return `${spec.env}/${spec.variant}/${spec.seed}`;
    });
    assert.deepEqual(journal(merged), journal(whole));
    assert.deepEqual(journal(partial), journal(whole));
    for (const model of ["big", "small"]) {
      assert.equal(readFileSync(join(merged, "llm", model, "llm-transcript.jsonl"), "utf8").split("\n").length, readFileSync(join(whole, "llm", model, "llm-transcript.jsonl"), "utf8").split("\n").length, `${model}'s transcript`);
    }
    assert.equal(readFileSync(join(merged, "models.txt"), "utf8"), readFileSync(join(whole, "models.txt"), "utf8"));
  } finally {
    await fake.close();
  }
});
