/** The LMGT protocol: baseline vs LMGT per algorithm, ablations, cost; tables and figures. */
export { LMGT_PRESETS, LMGT_ENV_NAMES, lmgtPreset, type LmgtEnvName, type LmgtAlgoName, type LmgtEnvPreset, type LmgtBudgetSettings } from "./presets.js";
export { createLmgtModel, type LmgtModel } from "./algos.js";
export { evaluatePolicy as evaluateLmgtPolicy } from "./evaluate.js";
export { runLmgtTrial, trialLlm, type LmgtTrialSpec, type LmgtTrialResult, type LmgtGuideSettings, type LmgtLlmSettings } from "./trial.js";
export { planLmgtTrials, runLmgtProtocol, defaultGuideSettings as defaultLmgtGuideSettings, LMGT_EXPERIMENTS, type LmgtExperimentName, type LmgtProtocolOptions } from "./protocol.js";
export {
  meanStd as lmgtMeanStd,
  formatMeanStd as formatLmgtMeanStd,
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
export { lmgtTables, lmgtFigures, lmgtHeadlines, writeLmgtReport, type LmgtReportTable } from "./report.js";
// The guide itself, so the package entry exports LMGT through this one barrel.
export * from "../../guides/lmgt/index.js";
