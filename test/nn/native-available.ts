/**
 * Shared by the tests of the native BLAS path: the addon when it is loaded, else a reported skip, or a
 * failure when GUIDED_RL_REQUIRE_NATIVE=1 (CI builds the addon and sets it, so a missing build fails there).
 */
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import { nativeBlas, nativeUnavailableReason, type NativeBlas } from "../../src/nn/native.js";

export function nativeOrSkip(t: TestContext): NativeBlas | null {
  let blas: NativeBlas | null;
  try {
    blas = nativeBlas();
  } catch (err) {
    // GUIDED_RL_NATIVE=1 with a missing addon throws: that is a failure, not a skip.
    throw new Error(`native BLAS required but unavailable: ${(err as Error).message}`);
  }
  if (blas) return blas;
  const why = nativeUnavailableReason();
  if (process.env.GUIDED_RL_REQUIRE_NATIVE === "1") assert.fail(`GUIDED_RL_REQUIRE_NATIVE=1 but ${why}`);
  t.skip(`native BLAS unavailable: ${why}`);
  return null;
}
