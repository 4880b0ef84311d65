// The offline surrogate: dispatch on purpose, handlers read the prompt text, seeded and reproducible.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, it } from "node:test";
import {
  createLlm,
  promptText,
  registerSurrogateHandler,
  registeredSurrogatePurposes,
  resolveProviderName,
  SurrogateHandlerMissingError,
  surrogateRng,
  type CompletionRequest,
  type SurrogateHandler,
} from "../../src/llm/index.js";

// A toy guide: score "move LEFT/RIGHT when the pole leans <dir>" as +1 if they agree, -1 otherwise.
// It parses the prompt text, as an LLM would; accuracy/abstention degrade it, noise is unused here.
const scoreHandler: SurrogateHandler = (request, rng, quality) => {
  const text = promptText(request);
  const lean = /pole leans (left|right)/i.exec(text)?.[1]?.toLowerCase();
  const action = /action: (LEFT|RIGHT)/.exec(text)?.[1]?.toLowerCase();
  if (!lean || !action) return "I cannot tell from this description.\nScore: 0";
  if (rng.random() < quality.abstention) return "Hard to say.\nScore: 0";
  const right = lean === action ? 1 : -1;
  const score = rng.random() < quality.accuracy ? right : rng.choice([1, 0, -1]);
  return `The pole leans ${lean}; pushing ${action} ${score > 0 ? "helps" : "does not help"}.\nScore: ${score > 0 ? "+1" : score}`;
};

const ask = (lean: string, action: string, extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  system: "You judge CartPole actions. End with 'Score: +1', 'Score: 0' or 'Score: -1'.",
  messages: [{ role: "user", content: `State: the pole leans ${lean}.\nProposed action: ${action}` }],
  purpose: { guide: "test-guide", task: "score" },
  ...extra,
});
const score = (text: string) => Number(/Score: ([+-]?\d)/.exec(text)![1]);

