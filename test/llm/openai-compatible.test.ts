// The openai-compatible provider (plain fetch to /v1/chat/completions) against a fake local model server.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  chatCompletionsUrl,
  createLlm,
  LlmBudgetExceededError,
  LlmMalformedResponseError,
  LlmProviderError,
  LlmTimeoutError,
  type CreateLlmOptions,
} from "../../src/llm/index.js";
import { openAiCompletion, recordingSleep, startFakeServer, type FakeServer } from "./fake-servers.js";

const ask = { system: "You are terse.", messages: [{ role: "user" as const, content: "Say hi." }], maxTokens: 50 };
const serverError = (message: string) => ({ error: { message, type: "server_error" } });

describe("openai-compatible provider (fetch, fake chat.completions server)", () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeServer({ body: openAiCompletion("hi") });
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  const client = (extra: Partial<CreateLlmOptions> = {}) =>
    createLlm({
      provider: "openai-compatible",
      model: "llama3.1:8b",
      baseURL: server.url,
      timeoutMs: 2000,
      retry: { initialDelayMs: 1, jitter: false },
      // These tests look at each failure's own error; stopping the run on failures is tested in failures.test.ts.
      maxFailedCalls: 100,
      ...extra,
    });

  it("builds the endpoint URL with or without /v1", () => {
    assert.equal(chatCompletionsUrl("http://127.0.0.1:11434"), "http://127.0.0.1:11434/v1/chat/completions");
    assert.equal(chatCompletionsUrl("http://127.0.0.1:11434/v1/"), "http://127.0.0.1:11434/v1/chat/completions");
  });

  it("answers: text, usage, zero cost for a local model, and sends a chat.completions request", async () => {
    server.script({ body: openAiCompletion("Hello there.", { prompt_tokens: 31, completion_tokens: 4 }) });
    const out = await client().complete({ ...ask, stop: ["\n\n"], temperature: 0 });
    assert.equal(out.text, "Hello there.");
    assert.deepEqual(out.usage, { inputTokens: 31, outputTokens: 4 });
    assert.equal(out.provider, "openai-compatible");
    assert.equal(out.model, "llama3.1:8b");
    assert.equal(out.costUsd, 0);
    assert.equal(out.stopReason, "stop");
    assert.equal(out.attempts, 1);
    const req = server.requests[0]!;
    assert.equal(req.url, "/v1/chat/completions");
    assert.deepEqual(req.body, {
      model: "llama3.1:8b",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Say hi." },
      ],
      max_tokens: 50,
      stream: false,
      temperature: 0,
      stop: ["\n\n"],
    });
    assert.equal(req.headers.authorization, undefined, "no key configured, no auth header");
  });

  it("a price option makes a hosted server's calls cost money; missing usage falls back to estimates", async () => {
    server.script({ body: openAiCompletion("ok", undefined) });
    const out = await client({ price: { inputPerMTok: 1, outputPerMTok: 2 } }).complete(ask);
    assert.ok(out.usage.inputTokens > 0 && out.usage.outputTokens > 0);
    assert.ok(Math.abs(out.costUsd - (out.usage.inputTokens * 1 + out.usage.outputTokens * 2) / 1e6) < 1e-15);
  });

  it("429 with retry-after: waits what the server asks, then succeeds", async () => {
    const { sleep, delays } = recordingSleep();
    server.script({ status: 429, headers: { "retry-after": "3" }, body: serverError("rate limited") });
    const out = await client({ retry: { initialDelayMs: 1, jitter: false, sleep } }).complete(ask);
    assert.equal(out.text, "hi");
    assert.equal(out.attempts, 2);
    assert.deepEqual(delays, [3000]);
  });

  it("500 twice then success", async () => {
    const { sleep, delays } = recordingSleep();
    server.script({ status: 500, body: serverError("boom") }, { status: 500, body: serverError("boom") });
    const out = await client({ retry: { initialDelayMs: 10, jitter: false, sleep } }).complete(ask);
    assert.equal(out.attempts, 3);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(delays, [10, 20]);
  });

  it("503 overloaded is retried until the retries run out, then fails with the status", async () => {
    const busy = { status: 503, body: serverError("model is loading / overloaded") };
    server.script(busy);
    assert.equal((await client().complete(ask)).attempts, 2);
    server.requests.length = 0;
    server.script(busy, busy);
    await assert.rejects(client({ retry: { maxRetries: 1, initialDelayMs: 1 } }).complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmProviderError);
      assert.equal(e.status, 503);
      assert.equal(e.attempts, 2);
      assert.match(e.message, /HTTP 503 after 2 attempts: .*overloaded/);
      return true;
    });
    assert.equal(server.requests.length, 2);
  });

  it("timeout: a hung request is abandoned and retried; hanging every time gives LlmTimeoutError", async () => {
    server.script({ hang: true });
    assert.equal((await client({ timeoutMs: 150 }).complete(ask)).attempts, 2);
    server.script({ hang: true }, { hang: true });
    await assert.rejects(client({ timeoutMs: 150, retry: { maxRetries: 1, initialDelayMs: 1 } }).complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmTimeoutError);
      assert.equal(e.attempts, 2);
      return true;
    });
  });

  it("malformed bodies fail clearly and are not retried", async () => {
    server.script({ body: "<html>502 bad gateway</html>" });
    await assert.rejects(client().complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmMalformedResponseError);
      assert.match(e.message, /not JSON.*bad gateway/);
      return true;
    });
    server.script({ body: { choices: [] } });
    await assert.rejects(client().complete(ask), /expected choices\[0\]\.message\.content/);
    assert.equal(server.requests.length, 2);
  });

  it("a connection refused is reported as a connection failure after the retries", async () => {
    const llm = createLlm({ provider: "openai-compatible", model: "m", baseURL: "http://127.0.0.1:9", retry: { maxRetries: 1, initialDelayMs: 1 }, maxFailedCalls: 1 });
    await assert.rejects(llm.complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmProviderError);
      assert.equal(e.attempts, 2);
      assert.match(e.message, /connection failed after 2 attempts/);
      return true;
    });
  });

  it("refuses before calling when the token budget is exhausted", async () => {
    const llm = client({ budget: { maxTokens: 100 } });
    server.script({ body: openAiCompletion("first", { prompt_tokens: 30, completion_tokens: 10 }) });
    await llm.complete(ask); // worst case ~64 tokens fits in 100; 40 are spent
    await assert.rejects(llm.complete(ask), (e: unknown) => {
      assert.ok(e instanceof LlmBudgetExceededError);
      assert.equal(e.unit, "tokens");
      assert.equal(e.spent, 40);
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  it("keeps at most maxConcurrency requests in flight", async () => {
    const llm = client({ maxConcurrency: 3 });
    for (let i = 0; i < 7; i++) server.script({ body: openAiCompletion(`a${i}`), delayMs: 20 });
    const outs = await Promise.all(Array.from({ length: 7 }, (_, i) => llm.complete({ messages: [{ role: "user", content: `q${i}` }] })));
    assert.deepEqual(outs.map((o) => o.text).sort(), ["a0", "a1", "a2", "a3", "a4", "a5", "a6"]);
    assert.ok(server.maxInFlight <= 3, `max in flight was ${server.maxInFlight}`);
  });

  it("needs a model name", () => {
    const saved = process.env.GUIDED_RL_MODEL;
    delete process.env.GUIDED_RL_MODEL;
    try {
      assert.throws(() => createLlm({ provider: "openai-compatible", baseURL: server.url }), /needs a model name/);
    } finally {
      if (saved !== undefined) process.env.GUIDED_RL_MODEL = saved;
    }
  });
});
