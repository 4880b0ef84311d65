/** Environments: importing this module registers every built-in id with the registry. */
import "./register-builtin.js";

export * from "./classic/index.js";
export { BlackjackEnv, describeBlackjack, sumHand, usableAce } from "./toy/blackjack.js";
export type { BlackjackObs, BlackjackOptions } from "./toy/blackjack.js";
export * from "./wrappers/index.js";
export * from "./toy/pong.js";
export * from "./box2d/index.js";
export { SyncVectorEnv, makeVec, makeVecAsync } from "./vector.js";
export type { VectorEnv, VectorResetResult, VectorStepResult, MakeVecOptions } from "./vector.js";
export { rollRandomPolicy } from "./random-policy.js";
export type { RandomPolicyOptions, RandomPolicyResult } from "./random-policy.js";
