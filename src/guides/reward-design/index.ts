/**
 * Guide 1 — LLM reward design for BipedalWalker-v3, the guide's own parts: the prompts (task, fields,
 * contract, behaviour metrics), the parser of the designer's answer, the sandbox validation of a candidate,
 * the reward seam that trains on it, and the offline surrogate designer. The runner (loop, training pool,
 * fitness, reflection) is the experiment: src/experiments/reward-design.
 */
import { registerRewardDesignSurrogate } from "./surrogate.js";

registerRewardDesignSurrogate();

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
export { SandboxRewardGuide, RewardCodeError, type ComponentSnapshot, type ComponentStats, type SandboxRewardGuideOptions } from "./reward-guide.js";
export { taskText, initialPrompt, iterationPrompt, fixPrompt, fillPrompt, promptTemplate, seedPrompt, seedHint, type PromptName, type ProtocolFacts, type SeedPromptValues } from "./prompts.js";
export { SEED_METRICS, seedMetrics, seedMetricsText, seedTrendText, type SeedMetricDoc } from "./seed-metrics.js";
export { extractRewardCode, NoCodeError, type NoCodeReason } from "./parse.js";
export { validationSample, validateAnswer, describeFailure, failureText, type ValidationOutcome, type ValidateOptions, type AnswerError } from "./validation.js";
export { ENV_ID as REWARD_DESIGN_ENV_ID } from "./metrics.js";
export { referenceTrajectories, recordReferenceTrajectories, standingAction, REFERENCE_NAMES, type ReferenceName, type ReferenceRecord, type ReferenceTrajectory } from "./references.js";
export { rankingCheck, type RankingCheck } from "./precheck.js";
export { EpisodeAlignment, hackingAlerts, pearson, type AlignmentWindow, type HackingAlert, type HackingAlertOptions } from "./alignment.js";
export {
  registerRewardDesignSurrogate,
  composeRewardCode,
  parseWeights,
  adjustWeights,
  REWARD_TERMS,
  PLANTED_BUGS,
  RUNTIME_BUGS,
  SEMANTIC_BUGS,
  REWARD_DESIGN_GUIDE,
  WRITE_REWARD_TASK,
  FIX_REWARD_TASK,
  type RewardTerm,
  type Weights,
  type PlantedBug,
} from "./surrogate.js";
