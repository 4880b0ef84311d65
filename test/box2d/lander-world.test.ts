/**
 * LunarLander's reset builds its world from definitions made once per module (lunar-lander/world.ts). This
 * checks that world against one built the plain way, with the generic helpers of physics.ts and every
 * definition field set at creation as Gymnasium's `reset` does: same bodies in the same order with the same
 * mass data, fixtures, filters and joints, and bit-identical motion over 200 steps of engine impulses
 * (through touchdown, contacts included) — also after other worlds have been built with the shared definitions.
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { npRandom } from "../../src/core/rng.js";
import { BodyOnLegsContacts, createContactListener } from "../../src/envs/box2d/contacts.js";
import { box2d, loadBox2D } from "../../src/envs/box2d/loader.js";
import { INITIAL_RANDOM, LEG_AWAY, LEG_DOWN, LEG_H, LEG_SPRING_TORQUE, LEG_W, SCALE, W } from "../../src/envs/box2d/lunar-lander/constants.js";
import { generateMoon, type Moon } from "../../src/envs/box2d/lunar-lander/moon.js";
import { buildLanderWorld, INITIAL_X, INITIAL_Y, LANDER_VERTICES, type LanderWorld } from "../../src/envs/box2d/lunar-lander/world.js";
import {
  addBox,
  addPolygon,
  applyForceToCenter,
  applyLinearImpulse,
  createBody,
  createRevoluteJoint,
  createStaticBody,
  destroyWorld,
  JointLimits23,
  newWorld,
  type StaticPiece,
} from "../../src/envs/box2d/physics.js";

before(async () => {
  await loadBox2D();
});

/** Gymnasium's reset, spelled out with the generic helpers (every field set explicitly at each creation). */
function buildPlainly(gravity: number, listener: Box2D.JSContactListener, moon: Moon, fx: number, fy: number): LanderWorld {
  const world = newWorld(0, gravity);
  world.SetContactListener(listener);
  const pieces: StaticPiece[] = [{ edge: [0, 0, W, 0] }];
  for (let i = 0; i < moon.chunkX.length - 1; i++) {
    pieces.push({ edge: [moon.chunkX[i]!, moon.smoothY[i]!, moon.chunkX[i + 1]!, moon.smoothY[i + 1]!], fixture: { density: 0, friction: 0.1 } });
  }
  createStaticBody(world, pieces);
  const lander = createBody(world, { type: "dynamic", x: INITIAL_X, y: INITIAL_Y, angle: 0 });
  addPolygon(lander, LANDER_VERTICES, { density: 5.0, friction: 0.1, categoryBits: 0x0010, maskBits: 0x001, restitution: 0 });
  applyForceToCenter(lander, fx, fy);
  const legs: Box2D.b2Body[] = [];
  const joints: Box2D.b2RevoluteJoint[] = [];
  for (const i of [-1, +1]) {
    const leg = createBody(world, { type: "dynamic", x: INITIAL_X - (i * LEG_AWAY) / SCALE, y: INITIAL_Y, angle: i * 0.05 });
    addBox(leg, LEG_W / SCALE, LEG_H / SCALE, { density: 1.0, restitution: 0, categoryBits: 0x0020, maskBits: 0x001 });
    joints.push(
      createRevoluteJoint(world, lander, leg, {
        localAnchorA: [0, 0],
        localAnchorB: [(i * LEG_AWAY) / SCALE, LEG_DOWN / SCALE],
        enableMotor: true,
        enableLimit: true,
        maxMotorTorque: LEG_SPRING_TORQUE,
        motorSpeed: +0.3 * i,
        lowerAngle: i === -1 ? 0.9 - 0.5 : -0.9,
        upperAngle: i === -1 ? +0.9 : -0.9 + 0.5,
      }),
    );
    legs.push(leg);
  }
  return { world, lander, legs: legs as [Box2D.b2Body, Box2D.b2Body], joints: joints as [Box2D.b2RevoluteJoint, Box2D.b2RevoluteJoint] };
}

/** Everything the API tells about a world's bodies, fixtures and joints, in Box2D's list order. */
function describeWorld(world: Box2D.b2World): unknown[] {
  const B = box2d();
  const out: unknown[] = [];
  for (let body = world.GetBodyList(); B.getPointer(body) !== 0; body = body.GetNext()) {
    const p = body.GetPosition();
    const c = body.GetLocalCenter();
    const fixtures: unknown[] = [];
    for (let f = body.GetFixtureList(); B.getPointer(f) !== 0; f = f.GetNext()) {
      const filter = f.GetFilterData();
      const shape = f.GetShape();
      const geometry: number[] = [];
      if (shape.GetType() === B.b2Shape.e_polygon) {
        const poly = B.castObject(shape, B.b2PolygonShape);
        for (let k = 0; k < poly.get_m_count(); k++) geometry.push(poly.get_m_vertices(k).get_x(), poly.get_m_vertices(k).get_y());
      } else if (shape.GetType() === B.b2Shape.e_edge) {
        const edge = B.castObject(shape, B.b2EdgeShape);
        geometry.push(edge.get_m_vertex1().get_x(), edge.get_m_vertex1().get_y(), edge.get_m_vertex2().get_x(), edge.get_m_vertex2().get_y());
      }
      fixtures.push({
        type: shape.GetType(),
        radius: shape.get_m_radius(),
        geometry,
        density: f.GetDensity(),
        friction: f.GetFriction(),
        restitution: f.GetRestitution(),
        sensor: f.IsSensor(),
        bits: [filter.get_categoryBits(), filter.get_maskBits(), filter.get_groupIndex()],
      });
    }
    out.push({
      type: body.GetType(),
      pose: [p.get_x(), p.get_y(), body.GetAngle()],
      mass: [body.GetMass(), body.GetInertia(), c.get_x(), c.get_y()],
      damping: [body.GetLinearDamping(), body.GetAngularDamping(), body.GetGravityScale()],
      flags: [body.IsAwake(), body.IsSleepingAllowed(), body.IsBullet(), body.IsFixedRotation()],
      fixtures,
    });
  }
  for (let j = world.GetJointList(); B.getPointer(j) !== 0; j = j.GetNext()) {
    const r = B.castObject(j, B.b2RevoluteJoint);
    out.push({
      joint: r.GetType(),
      anchors: [r.GetLocalAnchorA().get_x(), r.GetLocalAnchorA().get_y(), r.GetLocalAnchorB().get_x(), r.GetLocalAnchorB().get_y()],
      referenceAngle: r.GetReferenceAngle(),
      limit: [r.IsLimitEnabled(), r.GetLowerLimit(), r.GetUpperLimit()],
      motor: [r.IsMotorEnabled(), r.GetMotorSpeed(), r.GetMaxMotorTorque()],
      collideConnected: r.GetCollideConnected(),
    });
  }
  return out;
}

