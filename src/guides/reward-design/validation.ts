/**
 * Validation of a candidate before any training: the sandbox runs it twice on a fixed sample of real
 * BipedalWalker transitions (random actions, including contact changes and a fall) and requires finite,
 * deterministic outputs with stable component names. The error text is what the designer gets back.
 */
import type { Env } from "../../core/env.js";
import { makeAsync } from "../../envs/index.js";
import type { Sandbox, SandboxError, TransitionStep } from "../../sandbox/index.js";
import { extractRewardCode, NoCodeError } from "./parse.js";

/** The environment reward design is written for. */
export const ENV_ID = "BipedalWalker-v3";

/**
 * Real transitions for validation: `episodes` random-action episodes (seeded LCG actions, reset seeds
 * 1000 + i), each up to `maxSteps` steps. Random walkers fall, so the sample holds a terminal step.
 */
export async function validationSample(episodes = 2, maxSteps = 200): Promise<TransitionStep[]> {
  const env: Env = await makeAsync(ENV_ID);
  const steps: TransitionStep[] = [];
  let x = 12345;
  const u = () => {
    x = (Math.imul(1664525, x) + 1013904223) >>> 0;
    return x / 4294967296;
  };
  try {
    for (let ep = 0; ep < episodes; ep++) {
      let obs = env.reset({ seed: 1000 + ep }).obs as Float32Array;
      for (let t = 0; t < maxSteps; t++) {
        // Strongly biased actions make the walker fall within the sample now and then.
        const action = Float32Array.from({ length: 4 }, () => 2 * u() - 1);
        const r = env.step(action);
        steps.push({ obs, action, nextObs: r.obs as Float32Array, info: r.info });
        obs = r.obs as Float32Array;
        if (r.terminated || r.truncated) break;
      }
    }
  } finally {
    env.close();
  }
  return steps;
}

/** A sandbox error (or a missing code block) as the designer reads it. */
export function describeFailure(error: SandboxError): string {
  const where = [error.line !== undefined ? `line ${error.line}` : "", error.step !== undefined ? `sample transition ${error.step}` : ""].filter(Boolean).join(", ");
  return `${error.kind} error${where ? ` (${where})` : ""}: ${error.message}`;
}

export interface ValidationOutcome {
  ok: boolean;
  code?: string;
  error?: SandboxError | { kind: "no-code"; message: string };
  /** Component names of the valid candidate. */
  components?: string[];
  /** Mean reward on the sample (a sanity figure for the run folder). */
  sampleMeanReward?: number;
}

/** Extracts the code from an answer and validates it on the sample. */
export async function validateAnswer(answer: string, sandbox: Sandbox, sample: readonly TransitionStep[]): Promise<ValidationOutcome> {
  let code: string;
  try {
    code = extractRewardCode(answer);
  } catch (err) {
    if (err instanceof NoCodeError) return { ok: false, error: { kind: "no-code", message: err.message } };
    throw err;
  }
  const r = await sandbox.validate(code, sample);
  if (!r.ok) return { ok: false, code, error: r.error };
  let sum = 0;
  for (let i = 0; i < r.rewards.length; i++) sum += r.rewards[i]!;
  return { ok: true, code, components: Object.keys(r.components), sampleMeanReward: sum / Math.max(1, r.rewards.length) };
}

/** Text of a validation failure for the fix prompt. */
export function failureText(outcome: ValidationOutcome): string {
  const e = outcome.error!;
  return e.kind === "no-code" ? `no-code error: ${e.message}` : describeFailure(e as SandboxError);
}
