// The API key never appears in anything a run writes, in errors, or in a printed client, even when a
// server echoes it back.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { after, before, describe, it } from "node:test";
import { createLlm, LlmBudgetExceededError, LlmCacheMissError, LlmProviderError } from "../../src/llm/index.js";
import { anthropicMessage, openAiCompletion, startFakeServer, type FakeServer } from "./fake-servers.js";

const KEY = `sk-ant-api03-SECRET-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const OPENAI_KEY = `sk-local-SECRET-${Math.random().toString(36).slice(2)}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe("API key hygiene", () => {
  let anthropic: FakeServer;
  let openai: FakeServer;
  let runDir: string;
  before(async () => {
    anthropic = await startFakeServer({ body: anthropicMessage("fine") });
    openai = await startFakeServer({ body: openAiCompletion("fine") });
    runDir = mkdtempSync(join(tmpdir(), "guided-rl-secrets-"));
  });
  after(async () => {
    await anthropic.close();
    await openai.close();
    rmSync(runDir, { recursive: true, force: true });
  });

  it("a run with successes, retries, leaking server errors, budget refusals and cache misses writes no key", async () => {
    const thrown: unknown[] = [];
    const attempt = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        thrown.push(e);
      }
    };
    const llm = createLlm({
      provider: "anthropic",
      apiKey: KEY,
      baseURL: anthropic.url,
      runDir,
      cache: "read-write",
      retry: { maxRetries: 1, initialDelayMs: 1 },
      budget: { maxTokens: 5000 },
      maxFailedCalls: 100, // every leaking failure below is made on purpose
    });
    const ask = (content: string, maxTokens = 100) => ({ messages: [{ role: "user" as const, content }], maxTokens, purpose: { guide: "reward-design", task: "write-reward" } });

    await llm.complete(ask("first")); // success, recorded in the cassette
    await llm.complete(ask("first")); // cache hit
    anthropic.script({ status: 429, echoHeaders: true, headers: { "retry-after": "0" } });
    await llm.complete(ask("second")); // a leaking 429, then success
    anthropic.script({ status: 401, echoHeaders: true });
    await attempt(llm.complete(ask("third"))); // a leaking 401: not retried, thrown
    anthropic.script({ status: 500, echoHeaders: true }, { status: 500, echoHeaders: true });
    await attempt(llm.complete(ask("fourth"))); // leaking 500s until the retries run out
    await attempt(llm.complete(ask("too big", 100_000))); // refused by the budget

    const strict = createLlm({ provider: "anthropic", apiKey: KEY, baseURL: anthropic.url, runDir, transcript: join(runDir, "strict.jsonl"), cache: "replay-strict" });
    await attempt(strict.complete(ask("never recorded")));

    const local = createLlm({
      provider: "openai-compatible",
      model: "llama3.1:8b",
      apiKey: OPENAI_KEY,
      baseURL: openai.url,
      transcript: join(runDir, "local", "transcript.jsonl"),
      cache: { mode: "write", path: join(runDir, "local", "cassette.jsonl") },
      retry: { maxRetries: 0 },
      maxFailedCalls: 100,
    });
    await local.complete(ask("hello"));
    openai.script({ status: 403, echoHeaders: true });
    await attempt(local.complete(ask("leak please")));

    const summary = llm.writeSummary();
    assert.equal(summary.byGuide["reward-design"]!.refusedCalls, 1);
    assert.deepEqual(JSON.parse(readFileSync(join(runDir, "llm-usage.json"), "utf8")).byGuide, summary.byGuide);

    // The servers did receive the keys (so the leak scenario is real)...
    assert.ok(anthropic.requests.some((r) => JSON.stringify(r.headers).includes(KEY)));
    assert.ok(openai.requests.some((r) => JSON.stringify(r.headers).includes(OPENAI_KEY)));
    // ...and the errors we expect were raised.
    assert.equal(thrown.length, 5);
    assert.ok(thrown[0] instanceof LlmProviderError && thrown[0].status === 401);
    assert.ok(thrown[1] instanceof LlmProviderError && thrown[1].status === 500);
    assert.ok(thrown[2] instanceof LlmBudgetExceededError);
    assert.ok(thrown[3] instanceof LlmCacheMissError);
    assert.ok(thrown[4] instanceof LlmProviderError && thrown[4].status === 403);
    assert.match((thrown[0] as Error).message, /\[REDACTED\]/, "the echoed key is replaced, the rest of the message kept");

    for (const e of thrown) {
      const text = `${(e as Error).message}\n${(e as Error).stack}\n${inspect(e, { depth: 5 })}`;
      assert.ok(!text.includes(KEY) && !text.includes(OPENAI_KEY), `key leaked in an error: ${(e as Error).message}`);
    }
    for (const client of [llm, strict, local]) {
      const printed = inspect(client, { depth: 10, showHidden: true });
      assert.ok(!printed.includes(KEY) && !printed.includes(OPENAI_KEY), "key visible when printing a client");
    }
    const files = filesUnder(runDir);
    assert.ok(files.length >= 6, `expected transcripts and cassettes, got ${files.join(", ")}`);
    for (const f of files) {
      const content = readFileSync(f, "utf8");
      assert.ok(content.length > 0, `${f} is empty`);
      assert.ok(!content.includes(KEY), `Anthropic key found in ${f}`);
      assert.ok(!content.includes(OPENAI_KEY), `local server key found in ${f}`);
    }
    // The transcript did log the failures (so the grep looked at the error text too).
    const transcript = readFileSync(join(runDir, "llm-transcript.jsonl"), "utf8");
    assert.match(transcript, /"kind":"provider"/);
    assert.match(transcript, /\[REDACTED\]/);
  });
});
