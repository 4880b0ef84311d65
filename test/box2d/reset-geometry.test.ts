/**
 * Reset against Gymnasium 1.0: the same seed must give the same terrain / moon (generated from the numpy
 * generator port, plain float64 arithmetic: equal within 1e-9) and, after the one physics step reset
 * takes, the same initial observation within 1e-3 (measured: <= 1.9e-6 for the walker, <= 1.8e-4 for
 * the lander, whose reset step integrates a 1000 N random push).
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { loadBox2D } from "../../src/envs/box2d/loader.js";
import { BipedalWalker } from "../../src/envs/box2d/bipedal-walker/bipedal-walker.js";
import { LunarLander } from "../../src/envs/box2d/lunar-lander/lunar-lander.js";
import { loadTrajectories, maxAbsDiff } from "./helpers.js";

before(async () => {
  await loadBox2D();
});

for (const name of ["BipedalWalker-v3", "BipedalWalkerHardcore-v3", "BipedalWalker-v3__zero"]) {
  test(`${name}: terrain and initial observation equal Gymnasium's for seeds 0 and 1`, () => {
    const env = new BipedalWalker({ hardcore: name.includes("Hardcore") });
    try {
      for (const ep of loadTrajectories(name).episodes) {
        const { obs, info } = env.reset({ seed: ep.seed });
        const course = env.course!;
        const ref = ep.terrain!;
        assert.equal(course.x.length, ref.terrain_x.length);
        assert.ok(maxAbsDiff(course.x, ref.terrain_x) <= 1e-9, "terrain x");
        assert.ok(maxAbsDiff(course.y, ref.terrain_y) <= 1e-9, "terrain y");
        assert.equal(course.poly.length, ref.terrain_poly.length);
        let polyDiff = 0;
        course.poly.forEach((poly, i) => poly.forEach((p, j) => (polyDiff = Math.max(polyDiff, maxAbsDiff(p, ref.terrain_poly[i]![j]!)))));
        assert.ok(polyDiff <= 1e-9, `terrain polygons differ by ${polyDiff}`);
        assert.ok(maxAbsDiff(obs, ep.initial_obs) <= 1e-3, `initial obs differs by ${maxAbsDiff(obs, ep.initial_obs)}`);
        assert.ok(Math.abs((info.hullX as number) - ref.hull_position_after_reset[0]!) <= 1e-4);
        assert.ok(Math.abs((info.hullY as number) - ref.hull_position_after_reset[1]!) <= 1e-4);
      }
    } finally {
      env.close();
    }
  });
}

test("BipedalWalkerHardcore-v3: the hardcore course has obstacles, the normal one none", () => {
  const hard = new BipedalWalker({ hardcore: true });
  const easy = new BipedalWalker();
  try {
    hard.reset({ seed: 0 });
    easy.reset({ seed: 0 });
    assert.ok(hard.course!.obstacles.length > 0);
    assert.equal(easy.course!.obstacles.length, 0);
    // Every obstacle is a 4-point polygon (pit wall, stump or stair step).
    for (const poly of hard.course!.obstacles) assert.equal(poly.length, 4);
  } finally {
    hard.close();
    easy.close();
  }
});

for (const name of ["LunarLander-v3", "LunarLanderContinuous-v3", "LunarLander-v3__zero"]) {
  test(`${name}: moon, helipad and initial observation equal Gymnasium's for seeds 0 and 1`, () => {
    const env = new LunarLander({ continuous: name.includes("Continuous") });
    try {
      for (const ep of loadTrajectories(name).episodes) {
        const { obs, info } = env.reset({ seed: ep.seed });
        const moon = env.surface!;
        const ref = ep.moon!;
        assert.ok(Math.abs(moon.helipadX1 - ref.helipad_x1) <= 1e-9);
        assert.ok(Math.abs(moon.helipadX2 - ref.helipad_x2) <= 1e-9);
        assert.ok(Math.abs(moon.helipadY - ref.helipad_y) <= 1e-9);
        assert.equal(moon.skyPolys.length, ref.sky_polys.length);
        let d = 0;
        moon.skyPolys.forEach((poly, i) => poly.forEach((p, j) => (d = Math.max(d, maxAbsDiff(p, ref.sky_polys[i]![j]!)))));
        assert.ok(d <= 1e-9, `sky polygons differ by ${d}`);
        assert.ok(maxAbsDiff(obs, ep.initial_obs) <= 1e-3, `initial obs differs by ${maxAbsDiff(obs, ep.initial_obs)}`);
        assert.ok(Math.abs((info.x as number) - ref.lander_position_after_reset[0]!) <= 1e-4);
        assert.ok(Math.abs((info.y as number) - ref.lander_position_after_reset[1]!) <= 1e-4);
      }
    } finally {
      env.close();
    }
  });
}

test("the same seed gives the same episode start whatever ran before (fresh world per reset)", () => {
  const env = new BipedalWalker();
  try {
    const a = env.reset({ seed: 7 }).obs;
    env.reset({ seed: 3 });
    for (let i = 0; i < 30; i++) env.step(new Float32Array([1, -1, 0.5, -0.5]));
    const b = env.reset({ seed: 7 }).obs;
    assert.deepEqual(Array.from(b), Array.from(a));
  } finally {
    env.close();
  }
});
