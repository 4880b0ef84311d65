/**
 * The seed protocol (`--preset seed`): the reward-design seed repository's HEAD loop, as presets.ts
 * describes it. One SAC agent trains on the seed-curriculum course for the whole run; every iteration the
 * designer sees the gait metrics of the current policy (with a 3-iteration trend, the goals and the hint,
 * never the previous code) and writes ONE reward, which replaces the current one while training continues
 * with the same networks, optimisers and replay buffer:
 *
 *   iteration 1 trains on the starting reward (the native one, standing in for the repository's hand-tuned
 *   file); after each iteration: evaluate (native BipedalWalker-v3 return = fitness; gait metrics on the
 *   course = the prompt), ask for the next reward, check it (sandbox, reference ranking; one fix), swap it
 *   in (a rejected one keeps the current reward, as the repository does), train the next segment.
 *
 * Run folder: config.json; iter-NN/{prompt.md,response.md,fix-*.md,reward.js,record.json}; model/ (the SAC
 * checkpoint after the last finished iteration, replay buffer included); results.json. Re-running on the
 * folder resumes after the last finished iteration. With `llm: null` the reward is never swapped: the
 * native-reward SAC baseline of the same protocol.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { ensureDir } from "../../core/fs.js";
import { writeText } from "../../core/secrets.js";
import { join } from "node:path";
import { SAC, type SacOptions } from "../../algos/sac.js";
import type { Guide, SeamContext, TransitionBatch } from "../../algos/seams.js";
import type { Env } from "../../core/env.js";
import { makeAsync } from "../../envs/index.js";
import { isFailedCall } from "../../llm/errors.js";
import { countingLlm, type Llm } from "../../llm/llm.js";
import type { LlmClient, LlmMessage } from "../../llm/types.js";
import { Sandbox, type SandboxOptions } from "../../sandbox/index.js";
import { hackingAlerts, type AlignmentWindow } from "../../guides/reward-design/alignment.js";
import { ENV_ID, type BehaviourMetrics } from "../../guides/reward-design/metrics.js";
import { promptTemplate, seedPrompt } from "../../guides/reward-design/prompts.js";
import { referenceTrajectories } from "../../guides/reward-design/references.js";
import { SandboxRewardGuide } from "../../guides/reward-design/reward-guide.js";
import { seedMetrics } from "../../guides/reward-design/seed-metrics.js";
import { failureText, validationSample, type ValidationOutcome } from "../../guides/reward-design/validation.js";
import { evaluateWalker } from "./evaluation.js";
import { checkedReward } from "./loop.js";

/** How the seed protocol trains and evaluates. */
export interface SeedProtocol {
  iterations: number;
  /** SAC env steps per iteration (all envs counted). */
  stepsPerIteration: number;
  nEnvs: number;
  /** SAC options (SB3 names), as the repository set them. */
  sac: Omit<SacOptions, "guide" | "seed">;
  /** Difficulty of the seed-curriculum course the agent trains on (0-1). */
  terrainDifficulty: number;
  /** Episode limit on the course (the repository's TimeLimit: 5000). */
  maxEpisodeSteps: number;
  /** Deterministic evaluation episodes per iteration, on native BipedalWalker-v3 (fitness) and on the course (prompt metrics). */
  evalEpisodes: number;
  evalSeed: number;
  /** Cut evaluation episodes after this many steps (smoke budgets only). */
  evalMaxSteps?: number;
  seed: number;
  sandbox?: SandboxOptions;
}

/** The reward seam whose reward can be replaced between training segments (null: the native reward). */
export class SwappableReward implements Guide {
  readonly name = "reward-design (swapped per iteration)";
  readonly needsInfos = true;
  private current: SandboxRewardGuide | undefined;
  constructor(private readonly sandbox: Sandbox) {}

  /** The code trained on from now on; the model and its replay buffer are left as they are. */
  swap(source: string | null): void {
    this.current = source === null ? undefined : new SandboxRewardGuide({ source, sandbox: this.sandbox });
  }

