/**
 * The wasm objects a Box2D env owns: the current episode's world (a fresh one per reset) and the contact
 * listener made once and handed to every new world. They live on the wasm heap until destroyed, so they
 * are freed together by `free()` (the env's `close()`), or by a FinalizationRegistry when an env is dropped
 * without `close()`.
 */
import { createContactListener, type ContactHandler } from "./contacts.js";
import { box2d } from "./loader.js";
import { destroyWorld } from "./physics.js";

const finalizer = new FinalizationRegistry<WorldResources>((resources) => {
  try {
    resources.free();
  } catch {
    // The module may be gone at process exit; nothing left to free then.
  }
});

export class WorldResources {
  /** The current episode's world; null before the first reset and after `destroyWorld()`. */
  world: Box2D.b2World | null = null;
  private listener: Box2D.JSContactListener | null = null;

  /** `owner`: the env; these objects are freed when it is garbage-collected without `free()`. */
  constructor(owner: object) {
    finalizer.register(owner, this, this);
  }

  /** The contact listener forwarding to `handler`, made on first use and kept for every later world. */
  contactListener(handler: ContactHandler): Box2D.JSContactListener {
    this.listener ??= createContactListener(handler);
    return this.listener;
  }

  /** Destroys the current world and its bodies; the listener stays for the next world. */
  destroyWorld(): void {
    if (this.world) destroyWorld(this.world);
    this.world = null;
  }

  /** Destroys the world and the listener, and stops watching the owner. */
  free(): void {
    this.destroyWorld();
    if (this.listener) box2d().destroy(this.listener);
    this.listener = null;
    finalizer.unregister(this);
  }
}
