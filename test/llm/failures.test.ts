// Honest failures in the LLM layer: preflight before training, failed calls counted and stopping the run,
// budget stops, stop reasons (cut / refused answers) and usage a server does not report honestly.
// Real Anthropic SDK and real fetch against fake servers on 127.0.0.1.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  countingLlm,
  createLlm,
  incompleteReason,
  isFailedCall,
  isRunStopping,
  LlmBudgetExceededError,
  LlmPreflightError,
  LlmProviderError,
  LlmRunStoppedError,
  stopKindOf,
  type CreateLlmOptions,
} from "../../src/llm/index.js";
import { anthropicError, anthropicMessage, openAiCompletion, startFakeServer, type FakeServer } from "./fake-servers.js";

const ask = { messages: [{ role: "user" as const, content: "Score these pairs." }], maxTokens: 40, purpose: { guide: "lmgt", task: "score-actions" } };

describe("failed calls stop the run (anthropic, real SDK)", () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeServer({ body: anthropicMessage("1: +1") });
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });
  const client = (extra: Partial<CreateLlmOptions> = {}) =>
    createLlm({ provider: "anthropic", apiKey: "sk-ant-failures-test", baseURL: server.url, timeoutMs: 2000, retry: { maxRetries: 1, initialDelayMs: 1, jitter: false }, ...extra });

  it("default: the first failure after the provider's retries throws LlmRunStoppedError, and so does every later call (no request made)", async () => {
    const llm = client();
    await llm.complete(ask);
    server.script({ status: 500, body: anthropicError("api_error", "boom") }, { status: 500, body: anthropicError("api_error", "boom") });
    await assert.rejects(llm.complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmRunStoppedError);
      assert.ok(isRunStopping(e));
      assert.ok(e.cause instanceof LlmProviderError && e.cause.status === 500);
      assert.match(e.message, /run stops: 1 failed call, no failed call is allowed \(maxFailedCalls 0, the default\).*HTTP 500 after 2 attempts/);
      return true;
    });
    assert.equal(server.requests.length, 3, "one success, then two attempts");
    await assert.rejects(llm.complete(ask), LlmRunStoppedError);
    assert.equal(server.requests.length, 3, "a stopped client makes no request");
    assert.equal(llm.failedCalls, 1);
    assert.equal(llm.summary().calls, 1);
    assert.ok(llm.stopped instanceof LlmRunStoppedError);
  });

  it("maxFailedCalls 1: one failure is thrown as itself (a guide may count it), the second stops the run", async () => {
    const llm = client({ maxFailedCalls: 1, retry: { maxRetries: 0 } });
    server.script({ status: 500, body: anthropicError("api_error", "one") });
    await assert.rejects(llm.complete(ask), (e: unknown) => e instanceof LlmProviderError && !isRunStopping(e));
    assert.equal((await llm.complete(ask)).text, "1: +1");
    server.script({ status: 500, body: anthropicError("api_error", "two") });
    await assert.rejects(llm.complete(ask), (e: unknown) => e instanceof LlmRunStoppedError && /2 failed calls, at most 1 are allowed/.test(e.message));
    assert.equal(llm.failedCalls, 2);
  });

  it("isFailedCall marks only a counted, tolerated failure; lastFailure keeps its error; countingLlm wraps a plain client and refuses a second tolerance", async () => {
    const llm = client({ maxFailedCalls: 1, retry: { maxRetries: 0 } });
    server.script({ status: 500, body: anthropicError("api_error", "tolerated") });
    const tolerated = await llm.complete(ask).catch((e: unknown) => e);
    assert.ok(isFailedCall(tolerated) && !isRunStopping(tolerated));
    assert.equal(llm.lastFailure, tolerated);
    server.script({ status: 500, body: anthropicError("api_error", "past the tolerance") });
    const stopped = await llm.complete(ask).catch((e: unknown) => e);
    assert.ok(stopped instanceof LlmRunStoppedError && !isFailedCall(stopped));
    assert.match((llm.lastFailure as Error).message, /past the tolerance/);
    assert.ok(!isFailedCall(new Error("a bug")));

    assert.equal(countingLlm(llm), llm, "an Llm is used as it is");
    assert.throws(() => countingLlm(llm, 3), /maxFailedCalls 3 differs from the client's own \(1\)/);
    const plain = { provider: "plain", model: "p-1", complete: async () => { throw new Error("plain failure"); } };
    const wrapped = countingLlm(plain, 0);
    await assert.rejects(wrapped.complete(ask), LlmRunStoppedError);
    assert.equal(wrapped.failedCalls, 1);
  });

  it("GUIDED_RL_MAX_FAILED_CALLS sets the default tolerance; a malformed value is refused with the accepted form", () => {
    const saved = process.env.GUIDED_RL_MAX_FAILED_CALLS;
    try {
      process.env.GUIDED_RL_MAX_FAILED_CALLS = "3";
      assert.equal(client().maxFailedCalls, 3);
      for (const bad of ["-1", "1e3", " ", "0x10", "two"]) {
        process.env.GUIDED_RL_MAX_FAILED_CALLS = bad;
        assert.throws(() => client(), /GUIDED_RL_MAX_FAILED_CALLS must be a whole number >= 0/);
      }
    } finally {
      if (saved === undefined) delete process.env.GUIDED_RL_MAX_FAILED_CALLS;
      else process.env.GUIDED_RL_MAX_FAILED_CALLS = saved;
    }
  });

  it("a budget refusal stops the run: later calls that would fit are refused too, and counted as failed calls", async () => {
    const llm = client({ budget: { maxTokens: 200 } });
    await assert.rejects(llm.complete({ ...ask, maxTokens: 500 }), LlmBudgetExceededError);
    await assert.rejects(llm.complete({ ...ask, maxTokens: 5 }), (e: unknown) => e instanceof LlmBudgetExceededError && isRunStopping(e));
    assert.equal(server.requests.length, 0);
    assert.equal(llm.failedCalls, 1, "the refused call (the second never reached the ledger)");
  });

  it("missing, negative or non-numeric usage is accounted as the request's worst case (estimated input + max_tokens)", async () => {
    const llm = client({ budget: { maxTokens: 10_000 } });
    server.script({ body: anthropicMessage("ok", { input_tokens: -5, output_tokens: -1000 }) });
    const out = await llm.complete(ask);
    assert.ok(out.usage.outputTokens === 40 && out.usage.inputTokens > 0, JSON.stringify(out.usage));
    const spent = llm.summary().inputTokens + llm.summary().outputTokens;
    assert.ok(spent >= 40, `spent ${spent}`);
  });
});