/** Steps a world with the lander's engines firing from a seeded pattern; returns every body state, per step. */
function fly(built: LanderWorld, steps: number, seed: number): { states: number[]; contacts: string[] } {
  const [rng] = npRandom(seed);
  const limits = new JointLimits23(built.joints);
  const states: number[] = [];
  const contacts: string[] = [];
  const bodies = [built.lander, ...built.legs];
  for (let t = 0; t < steps; t++) {
    const p = built.lander.GetPosition();
    const x = p.get_x(), y = p.get_y();
    // Main engine about half the time, side pushes otherwise, applied at a dispersed point as the env does.
    const u = rng.uniform(-1, 1);
    if (u > 0) applyLinearImpulse(built.lander, 0.05 * u, 2.5 * u, x + 0.01 * u, y - 0.2);
    else applyLinearImpulse(built.lander, 0.3 * u, 0.02 * u, x - 0.5, y + 0.4);
    limits.beforeStep();
    built.world.Step(1 / 50, 6 * 30, 2 * 30);
    for (const b of bodies) {
      const q = b.GetPosition(), v = b.GetLinearVelocity();
      states.push(q.get_x(), q.get_y(), b.GetAngle(), v.get_x(), v.get_y(), b.GetAngularVelocity(), b.IsAwake() ? 1 : 0);
    }
    contacts.push(String(built.world.GetContactCount()));
  }
  return { states, contacts };
}

function withWorlds(seed: number, run: (templated: LanderWorld, plain: LanderWorld) => void): void {
  const [rng] = npRandom(seed);
  const moon = generateMoon((low, high) => rng.uniform(low, high));
  const fx = rng.uniform(-INITIAL_RANDOM, INITIAL_RANDOM);
  const fy = rng.uniform(-INITIAL_RANDOM, INITIAL_RANDOM);
  const handlers = [new BodyOnLegsContacts(), new BodyOnLegsContacts()];
  const listeners = handlers.map((h) => createContactListener(h));
  const templated = buildLanderWorld(-10, listeners[0]!, moon, fx, fy);
  const plain = buildPlainly(-10, listeners[1]!, moon, fx, fy);
  try {
    run(templated, plain);
  } finally {
    destroyWorld(templated.world);
    destroyWorld(plain.world);
    for (const l of listeners) box2d().destroy(l);
  }
}

test("the templated world has the plain world's bodies, mass data, fixtures, filters and joints", () => {
  for (const seed of [0, 7]) {
    withWorlds(seed, (templated, plain) => {
      const a = describeWorld(templated.world);
      assert.equal(a.length, 4 + 2, "moon, lander, two legs, two joints");
      assert.deepEqual(a, describeWorld(plain.world));
    });
  }
});

test("the templated world moves bit for bit like the plain one for 200 steps, touchdown included", () => {
  for (const seed of [0, 3, 11]) {
    withWorlds(seed, (templated, plain) => {
      const a = fly(templated, 200, seed);
      const b = fly(plain, 200, seed);
      assert.deepEqual(a.contacts, b.contacts);
      assert.ok(a.contacts.some((c) => c !== "0"), "the flight reaches the ground");
      for (let i = 0; i < a.states.length; i++) {
        if (!Object.is(a.states[i], b.states[i])) assert.fail(`state value ${i} (step ${Math.floor(i / 21)}): ${a.states[i]} !== ${b.states[i]}`);
      }
    });
  }
});

test("an episode's world does only what Gymnasium's does: pybox2d's default world, 4 bodies, 14 fixtures, 2 joints, no timers", () => {
  withWorlds(5, (templated) => {
    const w = templated.world;
    // pybox2d's b2World(gravity) defaults; sub-stepping would re-solve, sleeping off would never end an episode.
    assert.deepEqual(
      [w.GetAllowSleeping(), w.GetWarmStarting(), w.GetContinuousPhysics(), w.GetSubStepping(), w.GetAutoClearForces()],
      [true, true, true, false, true],
    );
    // Gymnasium's moon (base edge + 10 surface edges), lander and two legs: nothing extra in the broad-phase.
    assert.deepEqual([w.GetBodyCount(), w.GetProxyCount(), w.GetJointCount()], [4, 14, 2]);
    for (let i = 0; i < 5; i++) w.Step(1 / 50, 6 * 30, 2 * 30);
    // This build's b2Timer is a stub: Step's profiling reads no clock (every entry stays 0).
    const p = w.GetProfile();
    assert.deepEqual([p.get_step(), p.get_collide(), p.get_solve(), p.get_solveTOI()], [0, 0, 0, 0]);
  });
});
