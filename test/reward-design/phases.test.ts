// Reward design phase by phase (phases.ts) with a designer that fails: a tolerated failed call stays
// "no-answer" in its iteration's proposal, --max-failed-calls counts over the run across the propose
// processes (the second failure, in the next propose, stops the run), and the stopped propose, run again,
// asks only the candidate that has no answer. The failed call is counted once in the final result.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LlmRunStoppedError, type Completion, type CompletionRequest, type LlmClient } from "../../src/llm/index.js";
import { composeRewardCode, runRewardDesignExperiment, runRewardDesignPhase, type RewardDesignPhase } from "../../src/experiments/reward-design/index.js";
import { openAiCompletion, startFakeServer, type RecordedRequest } from "../llm/fake-servers.js";

const GOOD = "Here it is.\n```javascript\n" + composeRewardCode({ progress: 1, upright: 0.5, fall: 100 }) + "\n```";

/** A designer (not an `Llm`: the phase wraps it with the allowance left) that fails for the candidates `failing` says. */
function designer(failing: (candidate: string, request: CompletionRequest) => boolean): LlmClient & { asked: string[] } {
  const asked: string[] = [];
  return {
    provider: "fake",
    model: "fake-designer",
    asked,
    async complete(request: CompletionRequest): Promise<Completion> {
      const first = request.messages[0]!.content as string;
      const candidate = `${/Iteration (\d+)/.exec(first)?.[1] ?? "1"}/${/candidate (\d+) of/.exec(first)?.[1]}`;
      asked.push(candidate);
      if (failing(candidate, request)) throw new Error("HTTP 500 overloaded backend");
      return { text: GOOD, usage: { inputTokens: 10, outputTokens: 10 }, model: "fake-designer", provider: "fake", cached: false, costUsd: 0, latencyMs: 1, stopReason: "end_turn" };
    },
  };
}

