/**
 * The reward-design loop (Eureka-style, for BipedalWalker-v3):
 *
 *   for each iteration:
 *     1. ask the designer for K candidate reward functions (iteration 1: task, fields, contract, metrics;
 *        later: plus the best code so far and its reflection);
 *     2. validate each in the sandbox; a failed one is sent back ONCE with its error for a fix;
 *     3. train the valid candidates with PPO, in parallel child processes (one per core);
 *     4. score each by the NATIVE return of deterministic evaluation episodes (distance breaks ties),
 *        keep the best so far, and reflect on it for the next iteration.
 *   Baselines in the same protocol: PPO on the native reward; the first candidate without iteration.
 *
 * Run folder (`runDir`):
 *   config.json                         the loop's settings (a resumed run must match them)
 *   llm-transcript.jsonl, llm-cassette.jsonl, llm-usage.json   every LLM call (see src/llm)
 *   iter-NN/cand-K/prompt.md            system + user prompt of the candidate
 *   iter-NN/cand-K/response.md          the designer's answer; fix-prompt.md / fix-response.md if it was sent back
 *   iter-NN/cand-K/candidate.json       the extracted code, validation result(s), status
 *   iter-NN/cand-K/reward.js            the code that was trained
 *   iter-NN/cand-K/training.jsonl, result.json, model/   training curve, outcome, trained policy
 *   iter-NN/summary.json                the iteration's candidates and the best so far
 *   baseline-native/                    PPO on the native reward, same protocol
 *   results.json, table.md              the final table
 * Resuming (`runRewardDesign` on an existing folder) skips every candidate whose candidate.json /
 * result.json exists: after a crash the loop continues at the last finished candidate.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LlmClient, LlmMessage } from "../../llm/types.js";
import { Sandbox, type TransitionStep } from "../../sandbox/index.js";
import { compareFitness } from "./evaluation.js";
import { fmt } from "../../guides/reward-design/metrics.js";
import { trainInPool } from "./pool.js";
import { fixPrompt, initialPrompt, iterationPrompt, promptTemplate, taskText } from "../../guides/reward-design/prompts.js";
import { failureKinds, failureKindText, reflectionText } from "./reflection.js";
import { FIX_REWARD_TASK, REWARD_DESIGN_GUIDE, WRITE_REWARD_TASK } from "../../guides/reward-design/surrogate.js";
import { readResult, type TrainingJob, type TrainingProtocol, type TrainingResult } from "./training.js";
import { failureText, validateAnswer, validationSample, type ValidationOutcome } from "../../guides/reward-design/validation.js";

export interface RewardDesignOptions {
  runDir: string;
  /** The designer: any LLM client (createLlm(...) with a provider, or the surrogate). */
  llm: LlmClient;
  iterations: number;
  /** Candidates per iteration (K). */
  candidates: number;
  protocol: TrainingProtocol;
  /** Training processes at once (default: cores). 0 trains in this process, one after another. */
  concurrency?: number;
  /** Train PPO on the native reward as a baseline (default true). */
  nativeBaseline?: boolean;
  /** max_tokens of each designer call (default 4096). */
  maxTokens?: number;
  /** Sampling temperature of the designer (default 1, as Eureka samples diverse candidates). */
  temperature?: number;
  /** Progress events (CLI and notebooks print them). */
  onEvent?: (event: RewardDesignEvent) => void;
}

export type RewardDesignEvent =
  | { type: "candidate"; iteration: number; candidate: number; status: CandidateStatus; fixed: boolean; error?: string; resumed: boolean }
  | { type: "trained"; id: string; result: TrainingResult; resumed: boolean }
  | { type: "iteration"; iteration: number; best?: CandidateRecord };

export type CandidateStatus = "valid" | "rejected";

/** What the run folder keeps about one candidate. */
export interface CandidateRecord {
  iteration: number;
  candidate: number;
  id: string;
  dir: string;
  status: CandidateStatus;
  /** The code that was validated last (the fix when there was one). */
  code?: string;
  /** Validation of the first answer, and of the fix if one was asked for. */
  validations: ValidationOutcome[];
  /** True when the first answer failed and the fix passed. */
  fixed: boolean;
  /** The final validation error of a rejected candidate, as sent to the designer. */
  error?: string;
  /** The training outcome (valid candidates, once trained). */
  result?: TrainingResult;
}

export interface IterationSummary {
  iteration: number;
  valid: number;
  rejected: number;
  fixed: number;
  /** Best native return among this iteration's candidates (NaN when none trained). */
  bestReturn: number;
  meanReturn: number;
  bestId?: string;
  /** Best over all iterations so far. */
  bestSoFarId?: string;
  bestSoFarReturn: number;
}

export interface RewardDesignResult {
  runDir: string;
  candidates: CandidateRecord[];
  iterations: IterationSummary[];
  /** The best candidate over all iterations (by native return, then distance). */
  best?: CandidateRecord;
  /** Baseline: the first candidate of the first iteration, no iteration. */
  firstCandidate?: CandidateRecord;
  /** Baseline: PPO on the native reward. */
  nativeBaseline?: TrainingResult;
  wallSeconds: number;
}

