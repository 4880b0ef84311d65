/** The ULTRA experiments: configs per environment, the protocol, shipped starting policies, reports. */
export { ULTRA_ENV_NAMES, ULTRA_PRESETS, ultraBudget, ultraPreset, type UltraBudget, type UltraEnvName, type UltraEnvPreset } from "./presets.js";
export {
  ppoFromPolicyFile, readPolicyFile, shippedPolicyPath, trainStartingPolicy, writePolicyFile,
  type PolicyFile, type TrainStartingPolicyOptions,
} from "./policy-file.js";
export {
  adviceLogProb, recordSteps, runUltraExperiment, summarize, ULTRA_ROWS, ULTRA_VARIANTS, type UltraCurvePoint, type UltraResult,
  type UltraRowSpec, type UltraRunOptions, type UltraRunRow, type UltraSeedArtifacts, type UltraSummaryRow, type UltraVariant,
} from "./protocol.js";
export { RestartWrapper, requireRestorable, restorableOf, type RestartOptions, type RestorableEnv, type StartState } from "./restart.js";
export { RndBonus, type RndOptions } from "./rnd.js";
export { keepProbabilities, MaskEnv, maskCriticalStates, randomAction, trainMaskNetwork, type MaskEnvOptions, type TrainMaskOptions } from "./statemask.js";
export { criticalStatesFigure, guideLabel, readUltraResult, shippedUltraResultPath, ultraCaption, pongCriticalFrames, restoredCriticalFrames, ultraCurvesFigure, ultraPerformanceProfileFigure, ultraResultsRows, writeUltraReport } from "./report.js";
// The guide itself, so the package entry needs one line for all of ULTRA.
export * from "../../guides/ultra/index.js";
