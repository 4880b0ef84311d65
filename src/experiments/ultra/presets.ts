/**
 * The ULTRA protocol's settings per environment: how the sub-optimal starting policy is made, how it is
 * refined, how the LLM sees the trajectories, the automated-refinement baselines (StateMask's mask
 * network, RICE's restarts and exploration bonus) and the budgets (smoke / full).
 */
import type { PpoOptions } from "../../algos/ppo.js";
import type { Budget } from "../budget.js";

export type UltraEnvName = "pong" | "hopper" | "walker2d" | "halfcheetah" | "bipedal";
export const ULTRA_ENV_NAMES: readonly UltraEnvName[] = ["pong", "hopper", "walker2d", "halfcheetah", "bipedal"];

export interface UltraEnvPreset {
  name: UltraEnvName;
  envId: string;
  envKwargs: Record<string, unknown>;
  /** Shipped starting policy: `data/policies/<policyName>.json`. */
  policyName: string;
  /** The short PPO run that makes the starting policy (sub-optimal on purpose). */
  pretrain: { steps: number; numEnvs: number; seed: number; options: PpoOptions };
  /** PPO settings of every refinement (all rows share them; continued PPO is the guide-free run). */
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
   * The seams' settings: matching radius (RMS of z-scores), weight of the implicit reward, and for the
   * imitation rows (our variant) the weight of the supervised term, annealed start -> end. The paper's
   * rows always override at probability 1 and pay the implicit reward at every matched state.
   */
  guide: { radius: number; rewardScale: number; imitationCoef: [number, number] };
  /**
   * StateMask-style mask network (Cheng et al., NeurIPS 2023, in RICE's simplified form): a PPO agent on
   * the frozen starting policy's environment chooses per step "keep the agent's action" or "blind it"
   * (a uniformly random action instead); it earns the environment's reward plus `blindBonus` per
   * blinded step, so it learns to blind wherever that does not change the outcome.
   */
  mask: { numEnvs: number; blindBonus: number; options: PpoOptions };
  /**
   * RICE (Cheng et al., ICML 2024): at each reset, with probability `restartProbability` the episode
   * starts from a critical state instead of the default initial distribution; a random network
   * distillation bonus (`rndCoef` times the normalised prediction error) drives exploration from there.
   */
  rice: { restartProbability: number; rndCoef: number };
}

export interface UltraBudget {
  seeds: number[];
  /** Env steps every refined row uses in total: analysis (recorded rollouts, mask training) plus refinement. */
  envSteps: number;
  /** Steps of the starting policy recorded for the analysis (LLM and mask network), episodes cut at `rolloutMaxSteps`. */
  rolloutSteps: number;
  rolloutMaxSteps: number;
  /** Env steps the mask network trains on (the StateMask and RICE rows pay them). */
  maskSteps: number;
  evalEpisodes: number;
  /** Evaluate every this many refinement steps (refinement curves). */
  evalEvery: number;
}

const PONG: UltraEnvPreset = {
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
  guide: { radius: 0.15, rewardScale: 0.1, imitationCoef: [1, 0] },
  mask: { numEnvs: 8, blindBonus: 0.01, options: { nSteps: 256, batchSize: 256, nEpochs: 4, learningRate: 3e-4, entCoef: 0.01, gamma: 0.99, gaeLambda: 0.95 } },
  rice: { restartProbability: 0.5, rndCoef: 0.01 },
};

/**
 * MuJoCo locomotion (the refinement literature's tasks): PPO with VecNormalize on 4 envs, 64x64 tanh
 * networks (SB3's defaults otherwise), pretrained briefly so the policy moves but falls or stalls.
 * Refinement and the mask network update with minibatches of 128 for 5 epochs (a quarter of the
 * pretraining's gradient steps per phase) so 5 seeds x 9 rows fit a shared 2-core machine.
 */