  get source(): string | null {
    return this.current?.source ?? null;
  }

  transformRewards(batch: TransitionBatch, ctx: SeamContext): Promise<Float32Array | undefined> | undefined {
    return this.current?.transformRewards(batch, ctx);
  }

  /** Designed vs native returns since the last call (undefined on the native reward). */
  window(step: number): AlignmentWindow | undefined {
    return this.current?.snapshot(step).alignment;
  }
}

export type SeedIterationStatus = "native" | "valid" | "kept previous" | "no-answer";

export interface SeedIterationRecord {
  iteration: number;
  /** What this iteration trained on: a new reward, the previous one kept, or the native reward. */
  status: SeedIterationStatus;
  /** The reward code trained on (null: the native reward). */
  code: string | null;
  validations: ValidationOutcome[];
  fixed: boolean;
  error?: string;
  precheckRejections: number;
  /** Env steps and replay-buffer size at the end of the iteration (they only grow: nothing is reset). */
  numTimesteps: number;
  bufferSize: number;
  /** SHA-1 of the actor's parameters at the start and end of the segment (start = previous end). */
  actorAtStart: string;
  actorAtEnd: string;
  /** Fitness: native BipedalWalker-v3 return of deterministic episodes after the iteration. */
  nativeReturn: number;
  distance: number;
  metrics: BehaviourMetrics;
  /** The repository's gait metrics on the course (what the next prompt shows). */
  seedMetrics: Record<string, number>;
  alignment?: AlignmentWindow;
  alerts: string[];
  wallSeconds: number;
}

export interface SeedRunOptions {
  runDir: string;
  /** The designer; null trains on the native reward throughout (the SAC baseline). */
  llm: LlmClient | null;
  protocol: SeedProtocol;
  precheck?: boolean;
  maxTokens?: number;
  temperature?: number;
  /** For an `llm` that is not already an `Llm` (see `countingLlm`); default 0. */
  maxFailedCalls?: number;
  onEvent?: (e: SeedEvent) => void;
}

export type SeedEvent =
  | { type: "reward"; iteration: number; status: SeedIterationStatus; fixed: boolean; error?: string }
  | { type: "iteration"; record: SeedIterationRecord; resumed: boolean };

export interface SeedRunResult {
  runDir: string;
  iterations: SeedIterationRecord[];
  /** The iteration whose policy had the best native return. */
  best?: SeedIterationRecord;
  /** Designer calls that failed over the run (`llm.failedCalls` counted while it ran). */
  failedCalls: number;
  precheckRejections: number;
  wallSeconds: number;
}

const pad = (n: number) => String(n).padStart(2, "0");
const hashParams = (p: Float32Array) => createHash("sha1").update(Buffer.from(p.buffer, p.byteOffset, p.byteLength)).digest("hex").slice(0, 16);

function writeJson(file: string, value: unknown): void {
  ensureDir(join(file, ".."));
  writeText(file, JSON.stringify(value, null, 1) + "\n");
}

function readRecord(file: string): SeedIterationRecord {
  const r = JSON.parse(readFileSync(file, "utf8")) as SeedIterationRecord;
  r.nativeReturn ??= NaN;
  r.distance ??= NaN;
  return r;
}

/** The seed-curriculum course envs the agent trains on. */
async function courseEnvs(p: SeedProtocol, n: number): Promise<Env[]> {
  const envs: Env[] = [];
  for (let i = 0; i < n; i++) envs.push(await makeAsync(ENV_ID, { terrain: "seed-curriculum", terrainDifficulty: p.terrainDifficulty, maxEpisodeSteps: p.maxEpisodeSteps }));
  return envs;
}

