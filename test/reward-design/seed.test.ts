/**
 * The seed preset's loop: one SAC agent whose reward is swapped between segments without resetting the
 * networks or the replay buffer; the designer sees gait metrics with a trend, never the previous code; a
 * killed run resumes after its last finished iteration with the same model.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SAC } from "../../src/algos/sac.js";
import { makeAsync } from "../../src/envs/index.js";
import { createLlm } from "../../src/llm/index.js";
import { Sandbox } from "../../src/sandbox/index.js";
import { runSeedProtocol, SwappableReward } from "../../src/experiments/reward-design/index.js";
import { tinySeed } from "./fixtures/tiny.js";

const constant = (v: number) => `function computeReward(obs, action, nextObs, info) {\n  return {reward: ${v}, components: {c: ${v}}};\n}`;


describe("seed preset", () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await Sandbox.start({ timeoutMs: 10_000 });
  });
  after(async () => sandbox.close());

  it("swaps the reward without resetting the model or the replay buffer", async () => {
    const envs = [await makeAsync("BipedalWalker-v3", { terrain: "seed-curriculum" }), await makeAsync("BipedalWalker-v3", { terrain: "seed-curriculum" })];
    const guide = new SwappableReward(sandbox);
    const model = new SAC(envs, { learningStarts: 50, batchSize: 32, netArch: [16, 16], seed: 0, guide });
    guide.swap(constant(1));
    await model.learn({ totalTimesteps: 200 });
    const weights = Float32Array.from(model.actor.params);
    const critic = Float32Array.from(model.critic1.params);
    assert.equal(model.replayBuffer.size, 200);
    guide.swap(constant(-1));
    assert.deepEqual(model.actor.params, weights, "the swap leaves the actor as it was");
    assert.deepEqual(model.critic1.params, critic, "and the critic");
    assert.equal(model.replayBuffer.size, 200, "and the buffer");
    await model.learn({ totalTimesteps: 400 });
    assert.equal(model.numTimesteps, 400, "training continues from step 200");
    assert.equal(model.replayBuffer.size, 400, "the buffer keeps the 200 transitions from before the swap");
    assert.notDeepEqual(model.actor.params, weights, "the same actor kept learning");
    const after = (guide as unknown as { current: { snapshot(s: number): { components: Record<string, { mean: number }> } } }).current.snapshot(400);
    assert.equal(after.components.total!.mean, -1, "transitions after the swap were rewarded by the new code");
    model.close();
  });

  it("runs the loop: native reward first, then one checked reward per iteration from metrics without code; resumes with the same agent", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "grl-rd-seed-"));
    try {
      const llm = createLlm({ provider: "surrogate", runDir, cache: "read-write", quality: { seed: 1 } });
      const r = await runSeedProtocol({ runDir, llm, protocol: tinySeed(3) });
      assert.deepEqual(r.iterations.map((i) => i.numTimesteps), [300, 600, 900]);
      assert.deepEqual(r.iterations.map((i) => i.bufferSize), [300, 600, 900], "one buffer all along");
      for (let i = 1; i < 3; i++) assert.equal(r.iterations[i]!.actorAtStart, r.iterations[i - 1]!.actorAtEnd, "each segment starts from the previous one's actor");
      assert.equal(r.iterations[0]!.status, "native");
      assert.equal(r.iterations[0]!.code, null);
      assert.ok(r.iterations.slice(1).every((i) => i.status === "valid" && i.code !== null));
      assert.ok(r.iterations.every((i) => Number.isFinite(i.nativeReturn) && Number.isFinite(i.seedMetrics.fall_rate!)));
      const p2 = readFileSync(join(runDir, "iter-02", "prompt.md"), "utf8");
      const p3 = readFileSync(join(runDir, "iter-03", "prompt.md"), "utf8");
      assert.match(p2, /Gait metrics of the current policy/);
      assert.match(p2, /average_forward_distance/);
      assert.match(p2, /The researcher's hint:\nWalk a little faster/);
      assert.doesNotMatch(p2, /Trend over/, "no trend from one iteration");
      assert.match(p3, /Trend over the last 2 iterations:\n\s+average_forward_distance\s+\S+ -> \S+\s+\((improving|worsening|stable)\)/);
      assert.ok(!p3.includes(r.iterations[1]!.code!.split("\n")[2]!), "the previous code is not shown");
      assert.doesNotMatch(p3, /This is candidate/);

      // Resume with one more iteration: the first three are read back, the agent continues from step 900.
      const more = await runSeedProtocol({ runDir, llm, protocol: { ...tinySeed(4) } }).catch((e: Error) => e);
      assert.ok(more instanceof Error && /other settings/.test(more.message), "a changed protocol is refused");
      rmSync(join(runDir, "config.json"));
      const resumed = await runSeedProtocol({ runDir, llm, protocol: tinySeed(4) });
      assert.deepEqual(resumed.iterations.map((i) => i.numTimesteps), [300, 600, 900, 1200]);
      assert.equal(resumed.iterations[3]!.actorAtStart, r.iterations[2]!.actorAtEnd, "the saved agent continues");
      assert.equal(resumed.iterations[3]!.bufferSize, 1200);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });

  it("is the native-reward SAC baseline with no designer", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "grl-rd-seed-native-"));
    try {
      const r = await runSeedProtocol({ runDir, llm: null, protocol: tinySeed(2) });
      assert.deepEqual(r.iterations.map((i) => i.status), ["native", "native"]);
      assert.equal(r.iterations[1]!.actorAtStart, r.iterations[0]!.actorAtEnd);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