function mujoco(name: "hopper" | "walker2d" | "halfcheetah", envId: string, pretrainSteps: number): UltraEnvPreset {
  const ppo: PpoOptions = { nSteps: 512, batchSize: 64, nEpochs: 10, learningRate: 3e-4, gamma: 0.99, gaeLambda: 0.95, clipRange: 0.2, entCoef: 0, normalize: true };
  return {
    name,
    envId,
    envKwargs: {},
    policyName: `${name}-ppo-suboptimal`,
    evalDeterministic: true,
    pretrain: { steps: pretrainSteps, numEnvs: 4, seed: 0, options: ppo },
    refine: { numEnvs: 4, options: { ...ppo, learningRate: 1e-4, batchSize: 128, nEpochs: 5 } },
    llm: { segmentLength: 40, maxSegments: 24, maxCriticalPerSegment: 3, stride: 2 },
    guide: { radius: 0.5, rewardScale: 0.5, imitationCoef: [1, 0] },
    mask: { numEnvs: 4, blindBonus: 0.05, options: { nSteps: 512, batchSize: 128, nEpochs: 5, learningRate: 3e-4, gamma: 0.99, gaeLambda: 0.95, entCoef: 0.01, normalize: true } },
    rice: { restartProbability: 0.5, rndCoef: 0.01 },
  };
}

/** BipedalWalker-v3 with rl-zoo's PPO settings (VecNormalize), refined at a lower learning rate. */
const BIPEDAL: UltraEnvPreset = {
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
  guide: { radius: 0.5, rewardScale: 0.5, imitationCoef: [1, 0] },
  mask: { numEnvs: 16, blindBonus: 0.05, options: { nSteps: 256, batchSize: 256, nEpochs: 4, learningRate: 3e-4, gamma: 0.999, gaeLambda: 0.95, entCoef: 0.01, normalize: true } },
  rice: { restartProbability: 0.5, rndCoef: 0.01 },
};

export const ULTRA_PRESETS: Readonly<Record<UltraEnvName, UltraEnvPreset>> = {
  pong: PONG,
  hopper: mujoco("hopper", "Hopper-v5", 100_000),
  walker2d: mujoco("walker2d", "Walker2d-v5", 100_000),
  halfcheetah: mujoco("halfcheetah", "HalfCheetah-v5", 100_000),
  bipedal: BIPEDAL,
};

export function ultraPreset(name: UltraEnvName): UltraEnvPreset {
  const preset = ULTRA_PRESETS[name];
  if (!preset) throw new Error(`ULTRA: unknown environment "${String(name)}" (expected ${ULTRA_ENV_NAMES.join(", ")})`);
  return preset;
}

/**
 * Budgets. Every count is a whole number of refinement phases (nSteps x numEnvs) so that every refined
 * row, whatever its analysis cost, ends at exactly `envSteps` env steps. smoke: every stage at toy size
 * (CI); showcase: fewer seeds at the full step counts (the published notebook); full: the tables.
 */
export function ultraBudget(name: UltraEnvName, b: Budget): UltraBudget {
  if (name === "pong") {
    const full: UltraBudget = { seeds: [0, 1, 2, 3, 4], envSteps: 40_960, rolloutSteps: 4_096, rolloutMaxSteps: 3_000, maskSteps: 8_192, evalEpisodes: 16, evalEvery: 8_192 };
    if (b === "smoke") return { seeds: [0, 1], envSteps: 6_144, rolloutSteps: 2_048, rolloutMaxSteps: 2_048, maskSteps: 2_048, evalEpisodes: 2, evalEvery: 4_096 };
    return b === "showcase" ? { ...full, seeds: [0, 1] } : full;
  }
  if (name === "bipedal") {
    return b === "smoke"
      ? { seeds: [0], envSteps: 98_304, rolloutSteps: 32_768, rolloutMaxSteps: 1_600, maskSteps: 32_768, evalEpisodes: 2, evalEvery: 65_536 }
      : { seeds: [0, 1, 2, 3, 4], envSteps: 327_680, rolloutSteps: 32_768, rolloutMaxSteps: 1_600, maskSteps: 65_536, evalEpisodes: 5, evalEvery: 98_304 };
  }
  // MuJoCo: phase 512 x 4 = 2048 steps
  const full: UltraBudget = { seeds: [0, 1, 2, 3, 4], envSteps: 40_960, rolloutSteps: 4_096, rolloutMaxSteps: 1_000, maskSteps: 8_192, evalEpisodes: 5, evalEvery: 8_192 };
  if (b === "smoke") return { seeds: [0], envSteps: 8_192, rolloutSteps: 2_048, rolloutMaxSteps: 1_000, maskSteps: 2_048, evalEpisodes: 2, evalEvery: 8_192 };
  return b === "showcase" ? { ...full, seeds: [0] } : full;
}
