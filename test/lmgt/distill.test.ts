import { test } from "node:test";
import assert from "node:assert/strict";
import { DistilledScorer } from "../../src/guides/lmgt/distill.js";
import { Random } from "../../src/nn/random.js";

/** A planted labelling rule on CartPole-like states: +1 when the push follows the lean, -1 against it, 0 when upright and still. */
function planted(obs: number[], action: number): -1 | 0 | 1 {
  const lean = obs[2]! + 0.5 * obs[3]!;
  if (Math.abs(lean) < 0.02) return 0;
  return (action === 1 ? 1 : -1) === Math.sign(lean) ? 1 : -1;
}

function sample(rng: Random): { obs: number[]; action: number } {
  return { obs: [rng.normal() * 0.5, rng.normal() * 0.5, rng.normal() * 0.08, rng.normal() * 0.4], action: rng.random() < 0.5 ? 0 : 1 };
}

test("the distilled classifier reproduces a planted labelling rule on held-out pairs (>= 95% agreement)", () => {
  const rng = new Random(1);
  const scorer = new DistilledScorer(4, { kind: "discrete", n: 2 }, { seed: 0 });
  for (let i = 0; i < 600; i++) {
    const { obs, action } = sample(rng);
    scorer.addLabel(obs, [action], planted(obs, action));
  }
  assert.equal(scorer.heldOut, 120, "every 5th label is held out");
  assert.ok(!scorer.ready);
  scorer.train();
  assert.ok(scorer.ready);
  const held = scorer.agreement();
  // fresh pairs never seen by training either
  const n = 2000;
  const obs = new Float32Array(n * 4);
  const act = new Float32Array(n);
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = sample(rng);
    obs.set(s.obs, i * 4);
    act[i] = s.action;
    truth.push(planted(s.obs, s.action));
  }
  const { scores, confidence } = scorer.predict(obs, act, n, 1);
  const fresh = truth.filter((t, i) => scores[i] === t).length / n;
  console.log(`held-out agreement ${held.toFixed(3)}, fresh pairs ${fresh.toFixed(3)}`);
  assert.ok(held >= 0.95, `held-out agreement ${held}`);
  assert.ok(fresh >= 0.95, `fresh agreement ${fresh}`);
  // unsure pairs are those near the rule's boundaries
  const unsure = [...confidence].filter((c) => c < 0.9).length;
  assert.ok(unsure > 0 && unsure < n / 2, `${unsure} unsure`);
  // a label-flipped rule is not what it learned: agreement with the opposite rule is low
  const flipped = truth.filter((t, i) => scores[i] === -t && t !== 0).length / n;
  assert.ok(flipped < 0.05);
});

test("distill options are checked", () => {
  assert.throws(() => new DistilledScorer(4, { kind: "discrete", n: 2 }, { confidence: 0.2 }), /confidence/);
  assert.throws(() => new DistilledScorer(4, { kind: "discrete", n: 2 }, { initialLabels: 2 }), /initialLabels/);
  assert.throws(() => new DistilledScorer(4, { kind: "discrete", n: 2 }).train(), /no labels/);
});

test("the guide with a distilled scorer: LLM labels until the initial sample, then the classifier; relabelling on schedule", async () => {
  const { LmgtGuide } = await import("../../src/guides/lmgt/guide.js");
  const { ScriptedLlm, cartPoleDescription } = await import("./fixtures.js");
  // the scripted "LLM" labels by the planted rule, read back from the prompt's numbers
  const llm = new ScriptedLlm((req) => {
    const text = req.messages.map((m) => m.content).join("\n");
    return [...text.matchAll(/^Pair (\d+): state: (.*); action: (.*)$/gm)]
      .map(([, k, state, action]) => {
        const nums = [...state!.matchAll(/= ([-\d.e]+)/g)].map((m) => Number(m[1]));
        const s = planted(nums, /right/.test(action!) ? 1 : 0);
        return `${k}: ${s > 0 ? "+1" : s}`;
      })
      .join("\n");
  });
  const guide = new LmgtGuide({ llm, description: cartPoleDescription, distill: { initialLabels: 256, pairsPerCall: 128, relabelEvery: 1000, relabelPairs: 16, seed: 0 }, decimals: 4 });
  const rng = new Random(3);
  const batch = (n: number) => {
    const obs = new Float32Array(n * 4);
    const actions = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const s = sample(rng);
      obs.set(s.obs, i * 4);
      actions[i] = s.action;
    }
    return { n, obsDim: 4, actDim: 1, obs, actions, rewards: new Float32Array(n), nextObs: obs, terminated: new Uint8Array(n), truncated: new Uint8Array(n) };
  };
  let steps = 0;
  const run = async (n: number) => {
    steps += n;
    const b = batch(n);
    const shifted = await guide.transformRewards(b, { numTimesteps: steps, totalTimesteps: 1e6 });
    let same = 0;
    for (let i = 0; i < n; i++) if (shifted[i] === planted(Array.from(b.obs.subarray(i * 4, i * 4 + 4)), b.actions[i]!)) same++;
    return same / n;
  };
  await run(256);
  assert.equal(llm.requests.length, 2, "256 initial labels in requests of 128");
  assert.ok(guide.distiller!.ready);
  const acc = await run(256);
  assert.equal(llm.requests.length, 2, "the classifier scores: no request before the relabelling step");
  assert.ok(acc >= 0.9, `classifier shifts follow the planted rule on ${acc}`);
  await run(256); // step 768 < 256 + 1000
  assert.equal(llm.requests.length, 2);
  await run(512); // step 1280 >= 1256: one relabelling request of at most 16 unsure pairs
  assert.equal(llm.requests.length, 3);
  assert.ok([...llm.requests[2]!.messages.map((m) => m.content).join("\n").matchAll(/^Pair \d+:/gm)].length <= 16);
  const s = guide.snapshot();
  assert.equal(s.calls, 3);
  assert.ok(s.distilledScored! > 1000 - 16 - 1);
  assert.ok(s.distill!.agreement! >= 0.9, `held-out agreement ${s.distill!.agreement}`);
  assert.ok(s.distill!.labels > 256 && s.distill!.trainings === 2);
  assert.throws(() => new LmgtGuide({ llm, description: cartPoleDescription, distill: {}, cache: { obsWidths: 1 } }), /either `cache` or `distill`/);
});
