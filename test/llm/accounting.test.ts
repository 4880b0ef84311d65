// Pure pieces: price table, cost, content addressing, retry-after parsing, backoff, ledger and budget.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  anthropicCost,
  anthropicPrice,
  backoffDelay,
  canonicalJson,
  costAt,
  estimateInputTokens,
  LlmBudgetExceededError,
  parseRetryAfter,
  promptHash,
  resolveRetryOptions,
  UsageLedger,
  type Completion,
} from "../../src/llm/index.js";

const headers = (h: Record<string, string>) => new Headers(h);

describe("pricing", () => {
  it("matches model ids to families: aliases, dated ids, and never a longer family by accident", () => {
    assert.deepEqual(anthropicPrice("claude-sonnet-4-5-20250929"), { inputPerMTok: 3, outputPerMTok: 15 });
    assert.equal(anthropicPrice("claude-opus-4-20250514")!.inputPerMTok, 15);
    assert.equal(anthropicPrice("claude-opus-4-1-20250805")!.outputPerMTok, 75);
    assert.equal(anthropicPrice("claude-opus-4-5")!.inputPerMTok, 5, "opus 4.5 is not priced as opus 4");
    assert.equal(anthropicPrice("claude-sonnet-5-5")!.inputPerMTok, 2);
    assert.equal(anthropicPrice("claude-sonnet-5")!.outputPerMTok, 10);
    assert.equal(anthropicPrice("claude-3-7-sonnet-latest")!.inputPerMTok, 3);
    assert.equal(anthropicPrice("claude-3-5-haiku-20241022")!.inputPerMTok, 0.8);
    assert.equal(anthropicPrice("claude-haiku-4-5-20251001")!.outputPerMTok, 5);
    assert.equal(anthropicPrice("claude-opus-4-9"), undefined);
    assert.equal(anthropicPrice("gpt-4o"), undefined);
  });

  it("costs input, output and prompt-cache tokens; unknown models cost 0", () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 100_000 };
    assert.equal(anthropicCost("claude-haiku-4-5", usage), 1 + 0.5);
    assert.equal(costAt({ inputPerMTok: 2, outputPerMTok: 10 }, { ...usage, cacheReadInputTokens: 1_000_000, cacheCreationInputTokens: 1_000_000 }), 2 + 1 + 0.2 + 2.5);
    assert.equal(costAt({ inputPerMTok: 4, outputPerMTok: 20, cacheReadPerMTok: 0.2 }, { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 1_000_000 }), 0.2);
    assert.equal(anthropicCost("claude-unknown-9", usage), 0);
  });
});

describe("content addressing", () => {
  const req = { system: "s", messages: [{ role: "user" as const, content: "m" }], maxTokens: 10 };
  it("canonical JSON ignores key order and undefined members", () => {
    assert.equal(canonicalJson({ b: 1, a: { d: undefined, c: [1, { y: 2, x: 1 }] } }), '{"a":{"c":[1,{"x":1,"y":2}]},"b":1}');
  });
  it("the hash changes with provider, model, system, messages and parameters, not with purpose", () => {
    const h = promptHash("anthropic", "m1", req);
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.equal(promptHash("anthropic", "m1", { ...req, purpose: { guide: "g", task: "t" } }), h);
    for (const other of [
      promptHash("openai-compatible", "m1", req),
      promptHash("anthropic", "m2", req),
      promptHash("anthropic", "m1", { ...req, system: "s2" }),
      promptHash("anthropic", "m1", { ...req, messages: [{ role: "user", content: "m2" }] }),
      promptHash("anthropic", "m1", { ...req, maxTokens: 11 }),
      promptHash("anthropic", "m1", { ...req, temperature: 0 }),
      promptHash("anthropic", "m1", { ...req, stop: ["x"] }),
      promptHash("anthropic", "m1", req, { quality: 1 }),
    ]) {
      assert.notEqual(other, h);
    }
  });
});

