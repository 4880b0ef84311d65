/**
 * Budgets of the reward-design reproduction.
 *
 * full mirrors the reference protocol: rl-zoo's PPO settings for BipedalWalker-v3 (32 envs, nSteps 2048,
 * batch 64, 10 epochs, gamma 0.999, gae 0.95, lr 3e-4, clip 0.18, observation and reward normalisation),
 * 1M env steps per candidate (the length of the 1.05M-step SB3 reference run), 5 iterations x 4
 * candidates (the reference wrote one candidate per iteration; K = 4 keeps the same number of iterations
 * and explores more), 5 deterministic evaluation episodes at 5 checkpoints. On 2 cores that is about
 * 21 PPO runs of 1M steps: hours, not minutes.
 *
 * smoke runs every stage (prompts, sandbox, fix round, parallel training, reflection, selection,
 * baseline, table, figures) at toy size: 2 iterations x 2 candidates x 4096 steps, evaluation episodes
 * cut at 400 steps. It shows the machinery works, not that the walker learns.
 */
import type { Budget } from "../budget.js";
import type { TrainingProtocol } from "./training.js";

export interface RewardDesignPreset {
  iterations: number;
  candidates: number;
  protocol: TrainingProtocol;
}

/** rl-zoo's BipedalWalker-v3 PPO options (data/hyperparams/ppo.json), without nEnvs/nTimesteps. */
export const ZOO_BIPEDAL_PPO = {
  nSteps: 2048,
  batchSize: 64,
  nEpochs: 10,
  gamma: 0.999,
  gaeLambda: 0.95,
  learningRate: 3e-4,
  clipRange: 0.18,
  entCoef: 0,
  normalize: true,
} as const;

export function rewardDesignPreset(budget: Budget): RewardDesignPreset {
  if (budget === "full") {
    return {
      iterations: 5,
      candidates: 4,
      protocol: { totalTimesteps: 1_000_000, nEnvs: 32, ppo: { ...ZOO_BIPEDAL_PPO }, checkpoints: 5, evalEpisodes: 5, evalSeed: 10_000, seed: 0 },
    };
  }
  return {
    iterations: 2,
    candidates: 2,
    protocol: {
      totalTimesteps: 4096,
      nEnvs: 4,
      ppo: { ...ZOO_BIPEDAL_PPO, nSteps: 256, nEpochs: 4 },
      checkpoints: 2,
      evalEpisodes: 2,
      evalSeed: 10_000,
      evalMaxSteps: 400,
      seed: 0,
    },
  };
}
