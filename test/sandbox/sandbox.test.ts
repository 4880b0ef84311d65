/** The Sandbox API: correct results, the inputs candidates see, budgets, queueing, lifecycle. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { REWARD_HELPERS, Sandbox, type Transitions } from "../../src/sandbox/index.js";
import { WALKER_REWARD, walkerBatch } from "./walker-fixture.js";

/** Runs a reward source in this process, unsandboxed, as the reference for the sandbox's results. */
function referenceRewards(source: string, t: Transitions): { rewards: number[]; components: Record<string, number[]> } {
  const names = Object.keys(REWARD_HELPERS);
  const make = new Function(...names, `${source}\nreturn computeReward;`) as (...h: unknown[]) => (...a: unknown[]) => unknown;
  const computeReward = make(...names.map((n) => REWARD_HELPERS[n as keyof typeof REWARD_HELPERS]));
  const rewards: number[] = [];
  const components: Record<string, number[]> = {};
  for (let i = 0; i < t.n; i++) {
    const info = Object.fromEntries(Object.entries(t.infos![i]!).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v]));
    const out = computeReward(
      Array.from(t.obs.subarray(i * t.obsDim, (i + 1) * t.obsDim)),
      Array.from(t.actions.subarray(i * t.actDim, (i + 1) * t.actDim)),
      Array.from(t.nextObs.subarray(i * t.obsDim, (i + 1) * t.obsDim)),
      info,
    ) as { reward: number; components: Record<string, number> };
    rewards.push(out.reward);
    for (const [k, v] of Object.entries(out.components)) (components[k] ??= []).push(v);
  }
  return { rewards, components };
}

describe("Sandbox", () => {
  let sb: Sandbox;
  before(async () => {
    sb = await Sandbox.start({ timeoutMs: 3000, heapMb: 96 });
  });
  after(async () => {
    await sb.close();
  });

  it("evaluates a typical BipedalWalker reward exactly like plain JavaScript would", async () => {
    const batch = walkerBatch(300);
    const r = await sb.evaluate(WALKER_REWARD, batch);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    const ref = referenceRewards(WALKER_REWARD, batch);
    assert.deepEqual(Array.from(r.rewards), ref.rewards);
    assert.deepEqual(Object.keys(r.components), Object.keys(ref.components));
    for (const [k, v] of Object.entries(ref.components)) assert.deepEqual(Array.from(r.components[k]!), v, k);
    assert.ok(r.rewards instanceof Float64Array);
  });

  it("validate accepts a deterministic candidate and returns its sample results", async () => {
    const batch = walkerBatch(20);
    const r = await sb.validate(WALKER_REWARD, batch);
    assert.ok(r.ok);
    assert.equal(r.rewards.length, 20);
    await assert.rejects(sb.validate(WALKER_REWARD, walkerBatch(0)), /at least one sample/);
  });

  it("candidates see plain arrays, booleans, numbers and frozen plain info data", async () => {
    const source = `function computeReward(obs, action, nextObs, info) {
      const checks = [
        Array.isArray(obs), Array.isArray(nextObs), typeof action === "number",
        typeof info.speed === "number", typeof info.contact === "boolean",
        Array.isArray(info.legs) && typeof info.legs[0] === "boolean",
        Array.isArray(info.torques) && info.torques.length === 2,
        info.label === "step" && info.nested.deep[1] === 2 && Object.isFrozen(info.nested.deep),
        Object.isFrozen(info), !("absent" in info) || info.absent === 1,
      ];
      return {reward: action + info.speed, components: {passed: checks.filter(Boolean).length}};
    }`;
    const steps = [0, 1, 2].map((i) => ({
      obs: [i],
      action: i,
      nextObs: [i + 1],
      info: { speed: i / 2, contact: i === 1, legs: [true, false], torques: new Float32Array([0.5, i]), label: "step", nested: { deep: [1, 2] }, ...(i === 2 ? { absent: 1 } : {}) },
    }));
    const r = await sb.evaluate(source, steps);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    assert.deepEqual(Array.from(r.rewards), [0, 1.5, 3]);
    assert.deepEqual(Array.from(r.components.passed!), [10, 10, 10]);
  });

  it("plain-number rewards have no components; an empty batch gives empty results", async () => {
    const r = await sb.evaluate("const computeReward = (o) => o[0] * 2;", [{ obs: [1.5], action: [0], nextObs: [0] }]);
    assert.ok(r.ok);
    assert.deepEqual(Array.from(r.rewards), [3]);
    assert.deepEqual(r.components, {});
    const empty = await sb.evaluate("const computeReward = () => 1;", []);
    assert.ok(empty.ok);
    assert.equal(empty.rewards.length, 0);
  });

  it("each evaluation gets a fresh compartment: top-level state does not survive between calls", async () => {
    const source = "let calls = 0;\nfunction computeReward() { calls++; return calls; }";
    const a = await sb.evaluate(source, [{ obs: [0], action: [0], nextObs: [0] }]);
    const b = await sb.evaluate(source, [{ obs: [0], action: [0], nextObs: [0] }]);
    assert.ok(a.ok && b.ok);
    assert.deepEqual(Array.from(a.rewards), [1]);
    assert.deepEqual(Array.from(b.rewards), [1]);
  });

  it("requests are served in call order, and a timeout in the queue does not affect the next ones", async () => {
    const one = [{ obs: [0], action: [0], nextObs: [0] }];
    const slow = 'function computeReward() { return /^(a+)+$/.test("a".repeat(40) + "!") ? 1 : 0; }';
    const restarts = sb.restarts;
    const results = await Promise.all([
      sb.evaluate("const computeReward = () => 1;", one),
      sb.evaluate(slow, one),
      sb.evaluate("const computeReward = () => 2;", one),
      sb.evaluate("const computeReward = () => 3;", one),
    ]);
    assert.deepEqual(
      results.map((r) => (r.ok ? r.rewards[0] : r.error.kind)),
      [1, "timeout", 2, 3],
    );
    assert.equal(sb.restarts, restarts + 1);
  });

  it("malformed transitions reject the call (a caller error) and the sandbox keeps serving", async () => {
    await assert.rejects(sb.evaluate("const computeReward = () => 1;", { n: 2, obsDim: 1, actDim: 1, obs: new Float32Array(1), actions: new Float32Array(2), nextObs: new Float32Array(2) }), /obs has 1 values/);
    const r = await sb.evaluate("const computeReward = () => 1;", [{ obs: [0], action: [0], nextObs: [0] }]);
    assert.ok(r.ok);
  });

  it("check() runs the static checks alone", () => {
    assert.deepEqual(sb.check("const computeReward = () => 1;"), { ok: true });
    const r = sb.check("function computeReward() {\n  return process;\n}");
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.line, 2);
  });
});

