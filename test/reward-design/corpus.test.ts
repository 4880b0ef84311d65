/**
 * Real answers: every hand-written answer of the corpus (fixtures/answers.ts) goes through extraction and
 * validation with the check before compute, and then through the loop's fix round with a scripted designer
 * that answers the corpus text first and a good function when sent back: usable answers train as they are;
 * each unusable one is sent back once with a fix request that names why, and its fix is trained.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { incompleteReason, type Completion, type CompletionRequest, type LlmClient } from "../../src/llm/index.js";
import { Sandbox, type TransitionStep } from "../../src/sandbox/index.js";
import { failureText, referenceTrajectories, runRewardDesign, validateAnswer, validationSample, type ReferenceTrajectory } from "../../src/experiments/reward-design/index.js";
import { CORPUS, GOOD_JS } from "./fixtures/answers.js";
import { tinyProtocol } from "./fixtures/tiny.js";

/** A scripted designer's answer as the LLM layer returns it. */
const completion = (text: string, stopReason: string): Completion => ({
  text, stopReason, usage: { inputTokens: 0, outputTokens: 0 }, model: "hand-written corpus", provider: "scripted", cached: false, costUsd: 0, latencyMs: 0,
});

describe("real answers corpus (hand-written)", () => {
  let sandbox: Sandbox;
  let sample: TransitionStep[];
  let refs: ReferenceTrajectory[];
  before(async () => {
    sandbox = await Sandbox.start({ timeoutMs: 10_000 });
    sample = await validationSample();
    refs = await referenceTrajectories();
  });
  after(async () => sandbox.close());

  it("is labelled hand-written and covers the shapes real models produce", () => {
    assert.ok(CORPUS.every((a) => a.origin === "hand-written"));
    for (const shape of ["preamble", "draft", "typescript", "export", "after", "cut", "refusal", "json"]) {
      assert.ok(CORPUS.some((a) => a.name.includes(shape) || a.shape.toLowerCase().includes(shape)), shape);
    }
  });

  for (const a of CORPUS) {
    it(`${a.name}: ${a.expect.ok ? "usable" : `refused as ${a.expect.kind}`}`, async () => {
      const v = await validateAnswer(a.text, sandbox, sample, { refs, incomplete: incompleteReason(completion(a.text, a.stopReason), 4096) });
      if (a.expect.ok) {
        assert.equal(v.ok, true, v.error?.message);
        assert.equal(v.code!.trim(), GOOD_JS.trim(), "the usable code is exactly the function");
      } else {
        assert.equal(v.ok, false);
        assert.equal(v.error!.kind, a.expect.kind, v.error!.message);
        if (a.expect.reason) assert.equal((v.error as { reason?: string }).reason, a.expect.reason);
        const text = failureText(v);
        assert.match(text, a.expect.mentions);
        assert.ok(text.length <= 450, text);
      }
    });
  }

  it("goes through the loop's fix round: usable answers train as they are, the rest are sent back once with why", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "grl-rd-corpus-"));
    const requests: CompletionRequest[] = [];
    const designer: LlmClient = {
      provider: "scripted",
      model: "hand-written corpus",
      async complete(req) {
        requests.push(req);
        const slot = Number(/candidate (\d+) of/.exec(req.messages[0]!.content)![1]);
        const answer = CORPUS[slot - 1]!;
        const fix = req.messages.length === 3;
        return fix ? completion("Corrected:\n```javascript\n" + GOOD_JS + "\n```", "end_turn") : completion(answer.text, answer.stopReason);
      },
    };
    try {
      const r = await runRewardDesign({ runDir, llm: designer, iterations: 1, candidates: CORPUS.length, protocol: tinyProtocol(256), concurrency: 0, nativeBaseline: false });
      for (const [i, a] of CORPUS.entries()) {
        const c = r.candidates[i]!;
        assert.equal(c.status, "valid", `${a.name}: ${c.error}`);
        assert.equal(c.fixed, !a.expect.ok, a.name);
        assert.ok(c.result?.ok, a.name);
        if (!a.expect.ok) {
          const fixPrompt = readFileSync(join(c.dir, "fix-prompt.md"), "utf8");
          assert.match(fixPrompt, a.expect.mentions, a.name);
          const sent = requests.find((q) => q.messages.length === 3 && q.messages[0]!.content.includes(`candidate ${i + 1} of`))!;
          assert.equal(sent.messages[1]!.content, a.text, "the unusable answer is sent back as it was");
        }
      }
      const fixes = requests.filter((q) => q.messages.length === 3).length;
      assert.equal(fixes, CORPUS.filter((a) => !a.expect.ok).length, "each unusable answer is sent back exactly once");
      assert.equal(r.precheckRejections, 1);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });

  it("does not ask the same prompt again when a whole iteration was rejected: the next one says why", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "grl-rd-rejected-"));
    const prompts: string[] = [];
    const designer: LlmClient = {
      provider: "scripted",
      model: "hand-written corpus",
      async complete(req) {
        prompts.push(req.messages[0]!.content);
        const later = /Iteration 2: no candidate/.test(req.messages[0]!.content);
        return completion(later ? "```javascript\n" + GOOD_JS + "\n```" : CORPUS.find((a) => a.name === "refusal")!.text, "end_turn");
      },
    };
    try {
      const r = await runRewardDesign({ runDir, llm: designer, iterations: 2, candidates: 1, protocol: tinyProtocol(256), concurrency: 0, nativeBaseline: false });
      assert.equal(r.candidates[0]!.status, "rejected");
      assert.equal(r.candidates[1]!.status, "valid");
      assert.match(prompts.at(-1)!, /candidate 1: rejected before training even after one fix \(no usable code \(refusal\)/);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
