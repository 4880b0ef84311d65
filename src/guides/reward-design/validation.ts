/**
 * Validation of a candidate before any training: the sandbox runs it twice on a fixed sample of real
 * BipedalWalker transitions (random actions, including contact changes and a fall) and requires finite,
 * deterministic outputs with stable component names. The error text is what the designer gets back.
 */
import type { Env } from "../../core/env.js";
import { makeAsync } from "../../envs/index.js";
import type { Sandbox, SandboxError, TransitionStep } from "../../sandbox/index.js";
import { ENV_ID } from "./metrics.js";
import { extractRewardCode, NoCodeError, type NoCodeReason } from "./parse.js";
import { rankingCheck } from "./precheck.js";
import type { ReferenceName, ReferenceTrajectory } from "./references.js";


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

/**
 * Why an answer was not usable: a sandbox error, no usable code (see NoCodeReason), an answer cut at
 * max_tokens (or refused: kind "cut" says the answer is not whole), or a reward that ranks the reference trajectories wrongly (the check before compute).
 */
export type AnswerError =
  | SandboxError
  | { kind: "no-code"; reason: NoCodeReason; message: string }
  | { kind: "cut"; message: string }
  | { kind: "ranking"; message: string; returns: Record<ReferenceName, number> };

export interface ValidationOutcome {
  ok: boolean;
  code?: string;
  error?: AnswerError;
  /** Component names of the valid candidate. */
  components?: string[];
  /** Mean reward on the sample (a sanity figure for the run folder). */
  sampleMeanReward?: number;
  /** The candidate's returns on the reference trajectories, when the check before compute ran. */
  referenceReturns?: Record<ReferenceName, number>;
}

export interface ValidateOptions {
  /** Reference trajectories for the check before compute (walking > standing > falling); none skips it. */
  refs?: readonly ReferenceTrajectory[];
  /**
   * Why the answer is not whole (cut at max_tokens, refused), in a sentence: `incompleteReason(completion,
   * maxTokens)` of the LLM layer. Undefined for an answer that ended normally.
   */
  incomplete?: string;
}

/**
 * Extracts the code from an answer, validates it on the sample and (with `refs`) checks its ranking of
 * the reference trajectories. A cut answer is a failure unless it holds a complete code block.
 */
export async function validateAnswer(answer: string, sandbox: Sandbox, sample: readonly TransitionStep[], options: ValidateOptions = {}): Promise<ValidationOutcome> {
  let code: string;
  try {
    code = extractRewardCode(answer);
  } catch (err) {
    if (!(err instanceof NoCodeError)) throw err;
    if (options.incomplete || err.reason === "cut") {
      const why = options.incomplete ?? "the answer was cut off at the max_tokens limit";
      return { ok: false, error: { kind: "cut", message: `${why}, before the code was complete; send only the function, shorter, in one \`\`\`javascript block` } };
    }
    return { ok: false, error: { kind: "no-code", reason: err.reason, message: err.message } };
  }
  const r = await sandbox.validate(code, sample);
  if (!r.ok) {
    // A cut answer's last block may be complete but its function is not: say why it broke.
    if (options.incomplete && r.error.kind === "syntax") return { ok: false, code, error: { kind: "cut", message: `${options.incomplete}, and its code does not parse (${r.error.message}); send only the function, shorter` } };
    return { ok: false, code, error: r.error };
  }
  let sum = 0;
  for (let i = 0; i < r.rewards.length; i++) sum += r.rewards[i]!;
  const outcome: ValidationOutcome = { ok: true, code, components: Object.keys(r.components), sampleMeanReward: sum / Math.max(1, r.rewards.length) };
  if (options.refs) {
    const check = await rankingCheck(code, sandbox, options.refs);
    if ("error" in check) return { ok: false, code, error: check.error };
    outcome.referenceReturns = check.returns;
    if (!check.ok) return { ...outcome, ok: false, error: { kind: "ranking", message: check.message!, returns: check.returns } };
  }
  return outcome;
}

/** Text of a validation failure for the fix prompt. */
export function failureText(outcome: ValidationOutcome): string {
  const e = outcome.error!;
  if (e.kind === "no-code") return `no usable code (${e.reason}): ${e.message}`;
  if (e.kind === "cut") return `cut answer: ${e.message}`;
  if (e.kind === "ranking") return e.message;
  return describeFailure(e);
}
