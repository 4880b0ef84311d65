/**
 * The settings of the ULTRA experiments per environment: how the sub-optimal starting policy is made,
 * how it is refined, how the LLM sees the trajectories, and the budget (smoke / full).
 */
import type { PpoOptions } from "../../algos/ppo.js";
import type { Budget } from "../budget.js";
import type { ActionModulation } from "../../guides/ultra/guide.js";

export type UltraEnvName = "pong" | "bipedal";

export interface UltraEnvConfig {
  name: UltraEnvName;
  envId: string;
  envKwargs: Record<string, unknown>;
  /** Shipped starting policy: `data/policies/<policyName>.json`. */
  policyName: string;
  /** The short PPO run that makes the starting policy. */
  pretrain: { steps: number; numEnvs: number; seed: number; options: PpoOptions };
  /** PPO settings of every refinement (all variants share them; continued PPO is the guide-free run). */
  refine: { numEnvs: number; options: PpoOptions };
  /** How the trajectories are cut and shown to the LLM. */
  llm: { segmentLength: number; maxSegments: number; maxCriticalPerSegment: number; stride: number };
  /**
   * Evaluate with the mode of the policy (SB3's default) or by sampling from it. Pong is evaluated
   * stochastically, as rl-zoo evaluates Atari games: a deterministic Pong paddle gets stuck in
   * repeating rallies it loses, so its argmax return says little about the policy PPO trained.
   */
  evalDeterministic: boolean;
  /**
   * Matching radius (RMS of z-scores) and the seams' weights. `actionModulation` picks how ULTRA-A's
   * suggestions reach PPO: "imitation" (a supervised term, weight `imitationCoef` annealed start -> end)
   * or "override" (replaced actions, probability `overrideProbability` start -> end).
   */
  guide: {
    radius: number; rewardScale: number; actionModulation: ActionModulation;
    imitationCoef: [number, number]; overrideProbability: [number, number];
  };
}

export interface UltraBudgetConfig {
  seeds: number[];
  /** Env steps every variant gets, ULTRA's own rollouts included. */
  envSteps: number;
  /** Episodes of the starting policy recorded for the LLM, each cut after `rolloutMaxSteps`. */
  rolloutEpisodes: number;
  rolloutMaxSteps: number;
  evalEpisodes: number;
  /** Evaluate every this many refinement steps (refinement curves). */
  evalEvery: number;
}

export const PONG_CONFIG: UltraEnvConfig = {
  name: "pong",
  envId: "Pong-v0",
  envKwargs: {},
  policyName: "pong-ppo-suboptimal",
  evalDeterministic: false,
  pretrain: {
    steps: 61_440,
    numEnvs: 8,
    seed: 0,
    options: { nSteps: 256, batchSize: 256, nEpochs: 4, learningRate: 3e-4, entCoef: 0.01, gamma: 0.99, gaeLambda: 0.95 },
  },
  refine: {
    numEnvs: 8,
    options: { nSteps: 256, batchSize: 256, nEpochs: 4, learningRate: 1e-4, entCoef: 0.01, gamma: 0.99, gaeLambda: 0.95 },
  },
  llm: { segmentLength: 40, maxSegments: 60, maxCriticalPerSegment: 5, stride: 1 },
  guide: { radius: 0.15, rewardScale: 0.1, actionModulation: "imitation", imitationCoef: [1, 0], overrideProbability: [0.5, 0] },
};

/** BipedalWalker-v3 with rl-zoo's PPO settings (VecNormalize), refined at a lower learning rate. */
export const BIPEDAL_CONFIG: UltraEnvConfig = {
  name: "bipedal",
  envId: "BipedalWalker-v3",
  envKwargs: {},
  policyName: "bipedal-ppo-suboptimal",
  evalDeterministic: true,
  pretrain: {
    steps: 200_000,
    numEnvs: 16,
    seed: 0,
    options: { nSteps: 2048, batchSize: 64, nEpochs: 10, learningRate: 3e-4, gamma: 0.999, gaeLambda: 0.95, clipRange: 0.18, entCoef: 0, normalize: true },
  },
  refine: {
    numEnvs: 16,
    options: { nSteps: 2048, batchSize: 64, nEpochs: 10, learningRate: 1e-4, gamma: 0.999, gaeLambda: 0.95, clipRange: 0.18, entCoef: 0, normalize: true },
  },
  llm: { segmentLength: 30, maxSegments: 16, maxCriticalPerSegment: 3, stride: 2 },
  guide: { radius: 0.5, rewardScale: 0.5, actionModulation: "imitation", imitationCoef: [1, 0], overrideProbability: [1, 0] },
};

export function envConfig(name: UltraEnvName): UltraEnvConfig {
  if (name === "pong") return PONG_CONFIG;
  if (name === "bipedal") return BIPEDAL_CONFIG;
  throw new Error(`ULTRA: unknown environment "${String(name)}" (expected pong or bipedal)`);
}

export function budgetConfig(name: UltraEnvName, b: Budget): UltraBudgetConfig {
  if (name === "pong") {
    return b === "smoke"
      ? { seeds: [0, 1], envSteps: 12_000, rolloutEpisodes: 1, rolloutMaxSteps: 1_500, evalEpisodes: 2, evalEvery: 6_000 }
      : { seeds: [0, 1, 2, 3, 4], envSteps: 40_000, rolloutEpisodes: 1, rolloutMaxSteps: 3_000, evalEpisodes: 16, evalEvery: 8_000 };
  }
  return b === "smoke"
    ? { seeds: [0], envSteps: 70_000, rolloutEpisodes: 2, rolloutMaxSteps: 1_600, evalEpisodes: 2, evalEvery: 40_000 }
    : { seeds: [0, 1, 2, 3, 4], envSteps: 300_000, rolloutEpisodes: 4, rolloutMaxSteps: 1_600, evalEpisodes: 5, evalEvery: 100_000 };
}