const pad = (n: number) => String(n).padStart(2, "0");
export const candidateId = (iteration: number, candidate: number) => `iter-${pad(iteration)}/cand-${candidate}`;

/** Runs (or resumes) the loop in `runDir`. */
export async function runRewardDesign(options: RewardDesignOptions): Promise<RewardDesignResult> {
  const started = performance.now();
  const o = options;
  if (!Number.isInteger(o.iterations) || o.iterations < 1) throw new Error(`iterations must be a positive integer, got ${o.iterations}`);
  if (!Number.isInteger(o.candidates) || o.candidates < 1) throw new Error(`candidates must be a positive integer, got ${o.candidates}`);
  mkdirSync(o.runDir, { recursive: true });
  checkConfig(o);
  const sandbox = await Sandbox.start(o.protocol.sandbox ?? {});
  const all: CandidateRecord[] = [];
  const summaries: IterationSummary[] = [];
  let nativeBaseline: TrainingResult | undefined;
  try {
    const sample = await validationSample();
    const task = taskText({ totalTimesteps: o.protocol.totalTimesteps, nEnvs: o.protocol.nEnvs, gamma: o.protocol.ppo.gamma ?? 0.99, evalEpisodes: o.protocol.evalEpisodes });
    let best: CandidateRecord | undefined;
    let previous: CandidateRecord[] = [];
    for (let iteration = 1; iteration <= o.iterations; iteration++) {
      const records = await Promise.all(
        Array.from({ length: o.candidates }, (_, i) =>
          designCandidate(o, sandbox, sample, task, iteration, i + 1, best, previous),
        ),
      );
      const jobs: TrainingJob[] = records
        .filter((r) => r.status === "valid")
        .map((r) => ({ id: r.id, dir: r.dir, source: r.code!, protocol: o.protocol }));
      const baselineJob: TrainingJob | undefined =
        iteration === 1 && o.nativeBaseline !== false ? { id: "baseline-native", dir: join(o.runDir, "baseline-native"), source: null, protocol: o.protocol } : undefined;
      const results = await trainInPool(baselineJob ? [...jobs, baselineJob] : jobs, {
        concurrency: o.concurrency,
        onResult: (result, job, resumed) => o.onEvent?.({ type: "trained", id: job.id, result, resumed }),
      });
      if (baselineJob) nativeBaseline = results.pop();
      for (const [i, job] of jobs.entries()) records.find((r) => r.id === job.id)!.result = results[i];
      all.push(...records);
      const trained = records.filter((r) => r.result?.ok);
      const ranked = [...trained].sort((a, b) => compareFitness(a.result!, b.result!));
      for (const r of ranked) if (!best || compareFitness(r.result!, best.result!) < 0) best = r;
      const returns = trained.map((r) => r.result!.nativeReturn);
      const summary: IterationSummary = {
        iteration,
        valid: records.filter((r) => r.status === "valid").length,
        rejected: records.filter((r) => r.status === "rejected").length,
        fixed: records.filter((r) => r.fixed).length,
        bestReturn: ranked[0]?.result!.nativeReturn ?? NaN,
        meanReturn: returns.length ? returns.reduce((a, b) => a + b, 0) / returns.length : NaN,
        ...(ranked[0] ? { bestId: ranked[0].id } : {}),
        ...(best ? { bestSoFarId: best.id } : {}),
        bestSoFarReturn: best?.result?.nativeReturn ?? NaN,
      };
      summaries.push(summary);
      writeJson(join(o.runDir, `iter-${pad(iteration)}`, "summary.json"), summary);
      o.onEvent?.({ type: "iteration", iteration, ...(best ? { best } : {}) });
      previous = records;
    }
    const result: RewardDesignResult = {
      runDir: o.runDir,
      candidates: all,
      iterations: summaries,
      ...(best ? { best } : {}),
      ...(all[0] && all[0].iteration === 1 && all[0].candidate === 1 ? { firstCandidate: all[0] } : {}),
      ...(nativeBaseline ? { nativeBaseline } : {}),
      wallSeconds: (performance.now() - started) / 1000,
    };
    writeJson(join(o.runDir, "results.json"), stripCode(result));
    return result;
  } finally {
    await sandbox.close();
  }
}