describe("preflight: before any training, naming the setting to fix", () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeServer({ status: 404, body: anthropicError("not_found_error", "no such route") });
  });
  after(() => server.close());

  it("anthropic: a missing key names ANTHROPIC_API_KEY and makes no request", async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const before = server.requests.length;
      await assert.rejects(createLlm({ provider: "anthropic", baseURL: server.url }).preflight(), (e: unknown) => isRunStopping(e) && /set ANTHROPIC_API_KEY/.test((e as Error).message));
      assert.equal(server.requests.length, before);
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  it("anthropic: an unreachable server names ANTHROPIC_BASE_URL; a rejected key names ANTHROPIC_API_KEY (and is redacted); any other answer passes", async () => {
    const key = "sk-ant-preflight-secret-123";
    await assert.rejects(createLlm({ provider: "anthropic", apiKey: key, baseURL: "http://127.0.0.1:9" }).preflight(), (e: unknown) => {
      assert.ok(e instanceof LlmPreflightError);
      assert.match(e.message, /cannot reach http:\/\/127\.0\.0\.1:9.*ANTHROPIC_BASE_URL/);
      return true;
    });
    server.script({ status: 401, echoHeaders: true });
    await assert.rejects(createLlm({ provider: "anthropic", apiKey: key, baseURL: server.url }).preflight(), (e: unknown) => {
      assert.ok(e instanceof LlmPreflightError);
      assert.match(e.message, /rejected the API key \(HTTP 401\): check ANTHROPIC_API_KEY/);
      assert.ok(!e.message.includes(key) && !(e.stack ?? "").includes(key));
      return true;
    });
    const n = server.requests.length;
    await createLlm({ provider: "anthropic", apiKey: key, baseURL: server.url }).preflight(); // 404: the server is there
    assert.equal(server.requests.length, n + 1);
    assert.match(server.requests[n]!.url, /^\/v1\/models/);
  });

  it("openai-compatible: unreachable names GUIDED_RL_OPENAI_BASE_URL; 403 names GUIDED_RL_OPENAI_API_KEY; replay-strict needs no server", async () => {
    await assert.rejects(
      createLlm({ provider: "openai-compatible", model: "m", baseURL: "http://127.0.0.1:9" }).preflight(),
      (e: unknown) => e instanceof LlmPreflightError && /cannot reach the server at http:\/\/127\.0\.0\.1:9\/v1\/models.*GUIDED_RL_OPENAI_BASE_URL/.test(e.message),
    );
    server.script({ status: 403, body: { error: "forbidden" } });
    await assert.rejects(
      createLlm({ provider: "openai-compatible", model: "m", baseURL: server.url }).preflight(),
      /HTTP 403\): check GUIDED_RL_OPENAI_API_KEY/,
    );
    await createLlm({ provider: "openai-compatible", model: "m", baseURL: "http://127.0.0.1:9", cache: { mode: "replay-strict", path: "/nonexistent/cassette.jsonl" } }).preflight();
    await createLlm({ provider: "surrogate" }).preflight();
  });
});

