/**
 * The reward-design loop (Eureka-style, for BipedalWalker-v3):
 *
 *   for each iteration:
 *     1. ask the designer for K candidate reward functions (iteration 1: task, fields, contract, metrics;
 *        later: plus the best code so far and its reflection);
 *     2. validate each in the sandbox, then check before compute that it ranks the reference trajectories
 *        walking > standing > falling; a failed one (or an answer cut at max_tokens) is sent back ONCE with
 *        the reason for a fix;
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
 *   iter-NN/proposal.json               the iteration's K candidates as proposed (valid, rejected or no-answer)
 *   iter-NN/summary.json, reflection.md the iteration's candidates, the best so far and its reflection
 *   baseline-native/                    PPO on the native reward, same protocol
 *   results.json, table.md              the final table
 *
 * Each iteration is three phases over the folder, each reading what the earlier ones wrote: propose
 * (`proposeIteration`: the designer's K candidates), train (the valid ones, `iterationJobs`: independent
 * runs, each writing its result.json; any machine sharing the folder may train any of them) and reflect
 * (`reflectIteration`: all results there, the best so far, the reflection). `runRewardDesign` runs them in
 * one process; `phases.ts` runs one phase per command so a job array can train an iteration's candidates.
 * Resuming (`runRewardDesign` on an existing folder) skips every candidate whose candidate.json /
 * result.json exists: after a crash the loop continues at the last finished candidate. A candidate whose
 * call failed within --max-failed-calls stays "no-answer" once its iteration's proposal.json is written.
 */
import { existsSync, readFileSync } from "node:fs";
import { ensureDir } from "../../core/fs.js";
import { writeText, writeTextAtomic } from "../../core/secrets.js";
import { join } from "node:path";
import { isFailedCall } from "../../llm/errors.js";
import { countingLlm, type Llm } from "../../llm/llm.js";
import { incompleteReason, type LlmClient, type LlmMessage } from "../../llm/types.js";
import { Sandbox, type TransitionStep } from "../../sandbox/index.js";
import { compareFitness } from "./evaluation.js";
import { fmt } from "../../guides/reward-design/metrics.js";
import { trainInPool } from "./pool.js";
import { fixPrompt, initialPrompt, iterationPrompt, promptTemplate, taskText } from "../../guides/reward-design/prompts.js";
import { failureKinds, failureKindText, reflectionText } from "./reflection.js";
import { FIX_REWARD_TASK, REWARD_DESIGN_GUIDE, WRITE_REWARD_TASK } from "../../guides/reward-design/surrogate.js";
import { readResult, RESULT_FILE, type TrainingJob, type TrainingProtocol, type TrainingResult } from "./training.js";
import { referenceTrajectories, type ReferenceTrajectory } from "../../guides/reward-design/references.js";
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
  /** Check each candidate's ranking of the reference trajectories before training it (default true). */
  precheck?: boolean;
  /**
   * Designer calls that may fail (after the provider's own retries) before the run stops with
   * `LlmRunStoppedError` (default 0: the first failure stops it), for an `llm` that is not already an `Llm`
   * (an `Llm` keeps its own `maxFailedCalls`; see `countingLlm`). Finished candidates stay in the run folder;
   * re-running resumes. A failed call is never credited with a result: its candidate is recorded as "no-answer".
   */
  maxFailedCalls?: number;
  /** Progress events (CLI and notebooks print them). */
  onEvent?: (event: RewardDesignEvent) => void;
}

export type RewardDesignEvent =
  | { type: "candidate"; iteration: number; candidate: number; status: CandidateStatus; fixed: boolean; error?: string; resumed: boolean }
  | { type: "trained"; id: string; result: TrainingResult; resumed: boolean }
  | { type: "iteration"; iteration: number; best?: CandidateRecord };

export type CandidateStatus = "valid" | "rejected" | "no-answer";

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
  /** The final validation error of a rejected candidate, as sent to the designer (or the failed call's error). */
  error?: string;
  /** Validations that failed the check before compute (0, 1 or 2). */
  precheckRejections?: number;
  /** The training outcome (valid candidates, once trained). */
  result?: TrainingResult;
}

