/**
 * Guide 1 — LLM reward design for BipedalWalker-v3: the designer writes `computeReward` code, the sandbox
 * runs it batch-wise per rollout, PPO learns from it, the native return judges it, and a reflection of
 * the training run goes back to the designer.
 */
import { registerRewardDesignSurrogate } from "./surrogate.js";

registerRewardDesignSurrogate();

export {
  runRewardDesign,
  candidateId,
  type RewardDesignOptions,
  type RewardDesignResult,
  type RewardDesignEvent,
  type CandidateRecord,
  type CandidateStatus,
  type IterationSummary,
} from "./loop.js";
export {
  BEHAVIOUR_METRICS,
  behaviourMetrics,
  episodeMetrics,
  metricsDocText,
  formatMetrics,
  STEP_SECONDS,
  type BehaviourMetrics,
  type EpisodeTrace,
  type MetricDoc,
  type StepRecord,
} from "./metrics.js";
export { evaluateWalker, compareFitness, type WalkerPolicy, type WalkerEvaluation, type WalkerEvaluationOptions } from "./evaluation.js";
export { SandboxRewardGuide, RewardCodeError, type ComponentSnapshot, type ComponentStats, type SandboxRewardGuideOptions } from "./reward-guide.js";
export {
  runTrainingJob,
  readResult,
  ENV_ID as REWARD_DESIGN_ENV_ID,
  type TrainingJob,
  type TrainingProtocol,
  type TrainingResult,
  type TrainingFailureKind,
  type CheckpointRecord,
  type RolloutRecord,
} from "./training.js";
export { trainInPool, type PoolOptions } from "./pool.js";
export { taskText, initialPrompt, iterationPrompt, fixPrompt, fillPrompt, promptTemplate, type PromptName, type ProtocolFacts } from "./prompts.js";
export { extractRewardCode, NoCodeError } from "./parse.js";
export { reflectionText, failureKinds, failureKindText, type FailureKind } from "./reflection.js";
export { validationSample, validateAnswer, describeFailure, type ValidationOutcome } from "./validation.js";
export {
  registerRewardDesignSurrogate,
  composeRewardCode,
  parseWeights,
  adjustWeights,
  REWARD_TERMS,
  PLANTED_BUGS,
  REWARD_DESIGN_GUIDE,
  WRITE_REWARD_TASK,
  FIX_REWARD_TASK,
  type RewardTerm,
  type Weights,
  type PlantedBug,
} from "./surrogate.js";
