/**
 * Contact callbacks reduced to what the environments need: "body A began / ended touching body B",
 * reported as body pointers.
 *
 * box2d-wasm calls a `JSContactListener` with a raw b2Contact pointer. Wrapping it (and asking for its
 * fixtures and their bodies) costs several wasm calls and leaves wrappers in box2d-wasm's cache, so the
 * two body pointers are read from the heap: b2Contact::m_fixtureA / m_fixtureB at bytes 48 / 52 and
 * b2Fixture::m_body at byte 8 (Box2D 2.4.1, wasm32). The first event is checked against the API; on a
 * mismatch the API is used from then on.
 */
import { box2d } from "./loader.js";

export interface ContactHandler {
  begin(bodyA: number, bodyB: number): void;
  end(bodyA: number, bodyB: number): void;
}

const CONTACT_FIXTURE_A = 48 >> 2;
const CONTACT_FIXTURE_B = 52 >> 2;
const FIXTURE_BODY = 8 >> 2;

let verified: boolean | undefined;

function bodiesOf(contactPtr: number, out: [number, number]): void {
  const B = box2d();
  if (verified !== false) {
    const u = B.HEAPU32;
    const fa = u[(contactPtr >> 2) + CONTACT_FIXTURE_A]!;
    const fb = u[(contactPtr >> 2) + CONTACT_FIXTURE_B]!;
    out[0] = u[(fa >> 2) + FIXTURE_BODY]!;
    out[1] = u[(fb >> 2) + FIXTURE_BODY]!;
    if (verified === true) return;
  }
  const contact = B.wrapPointer(contactPtr, B.b2Contact);
  const a = B.getPointer(contact.GetFixtureA().GetBody());
  const b = B.getPointer(contact.GetFixtureB().GetBody());
  delete (B.getCache(B.b2Contact) as Record<number, unknown>)[contactPtr];
  if (verified === undefined) verified = out[0] === a && out[1] === b;
  out[0] = a;
  out[1] = b;
}

/**
 * A JSContactListener forwarding begin/end events to `handler`. Destroy it with
 * `box2d().destroy(listener)` after the world that uses it is gone.
 */
export function createContactListener(handler: ContactHandler): Box2D.JSContactListener {
  const B = box2d();
  const listener = new B.JSContactListener();
  const pair: [number, number] = [0, 0];
  listener.BeginContact = (contact: Box2D.b2Contact | number) => {
    bodiesOf(contact as number, pair);
    handler.begin(pair[0], pair[1]);
  };
  listener.EndContact = (contact: Box2D.b2Contact | number) => {
    bodiesOf(contact as number, pair);
    handler.end(pair[0], pair[1]);
  };
  listener.PreSolve = () => {};
  listener.PostSolve = () => {};
  return listener;
}

/**
 * Gymnasium's ContactDetector for a body on two legs (BipedalWalker's hull and lower legs, LunarLander's
 * lander and legs): the body touching anything ends the game; a leg's `groundContact` flag is set when
 * one of its contacts begins and cleared when any ends (Gymnasium's rule), while `contactCount` counts the
 * fixtures each leg touches now. Hand it to `createContactListener`; set the body addresses when the bodies
 * are made and `reset()` at each episode.
 */
export class BodyOnLegsContacts implements ContactHandler {
  /** Address of the body whose contact ends the game. */
  bodyPtr = 0;
  /** Addresses of the two legs. */
  readonly legPtrs = [0, 0];
  gameOver = false;
  /** Gymnasium's `ground_contact` flag per leg. */
  readonly groundContact = [false, false];
  /** Number of fixtures each leg touches (robust to edge-to-edge hand-over). */
  readonly contactCount = [0, 0];

  /** Clears the flags and counts for a new episode. */
  reset(): void {
    this.gameOver = false;
    this.groundContact.fill(false);
    this.contactCount.fill(0);
  }

  begin(a: number, b: number): void {
    if (a === this.bodyPtr || b === this.bodyPtr) this.gameOver = true;
    for (let k = 0; k < 2; k++) {
      if (a === this.legPtrs[k] || b === this.legPtrs[k]) {
        this.groundContact[k] = true;
        this.contactCount[k]!++;
      }
    }
  }

  end(a: number, b: number): void {
    for (let k = 0; k < 2; k++) {
      if (a === this.legPtrs[k] || b === this.legPtrs[k]) {
        this.groundContact[k] = false;
        this.contactCount[k] = Math.max(0, this.contactCount[k]! - 1);
      }
    }
  }
}
