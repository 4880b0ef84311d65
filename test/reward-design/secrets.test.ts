// The key is never written (issue 14 point 4), even when the server echoes it back into the answers, the
// code, the errors and the prompts built from them: a whole reward-design experiment (loop, fix round,
// training, reports) against a fake Anthropic server that puts the request's x-api-key into what it sends;
// then every file of the run folder is searched for the key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLlm } from "../../src/llm/index.js";
import { composeRewardCode, runRewardDesignExperiment } from "../../src/experiments/reward-design/index.js";
import { anthropicMessage, startFakeServer, type RecordedRequest } from "../llm/fake-servers.js";

const KEY = `sk-ant-echoed-${Math.random().toString(36).slice(2)}-secret`;
/** The key as the request carried it (x-api-key or a Bearer token, whichever the SDK sends). */
const keyOf = (r: RecordedRequest) => String(r.headers["x-api-key"] ?? r.headers.authorization?.replace(/^Bearer /, ""));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

test("a server that echoes the key: no file of the run folder holds it; the writers saw it and redacted it", async () => {
  const good = composeRewardCode({ progress: 1, upright: 0.5, fall: 100 });
  const answer = (r: RecordedRequest) => {
    const key = keyOf(r);
    const messages = (r.body as { messages: { content: string }[] }).messages;
    if (/Iteration 2|iteration 2/.test(messages[0]!.content)) {
      // Iteration 2: a failed call whose error body carries every header (tolerated: maxFailedCalls 1).
      return { status: 400, echoHeaders: true };
    }
    const code = messages.length === 3
      ? `// written for ${key}\n${good}`
      : `function computeReward(obs, action, nextObs, info) {\n  throw new Error("leaked ${key}");\n}`;
    return { body: anthropicMessage(`Your key is ${key}.\n\`\`\`javascript\n${code}\n\`\`\``) };
  };
  const server = await startFakeServer(answer);
  const out = mkdtempSync(join(tmpdir(), "grl-rd-secrets-"));
  try {
    const llm = createLlm({ provider: "anthropic", apiKey: KEY, baseURL: server.url, runDir: out, cache: "read-write", retry: { maxRetries: 0 }, maxFailedCalls: 1 });
    const e = await runRewardDesignExperiment({ budget: "smoke", out, llm, iterations: 2, candidates: 1, totalTimesteps: 256, finalSeeds: [0], png: false, concurrency: 0 });
    assert.ok(server.requests.length >= 3 && server.requests.every((r) => keyOf(r) === KEY), "the key was sent (and echoed)");
    assert.equal(e.failedCalls, 1);
    const files = filesUnder(out);
    for (const f of files) assert.ok(!readFileSync(f, "utf8").includes(KEY), `${f} holds the key`);
    // The echo reached each kind of writer (so the check above means something).
    const redacted = (rel: string) => assert.match(readFileSync(join(out, rel), "utf8"), /\[REDACTED\]/, rel);
    for (const rel of ["iter-01/cand-1/response.md", "iter-01/cand-1/fix-prompt.md", "iter-01/cand-1/fix-response.md", "iter-01/cand-1/candidate.json", "iter-01/cand-1/reward.js", "iter-02/cand-1/prompt.md", "results.json", "llm-transcript.jsonl", "llm-cassette.jsonl"]) redacted(rel);
    assert.ok(files.some((f) => f.endsWith("training.jsonl")) && files.some((f) => f.endsWith("result.json")));
  } finally {
    await server.close();
  }
});
