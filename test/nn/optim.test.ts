import { test } from "node:test";
import assert from "node:assert/strict";
import { Adam, Random, RmsProp, ScalarAdam, clipGradNorm } from "../../src/nn/index.js";

test("Adam follows torch.optim.Adam's update (bias-corrected, eps outside the sqrt)", () => {
  const params = new Float32Array([1, -2]);
  const grads = new Float32Array(2);
  const opt = new Adam([{ params, grads }], { learningRate: 0.1, eps: 1e-5 });
  // reference in float64
  let p = [1, -2], m = [0, 0], v = [0, 0];
  const gs = [[0.5, -1], [0.2, 0.3], [-0.4, 2]];
  for (let t = 1; t <= gs.length; t++) {
    grads.set(gs[t - 1]);
    opt.step();
    for (let i = 0; i < 2; i++) {
      const g = gs[t - 1][i];
      m[i] = 0.9 * m[i] + 0.1 * g;
      v[i] = 0.999 * v[i] + 0.001 * g * g;
      const mh = m[i] / (1 - 0.9 ** t);
      p[i] -= (0.1 * mh) / (Math.sqrt(v[i]) / Math.sqrt(1 - 0.999 ** t) + 1e-5);
    }
  }
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(params[i] - p[i]) < 1e-5, `${params[i]} vs ${p[i]}`);
});

test("Adam minimises a quadratic; state save/load continues identically", () => {
  const make = () => {
    const params = new Float32Array([3, -4, 5]);
    const grads = new Float32Array(3);
    return { params, grads, opt: new Adam([{ params, grads }], { learningRate: 0.05 }) };
  };
  const run = (x: ReturnType<typeof make>, n: number) => {
    for (let s = 0; s < n; s++) {
      for (let i = 0; i < 3; i++) x.grads[i] = 2 * x.params[i];
      x.opt.step();
    }
  };
  const a = make();
  run(a, 300);
  const b = make();
  run(b, 150);
  const state = JSON.parse(JSON.stringify(b.opt.stateDict()));
  const c = make();
  c.params.set(b.params);
  c.opt.loadStateDict(state);
  run(c, 150);
  assert.deepEqual(c.params, a.params);
  assert.ok(a.params.every((v) => Math.abs(v) < 0.5));
  assert.throws(() => c.opt.loadStateDict({ kind: "rmsprop", step: 1, buffers: [] }), /expected a adam state/);
});

test("RMSprop follows torch.optim.RMSprop (alpha, eps outside the sqrt)", () => {
  const params = new Float32Array([1]);
  const grads = new Float32Array([0.5]);
  const opt = new RmsProp([{ params, grads }], { learningRate: 0.01, alpha: 0.99, eps: 1e-5 });
  opt.step();
  const s = 0.01 * 0.25;
  assert.ok(Math.abs(params[0] - (1 - (0.01 * 0.5) / (Math.sqrt(s) + 1e-5))) < 1e-6);
});

test("clipGradNorm scales to the max norm across groups and returns the norm before clipping", () => {
  const g1 = new Float32Array([3, 0]);
  const g2 = new Float32Array([4]);
  const groups = [{ params: new Float32Array(2), grads: g1 }, { params: new Float32Array(1), grads: g2 }];
  assert.ok(Math.abs(clipGradNorm(groups, 1) - 5) < 1e-6);
  assert.ok(Math.abs(Math.hypot(g1[0], g1[1], g2[0]) - 1) < 1e-5);
  const g3 = new Float32Array([0.1]);
  clipGradNorm([{ params: new Float32Array(1), grads: g3 }], 1);
  assert.ok(Math.abs(g3[0] - 0.1) < 1e-7, "small gradients untouched");
});

test("Random: seeded, state round-trips, uniform and normal moments", () => {
  const a = new Random(42);
  const b = new Random(42);
  for (let i = 0; i < 5; i++) assert.equal(a.nextUint32(), b.nextUint32());
  a.normal();
  const st = JSON.parse(JSON.stringify(a.getState()));
  const c = new Random(0);
  c.setState(st);
  for (let i = 0; i < 5; i++) assert.equal(a.normal(), c.normal());
  let s = 0, s2 = 0;
  const n = 50000;
  for (let i = 0; i < n; i++) {
    const z = a.normal();
    s += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s / n) < 0.02 && Math.abs(s2 / n - 1) < 0.03);
  assert.notEqual(new Random(1).nextUint32(), new Random(2).nextUint32());
  const p = a.permutation(10);
  assert.deepEqual([...p].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test("Adam: clipAndStep and step are bit for bit clipGradNorm + the float32-storage, float64-arithmetic update", () => {
  const rng = new Random(12);
  const sizes = [7, 4, 1, 64];
  for (const maxNorm of [0.05, 1e6]) {
    const groups = sizes.map((n) => ({ params: new Float32Array(n).map(() => rng.normal()), grads: new Float32Array(n) }));
    const opt = new Adam(groups, { learningRate: 3e-3, eps: 1e-5 });
    // independent reference: the JS loops, same storage and operation order
    const ref = groups.map((g) => ({ params: g.params.slice(), grads: new Float32Array(g.grads.length), m: new Float32Array(g.grads.length), v: new Float32Array(g.grads.length) }));
    for (let t = 1; t <= 6; t++) {
      for (let k = 0; k < groups.length; k++) {
        for (let i = 0; i < sizes[k]; i++) ref[k].grads[i] = groups[k].grads[i] = 3 * rng.normal();
      }
      const clip = t % 2 === 1; // odd steps clip-and-step, even steps the plain step
      const norm = clip ? opt.clipAndStep(maxNorm) : (opt.step(), NaN);
      if (clip) assert.equal(norm, clipGradNorm(ref, maxNorm));
      const bc1 = 1 - Math.pow(0.9, t), bc2Sqrt = Math.sqrt(1 - Math.pow(0.999, t)), stepSize = 3e-3 / bc1;
      for (const r of ref) {
        for (let i = 0; i < r.params.length; i++) {
          const g = r.grads[i];
          const mi = (r.m[i] = 0.9 * r.m[i] + (1 - 0.9) * g);
          const vi = (r.v[i] = 0.999 * r.v[i] + (1 - 0.999) * g * g);
          r.params[i] -= (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + 1e-5);
        }
      }
      for (let k = 0; k < groups.length; k++) {
        assert.deepEqual(Array.from(groups[k].params), Array.from(ref[k].params), `maxNorm ${maxNorm} step ${t} group ${k} params`);
        assert.deepEqual(Array.from(groups[k].grads), Array.from(ref[k].grads), `maxNorm ${maxNorm} step ${t} group ${k} grads`);
      }
    }
  }
});

test("ScalarAdam: torch's Adam on one float32 parameter (first step moves by the learning rate), state round-trips", () => {
  const a = new ScalarAdam();
  // Adam's first step is lr * g / (|g| + eps') = lr * sign(g) up to eps.
  const p1 = a.step(0.5, -3, 0.01);
  assert.ok(Math.abs(p1 - 0.51) < 1e-6, String(p1));
  assert.equal(p1, Math.fround(p1), "the parameter stays a float32 value");
  const b = new ScalarAdam();
  b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
  let pa = p1, pb = p1;
  for (const g of [0.2, -1e-3, 4, 0.7]) {
    pa = a.step(pa, g, 0.01);
    pb = b.step(pb, g, 0.01);
  }
  assert.equal(pa, pb);
  assert.deepEqual(a.stateDict(), b.stateDict());
  assert.throws(() => b.loadStateDict({ t: 1.5, m: 0, v: 0 }), /ScalarAdam: expected a state \{t, m, v\}/);
});
