/**
 * One way to create, load and train any of the algorithms by name (used by the run folder, the CLI and the
 * notebooks). PPO and A2C live here; DQN, SAC and TD3 are loaded from dqn.ts / sac.ts / td3.ts on first use.
 */
import type { Env } from "../core/env.js";
import { describeSpace } from "../core/space-layout.js";
import type { LearnOptions } from "./callbacks.js";
import type { Predictor } from "./evaluate.js";
import type { AlgoName } from "./hyperparams.js";
import { A2C } from "./a2c.js";
import { PPO } from "./ppo.js";

/** What the run folder needs from a model. */
export interface TrainableModel extends Predictor {
  readonly numTimesteps: number;
  learn(opts: LearnOptions): Promise<unknown>;
  /** Writes a checkpoint into `dir` (everything needed to resume exactly). */
  save(dir: string): void;
  /** Releases environments / tensors, when the algorithm has any. */
  close?(): void;
  dispose?(): void;
}

interface AlgorithmModule {
  create(envs: Env[], options: Record<string, unknown>): Promise<TrainableModel>;
  load(dir: string, envs: Env[], options: Record<string, unknown>): Promise<TrainableModel>;
}

/** Action space kinds each algorithm handles. */
export const ACTION_KINDS: Record<AlgoName, readonly ("discrete" | "box")[]> = {
  ppo: ["discrete", "box"],
  a2c: ["discrete", "box"],
  dqn: ["discrete"],
  sac: ["box"],
  td3: ["box"],
};

/** The algorithms on the off-policy loop (replay buffer; `logInterval` counts episodes, SB3's convention). */
export const OFF_POLICY_ALGORITHMS = ["dqn", "sac", "td3"] as const satisfies readonly AlgoName[];
export type OffPolicyAlgoName = (typeof OFF_POLICY_ALGORITHMS)[number];
export const isOffPolicy = (algo: AlgoName): algo is OffPolicyAlgoName => (OFF_POLICY_ALGORITHMS as readonly AlgoName[]).includes(algo);

/** Throws a clear error for combinations such as DQN on a Box action space. */
export function checkCombination(algo: AlgoName, envId: string, env: Env): void {
  const kinds = ACTION_KINDS[algo];
  if (!kinds) throw new Error(`unknown algorithm "${algo}" (${Object.keys(ACTION_KINDS).join(", ")})`);
  const kind = env.actionSpace.kind;
  if (!kinds.includes(kind as "discrete" | "box")) {
    const need = kinds.map((k) => (k === "box" ? "Box" : "Discrete")).join(" or ");
    throw new Error(`${algo.toUpperCase()} needs a ${need} action space; ${envId} has ${describeSpace(env.actionSpace)}`);
  }
}

/** DQN, SAC and TD3 take the network widths at the top level (`netArch`) rather than in policyKwargs. */
function offPolicyOptions(options: Record<string, unknown>): Record<string, unknown> {
  const { policyKwargs, ...rest } = options as { policyKwargs?: Record<string, unknown> } & Record<string, unknown>;
  return { ...(policyKwargs ?? {}), ...rest };
}

async function offPolicyModule(algo: OffPolicyAlgoName): Promise<AlgorithmModule> {
  const specifier = `./${algo}.js`;
  let mod: Record<string, unknown>;
  try {
    mod = await import(specifier);
  } catch (err) {
    throw new Error(`${algo.toUpperCase()} is not available in this build: ${(err as Error).message}`);
  }
  const cls = mod[algo.toUpperCase()] as
    | { new (envs: Env[], o: Record<string, unknown>): TrainableModel; create?: (e: Env[], o: Record<string, unknown>) => Promise<TrainableModel>; load: (d: string, e: Env[], o: Record<string, unknown>) => Promise<TrainableModel> | TrainableModel }
    | undefined;
  if (!cls) throw new Error(`${algo}.js does not export ${algo.toUpperCase()}`);
  return {
    create: async (envs, o) => (cls.create ? cls.create(envs, offPolicyOptions(o)) : new cls(envs, offPolicyOptions(o))),
    load: async (dir, envs, o) => cls.load(dir, envs, offPolicyOptions(o)),
  };
}

export async function algorithmModule(algo: AlgoName): Promise<AlgorithmModule> {
  if (isOffPolicy(algo)) return offPolicyModule(algo);
  switch (algo) {
    case "ppo":
      return { create: async (envs, o) => new PPO(envs, o), load: async (dir, envs, o) => PPO.load(dir, envs, o) };
    case "a2c":
      return { create: async (envs, o) => new A2C(envs, o), load: async (dir, envs, o) => A2C.load(dir, envs, o) };
    default:
      throw new Error(`unknown algorithm "${algo as string}" (${Object.keys(ACTION_KINDS).join(", ")})`);
  }
}