/** Asks for, validates (and if needed gets fixed once) one candidate; reads it back when already done. */
async function designCandidate(
  o: RewardDesignOptions,
  sandbox: Sandbox,
  sample: readonly TransitionStep[],
  task: string,
  iteration: number,
  candidate: number,
  best: CandidateRecord | undefined,
  previous: readonly CandidateRecord[],
): Promise<CandidateRecord> {
  const id = candidateId(iteration, candidate);
  const dir = join(o.runDir, id);
  const file = join(dir, "candidate.json");
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as CandidateRecord;
    const record: CandidateRecord = { ...saved, dir };
    const result = readResult(dir);
    if (result) record.result = result;
    o.onEvent?.({ type: "candidate", iteration, candidate, status: record.status, fixed: record.fixed, ...(record.error ? { error: record.error } : {}), resumed: true });
    return record;
  }
  mkdirSync(dir, { recursive: true });
  const system = promptTemplate("system");
  const user =
    best === undefined
      ? initialPrompt(task, candidate, o.candidates)
      : iterationPrompt({
          task,
          iteration,
          bestIteration: best.iteration,
          bestCandidate: best.candidate,
          bestReturn: fmt(best.result!.nativeReturn),
          bestCode: best.code!,
          reflection: reflectionText(best.result!, o.protocol.evalEpisodes),
          others: othersText(previous, best),
          candidate,
          candidates: o.candidates,
        });
  writeFileSync(join(dir, "prompt.md"), `# system\n\n${system}\n\n# user\n\n${user}\n`);
  const messages: LlmMessage[] = [{ role: "user", content: user }];
  const ask = async (task: string, msgs: LlmMessage[]) =>
    (await o.llm.complete({ system, messages: msgs, maxTokens: o.maxTokens ?? 4096, temperature: o.temperature ?? 1, purpose: { guide: REWARD_DESIGN_GUIDE, task } })).text;
  const first = await ask(WRITE_REWARD_TASK, messages);
  writeFileSync(join(dir, "response.md"), first);
  const validations: ValidationOutcome[] = [await validateAnswer(first, sandbox, sample)];
  let fixed = false;
  if (!validations[0]!.ok) {
    const fixText = fixPrompt(failureText(validations[0]!));
    writeFileSync(join(dir, "fix-prompt.md"), fixText + "\n");
    const second = await ask(FIX_REWARD_TASK, [...messages, { role: "assistant", content: first }, { role: "user", content: fixText }]);
    writeFileSync(join(dir, "fix-response.md"), second);
    const v = await validateAnswer(second, sandbox, sample);
    validations.push(v);
    fixed = v.ok;
  }
  const last = validations[validations.length - 1]!;
  const record: CandidateRecord = {
    iteration,
    candidate,
    id,
    dir,
    status: last.ok ? "valid" : "rejected",
    ...(last.code !== undefined ? { code: last.code } : {}),
    validations,
    fixed,
    ...(last.ok ? {} : { error: failureText(last) }),
  };
  if (record.code && last.ok) writeFileSync(join(dir, "reward.js"), record.code + "\n");
  writeJson(file, { ...record, dir: undefined });
  o.onEvent?.({ type: "candidate", iteration, candidate, status: record.status, fixed, ...(record.error ? { error: record.error } : {}), resumed: false });
  return record;
}

/** One line per other candidate of the last iteration: its fitness and failure kinds, or why it was rejected. */
function othersText(previous: readonly CandidateRecord[], best: CandidateRecord): string {
  const lines = previous
    .filter((r) => r.id !== best.id)
    .map((r) => {
      if (r.status === "rejected") return `- candidate ${r.candidate}: rejected by the sandbox even after one fix (${r.error})`;
      const res = r.result;
      if (!res) return `- candidate ${r.candidate}: not trained`;
      if (!res.ok) return `- candidate ${r.candidate}: training failed (${res.failure?.kind}: ${res.failure?.message.split("\n")[0]})`;
      const kinds = failureKindText(failureKinds(res));
      const comps = Object.keys(res.checkpoints.at(-1)?.components ?? {}).filter((c) => c !== "total");
      return `- candidate ${r.candidate} (components: ${comps.join(", ")}): native return ${fmt(res.nativeReturn)}, distance ${fmt(res.distance)} m${kinds.length ? `; ${kinds.join("; ")}` : ""}`;
    });
  return lines.length ? lines.join("\n") : "- (no other candidates)";
}

function checkConfig(o: RewardDesignOptions): void {
  const config = {
    iterations: o.iterations,
    candidates: o.candidates,
    protocol: o.protocol,
    nativeBaseline: o.nativeBaseline !== false,
    llm: { provider: o.llm.provider, model: o.llm.model },
  };
  const file = join(o.runDir, "config.json");
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8"));
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (!same(saved.protocol, JSON.parse(JSON.stringify(config.protocol))) || saved.candidates !== config.candidates || !same(saved.llm, config.llm)) {
      throw new Error(`${o.runDir} holds a run with other settings (config.json differs); use a new run folder or delete it`);
    }
  }
  writeJson(file, config);
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 1) + "\n");
}

/** The results without the bulky per-rollout arrays. */
function stripCode(r: RewardDesignResult): unknown {
  const slim = (c: CandidateRecord) => ({ ...c, dir: undefined, result: c.result ? { ...c.result, rollouts: undefined } : undefined });
  return {
    ...r,
    candidates: r.candidates.map(slim),
    best: r.best ? slim(r.best) : undefined,
    firstCandidate: r.firstCandidate ? slim(r.firstCandidate) : undefined,
    nativeBaseline: r.nativeBaseline ? { ...r.nativeBaseline, rollouts: undefined } : undefined,
  };
}
