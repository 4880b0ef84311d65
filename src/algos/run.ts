/**
 * A training run in one folder, `runs/<id>/`:
 *
 *   config.json      what was asked (algorithm, env, seed, steps, hyperparameters, evaluation settings)
 *   metrics.jsonl    a {"type":"train",...} line every `logInterval` rollouts (on-policy) or episodes
 *                    (off-policy; SB3's log_interval, defaults 1 and 4), its losses the mean over the
 *                    phases since the previous line; one {"type":"eval",...} line per evaluation; an
 *                    {"type":"error",...} line if training stopped on a NaN loss
 *   checkpoint/      the algorithm's checkpoint (weights, optimiser, normaliser statistics, generators,
 *                    counters, environments' episode seeds and actions), written atomically
 *   result.json      the final evaluation and throughput, once the run finished
 *
 * `trainRun({... resume: true})` continues a killed run from its checkpoint: metrics written after the
 * checkpoint are dropped and redone, so the folder ends exactly as an uninterrupted run's (same numbers;
 * only wall-clock fields differ).
 */
import { appendFileSync, existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { ensureDir } from "../core/fs.js";
import { readJsonl } from "../core/jsonl.js";
import { join, resolve } from "node:path";
import type { Env } from "../core/env.js";
import { makeAsync } from "../envs/index.js";
import { NonFiniteLossError, type TrainingCallback, type TrainingProgress } from "./callbacks.js";
import { type EvaluationResult, evaluatePolicy } from "./evaluate.js";
import { type AlgoName, resolveHyperparams } from "./hyperparams.js";
import { type TrainableModel, algorithmModule, checkCombination, isOffPolicy } from "./registry.js";
import type { Guide } from "./seams.js";

export interface RunOptions {
  env: string;
  algo: AlgoName;
  seed?: number;
  /** Env steps to train; default: rl-zoo's n_timesteps (zoo settings) or 100k. */
  totalTimesteps?: number;
  /** "zoo" (rl-zoo's settings for this env; default) or "default" (SB3 defaults, 1 env). */
  hyperparams?: "zoo" | "default";
  /** Options overriding the chosen hyperparameters (SB3 names, camelCase), and `nEnvs`. */
  overrides?: Record<string, unknown>;
  /** Run folder; default runs/<algo>-<env>-s<seed>. */
  out?: string;
  /** Continue from the folder's checkpoint. */
  resume?: boolean;
  /** Evaluate every this many env steps (default 10k) on `nEvalEpisodes` episodes (default 5). */
  evalFreq?: number;
  nEvalEpisodes?: number;
  /** Also evaluate with sampled actions (logged as `stochastic` eval lines). */
  evalStochastic?: boolean;
  /** Checkpoint every this many env steps (default: evalFreq) and at the end. */
  checkpointFreq?: number;
  /**
   * SB3's `log_interval`: a train line every this many rollouts (on-policy, default 1) or finished episodes
   * (off-policy, default 4). Off-policy algorithms finish a phase every `trainFreq` steps: one line per
   * phase was 220 MB of metrics for a 1M-step TD3 run.
   */
  logInterval?: number;
  guide?: Guide;
  /** Called after every training phase (progress bars). */
  onProgress?: (p: RunProgress) => void;
  /** Extra callback; return false to stop (the run can later be resumed). */
  callback?: TrainingCallback;
}

export interface RunProgress extends TrainingProgress {
  /** Env steps per second of training (rollouts + updates, evaluations excluded) in this process. */
  stepsPerSecond: number;
  lastEval?: EvalRecord;
}

export interface EvalRecord extends EvaluationResult {
  type: "eval";
  step: number;
}

export interface RunResult {
  dir: string;
  algo: AlgoName;
  env: string;
  seed: number;
  numTimesteps: number;
  finalEval: EvalRecord;
  evals: EvalRecord[];
  /** Env steps per second of training in this process (evaluation excluded). */
  stepsPerSecond: number;
  trainSeconds: number;
  collectSeconds?: number;
  updateSeconds?: number;
  wallSeconds: number;
  stopped: boolean;
}

export interface RunConfig {
  algo: AlgoName;
  env: string;
  seed: number;
  totalTimesteps: number;
  hyperparams: "zoo" | "default";
  nEnvs: number;
  options: Record<string, unknown>;
  droppedZooKeys: string[];
  evalFreq: number;
  nEvalEpisodes: number;
  evalStochastic: boolean;
  checkpointFreq: number;
  /** Absent in folders written before it existed: those logged every phase. */
  logInterval?: number;
  guide: string | null;
}

/** The mean of each metric over the training phases since the last train line (a metric counts where reported). */
class PhaseMetrics {
  phases = 0;
  private sums = new Map<string, { sum: number; n: number }>();
  add(metrics: Record<string, number>): void {
    this.phases++;
    for (const [k, v] of Object.entries(metrics)) {
      const e = this.sums.get(k);
      if (e) {
        e.sum += v;
        e.n++;
      } else this.sums.set(k, { sum: v, n: 1 });
    }
  }
  means(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, { sum, n }] of this.sums) out[k] = sum / n;
    return out;
  }
  clear(): void {
    this.phases = 0;
    this.sums.clear();
  }
}

