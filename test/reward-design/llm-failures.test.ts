// Reward design under LLM failures (issue 14, points 1-2), real Anthropic SDK against fake servers on
// 127.0.0.1: failed designer calls are counted by the shared LLM layer (llm.failedCalls) and shown in the
// tables; a tolerated one leaves its candidate "no-answer", one past the tolerance stops the run with the
// finished candidates kept for a resume; an answer cut at max_tokens is sent back once with the reason; the
// CLI checks the key before any training and marks a stopped run partial in status.json.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLlm, LlmProviderError, LlmRunStoppedError, type Completion, type LlmClient } from "../../src/llm/index.js";
import { candidateTable, composeRewardCode, iterationTable, runRewardDesign, runSeedProtocol } from "../../src/experiments/reward-design/index.js";
import { runCli } from "../cli/run-cli.js";
import { anthropicError, anthropicMessage, startFakeServer, type RecordedRequest, type ScriptedReply } from "../llm/fake-servers.js";
import { tinyProtocol, tinySeed } from "./fixtures/tiny.js";

const GOOD = "Here it is.\n```javascript\n" + composeRewardCode({ progress: 1, upright: 0.5, fall: 100 }) + "\n```";
const CUT = "Here is a long reward.\n```javascript\nfunction computeReward(obs, action, nextObs, info) {\n  const progress = info.hull_vx";
const messagesOf = (r: RecordedRequest) => (r.body as { messages: { role: string; content: string }[] }).messages;
const slotOf = (r: RecordedRequest) => /candidate (\d+) of/.exec(messagesOf(r)[0]!.content)?.[1];
const ok = (text: string, stop = "end_turn"): ScriptedReply => ({ body: { ...anthropicMessage(text), stop_reason: stop } });
const fail: ScriptedReply = { status: 500, body: anthropicError("api_error", "overloaded backend") };
const client = (url: string, runDir: string, maxFailedCalls?: number) =>
  createLlm({ provider: "anthropic", apiKey: "sk-ant-rd-failures-test", baseURL: url, runDir, cache: "off", retry: { maxRetries: 0 }, ...(maxFailedCalls !== undefined ? { maxFailedCalls } : {}) });

describe("reward design counts failed designer calls with the shared LLM layer", () => {
  it("a tolerated failure leaves its candidate no-answer (counted in every table); a cut answer is sent back once with the reason", async () => {
    // Candidate 1: cut at max_tokens, then fixed. Candidate 2: the call fails (HTTP 500, no retries).
    const server = await startFakeServer((r) => (slotOf(r) === "2" ? fail : messagesOf(r).length === 3 ? ok(GOOD) : ok(CUT, "max_tokens")));
    const runDir = mkdtempSync(join(tmpdir(), "grl-rd-tolerated-"));
    try {
      const llm = client(server.url, runDir, 1);
      const r = await runRewardDesign({ runDir, llm, iterations: 1, candidates: 2, protocol: tinyProtocol(256), concurrency: 0, nativeBaseline: false });
      const [c1, c2] = r.candidates;
      assert.equal(llm.failedCalls, 1);
      assert.equal(r.failedCalls, 1);
      assert.equal(r.iterations[0]!.failedCalls, 1);
      assert.equal(iterationTable(r)[0]!["failed calls"], 1);
      assert.equal(c2!.status, "no-answer");
      assert.match(c2!.error!, /designer's LLM call failed: .*HTTP 500/);
      assert.equal(c2!.result, undefined, "no result is credited to a call that did not answer");
      assert.match(String(candidateTable(r)[1]!.status), /no answer \(call failed\)/);
      assert.ok(!existsSync(join(c2!.dir, "candidate.json")), "not saved: a resumed run asks again");

      assert.equal(c1!.validations[0]!.error!.kind, "cut");
      const fixPrompt = readFileSync(join(c1!.dir, "fix-prompt.md"), "utf8");
      assert.match(fixPrompt, /cut off at the 4096-token limit \(stop reason max_tokens\)/);
      const fixes = server.requests.filter((q) => q.method === "POST" && messagesOf(q).length === 3);
      assert.equal(fixes.length, 1, "the cut answer is sent back exactly once");
      assert.equal(c1!.status, "valid");
      assert.equal(c1!.fixed, true);
      assert.ok(c1!.result?.ok);
    } finally {
      await server.close();
    }
  });

  it("default tolerance: the failure stops the run (LlmRunStoppedError), finished candidates are kept and a resumed run reuses them", async () => {
    const server = await startFakeServer((r) => (slotOf(r) === "2" ? fail : ok(GOOD)));
    const runDir = mkdtempSync(join(tmpdir(), "grl-rd-stops-"));
    const options = { runDir, iterations: 1, candidates: 2, protocol: tinyProtocol(256), concurrency: 0, nativeBaseline: false };
    try {
      await assert.rejects(runRewardDesign({ ...options, llm: client(server.url, runDir) }), (e: unknown) => {
        assert.ok(e instanceof LlmRunStoppedError, String(e));
        assert.match(e.message, /run stops: 1 failed call/);
        return true;
      });
      assert.ok(existsSync(join(runDir, "iter-01", "cand-1", "candidate.json")), "the finished candidate is kept");
      assert.ok(!existsSync(join(runDir, "iter-01", "cand-1", "result.json")), "nothing trained after the stop");
      assert.ok(!existsSync(join(runDir, "results.json")), "no results from a stopped run");

      const asked = server.requests.length;
      const fixed = await startFakeServer(ok(GOOD));
      try {
        const r = await runRewardDesign({ ...options, llm: client(fixed.url, runDir) });
        assert.equal(fixed.requests.length, 1, "only the unfinished candidate is asked again");
        assert.match(messagesOf(fixed.requests[0]!)[0]!.content, /candidate 2 of/);
        assert.deepEqual(r.candidates.map((c) => c.status), ["valid", "valid"]);
        assert.equal(r.failedCalls, 0);
      } finally {
        await fixed.close();
      }
      assert.equal(server.requests.length, asked);
    } finally {
      await server.close();
    }
  });
});


/** A designer (not yet an Llm: the loop counts its failures with countingLlm) failing the calls `fails` names (0-based). */
function designer(fails: (call: number) => boolean): LlmClient {
  let call = 0;
  return {
    provider: "scripted",
    model: "scripted-1",
    async complete(): Promise<Completion> {
      if (fails(call++)) throw new LlmProviderError("scripted: HTTP 503 after 5 attempts", 503, true, 5);
      return { text: GOOD, usage: { inputTokens: 10, outputTokens: 10 }, model: "scripted-1", provider: "scripted", cached: false, costUsd: 0, latencyMs: 1, stopReason: "end_turn" };
    },
  };
}

describe("the seed preset counts failed designer calls the same way", () => {
  it("a tolerated failure keeps the current reward (no-answer, counted); past the tolerance the run stops with its finished iterations kept", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "grl-rd-seed-tolerated-"));
    const r = await runSeedProtocol({ runDir, llm: designer((i) => i === 0), maxFailedCalls: 1, protocol: tinySeed(3) });
    assert.deepEqual(r.iterations.map((i) => i.status), ["native", "no-answer", "valid"]);
    assert.match(r.iterations[1]!.error!, /designer's LLM call failed: scripted: HTTP 503/);
    assert.equal(r.iterations[1]!.code, null, "the current (native) reward is kept");
    assert.equal(r.failedCalls, 1);

    const stopDir = mkdtempSync(join(tmpdir(), "grl-rd-seed-stops-"));
    await assert.rejects(runSeedProtocol({ runDir: stopDir, llm: designer(() => true), protocol: tinySeed(3) }), LlmRunStoppedError);
    assert.ok(existsSync(join(stopDir, "iter-01", "record.json")), "the finished iteration is kept for a resume");
    assert.ok(!existsSync(join(stopDir, "iter-02", "record.json")) && !existsSync(join(stopDir, "results.json")));
  });
});

