/**
 * One-time notices of the LLM layer (e.g. "using the offline surrogate"): informational, printed once through
 * the package's logger (core/log.ts: plain text, stdout in a notebook). Warnings that need action use `warn`.
 */
export { info as noticeOnce, warn as warnOnce } from "../core/log.js";
