// Cassettes: record with a provider, replay byte-identically with no network; strict misses name the hash.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { CASSETTE_FILE, createLlm, LlmCacheMissError, promptHash, TRANSCRIPT_FILE, type CreateLlmOptions } from "../../src/llm/index.js";
import { anthropicMessage, startFakeServer, type FakeServer } from "./fake-servers.js";

const prompts = [
  "Rate the action LEFT in state x=0.1: answer +1, 0 or -1.",
  "Write a reward function for BipedalWalker.",
  "Mark the critical states in this trajectory:\n t=0 ... t=9",
];
const request = (content: string) => ({
  system: "You are an RL expert.",
  messages: [{ role: "user" as const, content }],
  maxTokens: 200,
  purpose: { guide: "lmgt", task: "score-actions" },
});
// Answers with unicode, trailing spaces, CRLF and a code fence: replay must give these bytes back exactly.
const answers = ["+1  \r\n", "```js\nfunction reward(s) { return s.vx * 1.5 - 0.1 * Math.abs(s.angle); }\n```\n", "critical: [3, 7] — ↯ «ok»"];

describe("cassette cache", () => {
  let server: FakeServer;
  let dir: string;
  const dirs: string[] = [];
  before(async () => {
    server = await startFakeServer({ status: 500, body: { type: "error", error: { type: "api_error", message: "unscripted" } } });
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    dir = mkdtempSync(join(tmpdir(), "guided-rl-cache-"));
    dirs.push(dir);
  });
  const client = (extra: Partial<CreateLlmOptions>) =>
    createLlm({
      provider: "anthropic",
      model: "claude-haiku-4-5",
      apiKey: "sk-ant-cache-test",
      baseURL: server.url,
      retry: { maxRetries: 0 },
      runDir: dir,
      maxFailedCalls: 100,
      ...extra,
    });

  it("write, then replay-strict: byte-identical answers and zero network calls, even without a key", async () => {
    answers.forEach((text, i) => server.script({ body: anthropicMessage(text, { input_tokens: 40 + i, output_tokens: 9 + i }, "claude-haiku-4-5-20251001") }));
    const recorder = client({ cache: "write" });
    const recorded = [];
    for (const p of prompts) recorded.push(await recorder.complete(request(p)));
    assert.equal(server.requests.length, 3);
    assert.ok(existsSync(join(dir, CASSETTE_FILE)));

    server.requests.length = 0;
    // A fresh process would have no key: replay must not need one.
    const replayer = createLlm({ provider: "anthropic", model: "claude-haiku-4-5", baseURL: server.url, runDir: dir, transcript: join(dir, "replay.jsonl"), cache: "replay-strict" });
    // Replay in another order: lookups are by content, not position.
    for (const i of [2, 0, 1]) {
      const again = await replayer.complete(request(prompts[i]!));
      assert.equal(Buffer.compare(Buffer.from(again.text, "utf8"), Buffer.from(recorded[i]!.text, "utf8")), 0);
      assert.equal(again.text, answers[i]);
      assert.deepEqual(again.usage, recorded[i]!.usage);
      assert.equal(again.model, recorded[i]!.model);
      assert.equal(again.stopReason, recorded[i]!.stopReason);
      assert.equal(again.promptHash, recorded[i]!.promptHash);
      assert.equal(again.cached, true);
      assert.equal(again.costUsd, 0);
    }
    assert.equal(server.requests.length, 0, "replay must not touch the network");
    const s = replayer.summary();
    assert.equal(s.cachedCalls, 3);
    assert.equal(s.calls, 0);
    assert.equal(s.costUsd, 0);
  });

  it("replay-strict miss: an error that names the prompt hash, logged in the transcript, no network", async () => {
    writeFileSync(join(dir, CASSETTE_FILE), "");
    const llm = client({ cache: "replay-strict" });
    const req = request("a prompt nobody recorded");
    const expected = promptHash("anthropic", "claude-haiku-4-5", req);
    await assert.rejects(llm.complete(req), (e: unknown) => {
      assert.ok(e instanceof LlmCacheMissError);
      assert.equal(e.promptHash, expected);
      assert.ok(e.message.includes(expected), e.message);
      assert.match(e.message, /purpose lmgt\/score-actions/);
      return true;
    });
    assert.equal(server.requests.length, 0);
    const lines = readFileSync(join(dir, TRANSCRIPT_FILE), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 1);
    assert.equal(lines[0].promptHash, expected);
    assert.equal(lines[0].error.kind, "cache-miss");
  });

  it("read-write records a miss once and answers the repeat from the cassette; read never records", async () => {
    server.script({ body: anthropicMessage("first answer") });
    const llm = client({ cache: "read-write" });
    const a = await llm.complete(request(prompts[0]!));
    const b = await llm.complete(request(prompts[0]!));
    assert.equal(a.cached, false);
    assert.equal(b.cached, true);
    assert.equal(b.text, "first answer");
    assert.equal(server.requests.length, 1);
    assert.equal(readFileSync(join(dir, CASSETTE_FILE), "utf8").trim().split("\n").length, 1);

    server.script({ body: anthropicMessage("uncached answer") });
    const reader = client({ cache: "read" });
    assert.equal((await reader.complete(request(prompts[0]!))).text, "first answer");
    assert.equal((await reader.complete(request(prompts[1]!))).text, "uncached answer");
    assert.equal(readFileSync(join(dir, CASSETTE_FILE), "utf8").trim().split("\n").length, 1, "read mode must not record");
  });

  it("the key covers model, system, messages and parameters; a changed prompt misses", async () => {
    server.script({ body: anthropicMessage("x") });
    await client({ cache: "write" }).complete(request(prompts[0]!));
    const strict = client({ cache: "replay-strict" });
    await strict.complete(request(prompts[0]!)); // hit
    await assert.rejects(strict.complete({ ...request(prompts[0]!), maxTokens: 201 }), LlmCacheMissError);
    await assert.rejects(strict.complete({ ...request(prompts[0]!), system: "Other." }), LlmCacheMissError);
    await assert.rejects(client({ cache: "replay-strict", model: "claude-opus-5-5" }).complete(request(prompts[0]!)), LlmCacheMissError);
    // The purpose is metadata, never sent: the same prompt under another guide is the same call.
    assert.equal((await strict.complete({ ...request(prompts[0]!), purpose: { guide: "ultra", task: "t" } })).text, "x");
  });

  it("a corrupt cassette line is reported with its file and line", () => {
    writeFileSync(join(dir, CASSETTE_FILE), '{"hash":"a","response":{"text":"ok"}}\nnot json\n');
    assert.throws(() => client({ cache: "read" }), /llm-cassette\.jsonl, line 2: not valid JSON/);
  });

  it("a cache mode without a cassette path or run folder is a clear error", () => {
    assert.throws(() => createLlm({ provider: "surrogate", cache: "read" }), /needs a cassette path/);
    assert.throws(() => createLlm({ provider: "surrogate", cache: { mode: "sometimes" as never, path: join(dir, "c.jsonl") } }), /unknown cache mode/);
  });

  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
});
