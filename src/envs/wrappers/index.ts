export { TimeLimit } from "./time-limit.js";
export { EnvChecker } from "./env-checker.js";
export { RecordEpisodeStatistics } from "./record-episode-statistics.js";
export type { EpisodeStatistics } from "./record-episode-statistics.js";
export { ClipAction } from "./clip-action.js";
export { NormalizeObservation, NormalizeReward, normalizeInto } from "./normalize.js";
export type { NormalizeObservationOptions, NormalizeObservationState, NormalizeRewardOptions, NormalizeRewardState } from "./normalize.js";
export { VectorNormalize } from "./vector-normalize.js";
export type { VectorNormalizeOptions, VectorNormalizeState } from "./vector-normalize.js";
