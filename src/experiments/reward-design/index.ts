/** The reward-design experiment (guide 1): presets, protocol, report. */
export { rewardDesignPreset, ZOO_BIPEDAL_PPO, type RewardDesignPreset } from "./presets.js";
export {
  runRewardDesignExperiment,
  resolvePreset,
  DEFAULT_SURROGATE_QUALITY,
  type RewardDesignExperimentOptions,
  type RewardDesignExperimentResult,
  type RewardDesignTable,
} from "./protocol.js";
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
// The guide itself (loop, metrics, sandboxed reward seam, surrogate designer), so one barrel serves both.
export * from "../../guides/reward-design/index.js";
