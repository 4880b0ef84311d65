/**
 * The two protocols of the reward-design reproduction, each at two budgets. Each preset says what it
 * mirrors and where it deviates (`mirrors`, `deviations`); both are judged the same way: the native
 * BipedalWalker-v3 return of deterministic evaluation episodes, so their numbers can share one table.
 *
 * eureka (the default): Eureka's protocol (Ma et al. 2023, "Eureka: Human-Level Reward Design via Coding
 *   Large Language Models"): K candidates per iteration, each trained from scratch, the best by the task's
 *   own return goes back with a reflection of its training run. Here K = 4 x 5 iterations, PPO with rl-zoo's
 *   BipedalWalker-v3 settings (32 envs, nSteps 2048, batch 64, 10 epochs, gamma 0.999, gae 0.95, lr 3e-4,
 *   clip 0.18, observation and reward normalisation) for 1M steps per candidate, 5 evaluation episodes at
 *   5 checkpoints. On 2 cores that is about 21 PPO runs of 1M steps: hours.
 *
 * seed: the HEAD protocol of the reward-design seed repository (abhaydwived/LLM-Guided-Reinforcement-
 *   Learning-for-BipedalWalker-v3, v2.0, read at 45b91f3): ONE SAC agent (SB3's SAC with lr 3e-4, buffer
 *   1M, batch 256, ent_coef auto, gamma 0.99, tau 0.005, train_freq 1, gradient_steps 1, 4 envs) trains for
 *   22 iterations x 500k steps on its procedurally generated course (flat / uneven / slope / stairs chunks,
 *   5000-step episodes); after each iteration the designer sees gait metrics with a 3-iteration trend, the
 *   goals and a human hint (never the previous code) and writes ONE reward, swapped in while training goes
 *   on with the same networks and replay buffer. 15 evaluation episodes. 11M SAC steps: days on 2 cores.
 *   (Its first version, 4faaba0, was different again: PPO with SB3 defaults retrained from scratch, 10 x 400k
 *   steps, on the normal course.)
 *
 * smoke (both): every stage at toy size; it shows the machinery works, not that the walker learns.
 * showcase (both): minutes per run on 2 cores (the published notebook): eureka 2 x 2 candidates x 50k PPO steps,
 *   seed 3 x 10k SAC steps with small networks; still far from walking, but curves and alerts have data.
 */
import type { Budget } from "../budget.js";
import type { SeedProtocol } from "./seed-loop.js";
import type { TrainingProtocol } from "./training.js";

export const REWARD_DESIGN_PRESETS = ["eureka", "seed"] as const;
export type RewardDesignPresetName = (typeof REWARD_DESIGN_PRESETS)[number];

interface PresetClaims {
  /** What the preset reproduces, with its source. */
  mirrors: string;
  /** Where it departs from that source, and why. */
  deviations: string[];
  /** Training seeds of the final comparison (best candidate and baselines retrained; 95% CI over them). */
  finalSeeds: number[];
}

export interface EurekaPreset extends PresetClaims {
  name: "eureka";
  iterations: number;
  candidates: number;
  protocol: TrainingProtocol;
}

export interface SeedPreset extends PresetClaims {
  name: "seed";
  protocol: SeedProtocol;
}

export type RewardDesignPreset = EurekaPreset | SeedPreset;

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

/** The seed repository's SAC settings (rl/train.py at HEAD; SB3's default [256, 256] networks). */
export const SEED_SAC = {
  learningRate: 3e-4,
  bufferSize: 1_000_000,
  batchSize: 256,
  entCoef: "auto",
  gamma: 0.99,
  tau: 0.005,
  trainFreq: 1,
  gradientSteps: 1,
} as const;

const EUREKA_CLAIMS = {
  mirrors: "Eureka's loop (Ma et al. 2023): K reward candidates per iteration, each trained from scratch, fitness = the task's own (native) return, the best one's reflection fed back",
  deviations: [
    "K = 4 candidates per iteration instead of Eureka's 16 (2 cores)",
    "PPO with rl-zoo's BipedalWalker-v3 settings, 1M steps per candidate",
    "a failed candidate is sent back once with its error (Eureka resamples)",
    "a check before compute (CARD-style): a candidate must rank walking > standing > falling reference episodes before it trains",
    "the reflection adds gait metrics, failure kinds and a reward-hacking alert to Eureka's component statistics",
  ],
};

