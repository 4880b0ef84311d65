/** ULTRA (arXiv 2505.20671): critical states from sub-optimal trajectories, LLM action suggestions and implicit rewards. */
export type { Action, CriticalState, Episode, Segment, UltraMode } from "./types.js";
export { collectEpisodes, type RolloutOptions } from "./rollout.js";
export {
  actionLegend, actionToText, componentNames, episodeToText, observationLegend, segmentToText, selectSegments,
  shownSteps, stateToText, type SegmentOptions, type TrajectoryTextOptions,
} from "./trajectory-text.js";
export { actionDistance, actionFromAnswer, actionSpecOf, type ActionSpec } from "./action-spec.js";
export { extractAnswerArray, parseCriticalStates, parseModulation, UltraParseError, type Parsed, type ParsedCriticalState, type ParsedModulation } from "./parse.js";
export { criticalStatesRequest, fillTemplate, loadUltraTemplate, modulationRequest, type CriticalStateForPrompt, type PromptOptions } from "./prompts.js";
export { CriticalStateTable, fitNormalizer, type Match, type StateNormalizer } from "./lookup.js";
export { UltraGuide, type ActionModulation, type ImplicitRewardAt, type UltraGuideOptions } from "./guide.js";
export {
  identifyCriticalStates, modulateCriticalStates, randomCriticalStates, type IdentifyOptions, type ModulateOptions,
  type UltraExchange, type UltraLlmResult,
} from "./pipeline.js";
export { registerUltraSurrogate } from "./surrogate.js";