export interface IterationSummary {
  iteration: number;
  valid: number;
  rejected: number;
  fixed: number;
  /** Answers that failed the check before compute (each one a training run not spent). */
  precheckRejections: number;
  /** Designer calls that failed (no answer). */
  failedCalls: number;
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
  /** Designer calls that failed over the run (the "no-answer" candidates of every iteration's proposal). */
  failedCalls: number;
  /** Answers rejected by the check before compute over the run. */
  precheckRejections: number;
  wallSeconds: number;
}

const pad = (n: number) => String(n).padStart(2, "0");
export const candidateId = (iteration: number, candidate: number) => `iter-${pad(iteration)}/cand-${candidate}`;

/** The loop's settings that determine its candidates' training jobs (what the train and reflect phases need: no designer). */
export type LoopSettings = Pick<RewardDesignOptions, "runDir" | "iterations" | "candidates" | "protocol" | "nativeBaseline">;

/** The folder of iteration `t`. */
export const iterationDir = (runDir: string, iteration: number) => join(runDir, `iter-${pad(iteration)}`);
const PROPOSAL_FILE = "proposal.json";
const SUMMARY_FILE = "summary.json";
export const NATIVE_BASELINE_ID = "baseline-native";

/** What `iter-NN/proposal.json` keeps: the iteration's K candidates as proposed (its presence: proposed). */
interface ProposalFile {
  iteration: number;
  candidates: { candidate: number; id: string; status: CandidateStatus; error?: string }[];
}

/** Runs (or resumes) the loop in `runDir`: each iteration's propose, train and reflect phases in this process. */
export async function runRewardDesign(options: RewardDesignOptions): Promise<RewardDesignResult> {
  const started = performance.now();
  const o = options;
  checkLoopOptions(o);
  ensureDir(o.runDir);
  checkConfig(o);
  const designer = await openDesigner(o);
  try {
    for (let iteration = 1; iteration <= o.iterations; iteration++) {
      const records = await proposeIteration(o, designer, iteration);
      await trainInPool(iterationJobs(o, records), {
        concurrency: o.concurrency,
        onResult: (result, job, resumed) => o.onEvent?.({ type: "trained", id: job.id, result, resumed }),
      });
      reflectIteration(o, iteration);
    }
  } finally {
    await designer.close();
  }
  return collectRewardDesign(o, started);
}

function checkLoopOptions(o: Pick<RewardDesignOptions, "iterations" | "candidates">): void {
  if (!Number.isInteger(o.iterations) || o.iterations < 1) throw new Error(`iterations must be a positive integer, got ${o.iterations}`);
  if (!Number.isInteger(o.candidates) || o.candidates < 1) throw new Error(`candidates must be a positive integer, got ${o.candidates}`);
}

/** What asking for candidates needs, started once per process. */
export interface DesignerContext {
  /** The designer, counting its failed calls (`countingLlm`). */
  llm: Llm;
  sandbox: Sandbox;
  sample: readonly TransitionStep[];
  refs: readonly ReferenceTrajectory[] | undefined;
  task: string;
  close(): Promise<void>;
}

export async function openDesigner(o: RewardDesignOptions): Promise<DesignerContext> {
  const llm = countingLlm(o.llm, o.maxFailedCalls);
  const sandbox = await Sandbox.start(o.protocol.sandbox ?? {});
  try {
    const refs = o.precheck === false ? undefined : await referenceTrajectories();
    const sample = await validationSample();
    const task = taskText({ totalTimesteps: o.protocol.totalTimesteps, nEnvs: o.protocol.nEnvs, gamma: o.protocol.ppo.gamma ?? 0.99, evalEpisodes: o.protocol.evalEpisodes });
    return { llm, sandbox, sample, refs, task, close: () => sandbox.close() };
  } catch (err) {
    await sandbox.close();
    throw err;
  }
}

/**
 * Phase 1 of an iteration: asks for its K candidates (the prompt built from the earlier iterations as the
 * folder holds them), validates them and writes them with `iter-NN/proposal.json`. Idempotent: a proposed
 * iteration is read back, and a candidate whose candidate.json exists is not asked again. A tolerated failed
 * call stays "no-answer" in the proposal; a call beyond --max-failed-calls stops the run before the proposal
 * is written, so running again asks again.
 */
