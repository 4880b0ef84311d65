/**
 * Destroy discipline: every reset builds a new b2World and destroys the previous one with everything
 * in it. After 10,000 resets the wasm heap must not have grown, the allocator must be back where it was
 * (a probe allocation gets the same address), and box2d-wasm's wrapper caches must not have grown.
 * A leaked world (~250 KB for the walker) would grow the heap by gigabytes here.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { box2d, loadBox2D } from "../../src/envs/box2d/loader.js";
import { BipedalWalker } from "../../src/envs/box2d/bipedal-walker/bipedal-walker.js";
import { LunarLander } from "../../src/envs/box2d/lunar-lander/lunar-lander.js";
import type { Env } from "../../src/core/env.js";

before(async () => {
  await loadBox2D();
});

function snapshot() {
  const B = box2d();
  const probe = B._malloc(64);
  B._free(probe);
  const classes = [B.b2Body, B.b2Fixture, B.b2Joint, B.b2RevoluteJoint, B.b2Contact, B.b2World, B.b2Vec2];
  const wrappers = classes.reduce((n, c) => n + Object.keys(B.getCache(c)).length, 0);
  return { heapBytes: B.HEAP8.length, probe, wrappers };
}

function churn(env: Env<Float32Array, any>, resets: number, action: unknown): void {
  for (let i = 0; i < resets; i++) {
    env.reset({ seed: i });
    env.step(action); // one step so contacts and the lidar are exercised too
  }
}

const cases: Array<[string, () => Env<Float32Array, any>, unknown]> = [
  ["LunarLander-v3", () => new LunarLander({ renderMode: "svg" }), 2],
  ["BipedalWalker-v3", () => new BipedalWalker(), new Float32Array([1, -1, 1, -1])],
  ["BipedalWalkerHardcore-v3", () => new BipedalWalker({ hardcore: true }), new Float32Array([1, -1, 1, -1])],
];

for (const [name, makeEnv, action] of cases) {
  const resets = name.includes("Hardcore") ? 2_000 : 10_000;
  test(`${name}: ${resets} resets leave the wasm heap where it was`, () => {
    const env = makeEnv();
    try {
      churn(env, 50, action); // warm-up: the first worlds size the heap and the wrapper caches
      const before = snapshot();
      churn(env, resets, action);
      const after = snapshot();
      assert.equal(after.heapBytes, before.heapBytes, "the wasm memory grew");
      assert.equal(after.probe, before.probe, "the allocator hands out a different address: something stayed allocated");
      assert.ok(after.wrappers <= before.wrappers + 8, `wrapper caches grew from ${before.wrappers} to ${after.wrappers}`);
    } finally {
      env.close();
    }
  });
}

test("close() frees the world: a closed env refuses to step, and closing twice is harmless", () => {
  const env = new BipedalWalker();
  env.reset({ seed: 0 });
  env.close();
  env.close();
  assert.throws(() => env.step(new Float32Array(4)), /reset\(\) before step\(\)/);
});