test("phases: a tolerated failure stays no-answer; --max-failed-calls counts over the run across propose processes", async () => {
  const out = mkdtempSync(join(tmpdir(), "rd-phases-fail-"));
  // 2 iterations x 2 candidates at a toy size; the tolerance is 1 failed call over the run.
  const settings = { budget: "smoke" as const, out, iterations: 2, candidates: 2, totalTimesteps: 512, concurrency: 0, png: false, maxFailedCalls: 1 };
  const phase = (p: RewardDesignPhase, llm?: LlmClient) => runRewardDesignPhase({ ...settings, phase: p, ...(llm ? { llm } : {}) });

  const flaky = designer((c) => c.endsWith("/2"));
  const proposed = await phase("propose", flaky);
  assert.match(proposed.did, /proposed iteration 1: 1 valid, 0 rejected, 1 without an answer/);
  const proposal = JSON.parse(readFileSync(join(out, "iter-01", "proposal.json"), "utf8"));
  assert.deepEqual(proposal.candidates.map((c: { status: string }) => c.status), ["valid", "no-answer"]);
  // Only the valid candidate and the native baseline are trained.
  const trained = await phase("train");
  assert.match(trained.did, /trained 2 of the stage's 2 run\(s\) \(iter-01\/cand-1, baseline-native\)/);
  const reflected = await phase("reflect");
  assert.match(reflected.did, /reflected on iteration 1: best so far iter-01\/cand-1/);
  assert.equal(JSON.parse(readFileSync(join(out, "iter-01", "summary.json"), "utf8")).failedCalls, 1);

  // Iteration 2, a new process in a workflow: the allowance is used up, so the next failure stops the run.
  const flaky2 = designer((c) => c === "2/2");
  await assert.rejects(phase("propose", flaky2), (e: unknown) => e instanceof LlmRunStoppedError);
  assert.ok(existsSync(join(out, "iter-02", "cand-1", "candidate.json")), "the finished candidate is kept");
  assert.ok(!existsSync(join(out, "iter-02", "proposal.json")), "no proposal from a stopped propose");
  await assert.rejects(phase("train"), /iteration 2 of 2: propose is due/);

  // Run again with the designer back: only the unanswered candidate is asked.
  const healthy = designer(() => false);
  assert.match((await phase("propose", healthy)).did, /proposed iteration 2: 2 valid/);
  assert.deepEqual(healthy.asked, ["2/2"]);
  await phase("train");
  await phase("reflect");
  const final = await phase("reflect"); // no final seeds at smoke: the report is due at once
  assert.ok(final.experiment);
  assert.equal(final.experiment.failedCalls, 1, "the tolerated failure of iteration 1, once");
  assert.match(final.experiment.tables[0]!.caption, /1 failed designer calls/);
  assert.equal(final.next.kind === "final" && final.next.reported, true);
});

test("phases: a propose stopped and run again keeps both attempts' designer usage in its iteration's llm-usage.json", async () => {
  const out = mkdtempSync(join(tmpdir(), "rd-phases-usage-"));
  let failing = true;
  const candidateOf = (r: RecordedRequest) => /candidate (\d+) of/.exec(JSON.stringify(r.body))?.[1];
  // Candidate 2 fails once (HTTP 400: not retried), which stops a run that allows no failed call.
  const server = await startFakeServer((r) => (failing && candidateOf(r) === "2" ? { status: 400, body: { error: { message: "bad request" } } } : { body: openAiCompletion(GOOD) }));
  try {
    const settings = { budget: "smoke" as const, out, iterations: 1, candidates: 2, totalTimesteps: 512, concurrency: 0, png: false, maxFailedCalls: 0, provider: "openai-compatible" as const, model: "m-1", baseURL: server.url };
    await assert.rejects(runRewardDesignPhase({ ...settings, phase: "propose" }), (e: unknown) => e instanceof LlmRunStoppedError);
    const usageFile = join(out, "iter-01", "llm-usage.json");
    const first = JSON.parse(readFileSync(usageFile, "utf8")) as { calls: number; failedCalls: number };
    assert.deepEqual([first.calls, first.failedCalls], [1, 1], "the stopped attempt: candidate 1 answered, candidate 2 failed");
    failing = false;
    assert.match((await runRewardDesignPhase({ ...settings, phase: "propose" })).did, /proposed iteration 1: 2 valid/);
    const both = JSON.parse(readFileSync(usageFile, "utf8")) as { calls: number; failedCalls: number; model: string };
    assert.deepEqual([both.calls, both.failedCalls, both.model], [2, 1, "m-1"], "the second attempt's call added to the first's, not replacing them");
  } finally {
    await server.close();
  }
});

test("one process: --max-failed-calls counts over the run, so a resumed run may fail only what the stopped one left", async () => {
  const out = mkdtempSync(join(tmpdir(), "rd-resume-allowance-"));
  const settings = { budget: "smoke" as const, preset: "eureka" as const, out, iterations: 2, candidates: 2, totalTimesteps: 512, concurrency: 0, png: false, maxFailedCalls: 1 };
  // Iteration 1's second candidate fails (tolerated: the one failure allowed), iteration 2's first stops the run.
  await assert.rejects(runRewardDesignExperiment({ ...settings, llm: designer((c) => c === "1/2" || c === "2/1") }), (e: unknown) => e instanceof LlmRunStoppedError);
  // Resumed: the allowance is spent, so the next failure stops it again instead of being tolerated a second time.
  const resumed = designer((c) => c === "2/1");
  await assert.rejects(runRewardDesignExperiment({ ...settings, llm: resumed }), (e: unknown) => e instanceof LlmRunStoppedError);
  assert.deepEqual(resumed.asked, ["2/1"], "only the candidate without an answer is asked");
  const healthy = designer(() => false);
  const done = await runRewardDesignExperiment({ ...settings, llm: healthy });
  assert.equal(done.failedCalls, 1, "the tolerated failure of iteration 1, once");
  assert.ok(!healthy.asked.some((c) => c.startsWith("1/")), "iteration 1 is not asked again");
});