export async function proposeIteration(o: RewardDesignOptions, designer: DesignerContext, iteration: number): Promise<CandidateRecord[]> {
  const proposed = readIteration(o.runDir, iteration);
  if (proposed) {
    for (const r of proposed) o.onEvent?.({ type: "candidate", iteration, candidate: r.candidate, status: r.status, fixed: r.fixed, ...(r.error ? { error: r.error } : {}), resumed: true });
    return proposed;
  }
  const history = readIterations(o, iteration - 1);
  const previous = history.iterations.at(-1)?.records ?? [];
  // Every candidate's call finishes (and a finished candidate is saved) before a run-stopping error ends the run.
  const settled = await Promise.allSettled(
    Array.from({ length: o.candidates }, (_, i) =>
      designCandidate(o, designer, iteration, i + 1, history.best, previous).catch((err: unknown) => {
        if (!isFailedCall(err)) throw err;
        return noAnswer(o, iteration, i + 1, err as Error);
      }),
    ),
  );
  const stop = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (stop) throw stop.reason;
  const records = settled.map((s) => (s as PromiseFulfilledResult<CandidateRecord>).value);
  const proposal: ProposalFile = { iteration, candidates: records.map((r) => ({ candidate: r.candidate, id: r.id, status: r.status, ...(r.status === "no-answer" && r.error ? { error: r.error } : {}) })) };
  writeJson(join(iterationDir(o.runDir, iteration), PROPOSAL_FILE), proposal);
  return records;
}

/** Iteration `t`'s candidates as the folder holds them (results included where trained); undefined until proposed. */
/** Designer calls that failed and were tolerated in the iterations proposed so far in `runDir` (its no-answer candidates). */
export function recordedFailedCalls(runDir: string, iterations: number): number {
  let failed = 0;
  for (let iteration = 1; iteration <= iterations; iteration++) failed += readIteration(runDir, iteration)?.filter((r) => r.status === "no-answer").length ?? 0;
  return failed;
}

export function readIteration(runDir: string, iteration: number): CandidateRecord[] | undefined {
  const file = join(iterationDir(runDir, iteration), PROPOSAL_FILE);
  if (!existsSync(file)) return undefined;
  const proposal = JSON.parse(readFileSync(file, "utf8")) as ProposalFile;
  return proposal.candidates.map((c) => {
    const dir = join(runDir, c.id);
    if (c.status === "no-answer") return { iteration, candidate: c.candidate, id: c.id, dir, status: "no-answer", validations: [], fixed: false, ...(c.error ? { error: c.error } : {}) };
    const record = readCandidate(dir);
    if (!record) throw new Error(`${file} lists ${c.id}, but ${join(dir, "candidate.json")} is missing; delete ${file} to propose iteration ${iteration} again`);
    return record;
  });
}

function readCandidate(dir: string): CandidateRecord | undefined {
  const file = join(dir, "candidate.json");
  if (!existsSync(file)) return undefined;
  const record: CandidateRecord = { ...(JSON.parse(readFileSync(file, "utf8")) as CandidateRecord), dir };
  const result = readResult(dir);
  if (result) record.result = result;
  return record;
}

/** Phase 2's runs: the iteration's valid candidates (and, in iteration 1, PPO on the native reward). */
export function iterationJobs(o: LoopSettings, records: readonly CandidateRecord[]): TrainingJob[] {
  const jobs: TrainingJob[] = records.filter((r) => r.status === "valid").map((r) => ({ id: r.id, dir: r.dir, source: r.code!, protocol: o.protocol }));
  if (records[0]?.iteration === 1 && o.nativeBaseline !== false) jobs.push({ id: NATIVE_BASELINE_ID, dir: join(o.runDir, NATIVE_BASELINE_ID), source: null, protocol: o.protocol });
  return jobs;
}

/** A reflect phase that found runs without a result. */
export class MissingResultsError extends Error {
  constructor(readonly missing: readonly TrainingJob[], readonly what: string) {
    super(`${what}: ${missing.length} run(s) have no result.json yet: ${missing.map((j) => j.id).join(", ")}`);
    this.name = "MissingResultsError";
  }
}

/** The jobs among `jobs` whose result.json is not there yet. */
export function missingJobs(jobs: readonly TrainingJob[]): TrainingJob[] {
  return jobs.filter((j) => !existsSync(join(j.dir, RESULT_FILE)));
}

