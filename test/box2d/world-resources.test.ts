/**
 * WorldResources (the Box2D envs' world + contact listener ownership): destroying the world keeps the
 * listener for the next world; free() releases both, so envs made, reset and closed leave the allocator
 * where it was.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { box2d, loadBox2D } from "../../src/envs/box2d/loader.js";
import { BodyOnLegsContacts } from "../../src/envs/box2d/contacts.js";
import { newWorld } from "../../src/envs/box2d/physics.js";
import { WorldResources } from "../../src/envs/box2d/world-resources.js";
import { BipedalWalker } from "../../src/envs/box2d/bipedal-walker/bipedal-walker.js";
import { LunarLander } from "../../src/envs/box2d/lunar-lander/lunar-lander.js";

before(async () => {
  await loadBox2D();
});

function probeAddress(): number {
  const B = box2d();
  const probe = B._malloc(64);
  B._free(probe);
  return probe;
}

test("the listener is made once and outlives destroyWorld(); free() releases both and may be called twice", () => {
  const owner = {};
  const res = new WorldResources(owner);
  const contacts = new BodyOnLegsContacts();
  const first = res.contactListener(contacts);
  res.world = newWorld(0, -10);
  res.world.SetContactListener(first);
  res.destroyWorld();
  assert.equal(res.world, null);
  assert.equal(res.contactListener(contacts), first, "the same listener for the next world");
  res.world = newWorld(0, -10);
  res.free();
  assert.equal(res.world, null);
  res.free();
  assert.notEqual(res.contactListener(contacts), first, "a new listener after free()");
  res.free();
});

for (const [name, makeEnv] of [
  ["LunarLander-v3", () => new LunarLander()],
  ["BipedalWalker-v3", () => new BipedalWalker()],
] as const) {
  test(`${name}: envs made, reset and closed 200 times leave the allocator where it was (world and listener freed)`, () => {
    const cycle = () => {
      const env = makeEnv();
      env.reset({ seed: 1 });
      env.close();
    };
    for (let i = 0; i < 5; i++) cycle(); // warm-up: the heap and the wrapper caches settle
    const before = probeAddress();
    for (let i = 0; i < 200; i++) cycle();
    assert.equal(probeAddress(), before, "something stayed allocated after close()");
  });
}