/** Runs (or resumes) the seed protocol in `runDir`. */
export async function runSeedProtocol(options: SeedRunOptions): Promise<SeedRunResult> {
  const started = performance.now();
  const o = options;
  const p = o.protocol;
  if (!Number.isInteger(p.iterations) || p.iterations < 1) throw new Error(`iterations must be a positive integer, got ${p.iterations}`);
  if (!Number.isInteger(p.stepsPerIteration) || p.stepsPerIteration < 1) throw new Error(`stepsPerIteration must be a positive integer, got ${p.stepsPerIteration}`);
  ensureDir(o.runDir);
  checkSeedConfig(o);
  const sandbox = await Sandbox.start(p.sandbox ?? { timeoutMs: 10_000 });
  const guide = new SwappableReward(sandbox);
  const envs = await courseEnvs(p, p.nEnvs);
  const nativeEnv = await makeAsync(ENV_ID);
  const courseEnv = (await courseEnvs(p, 1))[0]!;
  const records: SeedIterationRecord[] = [];
  for (let i = 1; i <= p.iterations; i++) {
    const file = join(o.runDir, `iter-${pad(i)}`, "record.json");
    if (!existsSync(file)) break;
    records.push(readRecord(file));
  }
  const modelDir = join(o.runDir, "model");
  let model: SAC;
  if (records.length > 0) {
    model = await SAC.load(modelDir, envs, { guide });
    const last = records[records.length - 1]!;
    if (model.numTimesteps !== last.numTimesteps) {
      throw new Error(`${modelDir} holds a model at step ${model.numTimesteps} but iteration ${last.iteration} ended at ${last.numTimesteps}; delete iter-${pad(last.iteration)} and model/ to redo it`);
    }
    guide.swap(last.code);
    for (const r of records) o.onEvent?.({ type: "iteration", record: r, resumed: true });
  } else {
    model = new SAC(envs, { ...p.sac, seed: p.seed, guide });
  }
  const llm = o.llm === null ? null : countingLlm(o.llm, o.maxFailedCalls);
  const failedBefore = llm?.failedCalls ?? 0;
  try {
    const sample = await validationSample();
    const refs = o.precheck === false || o.llm === null ? undefined : await referenceTrajectories();
    for (let iteration = records.length + 1; iteration <= p.iterations; iteration++) {
      const t0 = performance.now();
      const dir = join(o.runDir, `iter-${pad(iteration)}`);
      ensureDir(dir);
      const previous = records[records.length - 1];
      // 1. The reward of this segment.
      let choice: Pick<SeedIterationRecord, "status" | "code" | "validations" | "fixed" | "error" | "precheckRejections">;
      if (llm === null || !previous) {
        choice = { status: "native", code: null, validations: [], fixed: false, precheckRejections: 0 };
      } else {
        try {
          choice = await designSeedReward(o, llm, sandbox, sample, refs, iteration, records);
        } catch (err) {
          // A tolerated failed call keeps the current reward; a run-stopping one ends the run (finished iterations are on disk).
          if (!isFailedCall(err)) throw err;
          const error = `the designer's LLM call failed: ${(err as Error).message}`.slice(0, 400);
          choice = { status: "no-answer", code: previous.code, validations: [], fixed: false, error, precheckRejections: 0 };
        }
      }
      o.onEvent?.({ type: "reward", iteration, status: choice.status, fixed: choice.fixed, ...(choice.error ? { error: choice.error } : {}) });
      // 2. Swap it in and continue training the same model.
      guide.swap(choice.code);
      if (choice.code !== null) writeText(join(dir, "reward.js"), choice.code + "\n");
      const actorAtStart = hashParams(model.actor.params);
      await model.learn({ totalTimesteps: iteration * p.stepsPerIteration });
      const alignment = guide.window(model.numTimesteps);
      // 3. Evaluate: fitness on native BipedalWalker-v3, the prompt's metrics on the course.
      const evalOpts = { nEpisodes: p.evalEpisodes, seed: p.evalSeed, maxSteps: p.evalMaxSteps };
      const native = evaluateWalker(model, nativeEnv, evalOpts);
      const course = evaluateWalker(model, courseEnv, evalOpts);
      const windows = [...records.flatMap((r) => (r.alignment && r.code === choice.code ? [r.alignment] : [])), ...(alignment ? [alignment] : [])];
      const record: SeedIterationRecord = {
        iteration,
        ...choice,
        numTimesteps: model.numTimesteps,
        bufferSize: model.replayBuffer.size,
        actorAtStart,
        actorAtEnd: hashParams(model.actor.params),
        nativeReturn: native.nativeReturn,
        distance: native.distance,
        metrics: native.metrics,
        seedMetrics: seedMetrics(course.episodes),
        ...(alignment ? { alignment } : {}),
        alerts: hackingAlerts(windows).map((a) => a.message),
        wallSeconds: (performance.now() - t0) / 1000,
      };
      model.save(modelDir);
      writeJson(join(dir, "record.json"), record);
      records.push(record);
      o.onEvent?.({ type: "iteration", record, resumed: false });
    }
  } finally {
    model.close();
    nativeEnv.close();
    courseEnv.close();
    await sandbox.close();
  }
  const trained = records.filter((r) => Number.isFinite(r.nativeReturn));
  const best = trained.reduce<SeedIterationRecord | undefined>((b, r) => (!b || r.nativeReturn > b.nativeReturn ? r : b), undefined);
  const result: SeedRunResult = {
    runDir: o.runDir,
    iterations: records,
    ...(best ? { best } : {}),
    failedCalls: (llm?.failedCalls ?? 0) - failedBefore,
    precheckRejections: records.reduce((s, r) => s + r.precheckRejections, 0),
    wallSeconds: (performance.now() - started) / 1000,
  };
  writeJson(join(o.runDir, "results.json"), result);
  return result;
}

