import { test } from "node:test";
import assert from "node:assert/strict";
import { Categorical, DiagGaussian, Random, SquashedDiagGaussian } from "../../src/nn/index.js";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

function randn(n: number, rng: Random): Float32Array {
  const a = new Float32Array(n);
  rng.fillNormal(a);
  return a;
}

test("Categorical: log-probs normalise, entropy, mode, sampling frequencies", () => {
  const d = new Categorical(3);
  const logits = new Float32Array([0, Math.log(2), Math.log(7)]);
  d.setLogits(logits, 1);
  const lp = d.logProbs();
  close(Math.exp(lp[0]), 0.1, 1e-6, "p0");
  close(Math.exp(lp[2]), 0.7, 1e-6, "p2");
  const h = new Float32Array(1);
  d.entropy(h);
  close(h[0], -(0.1 * Math.log(0.1) + 0.2 * Math.log(0.2) + 0.7 * Math.log(0.7)), 1e-6, "entropy");
  const m = new Float32Array(1);
  d.mode(m);
  assert.equal(m[0], 2);
  const rng = new Random(0);
  const counts = [0, 0, 0];
  const a = new Float32Array(1);
  for (let i = 0; i < 20000; i++) {
    d.sample(rng, a);
    counts[a[0]]++;
  }
  close(counts[2] / 20000, 0.7, 0.02, "frequency of action 2");
  assert.throws(() => d.logProb(new Float32Array([3]), new Float32Array(1)), /outside/);
});

test("Categorical backward matches finite differences of gl*logp(a) + ge*H", () => {
  const rng = new Random(2);
  const B = 4, n = 5;
  const logits = randn(B * n, rng);
  const actions = new Float32Array([0, 4, 2, 1]);
  const gl = randn(B, rng);
  const ge = 0.37;
  const obj = () => {
    const d = new Categorical(n).setLogits(logits, B);
    const lp = new Float32Array(B), h = new Float32Array(B);
    d.logProb(actions, lp);
    d.entropy(h);
    let s = 0;
    for (let b = 0; b < B; b++) s += gl[b] * lp[b] + ge * h[b];
    return s;
  };
  const d = new Categorical(n).setLogits(logits, B);
  const grad = new Float32Array(B * n);
  d.backward(actions, gl, ge, grad);
  for (let k = 0; k < B * n; k++) {
    const v = logits[k];
    logits[k] = v + 1e-2; const up = obj();
    logits[k] = v - 1e-2; const down = obj();
    logits[k] = v;
    close(grad[k], (up - down) / 2e-2, 2e-3, `dlogit ${k}`);
  }
});

test("DiagGaussian: log-prob, entropy and backward match closed forms and finite differences", () => {
  const rng = new Random(4);
  const B = 3, k = 2;
  const mean = randn(B * k, rng);
  const logStd = new Float32Array([-0.3, 0.4]);
  const actions = randn(B * k, rng);
  const d = new DiagGaussian(k).set(mean, logStd, B);
  const lp = new Float32Array(B);
  d.logProb(actions, lp);
  let expect0 = 0;
  for (let i = 0; i < k; i++) {
    const s = Math.exp(logStd[i]);
    expect0 += -((actions[i] - mean[i]) ** 2) / (2 * s * s) - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
  }
  close(lp[0], expect0, 1e-5, "logp");
  const h = new Float32Array(B);
  d.entropy(h);
  close(h[1], k * (0.5 + 0.5 * Math.log(2 * Math.PI)) + logStd[0] + logStd[1], 1e-6, "entropy");

  const gl = randn(B, rng);
  const ge = -0.2;
  const obj = () => {
    const dd = new DiagGaussian(k).set(mean, logStd, B);
    const a = new Float32Array(B), e = new Float32Array(B);
    dd.logProb(actions, a);
    dd.entropy(e);
    let s = 0;
    for (let b = 0; b < B; b++) s += gl[b] * a[b] + ge * e[b];
    return s;
  };
  const dMean = new Float32Array(B * k);
  const dLogStd = new Float32Array(k);
  d.backward(actions, gl, ge, dMean, dLogStd);
  for (const [arr, grad, name] of [[mean, dMean, "mean"], [logStd, dLogStd, "logStd"]] as const) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      arr[i] = v + 1e-2; const up = obj();
      arr[i] = v - 1e-2; const down = obj();
      arr[i] = v;
      close(grad[i], (up - down) / 2e-2, 3e-3, `d${name}[${i}]`);
    }
  }
});

test("SquashedDiagGaussian: actions in (-1,1), reparameterised backward matches finite differences", () => {
  const B = 3, k = 2;
  const rng = new Random(8);
  const mean = randn(B * k, rng);
  const logStd = new Float32Array([-0.5, 0.2, -1, 0.1, 0.3, -25]); // last one is clamped
  const gA = randn(B * k, rng);
  const gL = randn(B, rng);
  const obj = () => {
    const d = new SquashedDiagGaussian(k);
    const a = new Float32Array(B * k), lp = new Float32Array(B);
    d.rsample(mean, logStd, B, new Random(99), a, lp);
    let s = 0;
    for (let i = 0; i < B * k; i++) s += gA[i] * a[i];
    for (let b = 0; b < B; b++) s += gL[b] * lp[b];
    return s;
  };
  const d = new SquashedDiagGaussian(k);
  const a = new Float32Array(B * k), lp = new Float32Array(B);
  d.rsample(mean, logStd, B, new Random(99), a, lp);
  assert.ok(a.every((v) => v > -1 && v < 1));
  const dMean = new Float32Array(B * k), dLogStd = new Float32Array(B * k);
  d.backward(gA, gL, dMean, dLogStd);
  assert.equal(dLogStd[5], 0, "no gradient through the clamp");
  for (const [arr, grad, name] of [[mean, dMean, "mean"], [logStd, dLogStd, "logStd"]] as const) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      arr[i] = v + 1e-3; const up = obj();
      arr[i] = v - 1e-3; const down = obj();
      arr[i] = v;
      close(grad[i], (up - down) / 2e-3, 2e-2, `d${name}[${i}]`);
    }
  }
  const det = new Float32Array(B * k);
  d.rsample(mean, logStd, B, null, det);
  close(det[0], Math.tanh(mean[0]), 1e-6, "deterministic action is tanh(mean)");
});
