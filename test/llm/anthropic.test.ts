// The anthropic provider, through the REAL @anthropic-ai/sdk, against a fake Messages API on 127.0.0.1.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  createLlm,
  LlmBudgetExceededError,
  LlmMalformedResponseError,
  LlmProviderError,
  LlmTimeoutError,
  rejectsSamplingParameters,
  type CreateLlmOptions,
} from "../../src/llm/index.js";
import { anthropicError, anthropicMessage, recordingSleep, startFakeServer, type FakeServer } from "./fake-servers.js";

const ask = { system: "You are terse.", messages: [{ role: "user" as const, content: "Say hi." }], maxTokens: 50 };

describe("anthropic provider (real SDK, fake Messages API)", () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeServer({ body: anthropicMessage("hi") });
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  const client = (extra: Partial<CreateLlmOptions> = {}) =>
    createLlm({
      provider: "anthropic",
      model: "claude-sonnet-5-5",
      apiKey: "sk-ant-test-not-a-real-key",
      baseURL: server.url,
      timeoutMs: 2000,
      retry: { initialDelayMs: 1, jitter: false },
      // These tests look at each failure's own error; stopping the run on failures is tested in failures.test.ts.
      maxFailedCalls: 100,
      ...extra,
    });

  it("answers: text, usage, priced cost, and sends the Messages API request the SDK builds", async () => {
    server.script({ body: anthropicMessage("Hello there.", { input_tokens: 1000, output_tokens: 200 }) });
    const out = await client().complete({ ...ask, stop: ["\n\n"], purpose: { guide: "lmgt", task: "score-actions" } });
    assert.equal(out.text, "Hello there.");
    assert.deepEqual(out.usage, { inputTokens: 1000, outputTokens: 200 });
    assert.equal(out.model, "claude-sonnet-5-5");
    assert.equal(out.provider, "anthropic");
    assert.equal(out.cached, false);
    assert.equal(out.attempts, 1);
    assert.equal(out.stopReason, "end_turn");
    // Sonnet 5.5: $2 / MTok in, $10 / MTok out.
    assert.ok(Math.abs(out.costUsd - (1000 * 2 + 200 * 10) / 1e6) < 1e-12);
    assert.equal(server.requests.length, 1);
    const req = server.requests[0]!;
    assert.equal(req.method, "POST");
    assert.equal(req.url, "/v1/messages");
    assert.deepEqual(req.body, {
      model: "claude-sonnet-5-5",
      max_tokens: 50,
      system: "You are terse.",
      messages: [{ role: "user", content: "Say hi." }],
      stop_sequences: ["\n\n"],
    });
  });

  it("sends temperature only to models that accept one (Opus 4.7+ and Claude 5 models answer it with 400)", async () => {
    for (const m of ["claude-sonnet-5-5", "claude-sonnet-5", "claude-opus-4-7", "claude-opus-5-5", "claude-haiku-5-5", "claude-fable-5-1", "claude-mythos-preview"]) {
      assert.equal(rejectsSamplingParameters(m), true, m);
    }
    for (const m of ["claude-sonnet-4-6", "claude-opus-4-20250514", "claude-opus-4-1", "claude-haiku-4-5-20251001", "claude-3-7-sonnet-latest", "claude-3-5-haiku"]) {
      assert.equal(rejectsSamplingParameters(m), false, m);
    }
    await client().complete({ ...ask, temperature: 0 });
    await client({ model: "claude-sonnet-4-6" }).complete({ ...ask, temperature: 0 });
    assert.equal((server.requests[0]!.body as Record<string, unknown>).temperature, undefined);
    assert.equal((server.requests[1]!.body as Record<string, unknown>).temperature, 0);
  });

  it("429 with retry-after: waits what the server asks, then succeeds", async () => {
    const { sleep, delays } = recordingSleep();
    server.script({ status: 429, headers: { "retry-after": "2" }, body: anthropicError("rate_limit_error", "slow down") });
    const out = await client({ retry: { initialDelayMs: 1, jitter: false, sleep } }).complete(ask);
    assert.equal(out.text, "hi");
    assert.equal(out.attempts, 2);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(delays, [2000], "retry-after: 2 (seconds) must win over the 1 ms backoff");
  });

  it("500 twice then success: exponential backoff between attempts", async () => {
    const { sleep, delays } = recordingSleep();
    server.script(
      { status: 500, body: anthropicError("api_error", "boom") },
      { status: 500, body: anthropicError("api_error", "boom") },
    );
    const out = await client({ retry: { initialDelayMs: 10, jitter: false, sleep } }).complete(ask);
    assert.equal(out.text, "hi");
    assert.equal(out.attempts, 3);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(delays, [10, 20]);
  });

  it("529 overloaded is retried; overloaded on every attempt fails with the status after maxRetries + 1 attempts", async () => {
    server.script({ status: 529, body: anthropicError("overloaded_error", "Overloaded") });
    const ok = await client().complete(ask);
    assert.equal(ok.attempts, 2);

    server.requests.length = 0;
    const overloaded = { status: 529, body: anthropicError("overloaded_error", "Overloaded") };
    server.script(overloaded, overloaded, overloaded);
    await assert.rejects(client({ retry: { maxRetries: 2, initialDelayMs: 1 } }).complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmProviderError);
      assert.equal(e.status, 529);
      assert.equal(e.attempts, 3);
      assert.equal(e.retryable, true);
      assert.match(e.message, /HTTP 529 after 3 attempts/);
      return true;
    });
    assert.equal(server.requests.length, 3);
  });

  it("a 400 is not retried", async () => {
    server.script({ status: 400, body: anthropicError("invalid_request_error", "max_tokens: too large") });
    await assert.rejects(client().complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmProviderError);
      assert.equal(e.status, 400);
      assert.equal(e.attempts, 1);
      assert.match(e.message, /too large/);
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  it("timeout: a hung request is abandoned and retried; hanging every time gives LlmTimeoutError", async () => {
    server.script({ hang: true });
    const out = await client({ timeoutMs: 150 }).complete(ask);
    assert.equal(out.text, "hi");
    assert.equal(out.attempts, 2);

    server.requests.length = 0;
    server.script({ hang: true }, { hang: true });
    await assert.rejects(client({ timeoutMs: 150, retry: { maxRetries: 1, initialDelayMs: 1 } }).complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmTimeoutError);
      assert.equal(e.attempts, 2);
      assert.match(e.message, /no answer within 150 ms after 2 attempts/);
      return true;
    });
    assert.equal(server.requests.length, 2);
  });

  it("malformed bodies (not JSON, or JSON without content/usage) fail clearly and are not retried", async () => {
    server.script({ body: "this is not json" });
    await assert.rejects(client().complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmMalformedResponseError);
      assert.match(e.message, /malformed response/);
      return true;
    });
    assert.equal(server.requests.length, 1);

    server.script({ body: { id: "msg", type: "message", content: "nope" } });
    await assert.rejects(client().complete(ask), LlmMalformedResponseError);
    assert.equal(server.requests.length, 2);
  });

  it("refuses before calling when the budget is exhausted (tokens and dollars)", async () => {
    // Worst case of `ask` = estimated input + 50 output tokens; a 40-token budget cannot hold it.
    await assert.rejects(client({ budget: { maxTokens: 40 } }).complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmBudgetExceededError);
      assert.equal(e.unit, "tokens");
      assert.match(e.message, /budget exhausted.*the call was not made/);
      return true;
    });
    assert.equal(server.requests.length, 0, "no request may reach the server");

    // Dollars: the first call fits, spends 1000 in + 200 out = $0.004, and the second (worst case ~$0.0005) no longer fits.
    const llm = client({ budget: { maxCostUsd: 0.0043 } });
    server.script({ body: anthropicMessage("first", { input_tokens: 1000, output_tokens: 200 }) });
    await llm.complete(ask);
    await assert.rejects(llm.complete(ask), (e: unknown) => e instanceof LlmBudgetExceededError && e.unit === "usd");
    assert.equal(server.requests.length, 1);
    const summary = llm.summary();
    assert.equal(summary.calls, 1);
    assert.equal(summary.refusedCalls, 1);
    assert.ok(Math.abs(summary.costUsd - 0.004) < 1e-12);
  });

  it("keeps at most maxConcurrency requests in flight", async () => {
    const llm = client({ maxConcurrency: 2 });
    for (let i = 0; i < 6; i++) server.script({ body: anthropicMessage(`answer ${i}`), delayMs: 25 });
    const outs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => llm.complete({ messages: [{ role: "user", content: `question ${i}` }] })),
    );
    assert.equal(outs.length, 6);
    assert.equal(server.requests.length, 6);
    assert.ok(server.maxInFlight <= 2, `max in flight was ${server.maxInFlight}`);
    assert.equal(llm.summary().calls, 6);
  });

  it("accounts per guide", async () => {
    const llm = client();
    server.script(
      { body: anthropicMessage("a", { input_tokens: 10, output_tokens: 1 }) },
      { body: anthropicMessage("b", { input_tokens: 20, output_tokens: 2 }) },
      { body: anthropicMessage("c", { input_tokens: 30, output_tokens: 3 }) },
    );
    await llm.complete({ ...ask, purpose: { guide: "lmgt", task: "score-actions" } });
    await llm.complete({ ...ask, purpose: { guide: "ultra", task: "critical-states" } });
    await llm.complete({ ...ask, purpose: { guide: "lmgt", task: "score-actions" } });
    const s = llm.summary();
    assert.equal(s.inputTokens, 60);
    assert.equal(s.outputTokens, 6);
    assert.deepEqual(Object.keys(s.byGuide), ["lmgt", "ultra"]);
    assert.equal(s.byGuide.lmgt!.calls, 2);
    assert.equal(s.byGuide.lmgt!.inputTokens, 40);
    assert.equal(s.byGuide.ultra!.outputTokens, 2);
  });

  it("a refused connection is retried, then reported as a connection failure", async () => {
    const llm = client({ baseURL: "http://127.0.0.1:9", retry: { maxRetries: 1, initialDelayMs: 1 } });
    await assert.rejects(llm.complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmProviderError);
      assert.equal(e.attempts, 2);
      assert.equal(e.retryable, true);
      assert.match(e.message, /connection failed after 2 attempts/);
      return true;
    });
  });

  it("an unknown model costs 0 and warns once on stderr", async () => {
    const written: string[] = [];
    const write = process.stderr.write;
    const quiet = process.env.GUIDED_RL_QUIET;
    delete process.env.GUIDED_RL_QUIET;
    process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      const llm = client({ model: "claude-future-9" });
      server.script(
        { body: anthropicMessage("a", { input_tokens: 1000, output_tokens: 1000 }, "claude-future-9") },
        { body: anthropicMessage("b", { input_tokens: 1000, output_tokens: 1000 }, "claude-future-9") },
      );
      assert.equal((await llm.complete(ask)).costUsd, 0);
      assert.equal((await llm.complete(ask)).costUsd, 0);
    } finally {
      process.stderr.write = write;
      if (quiet !== undefined) process.env.GUIDED_RL_QUIET = quiet;
    }
    const warnings = written.filter((w) => w.includes('no price known for model "claude-future-9"'));
    assert.equal(warnings.length, 1, written.join(""));
  });

  it("without a key, a call that must reach the API fails with a clear config error", async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const llm = createLlm({ provider: "anthropic", baseURL: server.url });
      await assert.rejects(llm.complete(ask), /needs an API key: set ANTHROPIC_API_KEY/);
      assert.equal(server.requests.length, 0);
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});