/** Asks for the next reward with the seed prompt, checks it, sends it back once; a rejected one keeps the current reward. */
async function designSeedReward(
  o: SeedRunOptions,
  llm: Llm,
  sandbox: Sandbox,
  sample: Awaited<ReturnType<typeof validationSample>>,
  refs: Awaited<ReturnType<typeof referenceTrajectories>> | undefined,
  iteration: number,
  records: readonly SeedIterationRecord[],
): Promise<Pick<SeedIterationRecord, "status" | "code" | "validations" | "fixed" | "error" | "precheckRejections">> {
  const p = o.protocol;
  const dir = join(o.runDir, `iter-${pad(iteration)}`);
  const previous = records[records.length - 1]!;
  const system = promptTemplate("system");
  const user = seedPrompt({
    iteration,
    difficulty: p.terrainDifficulty,
    stepsPerIteration: p.stepsPerIteration,
    evalEpisodes: p.evalEpisodes,
    metrics: previous.seedMetrics,
    history: records.map((r) => r.seedMetrics),
  });
  writeText(join(dir, "prompt.md"), `# system\n\n${system}\n\n# user\n\n${user}\n`);
  const messages: LlmMessage[] = [{ role: "user", content: user }];
  const { validations, fixed } = await checkedReward({ llm, system, messages, dir, sandbox, sample, refs, maxTokens: o.maxTokens, temperature: o.temperature });
  const last = validations[validations.length - 1]!;
  const precheckRejections = validations.filter((v) => v.error?.kind === "ranking").length;
  if (last.ok) return { status: "valid", code: last.code!, validations, fixed, precheckRejections };
  return { status: "kept previous", code: previous.code, validations, fixed: false, error: failureText(last), precheckRejections };
}

function checkSeedConfig(o: SeedRunOptions): void {
  const config = { preset: "seed", protocol: o.protocol, precheck: o.precheck !== false, llm: o.llm ? { provider: o.llm.provider, model: o.llm.model } : null };
  const file = join(o.runDir, "config.json");
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8"));
    if (JSON.stringify(saved.protocol) !== JSON.stringify(JSON.parse(JSON.stringify(config.protocol))) || JSON.stringify(saved.llm) !== JSON.stringify(config.llm)) {
      throw new Error(`${o.runDir} holds a run with other settings (config.json differs); use a new run folder or delete it`);
    }
  }
  writeJson(file, config);
}
