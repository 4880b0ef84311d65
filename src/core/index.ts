/**
 * Core: the Env contract, spaces, the numpy-compatible RNG, the registry (`make`) and `checkEnv`.
 * Importing it registers the built-in environments, so `make("CartPole-v1")` works from either barrel.
 */
import "../envs/register-builtin.js";

export type * from "./env.js";
export type { Space } from "./spaces.js";
export { Box } from "./box.js";
export { Discrete } from "./discrete.js";
export { Tuple } from "./tuple.js";
export { SeedSequence, PCG64, Generator, npRandom } from "./rng.js";
export type { PCG64State, NumberOrArray } from "./rng.js";
export { BaseEnv, resetBounds, optionNumber } from "./base-env.js";
export { BaseWrapper } from "./wrapper.js";
export { register, make, makeAsync, prepareEnv, spec, registration, registeredIds, describeFromSpaces } from "./registry.js";
export type { EnvRegistration, MakeOptions, EnvKwargs } from "./registry.js";
export { packageRoot, packagePath, referencePath } from "./paths.js";
export { checkEnv } from "./check-env.js";
export type { CheckEnvOptions, CheckEnvReport } from "./check-env.js";
