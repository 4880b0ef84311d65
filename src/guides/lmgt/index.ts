/** LMGT reward shifting (arXiv 2409.04744): an LLM scores (state, action) pairs; the score shifts the reward. */
export { LmgtGuide, createLmgtGuide, type LmgtGuideOptions } from "./guide.js";
export { parseScores, scoreFromToken, type ParsedScores, type Score } from "./parse.js";
export { buildScoringRequest, defaultFewShotExamples, LMGT_PURPOSE, type FewShotExample, type LmgtPromptOptions } from "./prompt.js";
export { renderState, renderAction, renderPair, renderObservationFields, renderActionFields, formatNumber, fieldLabel } from "./render.js";
export { fillTemplate, templatePlaceholders, readLmgtPromptFile, LMGT_PROMPT_STYLES, type LmgtPromptStyle } from "./template.js";
export { ScoreCache, bucketKey, type BucketSpec } from "./cache.js";
export { queryProbability, validateSchedule, scheduleLabel, type QuerySchedule } from "./schedule.js";
export { LmgtStats, type LmgtStatsSnapshot } from "./stats.js";
export {
  answerLmgtRequest,
  readLmgtRequest,
  validateQuality,
  FULL_QUALITY,
  CHANCE_QUALITY,
  LMGT_QUALITY_LEVELS,
  type LmgtSurrogateQuality,
  type ReadRequest,
  type UniformSource,
} from "./surrogate/handler.js";
export { cartPoleExpert, pendulumExpert, blackjackExpert, basicStrategyHits, expertFor, LMGT_EXPERTS, type Expert, type Judgement, type ReadState, type ReadAction } from "./surrogate/experts.js";
export { registerLmgtSurrogate, lmgtQualityFrom } from "./surrogate/register.js";
