/**
 * Environments: the registry (`make`, `makeAsync`, `register`, `spec`; registration.ts, as Gymnasium's
 * envs/registration.py) and the built-in envs, all registered in register.ts when this module loads.
 */
import "./register.js";

export { register, make, makeAsync, prepareEnv, spec, registration, registeredIds, describeFromSpaces } from "./registration.js";
export type { EnvRegistration, MakeOptions, EnvKwargs } from "./registration.js";

export * from "./classic/index.js";
export { BlackjackEnv, describeBlackjack, sumHand, usableAce } from "./toy/blackjack.js";
export type { BlackjackObs, BlackjackOptions } from "./toy/blackjack.js";
export * from "./wrappers/index.js";
export * from "./toy/pong.js";
export * from "./box2d/index.js";
export * from "./mujoco/index.js";
export { SyncVecEnv, makeVec, makeVecAsync } from "./vector.js";
export type { VecEnvState, VecStepResult, EpisodeRecord, MakeVecOptions } from "./vector.js";
export { WorkerVecEnv, makeWorkerVecAsync, type WorkerVecOptions, type WorkerVecEnvState } from "./worker-vector.js";
export { rollRandomPolicy } from "./random-policy.js";
export type { RandomPolicyOptions, RandomPolicyResult } from "./random-policy.js";