/**
 * Phase 3 of an iteration: checks that every run of the iteration has its result (else MissingResultsError
 * naming them), picks the best so far and writes `iter-NN/summary.json` and `reflection.md` (the reflection
 * on the best so far, which the next iteration's prompt shows). Idempotent.
 */
export function reflectIteration(o: LoopSettings & Pick<RewardDesignOptions, "onEvent">, iteration: number): IterationSummary {
  const records = readIteration(o.runDir, iteration);
  if (!records) throw new Error(`iteration ${iteration} has not been proposed yet (no ${join(iterationDir(o.runDir, iteration), PROPOSAL_FILE)})`);
  const missing = missingJobs(iterationJobs(o, records));
  if (missing.length) throw new MissingResultsError(missing, `iteration ${iteration}`);
  const history = readIterations(o, iteration);
  const { summary } = history.iterations.at(-1)!;
  const dir = iterationDir(o.runDir, iteration);
  const best = history.best;
  writeText(
    join(dir, "reflection.md"),
    best ? `# Best so far after iteration ${iteration}: ${best.id}, native return ${fmt(best.result!.nativeReturn)}\n\n${reflectionText(best.result!, o.protocol.evalEpisodes)}\n` : `# After iteration ${iteration}: no candidate could be trained yet\n`,
  );
  // Last: summary.json is what marks the iteration reflected.
  writeJson(join(dir, SUMMARY_FILE), summary);
  o.onEvent?.({ type: "iteration", iteration, ...(best ? { best } : {}) });
  return summary;
}

/** True when iteration `t` has been reflected on (its summary.json is written). */
export function isReflected(runDir: string, iteration: number): boolean {
  return existsSync(join(iterationDir(runDir, iteration), SUMMARY_FILE));
}

/** Iterations 1..n as the folder holds them, with their summaries and the best so far recomputed in order. */
export function readIterations(o: LoopSettings, n: number): { iterations: { records: CandidateRecord[]; summary: IterationSummary }[]; best?: CandidateRecord; failedCalls: number } {
  const iterations: { records: CandidateRecord[]; summary: IterationSummary }[] = [];
  let best: CandidateRecord | undefined;
  let failedCalls = 0;
  for (let iteration = 1; iteration <= n; iteration++) {
    const records = readIteration(o.runDir, iteration);
    if (!records) throw new Error(`iteration ${iteration} has not been proposed yet (no ${join(iterationDir(o.runDir, iteration), PROPOSAL_FILE)})`);
    const trained = records.filter((r) => r.result?.ok);
    const ranked = [...trained].sort((a, b) => compareFitness(a.result!, b.result!));
    for (const r of ranked) if (!best || compareFitness(r.result!, best.result!) < 0) best = r;
    const returns = trained.map((r) => r.result!.nativeReturn);
    const failedNow = records.filter((r) => r.status === "no-answer").length;
    failedCalls += failedNow;
    iterations.push({
      records,
      summary: {
        iteration,
        valid: records.filter((r) => r.status === "valid").length,
        rejected: records.filter((r) => r.status === "rejected").length,
        fixed: records.filter((r) => r.fixed).length,
        precheckRejections: records.reduce((s, r) => s + (r.precheckRejections ?? 0), 0),
        failedCalls: failedNow,
        bestReturn: ranked[0]?.result!.nativeReturn ?? NaN,
        meanReturn: returns.length ? returns.reduce((a, b) => a + b, 0) / returns.length : NaN,
        ...(ranked[0] ? { bestId: ranked[0].id } : {}),
        ...(best ? { bestSoFarId: best.id } : {}),
        bestSoFarReturn: best?.result?.nativeReturn ?? NaN,
      },
    });
  }
  return { iterations, ...(best ? { best } : {}), failedCalls };
}

