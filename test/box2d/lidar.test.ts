/**
 * The walker's lidar is cast in JavaScript against the static ground. Box2D itself is the oracle here:
 * the same course is built in a box2d-wasm world and `b2World::RayCast` (with Gymnasium's callback: skip
 * fixtures without category bit 1, keep the last reported fraction, clip to it) must give the same
 * fractions. The JS cast repeats Box2D's float32 arithmetic operation by operation, so they are identical.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { box2d, loadBox2D } from "../../src/envs/box2d/loader.js";
import { generateTerrain, type TerrainRandom } from "../../src/envs/box2d/bipedal-walker/terrain.js";
import { LIDAR_RANGE } from "../../src/envs/box2d/bipedal-walker/constants.js";
import { StaticGeometry } from "../../src/envs/box2d/lidar.js";
import { addEdge, addPolygon, createBody, destroyWorld, newWorld } from "../../src/envs/box2d/physics.js";
import { npRandom } from "../../src/core/rng.js";

before(async () => {
  await loadBox2D();
});

function terrainRandom(seed: number): TerrainRandom {
  const [g] = npRandom(seed);
  return { uniform: (a, b) => g.uniform(a, b) as number, integers: (a, b) => g.integers(a, b) as number, random: () => g.random() as number };
}

for (const hardcore of [false, true]) {
  test(`lidar fractions equal box2d-wasm's b2World::RayCast (${hardcore ? "hardcore" : "normal"} course)`, () => {
    const B = box2d();
    const terrain = generateTerrain(terrainRandom(hardcore ? 5 : 4), hardcore);
    if (hardcore) assert.ok(terrain.obstacles.length > 10, "the hardcore course should have stumps, stairs and pits");
    const world = newWorld(0, -10);
    const ground = new StaticGeometry();
    // A dynamic-category body the lidar must ignore (the walker's own parts have category 0x20).
    const decoy = createBody(world, { type: "static" });
    addPolygon(decoy, [[30, 0], [31, 0], [31, 20], [30, 20]], { categoryBits: 0x0020 });
    for (const poly of terrain.obstacles) {
      addPolygon(createBody(world, { type: "static" }), poly);
      ground.addPolygon(poly);
    }
    for (let i = 0; i + 1 < terrain.x.length; i++) {
      addEdge(createBody(world, { type: "static" }), terrain.x[i]!, terrain.y[i]!, terrain.x[i + 1]!, terrain.y[i + 1]!);
      ground.addEdge(terrain.x[i]!, terrain.y[i]!, terrain.x[i + 1]!, terrain.y[i + 1]!);
    }
    ground.finish();

    let fraction = 1;
    const callback = new B.JSRayCastCallback();
    callback.ReportFixture = (fixturePtr: Box2D.b2Fixture | number, _p: Box2D.b2Vec2 | number, _n: Box2D.b2Vec2 | number, f: number) => {
      const fixture = B.wrapPointer(fixturePtr as number, B.b2Fixture);
      if ((fixture.GetFilterData().get_categoryBits() & 1) === 0) return -1;
      fraction = f;
      return f;
    };
    const p1 = new B.b2Vec2(0, 0);
    const p2 = new B.b2Vec2(0, 0);
    const [g] = npRandom(99);
    let hits = 0;
    let worst = 0;
    try {
      for (let n = 0; n < 600; n++) {
        const i = Math.floor((g.random() as number) * (terrain.x.length - 12)) + 2;
        const x = terrain.x[i]! + (g.random() as number) * 0.4;
        const y = terrain.y[i]! + 0.2 + (g.random() as number) * 3;
        const k = n % 10;
        const x2 = x + Math.sin((1.5 * k) / 10) * LIDAR_RANGE;
        const y2 = y - Math.cos((1.5 * k) / 10) * LIDAR_RANGE;
        fraction = 1;
        p1.Set(x, y);
        p2.Set(x2, y2);
        world.RayCast(callback, p1, p2);
        const ours = ground.rayCast(x, y, x2, y2);
        if (fraction < 1) hits++;
        worst = Math.max(worst, Math.abs(ours - fraction));
      }
    } finally {
      B.destroy(callback);
      B.destroy(p1);
      B.destroy(p2);
      destroyWorld(world);
    }
    assert.ok(hits > 300, `most rays should hit the ground (${hits} of 600 did)`);
    // Same float32 operations in the same order: the fractions are identical, not just close.
    assert.equal(worst, 0, `largest difference ${worst}`);
  });
}
