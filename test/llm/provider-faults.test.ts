// Provider parity under HTTP faults (issue 14 point 3), both providers with their real clients (the
// Anthropic SDK, fetch) against raw servers on 127.0.0.1: a server that sends headers and then stalls, or
// trickles the body a byte at a time, is cut off at timeoutMs; a connection reset mid-body is retried (and
// counted once as a failed call only after the retries); Anthropic's `content: []` is malformed; a body far
// larger than max_tokens allows is refused while it arrives, before anything is parsed or written.
import { describe, it, after, before } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLlm, LlmMalformedResponseError, LlmProviderError, LlmTimeoutError, type LlmProviderName } from "../../src/llm/index.js";
import { maxResponseBytes } from "../../src/llm/providers/http.js";
import { anthropicMessage, openAiCompletion } from "./fake-servers.js";

type Fault = "ok" | "stall" | "trickle" | "reset" | "empty-content" | "huge" | "huge-error";

const TIMEOUT_MS = 300;
const HUGE_TEXT = "x".repeat(1_000_000);

/** A server answering each request with the next fault of the script (then "ok"), in `provider`'s format. */
async function faultyServer(provider: LlmProviderName) {
  const script: Fault[] = [];
  let requests = 0;
  const body = (text: string) => JSON.stringify(provider === "anthropic" ? anthropicMessage(text) : openAiCompletion(text));
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      requests++;
      const fault = script.shift() ?? "ok";
      if (fault === "huge-error") return void res.writeHead(503, { "content-type": "text/html" }).end(HUGE_TEXT);
      const full = fault === "huge" ? body(HUGE_TEXT) : fault === "empty-content" ? JSON.stringify({ ...anthropicMessage(""), content: [] }) : body("1: +1");
      res.writeHead(200, { "content-type": "application/json", ...(fault === "reset" || fault === "trickle" ? { "content-length": String(Buffer.byteLength(full)) } : {}) });
      if (fault === "stall") return void res.flushHeaders();
      if (fault === "reset") {
        res.write(full.slice(0, full.length >> 1));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      if (fault === "trickle") {
        let i = 0;
        const t: NodeJS.Timeout = setInterval(() => (i < full.length && !res.destroyed ? res.write(full[i++]) : clearInterval(t)), 40);
        res.on("close", () => clearInterval(t));
        return;
      }
      res.end(full);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    script: (...faults: Fault[]) => void script.push(...faults),
    get requests() {
      return requests;
    },
    reset: () => void (requests = 0),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const ask = { messages: [{ role: "user" as const, content: "Score pair 1." }], maxTokens: 10, purpose: { guide: "lmgt", task: "score-actions" } };

for (const provider of ["anthropic", "openai-compatible"] as const) {
  describe(`${provider}: faults after the headers`, () => {
    let server: Awaited<ReturnType<typeof faultyServer>>;
    before(async () => {
      server = await faultyServer(provider);
    });
    after(() => server.close());
    const client = (extra: { runDir?: string; maxFailedCalls?: number; maxRetries?: number } = {}) =>
      createLlm({
        provider, model: provider === "anthropic" ? "claude-sonnet-5-5" : "llama3.1:8b", apiKey: "sk-provider-faults-test", baseURL: server.url,
        timeoutMs: TIMEOUT_MS, retry: { maxRetries: extra.maxRetries ?? 1, initialDelayMs: 1, jitter: false },
        maxFailedCalls: extra.maxFailedCalls ?? 5,
        ...(extra.runDir ? { runDir: extra.runDir, cache: "read-write" as const } : { transcript: false as const }),
      });

    for (const fault of ["stall", "trickle"] as const) {
      it(`${fault}: every attempt is cut off at timeoutMs (headers arrived, the body did not)`, { timeout: 15_000 }, async () => {
        server.reset();
        server.script(fault, fault);
        const started = performance.now();
        await assert.rejects(client().complete(ask), (e: unknown) => {
          assert.ok(e instanceof LlmTimeoutError, String(e));
          assert.match(e.message, new RegExp(`no answer within ${TIMEOUT_MS} ms after 2 attempts`));
          return true;
        });
        const ms = performance.now() - started;
        assert.ok(ms >= 2 * TIMEOUT_MS - 20 && ms < 2 * TIMEOUT_MS + 1500, `${ms.toFixed(0)} ms for 2 attempts of ${TIMEOUT_MS} ms`);
        assert.equal(server.requests, 2);
      });
    }

    const transient: [Fault, string, (e: LlmProviderError) => boolean][] = [
      ["reset", "a connection reset mid-body", (e) => e.retryable && /connection/.test(e.message)],
      ["huge-error", "an HTTP 503 whose body passes the size cap (a proxy's error page) stays that status, and", (e) => e.retryable && e.status === 503],
    ];
    for (const [fault, what, failure] of transient) {
      it(`${what} is retried; the fault on every attempt is one failed call, counted after the retries`, async () => {
        server.reset();
        server.script(fault);
        const llm = client();
        const answer = await llm.complete(ask);
        assert.equal(answer.text, "1: +1");
        assert.equal(answer.attempts, 2);
        assert.equal(llm.failedCalls, 0);
        server.script(fault, fault);
        await assert.rejects(llm.complete(ask), (e: unknown) => e instanceof LlmProviderError && e.attempts === 2 && failure(e));
        assert.equal(llm.failedCalls, 1);
        assert.equal(server.requests, 4);
      });
    }

    it("a body far larger than max_tokens allows is refused while it arrives, not retried, and nothing of it is written", async () => {
      server.reset();
      server.script("huge");
      const runDir = mkdtempSync(join(tmpdir(), "grl-huge-"));
      const llm = client({ runDir });
      await assert.rejects(llm.complete(ask), (e: unknown) => {
        assert.ok(e instanceof LlmMalformedResponseError, String(e));
        assert.match(e.message, new RegExp(`over ${maxResponseBytes(10)} bytes, far more than an answer of max_tokens 10 can be`));
        return true;
      });
      assert.equal(server.requests, 1, "not retried");
      assert.equal(llm.failedCalls, 1);
      const transcript = readFileSync(join(runDir, "llm-transcript.jsonl"), "utf8");
      assert.ok(transcript.length < 10_000 && !transcript.includes("x".repeat(100)), "only the failure is recorded");
      assert.ok(!existsSync(join(runDir, "llm-cassette.jsonl")) || !readFileSync(join(runDir, "llm-cassette.jsonl"), "utf8").includes("xxxx"), "no cassette entry");
      assert.equal((await llm.complete(ask)).text, "1: +1", "a normal answer still passes");
    });
  });
}

describe("preflight under the same deadline", () => {
  for (const provider of ["anthropic", "openai-compatible"] as const) {
    it(`${provider}: a model list whose body stalls after the headers does not hang the preflight (anthropic: fails at timeoutMs naming the server setting)`, { timeout: 15_000 }, async () => {
      const server = await faultyServer(provider);
      try {
        server.script("stall", "stall");
        const llm = createLlm({ provider, model: "m-1", apiKey: "sk-provider-faults-test", baseURL: server.url, timeoutMs: TIMEOUT_MS, transcript: false });
        const started = performance.now();
        if (provider === "anthropic") await assert.rejects(llm.preflight(), (e: Error) => e.name === "LlmPreflightError" && /no answer within 300 ms.*ANTHROPIC_BASE_URL/.test(e.message));
        else await llm.preflight(); // its preflight reads only the status line: the server is there
        assert.ok(performance.now() - started < 2 * TIMEOUT_MS + 1500, `${(performance.now() - started).toFixed(0)} ms`);
      } finally {
        await server.close();
      }
    });
  }
});

describe("anthropic: content: [] is a malformed response, not an empty answer", () => {
  it("fails as malformed without a retry", async () => {
    const server = await faultyServer("anthropic");
    try {
      server.script("empty-content");
      const llm = createLlm({ provider: "anthropic", apiKey: "sk-provider-faults-test", baseURL: server.url, timeoutMs: TIMEOUT_MS, retry: { maxRetries: 2, initialDelayMs: 1 }, transcript: false, maxFailedCalls: 1 });
      await assert.rejects(llm.complete(ask), (e: unknown) => e instanceof LlmMalformedResponseError && /non-empty content\[\]/.test(e.message));
      assert.equal(server.requests, 1);
    } finally {
      await server.close();
    }
  });
});