describe("guided-rl reproduce reward-design with a real provider", () => {
  it("without a key: exits non-zero before any training, naming ANTHROPIC_API_KEY", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "grl-rd-cli-nokey-")), "run");
    const r = await runCli(["reproduce", "reward-design", "--llm", "anthropic", "--budget", "smoke", "--out", out, "--no-png"], { ANTHROPIC_API_KEY: undefined });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /set ANTHROPIC_API_KEY/);
    assert.ok(!existsSync(out), "nothing was written");
  });

  it("a server that fails a call (echoing the key): non-zero exit, finished candidate kept, status.json partial, no table, no key written", async () => {
    const key = "sk-ant-rd-cli-secret-0099";
    // The model list: 404 (the server is there); the first designer call answers, every later one fails
    // (HTTP 400: not retried, so the test does not wait for the provider's backoff) with every request
    // header, the key too, in its error body.
    const server = await startFakeServer({ status: 400, echoHeaders: true });
    server.script({ status: 404, body: anthropicError("not_found_error", "no model list here") }, ok(GOOD));
    const out = mkdtempSync(join(tmpdir(), "grl-rd-cli-fail-"));
    try {
      const r = await runCli(["reproduce", "reward-design", "--llm", "anthropic", "--budget", "smoke", "--out", out, "--no-png"], {
        ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: server.url, GUIDED_RL_MAX_FAILED_CALLS: undefined,
      });
      assert.notEqual(r.code, 0, r.stderr);
      assert.match(r.stderr, /run stops: 1 failed call/);
      assert.match(r.stderr, /finished candidates are kept in .*status\.json: partial/);
      assert.doesNotMatch(r.stdout, /native return/, "no table");
      const status = JSON.parse(readFileSync(join(out, "status.json"), "utf8"));
      assert.equal(status.complete, false);
      assert.equal(status.partial, true);
      assert.match(status.reason, /failed call/);
      const kept = readdirSync(join(out, "iter-01")).filter((d) => existsSync(join(out, "iter-01", d, "candidate.json")));
      assert.equal(kept.length, 1, "the answered candidate is kept for the resume");
      assert.ok(!existsSync(join(out, "table.md")) && !existsSync(join(out, "results.json")));
      const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
      assert.ok(files.some((f) => f.endsWith("llm-transcript.jsonl")));
      for (const f of files) assert.ok(!readFileSync(f, "utf8").includes(key), `${f} holds the key`);
      assert.ok(!r.stderr.includes(key) && !r.stdout.includes(key));
    } finally {
      await server.close();
    }
  });
});