const SEED_CLAIMS = {
  mirrors:
    "the seed repository's HEAD protocol (abhaydwived/LLM-Guided-Reinforcement-Learning-for-BipedalWalker-v3, v2.0): one SAC agent trained on its procedural course while one new reward per iteration is swapped in (same networks, same replay buffer); the prompt holds gait metrics with a 3-iteration trend, goals and a human hint, no previous code",
  deviations: [
    "fitness is the native BipedalWalker-v3 return (the repository reads its metrics, it has no single fitness), so the presets share one table",
    "the first iteration trains on the native reward (the repository starts from a hand-tuned reward file)",
    "rewards are JavaScript computeReward(obs, action, nextObs, info) in the sandbox (the repository: Python compute_reward(obs, action) of the observation before the step)",
    "a failed reward is sent back once and must pass the reference-ranking check; still failing, the current reward is kept (the repository only parses the code and keeps the old reward)",
    "course difficulty 1, all four chunk kinds in turn (its config sets 0.0, which by its own scaling makes every chunk flat, and its HEAD code cycles flat / uneven / stairs only)",
    "episodes in progress continue across a swap (SB3's set_env resets them); no reward is asked after the last iteration",
    "its metrics in physical units from info (metres, m/s) where the repository used the normalised observation",
  ],
};

/** The preset `name` at `budget`. */
export function rewardDesignPreset(budget: Budget): EurekaPreset;
export function rewardDesignPreset(budget: Budget, name: "eureka"): EurekaPreset;
export function rewardDesignPreset(budget: Budget, name: "seed"): SeedPreset;
export function rewardDesignPreset(budget: Budget, name: RewardDesignPresetName): RewardDesignPreset;
export function rewardDesignPreset(budget: Budget, name: RewardDesignPresetName = "eureka"): RewardDesignPreset {
  if (!REWARD_DESIGN_PRESETS.includes(name)) throw new Error(`unknown reward-design preset "${name}"; choose one of ${REWARD_DESIGN_PRESETS.join(", ")}`);
  const full = budget === "full";
  const showcase = budget === "showcase";
  if (name === "seed") {
    const small = showcase
      ? "showcase: 3 iterations x 10k steps, 2 envs, [64, 64] networks, batch 64, 3 evaluation episodes"
      : "smoke: 3 iterations x 1000 steps, 2 envs, [64, 64] networks, batch 64, 2 evaluation episodes cut at 300 steps";
    return {
      name,
      ...SEED_CLAIMS,
      deviations: full ? SEED_CLAIMS.deviations : [...SEED_CLAIMS.deviations, small],
      finalSeeds: full ? [0, 1, 2] : [0],
      protocol: full
        ? { iterations: 22, stepsPerIteration: 500_000, nEnvs: 4, sac: { ...SEED_SAC }, terrainDifficulty: 1, maxEpisodeSteps: 5000, evalEpisodes: 15, evalSeed: 10_000, seed: 0 }
        : showcase
          ? { iterations: 3, stepsPerIteration: 10_000, nEnvs: 2, sac: { ...SEED_SAC, bufferSize: 100_000, batchSize: 64, netArch: [64, 64] }, terrainDifficulty: 1, maxEpisodeSteps: 5000, evalEpisodes: 3, evalSeed: 10_000, seed: 0 }
          : {
              iterations: 3,
              stepsPerIteration: 1000,
              nEnvs: 2,
              sac: { ...SEED_SAC, bufferSize: 100_000, batchSize: 64, learningStarts: 100, netArch: [64, 64] },
              terrainDifficulty: 1,
              maxEpisodeSteps: 5000,
              evalEpisodes: 2,
              evalSeed: 10_000,
              evalMaxSteps: 300,
              seed: 0,
            },
    };
  }
  if (full) {
    return {
      name,
      ...EUREKA_CLAIMS,
      finalSeeds: [0, 1, 2],
      iterations: 5,
      candidates: 4,
      protocol: { totalTimesteps: 1_000_000, nEnvs: 32, ppo: { ...ZOO_BIPEDAL_PPO }, checkpoints: 5, evalEpisodes: 5, evalSeed: 10_000, seed: 0 },
    };
  }
  if (showcase) {
    return {
      name,
      ...EUREKA_CLAIMS,
      deviations: [...EUREKA_CLAIMS.deviations, "showcase: 2 iterations x 2 candidates x 50k steps, 8 envs, nSteps 512, 3 evaluation episodes"],
      finalSeeds: [0],
      iterations: 2,
      candidates: 2,
      protocol: { totalTimesteps: 50_000, nEnvs: 8, ppo: { ...ZOO_BIPEDAL_PPO, nSteps: 512 }, checkpoints: 3, evalEpisodes: 3, evalSeed: 10_000, seed: 0 },
    };
  }
  return {
    name,
    ...EUREKA_CLAIMS,
    deviations: [...EUREKA_CLAIMS.deviations, "smoke: 2 iterations x 2 candidates x 4096 steps, 4 envs, evaluation cut at 400 steps"],
    finalSeeds: [0],
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
