// LMGT under LLM failures (issue 14): a failure past the run's tolerance stops training instead of leaving
// rewards silently unshifted; a tolerated failure is counted; a cut or refused answer is a parse failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LmgtGuide } from "../../src/guides/lmgt/guide.js";
import { readLmgtRequest } from "../../src/guides/lmgt/surrogate/handler.js";
import { Llm, LlmBudgetExceededError, LlmProviderError, LlmRunStoppedError, UsageLedger } from "../../src/llm/index.js";
import type { Completion, CompletionRequest, LlmClient } from "../../src/llm/index.js";
import type { TransitionBatch } from "../../src/algos/seams.js";
import { cartPoleDescription } from "./fixtures.js";

function batch(n: number): TransitionBatch {
  return {
    n, obsDim: 4, actDim: 1,
    obs: Float32Array.from({ length: n * 4 }, (_, i) => i), actions: new Float32Array(n).fill(1), rewards: new Float32Array(n).fill(1),
    nextObs: new Float32Array(n * 4), terminated: new Uint8Array(n), truncated: new Uint8Array(n),
  };
}
const ctx = { numTimesteps: 8, totalTimesteps: 1000 };

/** A provider answering every pair +1, or failing / cutting as `mode` says. */
function provider(mode: () => "ok" | "fail" | "cut" | "refusal"): LlmClient {
  return {
    provider: "fake",
    model: "fake-1",
    async complete(request: CompletionRequest): Promise<Completion> {
      const m = mode();
      if (m === "fail") throw new LlmProviderError("fake: HTTP 503 after 5 attempts", 503, true, 5);
      const text = readLmgtRequest(request).pairs.map((p) => `${p.k}: +1`).join("\n");
      const stopReason = m === "cut" ? "max_tokens" : m === "refusal" ? "refusal" : "end_turn";
      return { text, usage: { inputTokens: 10, outputTokens: 5 }, model: "fake-1", provider: "fake", cached: false, costUsd: 0, latencyMs: 1, stopReason };
    },
  };
}

test("default tolerance: one failed call stops the run (the error leaves transformRewards), no reward is quietly left unshifted", async () => {
  const guide = new LmgtGuide({ llm: new Llm(provider(() => "fail")), description: cartPoleDescription, pairsPerCall: 4 });
  await assert.rejects(guide.transformRewards(batch(8), ctx), LlmRunStoppedError);
});

test("a tolerated failure (maxFailedCalls) leaves that chunk unshifted and is counted as a failed call", async () => {
  let n = 0;
  const llm = new Llm(provider(() => (n++ === 0 ? "fail" : "ok")), { maxFailedCalls: 3 });
  const guide = new LmgtGuide({ llm, description: cartPoleDescription, pairsPerCall: 4, concurrency: 1, shiftScale: 1 });
  const r = await guide.transformRewards(batch(8), ctx);
  assert.deepEqual(Array.from(r), [1, 1, 1, 1, 2, 2, 2, 2]);
  assert.equal(guide.stats.callErrors, 1);
  assert.equal(llm.failedCalls, 1);
});

test("a budget refusal stops the run rather than scoring 0", async () => {
  const llm = new Llm(provider(() => "ok"), { ledger: new UsageLedger({ maxTokens: 10 }) });
  const guide = new LmgtGuide({ llm, description: cartPoleDescription, pairsPerCall: 4 });
  await assert.rejects(guide.transformRewards(batch(8), ctx), LlmBudgetExceededError);
});

test("a cut (max_tokens) or refused answer counts every pair of it as a parse failure and shifts nothing", async () => {
  for (const mode of ["cut", "refusal"] as const) {
    const guide = new LmgtGuide({ llm: new Llm(provider(() => mode)), description: cartPoleDescription, pairsPerCall: 4, shiftScale: 1 });
    const r = await guide.transformRewards(batch(8), ctx);
    assert.deepEqual(Array.from(r), [1, 1, 1, 1, 1, 1, 1, 1], mode);
    assert.equal(guide.stats.parseFailures, 8, mode);
  }
});
