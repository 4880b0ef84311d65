/** The ULTRA experiments: configs per environment, the protocol, shipped starting policies, reports. */
export { BIPEDAL_CONFIG, PONG_CONFIG, budgetConfig, envConfig, type UltraBudgetConfig, type UltraEnvConfig, type UltraEnvName } from "./configs.js";
export { evaluateBatched, meanStd, type BatchPolicy, type BatchedEvaluation } from "./evaluate.js";
export {
  ppoFromPolicyFile, readPolicyFile, shippedPolicyPath, trainStartingPolicy, writePolicyFile,
  type PolicyFile, type TrainStartingPolicyOptions,
} from "./policy-file.js";
export {
  runUltraExperiment, summarize as summarizeUltra, ULTRA_VARIANTS, type UltraCurvePoint, type UltraResult, type UltraRunOptions,
  type UltraRunRow, type UltraSeedArtifacts, type UltraSummaryRow, type UltraVariant,
} from "./protocol.js";
export { criticalStatesFigure, guideLabel, pongCriticalFrames, ultraCurvesFigure, ultraResultsRows, writeUltraReport } from "./report.js";
// The guide itself, so the package entry needs one line for all of ULTRA.
export * from "../../guides/ultra/index.js";
