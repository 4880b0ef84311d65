/** The LMGT protocol: baseline vs LMGT per algorithm, ablations, cost; tables and figures. */
export {
  LMGT_PRESETS, LMGT_ENV_NAMES, LMGT_METHODS, lmgtPreset,
  type LmgtEnvName, type LmgtAlgoName, type LmgtEnvPreset, type LmgtBudgetSettings, type LmgtMethodName, type LmgtShiftOption,
} from "./presets.js";
export { LMGT_PAPER_FIGURES, LMGT_PAPER_SOURCE, LMGT_PAPER_MODEL_ABLATION, type LmgtPaperFigure } from "./paper-figures.js";
export { createLmgtModel } from "./algos.js";
export { runLmgtTrial, trialLlm, type LmgtTrialHooks, type LmgtTrialSpec, type LmgtTrialResult, type LmgtGuideSettings, type LmgtLlmSettings } from "./trial.js";
export { planLmgtTrials, runLmgtProtocol, defaultGuideSettings as defaultLmgtGuideSettings, lmgtArmVariant, lmgtCheckpoints, LMGT_EXPERIMENTS, type LmgtExperimentName, type LmgtProtocolOptions } from "./protocol.js";
export {
  meanStd as lmgtMeanStd,
  formatMeanStd as formatLmgtMeanStd,
  formatMeanCi as formatLmgtMeanCi,
  formatIqm as formatLmgtIqm,
  armLabel as lmgtArmLabel,
  paperComparisonTable as lmgtPaperComparisonTable,
  modelTable as lmgtModelTable,
  performanceProfileFigure as lmgtPerformanceProfileFigure,
  scorerLabel as lmgtScorerLabel,
  sampleEfficiencyTable as lmgtSampleEfficiencyTable,
  lmgtGainTable,
  promptStyleTable as lmgtPromptStyleTable,
  qualityTable as lmgtQualityTable,
  costTable as lmgtCostTable,
  costReduction as lmgtCostReduction,
  learningCurveFigure as lmgtLearningCurveFigure,
  budgetBarsFigure as lmgtBudgetBarsFigure,
  costFigure as lmgtCostFigure,
} from "./summary.js";
export { runLmgtModelSweep, type LmgtModelSweepOptions } from "./models.js";
export { lmgtTables, lmgtFigures, lmgtHeadlines, writeLmgtReport, type LmgtReportTable } from "./report.js";
// The guide itself, so the package entry exports LMGT through this one barrel.
export * from "../../guides/lmgt/index.js";
