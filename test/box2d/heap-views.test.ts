/**
 * physics.ts keeps box2d-wasm's heap views instead of looking them up at every read. When the wasm memory
 * grows, emscripten replaces its views and the old buffer is detached: the kept views must be refreshed,
 * or body reads would return undefined (NaN observations) and impulses would be written nowhere.
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { box2d, loadBox2D } from "../../src/envs/box2d/loader.js";
import { addBox, applyLinearImpulse, BodyHandle, bodyState, createBody, destroyWorld, newWorld } from "../../src/envs/box2d/physics.js";

before(async () => {
  await loadBox2D();
});

function apiState(body: Box2D.b2Body): number[] {
  const p = body.GetPosition(), v = body.GetLinearVelocity();
  return [p.get_x(), p.get_y(), body.GetAngle(), v.get_x(), v.get_y(), body.GetAngularVelocity()];
}

test("body reads and impulses stay right after the wasm memory grows", () => {
  const B = box2d();
  const world = newWorld(0, -10);
  const big: number[] = [];
  try {
    const body = createBody(world, { type: "dynamic", x: 1, y: 2, angle: 0.25 });
    addBox(body, 0.5, 0.5, { density: 1 });
    const handle = new BodyHandle(body);
    applyLinearImpulse(body, 0.5, 1.5, 1.1, 2.0);
    world.Step(1 / 50, 6, 2);
    const s = handle.read(bodyState());
    assert.deepEqual([s.x, s.y, s.angle, s.vx, s.vy, s.omega], apiState(body));

    const heapBefore = B.HEAPF32.buffer;
    const bytesBefore = B.HEAP8.length;
    // Allocate until the memory has to grow (emscripten then makes new views; the old buffer is detached).
    while (B.HEAP8.length === bytesBefore) big.push(B._malloc(16 * 1024 * 1024));
    assert.notEqual(B.HEAPF32.buffer, heapBefore, "the heap views were replaced");

    applyLinearImpulse(body, -2.0, 0.25, 0.9, 2.1);
    world.Step(1 / 50, 6, 2);
    const t = handle.read(bodyState());
    assert.deepEqual([t.x, t.y, t.angle, t.vx, t.vy, t.omega], apiState(body));
    assert.ok(t.vx < s.vx, "the impulse after the growth reached the body");
    assert.equal(handle.awake, body.IsAwake());
    assert.equal(handle.x, body.GetPosition().get_x());
  } finally {
    for (const p of big) B._free(p);
    destroyWorld(world);
  }
});
