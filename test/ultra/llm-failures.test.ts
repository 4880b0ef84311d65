// ULTRA under LLM failures (issue 14): a failure past the run's tolerance stops the pipeline; a tolerated
// failure or a cut / refused answer yields no states and is recorded on its exchange (the failed-calls column).
import { test } from "node:test";
import assert from "node:assert/strict";
import { PongEnv, describePong } from "../../src/envs/toy/pong.js";
import { Llm, LlmProviderError, LlmRunStoppedError, SurrogateProvider } from "../../src/llm/index.js";
import type { Completion, CompletionRequest, LlmClient } from "../../src/llm/index.js";
import { collectEpisodes, identifyCriticalStates, modulateCriticalStates, registerUltraSurrogate } from "../../src/guides/ultra/index.js";

registerUltraSurrogate();
const desc = describePong();
const episodes = collectEpisodes(new PongEnv({ pointsToWin: 3 }), { predict: () => Float32Array.of(0) }, { episodes: 1, seed: 3 });
const surrogate = new SurrogateProvider();

/** The surrogate's answers, except where `mode` says fail / cut. */
function provider(mode: (call: number) => "ok" | "fail" | "cut"): LlmClient {
  let call = 0;
  return {
    provider: "fake",
    model: "fake-1",
    async complete(request: CompletionRequest): Promise<Completion> {
      const m = mode(call++);
      if (m === "fail") throw new LlmProviderError("fake: HTTP 503 after 5 attempts", 503, true, 5);
      const answer = await surrogate.complete(request);
      return { ...answer, provider: "fake", model: "fake-1", stopReason: m === "cut" ? "max_tokens" : "end_turn" };
    },
  };
}
const find = (llm: LlmClient) => identifyCriticalStates({ llm, description: desc, episodes, length: 40, maxSegments: 3, maxCriticalPerSegment: 2 });

test("default tolerance: a failed call stops identification (no empty answer stands in for it)", async () => {
  await assert.rejects(find(new Llm(provider(() => "fail"))), LlmRunStoppedError);
});

test("a tolerated failed call and a cut answer give no states; their exchanges say why", async () => {
  const found = await find(new Llm(provider((i) => (i === 0 ? "fail" : i === 1 ? "cut" : "ok")), { maxFailedCalls: 2 }));
  const [failed, cut, ...rest] = found.transcript;
  assert.match(failed!.error!, /^LLM call failed: fake: HTTP 503/);
  assert.equal(failed!.answer, "");
  assert.match(cut!.error!, /cut off/);
  assert.ok(rest.length > 0 && rest.every((e) => e.error === undefined));
  const states = found.criticalStates;
  for (const ex of [failed!, cut!]) {
    const seg = ex.segment!;
    assert.ok(!states.some((s) => s.episode === seg.episode && s.step >= seg.start && s.step < seg.end), "no state from a failed or cut exchange");
  }
  assert.ok(states.length > 0);
  const mod = await modulateCriticalStates(states, { llm: new Llm(provider(() => "cut"), { maxFailedCalls: 5 }), description: desc, mode: "RA" });
  assert.equal(mod.criticalStates.length, 0, "no suggestion is taken from a cut answer");
  assert.ok(mod.transcript.every((e) => /cut off/.test(e.error ?? "")));
});