describe("surrogate provider", () => {
  const unregister: Array<() => void> = [];
  afterEach(() => {
    while (unregister.length) unregister.pop()!();
  });

  it("dispatches on purpose to the registered handler, which reads the prompt text", async () => {
    unregister.push(registerSurrogateHandler("test-guide", "score", scoreHandler));
    const llm = createLlm({ provider: "surrogate" });
    assert.equal(llm.model, "surrogate/heuristic");
    const good = await llm.complete(ask("left", "LEFT"));
    const bad = await llm.complete(ask("left", "RIGHT"));
    assert.equal(score(good.text), 1);
    assert.equal(score(bad.text), -1);
    assert.equal(good.provider, "surrogate");
    assert.equal(good.costUsd, 0);
    assert.ok(good.usage.inputTokens > 10 && good.usage.outputTokens > 5, "usage is estimated from the text");
    assert.ok(registeredSurrogatePurposes().includes("test-guide/score"));
  });

  it("is deterministic per seed: same seed same transcript, another seed differs; repeats draw afresh", async () => {
    unregister.push(registerSurrogateHandler("test-guide", "score", scoreHandler));
    const run = async (seed: number) => {
      const llm = createLlm({ provider: "surrogate", quality: { accuracy: 0.3, seed } });
      const out: string[] = [];
      for (let i = 0; i < 40; i++) out.push((await llm.complete(ask(i % 2 ? "left" : "right", i % 3 ? "LEFT" : "RIGHT"))).text);
      return out;
    };
    const a = await run(1);
    assert.deepEqual(await run(1), a);
    assert.notDeepEqual(await run(2), a);
    // The same prompt asked twice need not get the same draw (as with a sampled LLM)...
    assert.ok(new Set(a.filter((_, i) => i % 6 === 1)).size > 1, "repeats of one prompt all got the same answer");
  });

  it("the quality knob degrades answers: accuracy 1 always right; accuracy 0 often wrong; abstention abstains", async () => {
    unregister.push(registerSurrogateHandler("test-guide", "score", scoreHandler));
    const agreement = async (quality: Record<string, number>) => {
      const llm = createLlm({ provider: "surrogate", quality });
      let right = 0;
      let zero = 0;
      for (let i = 0; i < 200; i++) {
        const lean = i % 2 ? "left" : "right";
        const action = i % 4 < 2 ? "LEFT" : "RIGHT";
        const s = score((await llm.complete(ask(lean, action))).text);
        if (s === (lean === action.toLowerCase() ? 1 : -1)) right++;
        if (s === 0) zero++;
      }
      return { right: right / 200, zero: zero / 200 };
    };
    assert.equal((await agreement({ accuracy: 1 })).right, 1);
    const weak = await agreement({ accuracy: 0, seed: 3 });
    assert.ok(weak.right > 0.2 && weak.right < 0.5, `accuracy 0 answers at random (1/3 right), got ${weak.right}`);
    const shy = await agreement({ accuracy: 1, abstention: 0.5, seed: 3 });
    assert.ok(shy.zero > 0.35 && shy.zero < 0.65, `abstention 0.5, got ${shy.zero}`);
  });

  it("a missing handler or purpose is a clear error naming what to register", async () => {
    const llm = createLlm({ provider: "surrogate" });
    await assert.rejects(llm.complete(ask("left", "LEFT", { purpose: { guide: "nobody", task: "nothing" } })), (e: unknown) => {
      assert.ok(e instanceof SurrogateHandlerMissingError);
      assert.match(e.message, /no surrogate handler registered for purpose nobody\/nothing/);
      assert.match(e.message, /registerSurrogateHandler\("nobody", "nothing", handler\)/);
      return true;
    });
    await assert.rejects(llm.complete(ask("left", "LEFT", { purpose: undefined })), /only requests with a purpose/);
  });

  it("cuts at stop sequences and at max_tokens as an API would", async () => {
    unregister.push(registerSurrogateHandler("test-guide", "long", () => "first part\nSTOP\nsecond part " + "x".repeat(400)));
    const llm = createLlm({ provider: "surrogate" });
    const purpose = { guide: "test-guide", task: "long" };
    const stopped = await llm.complete({ messages: [{ role: "user", content: "go" }], stop: ["STOP"], purpose });
    assert.equal(stopped.text, "first part\n");
    assert.equal(stopped.stopReason, "stop_sequence");
    const capped = await llm.complete({ messages: [{ role: "user", content: "go" }], maxTokens: 10, purpose });
    assert.equal(capped.stopReason, "max_tokens");
    assert.ok(capped.usage.outputTokens <= 10);
  });

  it("registering again replaces the handler; the returned function removes it", async () => {
    const off1 = registerSurrogateHandler("test-guide", "swap", () => "one");
    registerSurrogateHandler("test-guide", "swap", () => "two");
    const llm = createLlm({ provider: "surrogate" });
    const req = { messages: [{ role: "user" as const, content: "?" }], purpose: { guide: "test-guide", task: "swap" } };
    assert.equal((await llm.complete(req)).text, "two");
    off1(); // stale remover: must not remove the newer handler
    assert.equal((await llm.complete(req)).text, "two");
    unregister.push(registerSurrogateHandler("test-guide", "swap", () => "three"));
  });

  it("rejects bad quality settings and bad requests", async () => {
    assert.throws(() => createLlm({ provider: "surrogate", quality: { accuracy: 1.5 } }), /accuracy must be in \[0, 1\]/);
    assert.throws(() => createLlm({ provider: "surrogate", quality: { noise: -1 } }), /noise must be >= 0/);
    const llm = createLlm({ provider: "surrogate" });
    await assert.rejects(llm.complete({ messages: [] }), /at least one message/);
    await assert.rejects(llm.complete({ messages: [{ role: "assistant", content: "x" }] }), /first message must have role "user"/);
    await assert.rejects(llm.complete({ messages: [{ role: "user", content: "x" }], maxTokens: 0 }), /maxTokens must be a positive integer/);
  });

  it("caches like any provider; quality and purpose are part of its cache key; its model id never names a real model", async () => {
    unregister.push(registerSurrogateHandler("test-guide", "score", scoreHandler));
    unregister.push(registerSurrogateHandler("other-guide", "score", () => "Score: 0"));
    const dir = mkdtempSync(join(tmpdir(), "guided-rl-surrogate-"));
    try {
      const path = join(dir, "cassette.jsonl");
      const recorder = createLlm({ provider: "surrogate", cache: { mode: "read-write", path } });
      const first = await recorder.complete(ask("left", "LEFT"));
      assert.equal((await recorder.complete(ask("left", "LEFT"))).cached, true);
      // Same text, other guide: another handler, so not the same cached answer.
      const other = await recorder.complete(ask("left", "LEFT", { purpose: { guide: "other-guide", task: "score" } }));
      assert.equal(other.cached, false);
      assert.equal(other.text, "Score: 0");
      const weaker = createLlm({ provider: "surrogate", quality: { accuracy: 0.5 }, cache: { mode: "replay-strict", path } });
      await assert.rejects(weaker.complete(ask("left", "LEFT")), /replay-strict/);
      const replay = createLlm({ provider: "surrogate", cache: { mode: "replay-strict", path } });
      assert.equal((await replay.complete(ask("left", "LEFT"))).text, first.text);
      assert.equal(readFileSync(path, "utf8").trim().split("\n").length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(createLlm({ provider: "surrogate", model: "claude-sonnet-5-5" }).model, "surrogate/heuristic");
    assert.equal(createLlm({ provider: "surrogate", model: "surrogate/weak" }).model, "surrogate/weak");
  });

  it("its generator is seeded and well spread", () => {
    const a = surrogateRng("seed");
    const b = surrogateRng("seed");
    const xs = Array.from({ length: 2000 }, () => a.random());
    assert.deepEqual(Array.from({ length: 2000 }, () => b.random()), xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.03, `mean ${mean}`);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const r = surrogateRng("ints");
    const seen = new Set(Array.from({ length: 500 }, () => r.integers(-2, 3)));
    assert.deepEqual([...seen].sort(), [-1, -2, 0, 1, 2].sort());
  });

  it("is the default without a key, and says so once on stderr", () => {
    const env = { ...process.env };
    delete env.ANTHROPIC_API_KEY;
    delete env.GUIDED_RL_PROVIDER;
    delete env.GUIDED_RL_QUIET;
    const saved = { key: process.env.ANTHROPIC_API_KEY, provider: process.env.GUIDED_RL_PROVIDER };
    delete process.env.ANTHROPIC_API_KEY;
    delete process.env.GUIDED_RL_PROVIDER;
    try {
      assert.equal(resolveProviderName(), "surrogate");
      assert.equal(resolveProviderName({ apiKey: "k" }), "anthropic");
    } finally {
      if (saved.key !== undefined) process.env.ANTHROPIC_API_KEY = saved.key;
      if (saved.provider !== undefined) process.env.GUIDED_RL_PROVIDER = saved.provider;
    }
    const llmIndex = fileURLToPath(new URL("../../src/llm/index.ts", import.meta.url));
    const script = `
      const { createLlm } = await import(${JSON.stringify(llmIndex)});
      const a = createLlm(); const b = createLlm(); createLlm();
      console.log(a.provider, b.provider);`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env, encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), "surrogate surrogate");
    const notices = child.stderr.split("\n").filter((l) => l.includes("offline surrogate"));
    assert.equal(notices.length, 1, child.stderr);
    assert.match(notices[0]!, /not an LLM/);
  });
});
