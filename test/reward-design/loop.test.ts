/**
 * The reward-design loop end to end at toy size (tiny PPO runs in real child processes): with the
 * surrogate designer (two iterations, reflection, selection, baseline, run folder), with the real
 * Anthropic SDK against a local fake server (a broken candidate is rejected with the right error and sent
 * back once for a fix; a candidate that stays broken is dropped), and killed mid-iteration then resumed
 * without redoing finished candidates.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeAsync } from "../../src/envs/index.js";
import { createLlm, type CompletionRequest, type LlmClient } from "../../src/llm/index.js";
import {
  compareFitness,
  composeRewardCode,
  evaluateWalker,
  readResult,
  runRewardDesign,
  type CandidateRecord,
} from "../../src/experiments/reward-design/index.js";
import { anthropicMessage } from "../llm/fake-servers.js";
import { tinyProtocol } from "./fixtures/tiny.js";

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `grl-rd-${name}-`));
const files = (dir: string, names: string[]) => names.filter((n) => !existsSync(join(dir, n)));

describe("fitness", () => {
  it("is the native return of deterministic episodes, whatever reward trained the policy", async () => {
    const env = await makeAsync("BipedalWalker-v3");
    const still = { predict: () => new Float32Array(4) };
    const ev = evaluateWalker(still, env, { nEpisodes: 1, seed: 3, maxSteps: 50 });
    env.reset({ seed: 3 });
    let native = 0;
    for (let t = 0; t < 50; t++) native += env.step(new Float32Array(4)).reward;
    assert.equal(ev.nativeReturn, native);
    assert.equal(ev.episodes[0]!.steps.length, 50);
    env.close();
  });
});

describe("reward-design loop", () => {
  it("runs two iterations with the surrogate: reflection, selection by native return, baseline, run folder", async () => {
    const runDir = tmp("surrogate");
    try {
      const llm = createLlm({ provider: "surrogate", runDir, cache: "read-write", quality: { seed: 1 } });
      // In-process training here (concurrency 0); the other two tests train in child processes.
      const r = await runRewardDesign({ runDir, llm, iterations: 2, candidates: 2, protocol: tinyProtocol(), concurrency: 0 });
      assert.equal(r.candidates.length, 4);
      for (const c of r.candidates) {
        assert.equal(c.status, "valid", c.error);
        assert.ok(c.result?.ok, JSON.stringify(c.result?.failure));
        assert.deepEqual(files(c.dir, ["prompt.md", "response.md", "candidate.json", "reward.js", "training.jsonl", "result.json", "model/ppo.json"]), []);
        assert.equal(c.result!.checkpoints.length, 2);
        const names = Object.keys(c.result!.checkpoints[1]!.components).sort();
        assert.ok(names.includes("total") && names.length >= 3, names.join(","));
        assert.ok(Number.isFinite(c.result!.metrics.gait_symmetry));
      }
      assert.deepEqual(files(runDir, ["config.json", "results.json", "iter-01/summary.json", "iter-02/summary.json", "baseline-native/result.json", "llm-transcript.jsonl"]), []);
      assert.equal(readFileSync(join(runDir, "llm-transcript.jsonl"), "utf8").trim().split("\n").length, 4);
      assert.ok(r.nativeBaseline?.ok && Number.isFinite(r.nativeBaseline.nativeReturn));
      assert.equal(r.firstCandidate?.id, "iter-01/cand-1");

      // Selection: the best is the top of the native-return order over every trained candidate.
      const ranked = [...r.candidates].sort((a, b) => compareFitness(a.result!, b.result!));
      assert.equal(r.best?.id, ranked[0]!.id);
      const iter1 = r.candidates.filter((c) => c.iteration === 1).sort((a, b) => compareFitness(a.result!, b.result!));
      assert.equal(r.iterations[0]!.bestId, iter1[0]!.id);

      // Iteration 2 is shown iteration 1's best code and its reflection.
      const prompt = readFileSync(join(runDir, "iter-02/cand-1/prompt.md"), "utf8");
      const bestCode = readFileSync(join(iter1[0]!.dir, "reward.js"), "utf8").trim();
      assert.ok(prompt.includes(bestCode), "the best previous code is in the prompt");
      assert.match(prompt, new RegExp(`iteration 1, candidate ${iter1[0]!.candidate}, native evaluation return`));
      assert.match(prompt, /Reward components per step during training/);
      assert.match(prompt, /- total: .* -> /);
      assert.match(prompt, /Behaviour metrics of the final evaluation episodes:\n- native_return: /);
      assert.match(prompt, /Failure kinds: /);
      assert.match(prompt, new RegExp(`- candidate ${iter1[1]!.candidate} \\(components: `), "the other candidate is summarised");
      // ...and the surrogate acted on it: its answer names the metric-driven changes.
      assert.match(readFileSync(join(runDir, "iter-02/cand-1/response.md"), "utf8"), /Changes to the best reward so far/);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });

  it("rejects a broken candidate with the right error, asks once for a fix, and drops one that stays broken (Anthropic SDK, fake server)", async () => {
    const good = composeRewardCode({ progress: 1, upright: 0.5, fall: 100 });
    const brokenNaN = composeRewardCode({ progress: 1, upright: 0.5, fall: 100 }, "unknown-field");
    const brokenSyntax = composeRewardCode({ progress: 1, fall: 100 }, "syntax");
    const bodies: { messages: { role: string; content: string }[] }[] = [];
    const server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        const body = JSON.parse(raw) as { messages: { role: string; content: string }[] };
        bodies.push(body);
        const first = body.messages[0]!.content;
        const slot = /candidate (\d+) of/.exec(first)![1];
        const isFix = body.messages.length === 3;
        const text =
          slot === "1"
            ? isFix ? "Fixed: the field is hullVx.\n```javascript\n" + good + "\n```" : "Here it is.\n```javascript\n" + brokenNaN + "\n```"
            : isFix ? "```javascript\n" + brokenSyntax + "\n```" : "I would rather describe the reward in words.";
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(anthropicMessage(text)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const runDir = tmp("anthropic");
    try {
      const llm = createLlm({
        provider: "anthropic", model: "claude-sonnet-5-5", apiKey: "sk-ant-test-not-a-real-key",
        baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, runDir, cache: "off", retry: { maxRetries: 0 },
      });
      const r = await runRewardDesign({ runDir, llm, iterations: 1, candidates: 2, protocol: tinyProtocol(256), concurrency: 2, nativeBaseline: false });
      const [c1, c2] = r.candidates as [CandidateRecord, CandidateRecord];
      assert.equal(bodies.length, 4, "one call per candidate plus one fix each");

      assert.equal(c1.validations[0]!.ok, false);
      assert.equal(c1.validations[0]!.error!.kind, "invalid-output");
      assert.match(c1.validations[0]!.error!.message, /NaN/);
      const fix1 = bodies.find((b) => b.messages.length === 3 && /candidate 1 of/.test(b.messages[0]!.content))!;
      assert.equal(fix1.messages[1]!.role, "assistant");
      assert.ok(fix1.messages[1]!.content.includes("info.hull_vx"), "the broken answer is sent back");
      assert.match(fix1.messages[2]!.content, /invalid-output error \(sample transition 0\): .*NaN/);
      assert.equal(c1.status, "valid");
      assert.equal(c1.fixed, true);
      assert.equal(c1.code, good);
      assert.ok(c1.result?.ok);
      assert.ok(existsSync(join(c1.dir, "fix-prompt.md")) && existsSync(join(c1.dir, "fix-response.md")));

      assert.equal(c2.validations[0]!.error!.kind, "no-code");
      assert.equal(c2.validations[1]!.error!.kind, "syntax");
      assert.equal(c2.status, "rejected");
      assert.match(c2.error!, /^syntax error/);
      assert.equal(c2.result, undefined);
      assert.equal(readResult(c2.dir), undefined, "a rejected candidate is never trained");
      assert.equal(r.best?.id, c1.id);
      assert.equal(bodies.filter((b) => b.messages.length === 3).length, 2, "each failed candidate is sent back exactly once");
    } finally {
      server.close();
      rmSync(runDir, { recursive: true, force: true });
    }
  });

  it("resumes after being killed mid-iteration without repeating finished candidates", async () => {
    const runDir = tmp("resume");
    try {
      const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "fixtures", "run-loop.ts"), runDir], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (c) => (stderr += c));
      const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      const first = join(runDir, "iter-01", "cand-1", "result.json");
      const second = join(runDir, "iter-01", "cand-2", "result.json");
      const deadline = Date.now() + 120_000;
      while (!existsSync(first)) {
        if (child.exitCode !== null) assert.fail(`the loop exited before finishing a candidate: ${stderr}`);
        if (Date.now() > deadline) assert.fail("no candidate finished within 120 s");
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill("SIGKILL");
      await exited;
      assert.equal(existsSync(second), false, "killed while the second candidate was training");
      const before = { text: readFileSync(first, "utf8"), mtime: statSync(first).mtimeMs };
      const transcriptLines = readFileSync(join(runDir, "llm-transcript.jsonl"), "utf8").trim().split("\n").length;
      assert.equal(transcriptLines, 2);

      const inner = createLlm({ provider: "surrogate", runDir, cache: "read-write", quality: { seed: 3 } });
      let calls = 0;
      const counting: LlmClient = { provider: inner.provider, model: inner.model, complete: (req: CompletionRequest) => (calls++, inner.complete(req)) };
      const trained: string[] = [];
      const r = await runRewardDesign({
        runDir, llm: counting, iterations: 1, candidates: 2, protocol: tinyProtocol(1024), concurrency: 1, nativeBaseline: false,
        onEvent: (e) => { if (e.type === "trained") trained.push(e.id); },
      });
      assert.equal(calls, 0, "finished designs are read back, not asked again");
      assert.equal(readFileSync(first, "utf8"), before.text);
      assert.equal(statSync(first).mtimeMs, before.mtime, "the finished candidate was not retrained");
      assert.ok(r.candidates.every((c) => c.result?.ok));
      assert.ok(existsSync(second));
      assert.deepEqual(trained, ["iter-01/cand-1", "iter-01/cand-2"]);
      assert.equal(readResult(join(runDir, "iter-01", "cand-1"))!.wallSeconds, JSON.parse(before.text).wallSeconds);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
