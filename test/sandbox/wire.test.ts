/** The batch wire format: both input forms, info columns, and clear errors for malformed batches. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeTransitions } from "../../src/sandbox/wire.js";

describe("sandbox wire format", () => {
  it("per-step and flat inputs encode to the same batch", () => {
    const steps = [
      { obs: [1, 2], action: [0.5], nextObs: [3, 4], info: { a: 1, b: true } },
      { obs: new Float32Array([5, 6]), action: new Float64Array([0.25]), nextObs: [7, 8], info: { a: 2, b: false } },
    ];
    const fromSteps = encodeTransitions(steps);
    const fromFlat = encodeTransitions({
      n: 2,
      obsDim: 2,
      actDim: 1,
      obs: new Float64Array([1, 2, 5, 6]),
      actions: new Float64Array([0.5, 0.25]),
      nextObs: new Float64Array([3, 4, 7, 8]),
      infos: steps.map((s) => s.info),
    });
    assert.deepEqual(fromSteps, fromFlat);
  });

  it("info values become typed columns; irregular keys travel as plain data", () => {
    const infos = [
      { x: 1.5, ok: true, v: [1, 2], flags: [true, false], t: new Float32Array([0.5, 0.25]), name: "a", sometimes: 1 },
      { x: 2.5, ok: false, v: [3, 4], flags: [false, false], t: new Float32Array([1, 2]), name: "b" },
    ];
    const w = encodeTransitions({ n: 2, obsDim: 0, actDim: 0, obs: new Float32Array(0), actions: new Float32Array(0), nextObs: new Float32Array(0), infos });
    const byKey = Object.fromEntries(w.info.map((c) => [c.key, c]));
    assert.equal(byKey.x!.kind, "number");
    assert.equal(byKey.ok!.kind, "boolean");
    assert.equal(byKey.v!.kind, "numbers");
    assert.equal(byKey.flags!.kind, "booleans");
    assert.equal(byKey.t!.kind, "numbers");
    assert.equal(byKey.name!.kind, "any");
    assert.equal(byKey.sometimes!.kind, "any");
    const t = byKey.t as { data: Float64Array; width: number };
    assert.equal(t.width, 2);
    assert.deepEqual(Array.from(t.data), [0.5, 0.25, 1, 2]);
    const sometimes = byKey.sometimes as { present: Uint8Array; values: unknown[] };
    assert.deepEqual(Array.from(sometimes.present), [1, 0]);
  });

  it("discrete actions", () => {
    const w = encodeTransitions([{ obs: [0], action: 1, nextObs: [1] }, { obs: [1], action: 0, nextObs: [2] }]);
    assert.equal(w.discreteActions, true);
    assert.deepEqual(Array.from(w.actions), [1, 0]);
  });

  it("clear errors for malformed batches", () => {
    const base = { n: 2, obsDim: 2, actDim: 1, obs: new Float32Array(4), actions: new Float32Array(2), nextObs: new Float32Array(4) };
    assert.throws(() => encodeTransitions({ ...base, obs: new Float32Array(3) }), /obs has 3 values; expected n \* 2 = 4/);
    assert.throws(() => encodeTransitions({ ...base, obs: [1, 2, 3, 4] as unknown as Float32Array }), /Float32Array or Float64Array/);
    assert.throws(() => encodeTransitions({ ...base, n: 1.5 }), /non-negative integer/);
    assert.throws(() => encodeTransitions({ ...base, infos: [{}] }), /one record per step/);
    assert.throws(() => encodeTransitions({ ...base, infos: [{ f: () => 1 }, {}] }), /not plain data/);
    assert.throws(() => encodeTransitions([{ obs: [1], action: [1], nextObs: [1, 2] }]), /nextObs has length 2; expected 1/);
    assert.throws(() => encodeTransitions(null as never), /batch object or an array of steps/);
  });
});