describe("retries", () => {
  it("parses retry-after-ms, retry-after seconds and HTTP dates", () => {
    assert.equal(parseRetryAfter(headers({ "retry-after-ms": "250" })), 250);
    assert.equal(parseRetryAfter(headers({ "retry-after": "3" })), 3000);
    assert.equal(parseRetryAfter(headers({ "retry-after": "0.5" })), 500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    assert.equal(parseRetryAfter(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:07 GMT" }), now), 7000);
    assert.equal(parseRetryAfter(headers({})), undefined);
    assert.equal(parseRetryAfter(headers({ "retry-after": "soon" })), undefined);
  });
  it("backs off exponentially up to the cap; retry-after wins, capped by maxRetryAfterMs", () => {
    const o = resolveRetryOptions({ initialDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000, jitter: false });
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((r) => backoffDelay(o, r, undefined)), [100, 200, 400, 800, 1000, 1000]);
    assert.equal(backoffDelay(o, 0, 3000), 3000);
    assert.equal(backoffDelay(o, 0, 999_999), 5000);
    const j = resolveRetryOptions({ initialDelayMs: 100 });
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(j, 0, undefined);
      assert.ok(d >= 75 && d <= 100);
    }
    assert.throws(() => resolveRetryOptions({ maxRetries: -1 }), /maxRetries must be/);
  });
});

describe("ledger and budget", () => {
  const completion = (inputTokens: number, outputTokens: number, costUsd: number): Completion => ({
    text: "",
    usage: { inputTokens, outputTokens },
    model: "m",
    provider: "p",
    cached: false,
    costUsd,
    latencyMs: 1,
  });
  const lmgt = { guide: "lmgt", task: "score" };

  it("reservations of calls in flight count against the cap, so parallel calls cannot overshoot", () => {
    const ledger = new UsageLedger({ maxTokens: 1000 });
    const a = ledger.reserve({ tokens: 400, costUsd: 0 }, lmgt, "a");
    const b = ledger.reserve({ tokens: 400, costUsd: 0 }, lmgt, "b");
    assert.throws(() => ledger.reserve({ tokens: 400, costUsd: 0 }, lmgt, "c"), LlmBudgetExceededError);
    ledger.settle(a, completion(100, 50, 0), lmgt); // actual use is below the worst case: room frees up
    ledger.release(b, lmgt); // failed call: nothing spent
    const c = ledger.reserve({ tokens: 800, costUsd: 0 }, lmgt, "c");
    ledger.settle(c, completion(10, 10, 0), lmgt);
    const s = ledger.summary();
    assert.equal(s.calls, 2);
    assert.equal(s.failedCalls, 1);
    assert.equal(s.refusedCalls, 1);
    assert.equal(s.inputTokens + s.outputTokens, 170);
    assert.deepEqual(s.budget, { maxTokens: 1000 });
  });

  it("dollar caps, per-guide totals and cache hits", () => {
    const ledger = new UsageLedger({ maxCostUsd: 0.01 });
    const r = ledger.reserve({ tokens: 0, costUsd: 0.004 }, lmgt, "x");
    ledger.settle(r, completion(1, 1, 0.004), lmgt);
    const u = ledger.reserve({ tokens: 0, costUsd: 0.005 }, { guide: "ultra", task: "t" }, "y");
    ledger.settle(u, completion(2, 2, 0.005), { guide: "ultra", task: "t" });
    ledger.recordCacheHit(undefined);
    assert.throws(
      () => ledger.reserve({ tokens: 0, costUsd: 0.002 }, lmgt, "z"),
      (e: unknown) => e instanceof LlmBudgetExceededError && e.unit === "usd" && Math.abs(e.spent - 0.009) < 1e-12,
    );
    const s = ledger.summary();
    assert.deepEqual(Object.keys(s.byGuide), ["(none)", "lmgt", "ultra"]);
    assert.equal(s.byGuide.lmgt!.refusedCalls, 1);
    assert.equal(s.byGuide["(none)"]!.cachedCalls, 1);
    assert.ok(Math.abs(s.costUsd - 0.009) < 1e-12);
    assert.throws(() => new UsageLedger({ maxTokens: -5 }), /maxTokens must be/);
  });

  it("estimates input tokens conservatively from the text", () => {
    const n = estimateInputTokens({ system: "x".repeat(350), messages: [{ role: "user", content: "y".repeat(700) }] });
    assert.equal(n, 100 + 4 + 200 + 4);
  });
});
