/**
 * guided-rl: LLM-guided reinforcement learning in TypeScript.
 * The entry point re-exports one barrel per area (see DESIGN.md for the layout).
 */
export * from "./report/index.js";
export * from "./experiments/index.js";
export * from "./llm/index.js";
export * from "./core/index.js";
export * from "./envs/index.js";
export * from "./experiments/lmgt/index.js";
export * from "./experiments/reward-design/index.js";
export * from "./nn/index.js";
export * from "./algos/index.js";
export * from "./sandbox/index.js";
export * from "./experiments/ultra/index.js";
