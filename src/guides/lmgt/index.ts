/**
 * LMGT reward shifting (arXiv 2409.04744): an LLM scores (state, action) pairs; the score shifts the reward.
 * Generic helper names are exported with an `lmgt` prefix so the package entry's barrels never collide.
 */
export { LmgtGuide, createLmgtGuide, type LmgtGuideOptions } from "./guide.js";
export { parseScores as parseLmgtScores, scoreFromToken as lmgtScoreFromToken, type ParsedScores as ParsedLmgtScores, type Score as LmgtScore } from "./parse.js";
export { buildScoringRequest as buildLmgtRequest, defaultFewShotExamples as lmgtFewShotExamples, LMGT_PURPOSE, type FewShotExample as LmgtFewShotExample, type LmgtPromptOptions } from "./prompt.js";
export { renderState as renderLmgtState, renderAction as renderLmgtAction, renderPair as renderLmgtPair } from "./render.js";
export { LMGT_PROMPT_STYLES, type LmgtPromptStyle } from "./template.js";
export { ScoreCache as LmgtScoreCache, bucketKey as lmgtBucketKey, type BucketSpec as LmgtBucketSpec } from "./cache.js";
export { queryProbability as lmgtQueryProbability, scheduleLabel as lmgtScheduleLabel, type QuerySchedule as LmgtQuerySchedule } from "./schedule.js";
export { LmgtStats, type LmgtStatsSnapshot } from "./stats.js";
export {
  answerLmgtRequest,
  readLmgtRequest,
  FULL_QUALITY as LMGT_FULL_QUALITY,
  CHANCE_QUALITY as LMGT_CHANCE_QUALITY,
  LMGT_QUALITY_LEVELS,
  type LmgtSurrogateQuality,
} from "./surrogate/handler.js";
export {
  cartPoleExpert as lmgtCartPoleExpert,
  pendulumExpert as lmgtPendulumExpert,
  blackjackExpert as lmgtBlackjackExpert,
  basicStrategyHits,
  type Expert as LmgtExpert,
} from "./surrogate/experts.js";
export { registerLmgtSurrogate } from "./surrogate/register.js";
export { DistilledScorer as LmgtDistilledScorer, type DistillOptions as LmgtDistillOptions, type DistillActionEncoding as LmgtDistillActionEncoding } from "./distill.js";