describe("Sandbox options and lifecycle", () => {
  it("the step budget is deterministic and configurable", async () => {
    const source = "function computeReward() { let s = 0; for (let i = 0; i < 1000; i++) s += i; return s; }";
    const one = [{ obs: [0], action: [0], nextObs: [0] }];
    const tight = await Sandbox.start({ stepBudget: 500 });
    const loose = await Sandbox.start({ stepBudget: 5000 });
    try {
      const a = await tight.evaluate(source, one);
      assert.equal(a.ok, false);
      if (!a.ok) assert.match(a.error.message, /step budget of 500/);
      const b = await loose.evaluate(source, one);
      assert.ok(b.ok);
      assert.equal(b.rewards[0], 499500);
    } finally {
      await Promise.all([tight.close(), loose.close()]);
    }
  });

  it("rejects bad options with a clear error", async () => {
    await assert.rejects(Sandbox.start({ timeoutMs: -1 }), /timeoutMs must be a positive number/);
    await assert.rejects(Sandbox.start({ heapMb: 4 }), /heapMb must be at least 16/);
  });

  it("a closed sandbox rejects new work; close is idempotent", async () => {
    const sb = await Sandbox.start();
    const pid = sb.pid;
    assert.equal(typeof pid, "number");
    await sb.close();
    await sb.close();
    assert.equal(sb.pid, undefined);
    await assert.rejects(sb.evaluate("const computeReward = () => 1;", []), /closed/);
  });

  it("a sandbox process killed from outside while idle is replaced on the next call", async () => {
    const sb = await Sandbox.start();
    try {
      const pid = sb.pid!;
      process.kill(pid, "SIGKILL");
      while (sb.pid === pid) await new Promise((resolve) => setTimeout(resolve, 20));
      const r = await sb.evaluate("const computeReward = () => 5;", [{ obs: [0], action: [0], nextObs: [0] }]);
      assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
      assert.equal(r.rewards[0], 5);
      assert.notEqual(sb.pid, pid);
    } finally {
      await sb.close();
    }
  });

  it("an idle sandbox that was never closed does not keep the process alive", () => {
    const entry = fileURLToPath(new URL("../../src/sandbox/index.ts", import.meta.url));
    const script = `
      const { Sandbox } = await import(${JSON.stringify(entry)});
      const sb = await Sandbox.start();
      const r = await sb.evaluate("const computeReward = () => 7;", [{ obs: [0], action: [0], nextObs: [0] }]);
      console.log(r.ok ? r.rewards[0] : "failed");
    `;
    const res = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    assert.equal(res.signal, null, `the process had to be killed: ${res.stderr}`);
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout.trim(), "7");
  });
});