/** Reads and writes the files of a run folder. */
export class RunDir {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = resolve(dir);
  }
  get configPath(): string {
    return join(this.dir, "config.json");
  }
  get metricsPath(): string {
    return join(this.dir, "metrics.jsonl");
  }
  get checkpointDir(): string {
    return join(this.dir, "checkpoint");
  }
  hasCheckpoint(): boolean {
    return existsSync(this.checkpointDir) && readdirSync(this.checkpointDir).some((f) => f.endsWith(".json"));
  }
  writeJSON(name: string, value: unknown): void {
    ensureDir(this.dir);
    const file = join(this.dir, name);
    writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 2) + "\n");
    renameSync(`${file}.tmp`, file);
  }
  readJSON<T>(name: string): T {
    const file = join(this.dir, name);
    try {
      return JSON.parse(readFileSync(file, "utf8")) as T;
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as Error).message}`);
    }
  }
  append(record: Record<string, unknown>): void {
    appendFileSync(this.metricsPath, JSON.stringify(record, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)) + "\n");
  }
  /** All metric records, in order. */
  metrics(): Record<string, unknown>[] {
    return readJsonl<Record<string, unknown>>(this.metricsPath);
  }
  /** The folder's entries ([] when it does not exist). */
  entries(): string[] {
    return existsSync(this.dir) ? readdirSync(this.dir) : [];
  }
  /** Drops metric records written after env step `step` (a resumed run redoes them); returns the ones kept. */
  truncateMetricsAfter(step: number): Record<string, unknown>[] {
    const keep = this.metrics().filter((r) => typeof r.step !== "number" || (r.step as number) <= step);
    writeFileSync(this.metricsPath, keep.map((r) => JSON.stringify(r) + "\n").join(""));
    return keep;
  }
}

/** Creates `n` copies of an env for training (Box2D envs are loaded first). */
export async function makeEnvs(id: string, n: number): Promise<Env[]> {
  const envs: Env[] = [];
  for (let i = 0; i < n; i++) envs.push(await makeAsync(id, { disableEnvChecker: true }));
  return envs;
}

function sameConfig(a: RunConfig, b: RunConfig): string | null {
  for (const k of ["algo", "env", "seed", "hyperparams", "nEnvs", "evalFreq", "nEvalEpisodes", "evalStochastic", "checkpointFreq"] as const) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `${k}: ${JSON.stringify(a[k])} in the folder, ${JSON.stringify(b[k])} now`;
  }
  if (JSON.stringify(a.options) !== JSON.stringify(b.options)) return "hyperparameters differ from the folder's config.json";
  return null;
}

/** Trains one algorithm on one env into a run folder; resumable. */
export async function trainRun(opts: RunOptions): Promise<RunResult> {
  const algo = opts.algo;
  const seed = opts.seed ?? 0;
  const source = opts.hyperparams ?? "zoo";
  const probe = await makeAsync(opts.env);
  checkCombination(algo, opts.env, probe);
  probe.close();
  const hp = resolveHyperparams(algo, opts.env, source);
  const { nEnvs: nEnvsOverride, ...overrideOptions } = opts.overrides ?? {};
  const nEnvs = (nEnvsOverride as number | undefined) ?? hp.nEnvs;
  const options = { ...hp.options, ...overrideOptions, seed };
  const totalTimesteps = opts.totalTimesteps ?? hp.nTimesteps ?? 100_000;
  if (!(Number.isInteger(totalTimesteps) && totalTimesteps > 0)) throw new Error(`steps must be a positive integer, got ${totalTimesteps}`);
  const evalFreq = opts.evalFreq ?? 10_000;
  const offPolicy = isOffPolicy(algo);
  const config: RunConfig = {
    algo, env: opts.env, seed, totalTimesteps, hyperparams: source, nEnvs, options: JSON.parse(JSON.stringify(options)),
    droppedZooKeys: hp.dropped, evalFreq, nEvalEpisodes: opts.nEvalEpisodes ?? 5, evalStochastic: opts.evalStochastic ?? false,
    checkpointFreq: opts.checkpointFreq ?? evalFreq, logInterval: opts.logInterval ?? (offPolicy ? 4 : 1),
    guide: opts.guide?.name ?? null,
  };
  if (!(Number.isInteger(config.logInterval) && config.logInterval! > 0)) throw new Error(`logInterval must be a positive integer, got ${config.logInterval}`);
  const run = new RunDir(opts.out ?? join("runs", `${algo}-${opts.env}-s${seed}`));

  const envs = await makeEnvs(opts.env, nEnvs);
  const module = await algorithmModule(algo);
  const modelOptions = { ...options, ...(opts.guide ? { guide: opts.guide } : {}) };
  let model: TrainableModel;
  let evals: EvalRecord[] = [];
  let lastLoggedEpisodes = 0;
  if (opts.resume && run.hasCheckpoint()) {
    const saved = run.readJSON<RunConfig>("config.json");
    const diff = sameConfig(saved, config) ??
      (opts.logInterval !== undefined && opts.logInterval !== saved.logInterval ? `logInterval: ${saved.logInterval ?? "every phase"} in the folder, ${opts.logInterval} now` : null);
    if (diff) throw new Error(`--resume: the run in ${run.dir} was made with different settings (${diff})`);
    try {
      model = await module.load(run.checkpointDir, envs, modelOptions);
    } catch (err) {
      throw new Error(`--resume: unreadable checkpoint in ${run.checkpointDir}: ${(err as Error).message}`);
    }
    const kept = run.truncateMetricsAfter(model.numTimesteps);
    evals = kept.filter((r) => r.type === "eval" && r.deterministic !== false) as unknown as EvalRecord[];
    lastLoggedEpisodes = (kept.filter((r) => r.type === "train").at(-1)?.episodes as number | undefined) ?? 0;
    // the folder's own cadence (a different --log-interval was refused above), so its metrics continue as they
    // began (every phase before logInterval existed)
    config.logInterval = saved.logInterval;
    run.writeJSON("config.json", { ...config, totalTimesteps });
  } else {
    // A new run only goes into an empty (or new) folder: nothing already there is ever overwritten.
    const present = run.entries();
    if (present.length > 0) {
      const shown = present.slice(0, 5).join(", ") + (present.length > 5 ? `, ... (${present.length} entries)` : "");
      throw new Error(
        opts.resume
          ? `--resume: ${run.dir} has no checkpoint to resume from (it holds ${shown}); the folder was left untouched. Choose another --out, or remove the folder to start over`
          : existsSync(run.configPath)
            ? `run folder ${run.dir} already holds a run; pass --resume to continue it or choose another --out`
            : `run folder ${run.dir} is not empty (it holds ${shown}); choose another --out (an empty or new folder)`,
      );
    }
    // The model first: a refused hyperparameter (an unknown --set name, a bad value) leaves the folder untouched.
    model = await module.create(envs, modelOptions);
    ensureDir(run.dir);
    run.writeJSON("config.json", config);
    writeFileSync(run.metricsPath, "");
  }

  const evalEnv = await makeAsync(opts.env);
  const evaluate = (step: number, deterministic: boolean): EvalRecord => {
    const r = evaluatePolicy(model, evalEnv, { nEvalEpisodes: config.nEvalEpisodes, deterministic, seed: seed + 1000 });
    const rec: EvalRecord = { type: "eval", step, ...r };
    run.append({ ...rec });
    return rec;
  };

  const t0 = performance.now();
  const startSteps = model.numTimesteps;
  let trainMs = 0;
  let phaseStart = performance.now();
  let lastEval: EvalRecord | undefined = evals[evals.length - 1];
  let prevStep = model.numTimesteps;
  let stopped = false;
  const pending = new PhaseMetrics();
  let latest: TrainingProgress | undefined;
  const writeTrainLine = () => {
    if (!latest || pending.phases === 0) return;
    const p = latest;
    run.append({
      type: "train", step: p.numTimesteps, episodes: p.episodes, epRewMean: p.epRewMean, epLenMean: p.epLenMean, nUpdates: p.nUpdates,
      ...pending.means(), ...(p.guideMetrics ? { guide: p.guideMetrics } : {}), wallSeconds: (performance.now() - t0) / 1000,
    });
    pending.clear();
    lastLoggedEpisodes = p.episodes;
  };
  const logEvery = config.logInterval;
  const callback: TrainingCallback = async (p) => {
    trainMs += performance.now() - phaseStart;
    const step = p.numTimesteps;
    const sps = ((step - startSteps) * 1000) / Math.max(trainMs, 1e-9);
    latest = p;
    pending.add(p.metrics);
    const checkpointDue = Math.floor(step / config.checkpointFreq) > Math.floor(prevStep / config.checkpointFreq);
    const lineDue =
      logEvery === undefined || checkpointDue || step >= totalTimesteps ||
      (offPolicy ? Math.floor(p.episodes / logEvery) > Math.floor(lastLoggedEpisodes / logEvery) : pending.phases >= logEvery);
    // a line at every checkpoint, so a resumed run's lines average the same phases as an uninterrupted run's
    if (lineDue) writeTrainLine();
    if (Math.floor(step / evalFreq) > Math.floor(prevStep / evalFreq)) {
      lastEval = evaluate(step, true);
      evals.push(lastEval);
      if (config.evalStochastic) evaluate(step, false);
    }
    if (checkpointDue) model.save(run.checkpointDir);
    prevStep = step;
    opts.onProgress?.({ ...p, stepsPerSecond: sps, ...(lastEval ? { lastEval } : {}) });
    const keepGoing = opts.callback ? await opts.callback(p) : undefined;
    phaseStart = performance.now();
    if (keepGoing === false) {
      stopped = true;
      return false;
    }
    return true;
  };

  try {
    await model.learn({ totalTimesteps, callback });
    writeTrainLine();
  } catch (err) {
    if (err instanceof NonFiniteLossError) {
      writeTrainLine();
      run.append({ type: "error", step: err.numTimesteps, error: err.message, lossName: err.lossName, lastFiniteMetrics: err.lastFiniteMetrics });
      run.writeJSON("error.json", { step: err.numTimesteps, error: err.message, lastFiniteMetrics: err.lastFiniteMetrics });
    }
    evalEnv.close();
    model.close?.();
    model.dispose?.();
    throw err;
  }
  let finalEval = lastEval;
  if (!stopped && (!finalEval || finalEval.step !== model.numTimesteps)) {
    finalEval = evaluate(model.numTimesteps, true);
    evals.push(finalEval);
  }
  if (!stopped) model.save(run.checkpointDir);
  const m = model as unknown as { collectSeconds?: number; updateSeconds?: number };
  const result: RunResult = {
    dir: run.dir, algo, env: opts.env, seed, numTimesteps: model.numTimesteps,
    finalEval: finalEval ?? evaluate(model.numTimesteps, true),
    evals, stepsPerSecond: ((model.numTimesteps - startSteps) * 1000) / Math.max(trainMs, 1e-9), trainSeconds: trainMs / 1000,
    ...(m.collectSeconds !== undefined ? { collectSeconds: m.collectSeconds, updateSeconds: m.updateSeconds } : {}),
    wallSeconds: (performance.now() - t0) / 1000, stopped,
  };
  if (!stopped) run.writeJSON("result.json", result);
  evalEnv.close();
  model.close?.();
  model.dispose?.();
  return result;
}