/** The loop's result from the folder (every iteration proposed, trained and reflected); writes results.json. */
export function collectRewardDesign(o: LoopSettings, started = performance.now()): RewardDesignResult {
  const history = readIterations(o, o.iterations);
  const all = history.iterations.flatMap((i) => i.records);
  const summaries = history.iterations.map((i) => i.summary);
  const nativeBaseline = o.nativeBaseline !== false ? readResult(join(o.runDir, NATIVE_BASELINE_ID)) : undefined;
  const result: RewardDesignResult = {
    runDir: o.runDir,
    candidates: all,
    iterations: summaries,
    ...(history.best ? { best: history.best } : {}),
    ...(all[0] && all[0].iteration === 1 && all[0].candidate === 1 ? { firstCandidate: all[0] } : {}),
    ...(nativeBaseline ? { nativeBaseline } : {}),
    failedCalls: history.failedCalls,
    precheckRejections: summaries.reduce((s, x) => s + x.precheckRejections, 0),
    wallSeconds: (performance.now() - started) / 1000,
  };
  writeJson(join(o.runDir, "results.json"), stripCode(result));
  return result;
}

/** Asks for, validates (and if needed gets fixed once) one candidate; reads it back when already done. */
async function designCandidate(
  o: RewardDesignOptions,
  designer: DesignerContext,
  iteration: number,
  candidate: number,
  best: CandidateRecord | undefined,
  previous: readonly CandidateRecord[],
): Promise<CandidateRecord> {
  const { llm, sandbox, sample, refs, task } = designer;
  const id = candidateId(iteration, candidate);
  const dir = join(o.runDir, id);
  const saved = readCandidate(dir);
  if (saved) {
    o.onEvent?.({ type: "candidate", iteration, candidate, status: saved.status, fixed: saved.fixed, ...(saved.error ? { error: saved.error } : {}), resumed: true });
    return saved;
  }
  ensureDir(dir);
  const system = promptTemplate("system");
  const user =
    best === undefined
      ? // Nothing trained yet: a later iteration says what became of the earlier candidates, so it is not the
        // same prompt again (which a cache, or a deterministic designer, would answer the same way).
        initialPrompt(task, candidate, o.candidates) +
        (iteration > 1 ? `\n\nIteration ${iteration}: no candidate of the earlier iterations could be trained. What became of the last iteration's candidates:\n${othersText(previous)}` : "")
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
  writeText(join(dir, "prompt.md"), `# system\n\n${system}\n\n# user\n\n${user}\n`);
  const messages: LlmMessage[] = [{ role: "user", content: user }];
  const { validations, fixed } = await checkedReward({ llm, system, messages, dir, sandbox, sample, refs, maxTokens: o.maxTokens, temperature: o.temperature });
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
    precheckRejections: validations.filter((v) => v.error?.kind === "ranking").length,
  };
  if (record.code && last.ok) writeText(join(dir, "reward.js"), record.code + "\n");
  writeJson(join(dir, "candidate.json"), { ...record, dir: undefined });
  o.onEvent?.({ type: "candidate", iteration, candidate, status: record.status, fixed, ...(record.error ? { error: record.error } : {}), resumed: false });
  return record;
}

export interface CheckedRewardRequest {
  llm: LlmClient;
  system: string;
  messages: LlmMessage[];
  /** Where response.md (and fix-prompt.md / fix-response.md) are written. */
  dir: string;
  sandbox: Sandbox;
  sample: readonly TransitionStep[];
  refs: readonly ReferenceTrajectory[] | undefined;
  maxTokens?: number;
  temperature?: number;
}

/**
 * One designer answer, checked (extraction, sandbox, reference ranking, cut answers) and, if it fails, sent
 * back ONCE with the reason (a cut or refused answer too: `incompleteReason`). A failed call throws the LLM
 * layer's error (`isFailedCall`: tolerated, the caller records no answer; else it ends the run), never a
 * default answer.
 */
export async function checkedReward(r: CheckedRewardRequest): Promise<{ validations: ValidationOutcome[]; fixed: boolean }> {
  const maxTokens = r.maxTokens ?? 4096;
  const ask = (task: string, messages: LlmMessage[]) =>
    r.llm.complete({ system: r.system, messages, maxTokens, temperature: r.temperature ?? 1, purpose: { guide: REWARD_DESIGN_GUIDE, task } });
  const first = await ask(WRITE_REWARD_TASK, r.messages);
  writeText(join(r.dir, "response.md"), first.text);
  const validations: ValidationOutcome[] = [await validateAnswer(first.text, r.sandbox, r.sample, { refs: r.refs, incomplete: incompleteReason(first, maxTokens) })];
  if (validations[0]!.ok) return { validations, fixed: false };
  const fixText = fixPrompt(failureText(validations[0]!));
  writeText(join(r.dir, "fix-prompt.md"), fixText + "\n");
  const second = await ask(FIX_REWARD_TASK, [...r.messages, { role: "assistant", content: first.text }, { role: "user", content: fixText }]);
  writeText(join(r.dir, "fix-response.md"), second.text);
  const v = await validateAnswer(second.text, r.sandbox, r.sample, { refs: r.refs, incomplete: incompleteReason(second, maxTokens) });
  validations.push(v);
  return { validations, fixed: v.ok };
}

