/**
 * The "seed-curriculum" BipedalWalker course (the reward-design seed repository's terrain, rebuilt from its
 * description): every kind is generated from the reset seed reproducibly, with the repository's chunk
 * geometry; the difficulty unlocks the kinds as its curriculum says; the walker stands, walks and sees it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { makeAsync } from "../../src/envs/index.js";
import { BipedalWalkerHeuristic } from "../../src/envs/box2d/heuristics.js";
import { SEED_TERRAIN, seedTerrainKinds, type SeedTerrain } from "../../src/envs/box2d/bipedal-walker/seed-terrain.js";

async function course(seed: number, kwargs: Record<string, unknown> = {}): Promise<SeedTerrain> {
  const env = await makeAsync("BipedalWalker-v3", { terrain: "seed-curriculum", ...kwargs });
  env.reset({ seed });
  const c = (env.unwrapped as unknown as { course: SeedTerrain }).course;
  env.close();
  return c;
}

/** The points of chunk k: from its first point (where the previous chunk ended) to its last. */
const pointsOf = (c: SeedTerrain, k: number) => {
  const first = k === 0 ? 0 : c.x.lastIndexOf(c.chunks[k]!.x0);
  const last = c.x.lastIndexOf(c.chunks[k]!.x1);
  return c.x.slice(first, last + 1).map((x, i) => [x, c.y[first + i]!] as const);
};

describe("BipedalWalker seed-curriculum terrain", () => {
  it("generates every kind from the reset seed, reproducibly, and differently for another seed", async () => {
    const a = await course(5), b = await course(5), c = await course(6);
    assert.deepEqual(a.chunks.map((k) => k.kind).slice(0, 4), ["flat", "uneven", "slope", "stairs"]);
    assert.deepEqual([a.x, a.y], [b.x, b.y]);
    for (const kind of ["uneven", "slope", "stairs"]) {
      const i = a.chunks.findIndex((k) => k.kind === kind);
      assert.notDeepEqual(pointsOf(a, i), pointsOf(c, i), `${kind} depends on the seed`);
    }
    assert.ok(a.x.at(-1)! > 88.7, "the course reaches past the finish line");
  });

  it("builds each kind with the repository's geometry, continuous from chunk to chunk", async () => {
    const c = await course(11);
    for (let i = 1; i < c.x.length; i++) assert.ok(c.x[i]! >= c.x[i - 1]!, "x never goes back");
    for (const [k, chunk] of c.chunks.entries()) {
      const pts = pointsOf(c, k);
      const ys = pts.map((p) => p[1]);
      assert.ok(Math.abs(chunk.x1 - chunk.x0 - SEED_TERRAIN.chunkLength) < SEED_TERRAIN.stepWidth, `chunk ${k} is about ${SEED_TERRAIN.chunkLength} m`);
      if (chunk.kind === "flat") assert.ok(ys.every((y) => y === ys[0]));
      if (chunk.kind === "uneven") {
        const span = Math.max(...ys) - Math.min(...ys);
        assert.ok(span > 0.01 && span <= 2 * 3 * 0.5 * SEED_TERRAIN.maxHeightVariation, `uneven span ${span}`);
      }
      if (chunk.kind === "slope") {
        const slope = (ys.at(-1)! - ys[0]!) / (pts.at(-1)![0] - pts[0]![0]);
        assert.ok(Math.abs(slope) <= Math.tan((SEED_TERRAIN.slopeDegrees * Math.PI) / 180) + 1e-12);
        for (let i = 1; i < pts.length; i++) assert.ok(Math.abs((pts[i]![1] - pts[i - 1]![1]) / (pts[i]![0] - pts[i - 1]![0]) - slope) < 1e-9, "straight");
      }
      if (chunk.kind === "stairs") {
        const risers = pts.slice(1).map((p, i) => [p[0] - pts[i]![0], p[1] - pts[i]![1]] as const).filter(([dx]) => dx === 0);
        assert.ok(risers.length >= 12 && risers.every(([, dy]) => Math.abs(Math.abs(dy) - SEED_TERRAIN.stepHeight) < 1e-9), "0.4 m risers");
        assert.ok(risers.every(([, dy]) => Math.sign(dy) === Math.sign(risers[0]![1])), "all up or all down within a chunk");
      }
    }
  });

  it("unlocks kinds with the difficulty and scales the heights", async () => {
    assert.deepEqual(seedTerrainKinds(0), ["flat"]);
    assert.deepEqual(seedTerrainKinds(0.3), ["flat", "uneven"]);
    assert.deepEqual(seedTerrainKinds(0.6), ["flat", "uneven", "slope"]);
    assert.deepEqual(seedTerrainKinds(0.75), ["flat", "uneven", "slope", "stairs"]);
    const flat = await course(3, { terrainDifficulty: 0 });
    assert.ok(flat.chunks.every((k) => k.kind === "flat") && flat.y.every((y) => y === flat.y[0]));
    const half = await course(3, { terrainDifficulty: 0.5 });
    const full = await course(3, { terrainDifficulty: 1 });
    const span = (c: SeedTerrain) => Math.max(...pointsOf(c, 1).map((p) => p[1])) - Math.min(...pointsOf(c, 1).map((p) => p[1]));
    assert.ok(Math.abs(span(half) - span(full) / 2) < 1e-9, "uneven amplitude scales with the difficulty");
  });

  it("is walked on like the normal course: 5000-step episodes, lidar on the new ground, heuristic gait", async () => {
    const env = await makeAsync("BipedalWalker-v3", { terrain: "seed-curriculum", maxEpisodeSteps: 5000 });
    assert.equal(env.spec?.maxEpisodeSteps, 5000);
    let obs = env.reset({ seed: 6 }).obs as Float32Array;
    assert.ok(obs.slice(14).some((v) => v < 1), "the lidar hits the ground");
    const h = new BipedalWalkerHeuristic();
    let x = 0;
    for (let t = 0; t < 200; t++) {
      const r = env.step(h.act(obs));
      obs = r.obs as Float32Array;
      x = r.info.hullX as number;
      assert.ok(!r.terminated, `fell at step ${t}`);
    }
    assert.ok(x > 6, `walked to x = ${x}`);
    assert.match((env.unwrapped as unknown as { render(): string }).render(), /<svg/);
    env.close();
  });

  it("refuses what it cannot do, naming the option", async () => {
    await assert.rejects(makeAsync("BipedalWalker-v3", { terrain: "stairs-only" }), /terrain must be one of gymnasium, seed-curriculum/);
    await assert.rejects(makeAsync("BipedalWalker-v3", { terrain: "seed-curriculum", terrainDifficulty: 2 }), /terrainDifficulty must be in \[0, 1\]/);
    await assert.rejects(makeAsync("BipedalWalkerHardcore-v3", { terrain: "seed-curriculum" }), /cannot be combined with hardcore/);
  });
});
