/**
 * Building a LunarLander world at every reset, cheaply. Each episode gets a fresh b2World, as in Gymnasium,
 * but everything that is the same in every episode is made once per loaded box2d-wasm module and reused:
 * the body definitions (the lander and its legs always start at the same pose), the fixture definitions with
 * their shapes (the lander polygon's hull is computed once, not at every reset), the legs' joint definitions
 * and the gravity vector. The moon's body and fixtures, which nothing reads from JS, are created through
 * box2d-wasm's raw bindings without JS wrappers.
 *
 * The objects are created in the same order and with the same field values as Gymnasium's `reset` (and as
 * the generic helpers in physics.ts would), so the world is the same to the last bit: base edge, then the
 * surface edges left to right; the lander and the initial push; the left leg and its joint, then the right.
 */
import { box2d, type Box2DModule } from "../loader.js";
import { destroyWorld, wrapCreated } from "../physics.js";
import {
  LANDER_POLY,
  LEG_AWAY,
  LEG_DOWN,
  LEG_H,
  LEG_SPRING_TORQUE,
  LEG_W,
  SCALE,
  VIEWPORT_H,
  VIEWPORT_W,
  W,
} from "./constants.js";
import type { Moon } from "./moon.js";

/** The lander's start: the top middle of the viewport. */
export const INITIAL_X = VIEWPORT_W / SCALE / 2;
export const INITIAL_Y = VIEWPORT_H / SCALE;
/** The lander polygon in metres. */
export const LANDER_VERTICES = LANDER_POLY.map(([x, y]) => [x / SCALE, y / SCALE] as [number, number]);

/** The bodies and joints of one episode's world (wrappers valid until the world is destroyed). */
export interface LanderWorld {
  world: Box2D.b2World;
  lander: Box2D.b2Body;
  /** Left leg (i = -1), then right leg (i = +1). */
  legs: [Box2D.b2Body, Box2D.b2Body];
  joints: [Box2D.b2RevoluteJoint, Box2D.b2RevoluteJoint];
}

type RawCreate = (ownerPtr: number, defPtr: number) => number;
type RawSetTwoSided = (edgePtr: number, v1Ptr: number, v2Ptr: number) => void;

/** Definitions shared by every LunarLander world of one loaded module (never destroyed, like scratch space). */
interface Templates {
  module: Box2DModule;
  gravity: Box2D.b2Vec2;
  groundDef: Box2D.b2BodyDef;
  edge: Box2D.b2EdgeShape;
  /** The base edge: pybox2d's default fixture (friction 0.2). */
  baseEdgeFixture: Box2D.b2FixtureDef;
  /** The surface edges: friction 0.1. */
  surfaceFixture: Box2D.b2FixtureDef;
  landerDef: Box2D.b2BodyDef;
  landerFixture: Box2D.b2FixtureDef;
  legDefs: [Box2D.b2BodyDef, Box2D.b2BodyDef];
  legFixture: Box2D.b2FixtureDef;
  jointDefs: [Box2D.b2RevoluteJointDef, Box2D.b2RevoluteJointDef];
  v: [Box2D.b2Vec2, Box2D.b2Vec2];
}

let templates: Templates | undefined;

function fixtureDef(
  B: Box2DModule,
  shape: Box2D.b2Shape,
  o: { density: number; friction: number; restitution: number; categoryBits: number; maskBits: number },
): Box2D.b2FixtureDef {
  const def = new B.b2FixtureDef();
  def.set_shape(shape);
  def.set_density(o.density);
  def.set_friction(o.friction);
  def.set_restitution(o.restitution);
  const filter = def.get_filter();
  filter.set_categoryBits(o.categoryBits);
  filter.set_maskBits(o.maskBits);
  return def;
}

function bodyDef(B: Box2DModule, type: number, x: number, y: number, angle: number): Box2D.b2BodyDef {
  const def = new B.b2BodyDef();
  def.set_type(type);
  const p = new B.b2Vec2(x, y);
  def.set_position(p);
  B.destroy(p);
  def.set_angle(angle);
  return def;
}