describe("stop reasons reach the caller", () => {
  let anthropic: FakeServer;
  let openai: FakeServer;
  before(async () => {
    anthropic = await startFakeServer({ body: anthropicMessage("fine") });
    openai = await startFakeServer({ body: openAiCompletion("fine") });
  });
  after(async () => {
    await anthropic.close();
    await openai.close();
  });

  it("anthropic max_tokens / refusal and openai length / content_filter map to the same kinds, with a sentence saying why", async () => {
    const a = createLlm({ provider: "anthropic", apiKey: "sk-ant-x", baseURL: anthropic.url });
    const cut = { ...anthropicMessage("1: +1\n2: -"), stop_reason: "max_tokens" };
    anthropic.script({ body: cut }, { body: { ...anthropicMessage(""), stop_reason: "refusal" } });
    const c1 = await a.complete(ask);
    assert.equal(c1.stop, "max_tokens");
    assert.match(incompleteReason(c1, 40)!, /cut off at the 40-token limit/);
    const c2 = await a.complete(ask);
    assert.equal(c2.stop, "refusal");
    assert.match(incompleteReason(c2)!, /refused/);
    assert.equal((await a.complete(ask)).stop, "end");
    assert.equal(incompleteReason(await a.complete(ask)), undefined);

    const o = createLlm({ provider: "openai-compatible", model: "m", baseURL: openai.url });
    const body = (finish: string) => ({ ...openAiCompletion("x"), choices: [{ index: 0, message: { role: "assistant", content: "x" }, finish_reason: finish }] });
    openai.script({ body: body("length") }, { body: body("content_filter") }, { body: body("stop") });
    assert.equal((await o.complete(ask)).stop, "max_tokens");
    assert.equal((await o.complete(ask)).stop, "refusal");
    assert.equal((await o.complete(ask)).stop, "end");
    assert.equal(stopKindOf(undefined), "other");
    assert.equal(stopKindOf("stop_sequence"), "stop_sequence");
  });

  it("the surrogate's own cut is visible too, and a cassette hit keeps the stop kind", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const path = join(mkdtempSync(join(tmpdir(), "stop-")), "c.jsonl");
    const a = createLlm({ provider: "anthropic", apiKey: "sk-ant-x", baseURL: anthropic.url, cache: { mode: "read-write", path } });
    anthropic.script({ body: { ...anthropicMessage("1: +"), stop_reason: "max_tokens" } });
    assert.equal((await a.complete(ask)).stop, "max_tokens");
    const hit = await a.complete(ask);
    assert.equal(hit.cached, true);
    assert.equal(hit.stop, "max_tokens");
  });
});
