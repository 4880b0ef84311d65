/**
 * Core: the Env contract, spaces, the numpy-compatible RNG, base classes and `checkEnv`. It imports nothing
 * above it; the registry (`make`) lives in envs/.
 */

export type * from "./env.js";
export type { Space } from "./spaces.js";
export { Box } from "./box.js";
export { Discrete } from "./discrete.js";
export { Tuple } from "./tuple.js";
export { SeedSequence, PCG64, Generator, npRandom } from "./rng.js";
export type { PCG64State, NumberOrArray } from "./rng.js";
export { BaseEnv, resetBounds, optionNumber } from "./base-env.js";
export { BaseWrapper } from "./wrapper.js";
export { packageRoot, packagePath, referencePath } from "./paths.js";
export { checkEnv } from "./check-env.js";
export type { CheckEnvOptions, CheckEnvReport } from "./check-env.js";
export { observationLayout, actionLayout, describeSpace, envAction, spacesOf } from "./space-layout.js";
export type { ObservationLayout, ActionLayout } from "./space-layout.js";
