/**
 * Running LLM-written reward code safely: a child process with SES compartments, static checks, a
 * deterministic step budget, wall-clock and heap caps, and errors that point at the candidate's own lines.
 */
export { Sandbox } from "./sandbox.js";
export type {
  EvaluateFailure,
  EvaluateResult,
  EvaluateSuccess,
  NumericArray,
  SandboxError,
  SandboxErrorKind,
  SandboxOptions,
  Transitions,
  TransitionStep,
  TransitionsInput,
} from "./types.js";
export {
  ALLOWED_GLOBALS,
  ALLOWED_STANDARD_GLOBALS,
  REWARD_HELPER_DOCS,
  REWARD_HELPERS,
  type RewardHelperName,
  type ToleranceOptions,
  type ToleranceSigmoid,
} from "./helpers.js";
export { checkAndInstrument, ENTRY_NAME, type CheckResult, type CheckedSource } from "./static-check.js";
