import { test } from "node:test";
import assert from "node:assert/strict";
import { checkEnv } from "../../src/core/check-env.js";
import { makeAsync, registeredIds } from "../../src/envs/index.js";
import { BaseEnv } from "../../src/core/base-env.js";
import { Box } from "../../src/core/box.js";
import { Discrete } from "../../src/core/discrete.js";
import type { ResetOptions, ResetResult, StepResult } from "../../src/core/env.js";

test("checkEnv passes on every registered environment", async () => {
  const ids = registeredIds();
  assert.ok(ids.length >= 6, `registered: ${ids.join(", ")}`);
  for (const id of ids) {
    const env = await makeAsync(id);
    const report = checkEnv(env, { steps: 60 });
    assert.deepEqual(report.errors, [], id);
    assert.ok(report.stepsTaken >= 60, id);
  }
});

/** A small env with switchable defects. */
class Faulty extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box(-1, 1, [2]);
  readonly actionSpace = new Discrete(2);
  private shared = new Float32Array(2);
  private t = 0;
  constructor(private readonly defect: "none" | "wrong-shape" | "nan-reward" | "unseeded" | "shared-array" | "bad-flags") {
    super();
  }
  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedFrom(opts);
    this.t = 0;
    const x = this.defect === "unseeded" ? Math.random() : this.npRandom.uniform(-0.5, 0.5);
    if (this.defect === "shared-array") {
      this.shared[0] = x;
      return { obs: this.shared, info: {} };
    }
    return { obs: Float32Array.of(x, 0), info: {} };
  }
  step(action: number): StepResult<Float32Array> {
    this.t++;
    const obs = this.defect === "wrong-shape" ? new Float32Array(3) : Float32Array.of(action * 0.1, 0);
    const reward = this.defect === "nan-reward" ? NaN : 1;
    const terminated = (this.defect === "bad-flags" ? 1 : this.t >= 5) as boolean;
    return { obs, reward, terminated, truncated: false, info: {} };
  }
}

test("checkEnv accepts a correct hand-written env and warns that it has no spec", () => {
  const report = checkEnv(new Faulty("none"));
  assert.deepEqual(report.errors, []);
  assert.ok(report.warnings.some((w) => w.includes("no spec")));
});

for (const [defect, pattern] of [
  ["wrong-shape", /3 elements/],
  ["nan-reward", /reward must be a finite number/],
  ["unseeded", /different observations/],
  ["shared-array", /shared array/],
  ["bad-flags", /terminated must be a boolean/],
] as const) {
  test(`checkEnv reports a ${defect} env`, () => {
    const report = checkEnv(new Faulty(defect), { throwOnError: false });
    assert.ok(report.errors.some((e) => pattern.test(e)), report.errors.join("\n"));
    assert.throws(() => checkEnv(new Faulty(defect)), /checkEnv\(Faulty\) found/);
  });
}

test("checkEnv rejects something that is not an env", () => {
  assert.throws(() => checkEnv({} as never), /not an environment/);
});
