import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Mlp, Random, orthogonal, selectBackend } from "../../src/nn/index.js";

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function randomArray(n: number, rng: Random, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * rng.normal();
  return out;
}

/** The same network in tfjs, built from the kernel's parameters; returns output and all gradients. */
function tfReference(net: Mlp, x: Float32Array, batch: number, dOut: Float32Array) {
  const L = net.numLayers;
  const ws = Array.from({ length: L }, (_, l) => tf.tensor2d(net.weight(l), [net.sizes[l + 1], net.sizes[l]]));
  const bs = Array.from({ length: L }, (_, l) => tf.tensor1d(net.bias(l)));
  const xt = tf.tensor2d(x, [batch, net.inputSize]);
  const r = tf.tensor2d(dOut, [batch, net.outputSize]);
  const f = (input: tf.Tensor, ...params: tf.Tensor[]) => {
    let h = input as tf.Tensor2D;
    for (let l = 0; l < L; l++) {
      h = tf.add(tf.matMul(h, params[l] as tf.Tensor2D, false, true), params[L + l]) as tf.Tensor2D;
      if (l < L - 1) h = (net.activation === "tanh" ? tf.tanh(h) : tf.relu(h)) as tf.Tensor2D;
    }
    return h;
  };
  const out = f(xt, ...ws, ...bs);
  const grads = tf.grads((input: tf.Tensor, ...params: tf.Tensor[]) => tf.sum(tf.mul(f(input, ...params), r)))([xt, ...ws, ...bs]);
  return {
    out: out.dataSync(),
    dx: grads[0].dataSync(),
    dW: grads.slice(1, 1 + L).map((g) => g.dataSync()),
    db: grads.slice(1 + L).map((g) => g.dataSync()),
  };
}

test("tfjs backend selection picks a working backend (no real tfjs-node installed here)", async () => {
  const name = await selectBackend();
  assert.ok(["tensorflow", "wasm", "cpu"].includes(name));
  assert.equal(await selectBackend(), name, "selection is made once");
});

for (const activation of ["tanh", "relu"] as const) {
  test(`MLP forward and backward match tfjs autograd (${activation}, odd sizes, batch 37)`, async () => {
    await selectBackend();
    const rng = new Random(3);
    const net = Mlp.create({ sizes: [7, 13, 9, 3], activation }, { rng, hiddenGain: Math.SQRT2, outputGain: 1 });
    // non-zero biases so their path is exercised
    for (let l = 0; l < net.numLayers; l++) net.bias(l).set(randomArray(net.sizes[l + 1], rng, 0.3));
    const B = 37;
    const x = randomArray(B * 7, rng);
    const dOut = randomArray(B * 3, rng);
    const out = net.forward(x, B).slice();
    net.zeroGrad();
    const dx = net.backward(dOut, true)!;
    const ref = tfReference(net, x, B, dOut);
    assert.ok(maxAbsDiff(out, ref.out) < 1e-5, `forward differs by ${maxAbsDiff(out, ref.out)}`);
    assert.ok(maxAbsDiff(dx, ref.dx) < 1e-4, `dX differs by ${maxAbsDiff(dx, ref.dx)}`);
    for (let l = 0; l < net.numLayers; l++) {
      const gw = net.grads.subarray(net.weight(l).byteOffset / 4, net.weight(l).byteOffset / 4 + net.weight(l).length);
      assert.ok(maxAbsDiff(gw, ref.dW[l]) < 1e-4, `dW${l} differs by ${maxAbsDiff(gw, ref.dW[l])}`);
      const bo = net.bias(l).byteOffset / 4;
      const gb = net.grads.subarray(bo, bo + net.sizes[l + 1]);
      assert.ok(maxAbsDiff(gb, ref.db[l]) < 1e-4, `db${l} differs by ${maxAbsDiff(gb, ref.db[l])}`);
    }
    // predict() agrees with forward() and does not disturb the pending backward state
    assert.ok(maxAbsDiff(net.predict(x, B), out) === 0);
  });
}

test("MLP gradients match central finite differences", () => {
  const rng = new Random(11);
  const net = Mlp.create({ sizes: [4, 6, 2], activation: "tanh" }, { rng, outputGain: 1 });
  const B = 5;
  const x = randomArray(B * 4, rng);
  const r = randomArray(B * 2, rng);
  const loss = () => {
    const y = net.predict(x, B);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i] * r[i];
    return s;
  };
  net.forward(x, B);
  net.zeroGrad();
  net.backward(r);
  const h = 1e-2;
  for (let k = 0; k < net.params.length; k += 3) {
    const v = net.params[k];
    net.params[k] = v + h;
    const up = loss();
    net.params[k] = v - h;
    const down = loss();
    net.params[k] = v;
    const fd = (up - down) / (2 * h);
    assert.ok(Math.abs(fd - net.grads[k]) < 2e-3 * Math.max(1, Math.abs(fd)), `param ${k}: fd ${fd} vs ${net.grads[k]}`);
  }
});

test("orthogonal init: W W^T = gain^2 I for wide and tall matrices, and seeded", () => {
  for (const [rows, cols] of [[8, 5], [5, 8], [6, 6]]) {
    const w = orthogonal(rows, cols, 2, new Random(1));
    const small = Math.min(rows, cols);
    // Gram matrix along the short side
    for (let a = 0; a < small; a++) {
      for (let b = 0; b < small; b++) {
        let s = 0;
        if (rows <= cols) for (let i = 0; i < cols; i++) s += w[a * cols + i] * w[b * cols + i];
        else for (let i = 0; i < rows; i++) s += w[i * cols + a] * w[i * cols + b];
        assert.ok(Math.abs(s - (a === b ? 4 : 0)) < 1e-5, `gram[${a},${b}] = ${s}`);
      }
    }
    assert.deepEqual(w, orthogonal(rows, cols, 2, new Random(1)));
  }
  const net = Mlp.create({ sizes: [4, 64, 64, 2], activation: "tanh" }, { rng: new Random(0), outputGain: 0.01 });
  for (let l = 0; l < 3; l++) assert.ok(net.bias(l).every((v) => v === 0), "biases start at zero");
});

test("MLP save/load round-trips exactly and rejects mismatched shapes", () => {
  const net = Mlp.create({ sizes: [3, 8, 2], activation: "relu" }, { rng: new Random(5) });
  const copy = Mlp.fromJSON(JSON.parse(JSON.stringify(net.toJSON())));
  assert.deepEqual(copy.params, net.params);
  assert.equal(copy.activation, "relu");
  const other = new Mlp({ sizes: [3, 9, 2], activation: "relu" });
  assert.throws(() => other.copyFrom(net), /shape mismatch/);
  assert.throws(() => new Mlp({ sizes: [3], activation: "tanh" }), /sizes/);
  assert.throws(() => net.forward(new Float32Array(2), 1), /expected batch 1 x 3/);
});

test("polyak update and copy", () => {
  const a = Mlp.create({ sizes: [2, 3, 1], activation: "tanh" }, { rng: new Random(1) });
  const b = Mlp.create({ sizes: [2, 3, 1], activation: "tanh" }, { rng: new Random(2) });
  const before = a.params.slice();
  a.polyakUpdate(b, 0.25);
  for (let i = 0; i < before.length; i++) assert.ok(Math.abs(a.params[i] - (0.75 * before[i] + 0.25 * b.params[i])) < 1e-6);
  a.copyFrom(b);
  assert.deepEqual(a.params, b.params);
});