function makeTemplates(): Templates {
  const B = box2d();
  if (templates?.module === B) return templates;
  const edge = new B.b2EdgeShape();
  const landerPolygon = new B.b2PolygonShape();
  const buffer = B._malloc(8 * LANDER_VERTICES.length);
  LANDER_VERTICES.forEach(([x, y], i) => {
    B.HEAPF32[(buffer >> 2) + 2 * i] = x;
    B.HEAPF32[(buffer >> 2) + 2 * i + 1] = y;
  });
  landerPolygon.Set(buffer, LANDER_VERTICES.length);
  B._free(buffer);
  const legBox = new B.b2PolygonShape();
  legBox.SetAsBox(LEG_W / SCALE, LEG_H / SCALE);

  const legDefs: Box2D.b2BodyDef[] = [];
  const jointDefs: Box2D.b2RevoluteJointDef[] = [];
  for (const i of [-1, +1]) {
    const angle = i * 0.05;
    legDefs.push(bodyDef(B, B.b2_dynamicBody, INITIAL_X - (i * LEG_AWAY) / SCALE, INITIAL_Y, angle));
    const def = new B.b2RevoluteJointDef();
    const a = new B.b2Vec2(0, 0);
    const b = new B.b2Vec2((i * LEG_AWAY) / SCALE, LEG_DOWN / SCALE);
    def.set_localAnchorA(a);
    def.set_localAnchorB(b);
    B.destroy(a);
    B.destroy(b);
    // pybox2d takes the bodies' relative angle at creation as the reference: leg (float32 angle) - lander (0).
    def.set_referenceAngle(Math.fround(Math.fround(angle) - 0));
    def.set_enableMotor(true);
    def.set_enableLimit(true);
    def.set_maxMotorTorque(LEG_SPRING_TORQUE);
    def.set_motorSpeed(+0.3 * i);
    def.set_lowerAngle(i === -1 ? 0.9 - 0.5 : -0.9);
    def.set_upperAngle(i === -1 ? +0.9 : -0.9 + 0.5);
    def.set_collideConnected(false);
    jointDefs.push(def);
  }

  templates = {
    module: B,
    gravity: new B.b2Vec2(0, -10),
    groundDef: bodyDef(B, B.b2_staticBody, 0, 0, 0),
    edge,
    baseEdgeFixture: fixtureDef(B, edge, { density: 0, friction: 0.2, restitution: 0, categoryBits: 0x0001, maskBits: 0xffff }),
    surfaceFixture: fixtureDef(B, edge, { density: 0, friction: 0.1, restitution: 0, categoryBits: 0x0001, maskBits: 0xffff }),
    landerDef: bodyDef(B, B.b2_dynamicBody, INITIAL_X, INITIAL_Y, 0),
    landerFixture: fixtureDef(B, landerPolygon, { density: 5.0, friction: 0.1, restitution: 0, categoryBits: 0x0010, maskBits: 0x001 }),
    legDefs: legDefs as [Box2D.b2BodyDef, Box2D.b2BodyDef],
    legFixture: fixtureDef(B, legBox, { density: 1.0, friction: 0.2, restitution: 0, categoryBits: 0x0020, maskBits: 0x001 }),
    jointDefs: jointDefs as [Box2D.b2RevoluteJointDef, Box2D.b2RevoluteJointDef],
    v: [new B.b2Vec2(0, 0), new B.b2Vec2(0, 0)],
  };
  return templates;
}

function rawBinding<F>(B: Box2DModule, name: string): F {
  const f = (B as unknown as Record<string, unknown>)[name];
  if (typeof f !== "function") throw new Error(`box2d-wasm: this build lacks the raw binding ${name}`);
  return f as F;
}

/**
 * A new LunarLander world: gravity (0, `gravity`), `listener` installed, the moon's edges, the lander pushed
 * by (`fx`, `fy`) at its centre, and the two legs on their spring joints. Free it with physics.ts's
 * `destroyWorld(world)`.
 */
export function buildLanderWorld(gravity: number, listener: Box2D.JSContactListener, moon: Moon, fx: number, fy: number): LanderWorld {
  const t = makeTemplates();
  const B = t.module;
  t.gravity.Set(0, gravity);
  const world = new B.b2World(t.gravity);
  try {
    world.SetContactListener(listener);
    const worldPtr = B.getPointer(world);

    // The moon: one static body holding the base edge and the 10 surface edges, no JS wrappers.
    // (Read per call: box2d-wasm replaces each binding with the wasm export itself on its first call.)
    const createBody = rawBinding<RawCreate>(B, "_emscripten_bind_b2World_CreateBody_1");
    const createFixture = rawBinding<RawCreate>(B, "_emscripten_bind_b2Body_CreateFixture_1");
    const setTwoSided = rawBinding<RawSetTwoSided>(B, "_emscripten_bind_b2EdgeShape_SetTwoSided_2");
    const createJoint = rawBinding<RawCreate>(B, "_emscripten_bind_b2World_CreateJoint_1");
    const ground = createBody(worldPtr, B.getPointer(t.groundDef));
    const [v0, v1] = t.v;
    const edgePtr = B.getPointer(t.edge);
    const v0Ptr = B.getPointer(v0);
    const v1Ptr = B.getPointer(v1);
    v0.Set(0, 0);
    v1.Set(W, 0);
    setTwoSided(edgePtr, v0Ptr, v1Ptr);
    createFixture(ground, B.getPointer(t.baseEdgeFixture));
    const surfacePtr = B.getPointer(t.surfaceFixture);
    const { chunkX, smoothY } = moon;
    for (let i = 0; i < chunkX.length - 1; i++) {
      v0.Set(chunkX[i]!, smoothY[i]!);
      v1.Set(chunkX[i + 1]!, smoothY[i + 1]!);
      setTwoSided(edgePtr, v0Ptr, v1Ptr);
      createFixture(ground, surfacePtr);
    }

    const lander = wrapCreated(world, B.b2Body, createBody(worldPtr, B.getPointer(t.landerDef)));
    createFixture(B.getPointer(lander), B.getPointer(t.landerFixture));
    v0.Set(fx, fy);
    lander.ApplyForceToCenter(v0, true);

    const legs: Box2D.b2Body[] = [];
    const joints: Box2D.b2RevoluteJoint[] = [];
    for (let k = 0; k < 2; k++) {
      const leg = wrapCreated(world, B.b2Body, createBody(worldPtr, B.getPointer(t.legDefs[k]!)));
      createFixture(B.getPointer(leg), B.getPointer(t.legFixture));
      const def = t.jointDefs[k]!;
      def.set_bodyA(lander);
      def.set_bodyB(leg);
      joints.push(wrapCreated(world, B.b2RevoluteJoint, createJoint(worldPtr, B.getPointer(def))));
      legs.push(leg);
    }
    return { world, lander, legs: legs as [Box2D.b2Body, Box2D.b2Body], joints: joints as [Box2D.b2RevoluteJoint, Box2D.b2RevoluteJoint] };
  } catch (err) {
    destroyWorld(world);
    throw err;
  }
}
