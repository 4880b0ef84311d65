import { test } from "node:test";
import assert from "node:assert/strict";
import { Mlp, Random } from "../../src/nn/index.js";

test("Mlp.inputGradient equals backward's input gradient and leaves the parameter gradients alone (default kernels)", () => {
  const rng = new Random(8);
  for (const activation of ["relu", "tanh", "identity"] as const) {
    const net = Mlp.create({ sizes: [6, 32, 17, 2], activation }, { rng, init: "torch" });
    const B = 11;
    const x = new Float32Array(B * 6).map(() => rng.normal());
    const dOut = new Float32Array(B * 2).map(() => rng.normal());
    net.forward(x, B);
    net.zeroGrad();
    const viaBackward = net.backward(dOut, true)!.slice();
    const grads = net.grads.slice();
    const viaInput = net.inputGradient(dOut);
    assert.equal(viaInput.length, B * 6);
    for (let i = 0; i < viaInput.length; i++) {
      assert.ok(Math.abs(viaInput[i] - viaBackward[i]) <= 1e-6 * (1 + Math.abs(viaBackward[i])), `${activation} [${i}]`);
    }
    assert.deepEqual(net.grads, grads);
    // Central finite differences of sum(dOut * f(x)) with respect to a few inputs.
    const f = (input: Float32Array) => {
      const y = net.predict(input, B);
      let s = 0;
      for (let i = 0; i < B * 2; i++) s += dOut[i] * y[i];
      return s;
    };
    for (const i of [0, 7, 31, 65]) {
      const h = 1e-2;
      const plus = x.slice(), minus = x.slice();
      plus[i] += h;
      minus[i] -= h;
      const fd = (f(plus) - f(minus)) / (2 * h);
      assert.ok(Math.abs(fd - viaInput[i]) <= 2e-2 * (1 + Math.abs(fd)), `${activation} input ${i}: ${viaInput[i]} vs finite difference ${fd}`);
    }
  }
  assert.throws(() => new Mlp({ sizes: [2, 2], activation: "relu" }).inputGradient(new Float32Array(2)), /call forward first/);
});

test("Mlp.backward with accumulate = false writes the gradients (as zeroGrad + backward)", () => {
  const rng = new Random(4);
  const net = Mlp.create({ sizes: [3, 9, 2], activation: "tanh" }, { rng });
  const x = new Float32Array(15).map(() => rng.normal());
  const d = new Float32Array(10).map(() => rng.normal());
  net.forward(x, 5);
  net.zeroGrad();
  net.backward(d);
  const fresh = net.grads.slice();
  net.backward(d); // accumulates: twice the gradient
  assert.ok(net.grads.some((g, i) => g !== fresh[i]));
  net.backward(d, false, false);
  assert.deepEqual(net.grads, fresh);
});
