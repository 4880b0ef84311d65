/**
 * The check before compute: the shipped reference trajectories replay to their recorded returns and show
 * what they claim (walking moves, standing stays, falling falls); every planted bug kind is rejected before
 * training (runtime ones by the sandbox, the ones that run cleanly by the ranking), with a fix request that
 * names the components pulling the wrong way; the surrogate's good designs pass.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Sandbox, type TransitionStep } from "../../src/sandbox/index.js";
import {
  composeRewardCode,
  rankingCheck,
  referenceTrajectories,
  REWARD_TERMS,
  RUNTIME_BUGS,
  SEMANTIC_BUGS,
  validateAnswer,
  validationSample,
  type ReferenceTrajectory,
} from "../../src/experiments/reward-design/index.js";

const fence = (code: string) => "```javascript\n" + code + "\n```";
const initial = (names: string[]) => Object.fromEntries(names.map((n) => [n, REWARD_TERMS.find((t) => t.name === n)!.initialWeight]));
const GOOD_DESIGNS = [
  ["progress", "upright", "fall", "torque"],
  ["progress", "speed", "fall", "energy", "alternation"],
  ["progress", "upright", "wobble", "scissor", "fall"],
  ["progress", "upright", "fall", "energy", "bounce", "alternation"],
];

describe("check before compute", () => {
  let sandbox: Sandbox;
  let refs: ReferenceTrajectory[];
  let sample: TransitionStep[];
  before(async () => {
    sandbox = await Sandbox.start({ timeoutMs: 10_000 });
    refs = await referenceTrajectories();
    sample = await validationSample();
  });
  after(async () => sandbox.close());

  it("ships three references that replay and show walking, standing and falling", () => {
    const by = Object.fromEntries(refs.map((r) => [r.name, r]));
    assert.ok(by.walking!.distance > 10 && !by.walking!.fell, by.walking!.summary);
    assert.ok(Math.abs(by.standing!.distance) < 0.5 && !by.standing!.fell && by.standing!.steps.length === 300, by.standing!.summary);
    assert.ok(by.falling!.fell && by.falling!.steps.length < 100, by.falling!.summary);
    assert.ok(by.walking!.nativeReturn > by.standing!.nativeReturn && by.standing!.nativeReturn > by.falling!.nativeReturn, "the native reward itself ranks them");
  });

  it("passes the surrogate's good designs and the native reward's own terms", async () => {
    for (const names of GOOD_DESIGNS) {
      const v = await validateAnswer(fence(composeRewardCode(initial(names))), sandbox, sample, { refs });
      assert.equal(v.ok, true, `${names.join("+")}: ${v.error?.message}`);
      assert.ok(v.referenceReturns!.walking > v.referenceReturns!.standing);
    }
    const native = "function computeReward(obs, action, nextObs, info) {\n  return info.rewardProgress + info.rewardHeadAngle + info.rewardTorque + info.rewardFall;\n}";
    assert.equal((await validateAnswer(fence(native), sandbox, sample, { refs })).ok, true);
  });

  it("rejects every planted bug kind before training: runtime bugs in the sandbox, the others by their ranking", async () => {
    for (const names of GOOD_DESIGNS) {
      for (const bug of RUNTIME_BUGS) {
        const v = await validateAnswer(fence(composeRewardCode(initial(names), bug)), sandbox, sample, { refs });
        assert.equal(v.ok, false, `${bug} in ${names.join("+")}`);
        assert.notEqual(v.error!.kind, "ranking");
      }
      for (const bug of SEMANTIC_BUGS) {
        const code = composeRewardCode(initial(names), bug);
        const plain = await validateAnswer(fence(code), sandbox, sample);
        assert.equal(plain.ok, true, `${bug} runs cleanly, so the sandbox alone lets it through`);
        const v = await validateAnswer(fence(code), sandbox, sample, { refs });
        assert.equal(v.ok, false, `${bug} in ${names.join("+")} passed the ranking: ${JSON.stringify(v.referenceReturns)}`);
        assert.equal(v.error!.kind, "ranking");
        assert.ok(v.error!.message.length <= 400, v.error!.message);
        const culprit = bug === "wrong-sign" ? "progress" : bug === "pays-standing" ? "still" : "fall";
        assert.match(v.error!.message, new RegExp(`Components pulling the wrong way: .*${culprit} \\(`), `${bug}: ${v.error!.message}`);
      }
    }
  });

  it("reports a sandbox error met on the references as that error", async () => {
    // Fine on the random-action sample (it never gets past x = 15 m), broken on the walking reference.
    const code = "function computeReward(obs, action, nextObs, info) {\n  if (info.hullX > 15) return {reward: NaN, components: {a: NaN}};\n  return {reward: 0, components: {a: 0}};\n}";
    const check = await rankingCheck(code, sandbox, refs);
    assert.equal(check.ok, false);
    assert.ok("error" in check && check.error.kind === "invalid-output", JSON.stringify(check));
  });
});
