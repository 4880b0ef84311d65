/**
 * guided-rl: LLM-guided reinforcement learning in TypeScript (see the README's map of the layers).
 *
 * The layers every method shares are exported flat: core (Env contract, spaces, RNG), envs (registry,
 * environments, wrappers, vector env), nn, algos, llm, sandbox, report, and the experiments' budget. Each
 * method is a namespace holding its guide and its experiments, so their names never collide:
 *
 *     import { make, PPO, lmgt, ultra, rewardDesign } from "guided-rl";
 *     const guide = new lmgt.LmgtGuide({ ... });
 *     const result = await ultra.runUltraExperiment({ ... });
 */
export * from "./core/index.js";
export * from "./envs/index.js";
export * from "./nn/index.js";
export * from "./algos/index.js";
export * from "./llm/index.js";
export * from "./sandbox/index.js";
export * from "./report/index.js";
export * from "./experiments/index.js";
export * as lmgt from "./experiments/lmgt/index.js";
export * as ultra from "./experiments/ultra/index.js";
export * as rewardDesign from "./experiments/reward-design/index.js";
