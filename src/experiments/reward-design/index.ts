/**
 * The reward-design experiment (guide 1): the loop, its training pool and worker, the fitness evaluation,
 * the reflection, presets, protocol and report. The guide's own parts (prompts, parser, validation, reward
 * seam, surrogate designer) live in src/guides/reward-design and are re-exported here, so one barrel serves both.
 */
export {
  runRewardDesign,
  proposeIteration,
  reflectIteration,
  iterationJobs,
  readIteration,
  collectRewardDesign,
  MissingResultsError,
  type LoopSettings,
  candidateId,
  checkedReward,
  type CheckedRewardRequest,
  type RewardDesignOptions,
  type RewardDesignResult,
  type RewardDesignEvent,
  type CandidateRecord,
  type CandidateStatus,
  type IterationSummary,
} from "./loop.js";
export { evaluateWalker, compareFitness, type WalkerEvaluation, type WalkerEvaluationOptions } from "./evaluation.js";
export {
  runTrainingJob,
  readResult,
  type TrainingJob,
  type TrainingProtocol,
  type TrainingResult,
  type TrainingFailureKind,
  type CheckpointRecord,
  type RolloutRecord,
} from "./training.js";
export { trainInPool, type PoolOptions } from "./pool.js";
export { reflectionText, failureKinds, failureKindText, rewardHackingAlerts, type FailureKind } from "./reflection.js";
export {
  rewardDesignPreset,
  ZOO_BIPEDAL_PPO,
  SEED_SAC,
  REWARD_DESIGN_PRESETS,
  type RewardDesignPreset,
  type RewardDesignPresetName,
  type EurekaPreset,
  type SeedPreset,
} from "./presets.js";
export {
  runSeedProtocol,
  SwappableReward,
  type SeedProtocol,
  type SeedRunOptions,
  type SeedRunResult,
  type SeedIterationRecord,
  type SeedIterationStatus,
  type SeedEvent,
} from "./seed-loop.js";
export {
  runRewardDesignExperiment,
  resolvePreset,
  protocolText,
  presetComparisonTable,
  finalRows,
  seedIterationRows,
  DEFAULT_SURROGATE_QUALITY,
  type FinalScore,
  type RewardDesignExperimentOptions,
  type RewardDesignExperimentResult,
  type RewardDesignTable,
} from "./protocol.js";
export {
  runRewardDesignPhase,
  rewardDesignStage,
  stageText,
  stageRuns,
  phasedPreset,
  REWARD_DESIGN_PHASES,
  type RewardDesignPhase,
  type RewardDesignStage,
  type RewardDesignPhaseOptions,
  type RewardDesignPhaseOutcome,
} from "./phases.js";
export {
  comparisonTable,
  iterationTable,
  candidateTable,
  learningCurvesFigure,
  iterationFigure,
  designerLabel,
  loadTrainedPolicy,
  policyAnimation,
  COMPARISON_METRICS,
  type AnimationSettings,
} from "./report.js";
export * from "../../guides/reward-design/index.js";
