import { test } from "node:test";
import assert from "node:assert/strict";
import { ActorCriticPolicy, RolloutBuffer } from "../../src/algos/index.js";
import { actionLayout } from "../../src/core/index.js";
import { clippedSurrogate } from "../../src/algos/ppo.js";
import { Random } from "../../src/nn/index.js";
import { Box, Discrete } from "../../src/core/index.js";

function randn(n: number, rng: Random, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = scale * rng.normal();
  return a;
}

for (const kind of ["discrete", "box"] as const) {
  test(`ActorCriticPolicy backward matches finite differences of sum(gl logp) + ge sum(H) + sum(gv V) (${kind})`, () => {
    const rng = new Random(1);
    const space = kind === "discrete" ? new Discrete(3) : new Box(-1, 1, [2]);
    const layout = actionLayout(space);
    const policy = new ActorCriticPolicy(4, layout, { netArch: [8, 8], logStdInit: -0.3 }, rng);
    // a larger output gain than SB3's 0.01 so the policy head's gradients are not tiny
    for (let i = 0; i < policy.actor.params.length; i++) policy.actor.params[i] += 0.05 * rng.normal();
    const B = 6;
    const obs = randn(B * 4, rng);
    const actions = kind === "discrete" ? new Float32Array([0, 2, 1, 1, 0, 2]) : randn(B * 2, rng, 0.5);
    const gl = randn(B, rng), gv = randn(B, rng);
    const ge = 0.3;
    const objective = () => {
      const v = new Float32Array(B), lp = new Float32Array(B), h = new Float32Array(B);
      policy.evaluateActions(obs, actions, B, v, lp, h);
      let s = 0;
      for (let b = 0; b < B; b++) s += gl[b] * lp[b] + ge * h[b] + gv[b] * v[b];
      return s;
    };
    objective();
    policy.zeroGrad();
    policy.backward(actions, B, gl, ge, gv);
    const groups = policy.paramGroups();
    const eps = 1e-2;
    let checked = 0;
    for (const g of groups) {
      for (let k = 0; k < g.params.length; k += 5) {
        const v = g.params[k];
        g.params[k] = v + eps; const up = objective();
        g.params[k] = v - eps; const down = objective();
        g.params[k] = v;
        const fd = (up - down) / (2 * eps);
        assert.ok(Math.abs(fd - g.grads[k]) < 5e-3 * Math.max(1, Math.abs(fd)), `param ${k}: fd ${fd} vs analytic ${g.grads[k]}`);
        checked++;
      }
    }
    assert.ok(checked > 20);
  });
}

test("PPO clipped surrogate: loss, clip fraction and gradient match finite differences", () => {
  const rng = new Random(3);
  const B = 8;
  const old = randn(B, rng, 0.5);
  // ratios on both sides of the clip range and inside it
  const lp = Float32Array.from(old, (v, i) => v + [-0.5, -0.1, 0.05, 0.3, -0.3, 0.15, 0.0, 0.6][i]);
  const adv = Float32Array.from([1, -1, 0.5, 2, -2, -0.7, 1.3, -0.4]);
  const g = new Float32Array(B);
  const { loss, clipFraction } = clippedSurrogate(lp, old, adv, B, 0.2, g);
  let expect = 0, clipped = 0;
  for (let b = 0; b < B; b++) {
    const r = Math.exp(lp[b] - old[b]);
    expect -= Math.min(adv[b] * r, adv[b] * Math.min(Math.max(r, 0.8), 1.2));
    if (r < 0.8 || r > 1.2) clipped++;
  }
  assert.ok(Math.abs(loss - expect / B) < 1e-6);
  assert.equal(clipFraction, clipped / B);
  const scratch = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    const v = lp[b];
    lp[b] = v + 1e-3; const up = clippedSurrogate(lp, old, adv, B, 0.2, scratch).loss;
    lp[b] = v - 1e-3; const down = clippedSurrogate(lp, old, adv, B, 0.2, scratch).loss;
    lp[b] = v;
    assert.ok(Math.abs((up - down) / 2e-3 - g[b]) < 1e-3, `row ${b}: fd ${(up - down) / 2e-3} vs ${g[b]}`);
  }
});

test("GAE matches a hand computation across an episode boundary (SB3 compute_returns_and_advantage)", () => {
  const buf = new RolloutBuffer(3, 1, 1, 1);
  buf.rewards.set([1, 2, 3]);
  buf.values.set([0.5, 0.4, 0.3]);
  buf.episodeStarts.set([1, 0, 1]); // a new episode starts at step 2
  const gamma = 0.9, lam = 0.8;
  buf.computeReturnsAndAdvantage(new Float32Array([0.7]), new Uint8Array([0]), gamma, lam);
  const d2 = 3 + gamma * 0.7 - 0.3;
  const a2 = d2;
  const d1 = 2 + gamma * 0 * 0 - 0.4; // next obs starts a new episode: no bootstrap
  const a1 = d1;
  const d0 = 1 + gamma * 0.4 - 0.5;
  const a0 = d0 + gamma * lam * a1;
  for (const [i, a] of [a0, a1, a2].entries()) {
    assert.ok(Math.abs(buf.advantages[i] - a) < 1e-6, `adv ${i}`);
    assert.ok(Math.abs(buf.returns[i] - (a + buf.values[i])) < 1e-6, `ret ${i}`);
  }
});