/** A candidate whose designer call failed: recorded (never trained, never credited), not saved, so a resumed run asks again. */
function noAnswer(o: RewardDesignOptions, iteration: number, candidate: number, err: Error): CandidateRecord {
  const id = candidateId(iteration, candidate);
  const message = `the designer's LLM call failed: ${err.message}`.slice(0, 400);
  o.onEvent?.({ type: "candidate", iteration, candidate, status: "no-answer", fixed: false, error: message, resumed: false });
  return { iteration, candidate, id, dir: join(o.runDir, id), status: "no-answer", validations: [], fixed: false, error: message };
}

/** One line per other candidate of the last iteration: its fitness and failure kinds, or why it was rejected. */
function othersText(previous: readonly CandidateRecord[], best?: CandidateRecord): string {
  const lines = previous
    .filter((r) => r.id !== best?.id)
    .map((r) => {
      if (r.status === "rejected") return `- candidate ${r.candidate}: rejected before training even after one fix (${r.error})`;
      if (r.status === "no-answer") return `- candidate ${r.candidate}: no answer (the call failed)`;
      const res = r.result;
      if (!res) return `- candidate ${r.candidate}: not trained`;
      if (!res.ok) return `- candidate ${r.candidate}: training failed (${res.failure?.kind}: ${res.failure?.message.split("\n")[0]})`;
      const kinds = failureKindText(failureKinds(res));
      const comps = Object.keys(res.checkpoints.at(-1)?.components ?? {}).filter((c) => c !== "total");
      return `- candidate ${r.candidate} (components: ${comps.join(", ")}): native return ${fmt(res.nativeReturn)}, distance ${fmt(res.distance)} m${kinds.length ? `; ${kinds.join("; ")}` : ""}`;
    });
  return lines.length ? lines.join("\n") : "- (no other candidates)";
}

export const CONFIG_FILE = "config.json";

/**
 * Checks the folder's config.json against these settings (a resumed run must match them) and writes it.
 * Without a designer (the train and reflect phases) the folder must hold a run already; the designer is not compared.
 */
export function checkConfig(o: LoopSettings & Partial<Pick<RewardDesignOptions, "llm" | "precheck">>): void {
  const config = {
    iterations: o.iterations,
    candidates: o.candidates,
    protocol: o.protocol,
    nativeBaseline: o.nativeBaseline !== false,
    precheck: o.precheck !== false,
    llm: o.llm ? { provider: o.llm.provider, model: o.llm.model } : undefined,
  };
  const file = join(o.runDir, CONFIG_FILE);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8"));
    if (!same(saved.protocol, JSON.parse(JSON.stringify(config.protocol))) || saved.candidates !== config.candidates || (o.llm && !same(saved.llm, config.llm))) {
      throw new Error(`${o.runDir} holds a run with other settings (config.json differs); use a new run folder or delete it`);
    }
    if (!o.llm) return;
  } else if (!o.llm) {
    throw new Error(`${o.runDir} holds no reward-design run (no ${CONFIG_FILE}): start it with --phase propose`);
  }
  writeJson(file, config);
}

/** The designer a folder's run was started with (config.json), for captions of phases that ask no designer. */
export function savedDesigner(runDir: string): { provider: string; model: string } | undefined {
  const file = join(runDir, CONFIG_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { llm?: { provider: string; model: string } }).llm : undefined;
}

/** Written whole or not at all: processes on other machines read these files while the run goes on. */
function writeJson(file: string, value: unknown): void {
  ensureDir(join(file, ".."));
  writeTextAtomic(file, JSON.stringify(value, null, 1) + "\n");
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
