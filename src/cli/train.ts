/**
 * `guided-rl train --env <id> --algo ppo|a2c|dqn|sac|td3 [--hyperparams zoo|default] [--steps N] [--seed S]
 *                  [--out runs/x] [--resume] [--json] [--n-envs N] [--eval-freq N] [--eval-episodes N]
 *                  [--log-interval N] [--set key=value ...]`
 *
 * Trains into a run folder (see src/algos/run.ts). On a terminal: a progress bar with steps/s, the mean
 * training return and the last evaluation; otherwise one plain line per evaluation. `--json` ends with one
 * JSON line: the final evaluation return and steps per second.
 */
import { parseArgs } from "node:util";
import { ALGORITHMS, type AlgoName } from "../algos/hyperparams.js";
import { type RunProgress, trainRun } from "../algos/run.js";
import { progressLine } from "../report/live.js";
import { parseWholeNumber } from "./options.js";

export const TRAIN_USAGE = `usage: guided-rl train --env <id> --algo ppo|a2c|dqn|sac|td3 [--hyperparams zoo|default] [--steps N] [--seed S]
                      [--out DIR] [--resume] [--json] [--n-envs N] [--eval-freq N] [--eval-episodes N]
                      [--log-interval N] [--set key=value ...]

  --hyperparams  zoo (rl-zoo's settings for the env; default) or default (SB3 defaults, one env)
  --steps        env steps to train (default: rl-zoo's n_timesteps, else 100000)
  --out          run folder (default runs/<algo>-<env>-s<seed>); --resume continues it from its checkpoint
  --log-interval a metrics.jsonl train line every N rollouts (PPO/A2C, default 1) or N episodes (DQN/SAC/TD3,
                 default 4), its losses averaged over the training phases in between (SB3's log_interval)
  --set          override one hyperparameter (SB3 name in camelCase), e.g. --set learningRate=1e-3`;

export interface TrainArgs {
  env: string;
  algo: AlgoName;
  hyperparams: "zoo" | "default";
  steps?: number;
  seed: number;
  out?: string;
  resume: boolean;
  json: boolean;
  nEnvs?: number;
  evalFreq?: number;
  evalEpisodes?: number;
  logInterval?: number;
  overrides: Record<string, unknown>;
}

function intArg(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  try {
    return parseWholeNumber(v, `--${name}`, min);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${TRAIN_USAGE}`);
  }
}

/** Parses the arguments after `train`; throws with the usage on bad input. */
export function parseTrainArgs(argv: readonly string[]): TrainArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        env: { type: "string" }, algo: { type: "string" }, hyperparams: { type: "string" }, steps: { type: "string" },
        seed: { type: "string" }, out: { type: "string" }, resume: { type: "boolean" }, json: { type: "boolean" },
        "n-envs": { type: "string" }, "eval-freq": { type: "string" }, "eval-episodes": { type: "string" },
        "log-interval": { type: "string" }, set: { type: "string", multiple: true },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${TRAIN_USAGE}`);
  }
  const v = parsed.values;
  if (!v.env) throw new Error(`--env is required\n${TRAIN_USAGE}`);
  if (!v.algo) throw new Error(`--algo is required\n${TRAIN_USAGE}`);
  if (!ALGORITHMS.includes(v.algo as AlgoName)) throw new Error(`--algo must be one of ${ALGORITHMS.join(", ")}, got "${v.algo}"`);
  const hyperparams = (v.hyperparams ?? "zoo") as "zoo" | "default";
  if (hyperparams !== "zoo" && hyperparams !== "default") throw new Error(`--hyperparams must be zoo or default, got "${v.hyperparams}"`);
  const overrides: Record<string, unknown> = {};
  for (const item of v.set ?? []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new Error(`--set expects key=value, got "${item}"`);
    const raw = item.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a bare string such as lin_0.001
    }
    overrides[item.slice(0, eq)] = value;
  }
  return {
    env: v.env, algo: v.algo as AlgoName, hyperparams,
    steps: intArg("steps", v.steps, 1), seed: intArg("seed", v.seed, 0) ?? 0, out: v.out, resume: v.resume ?? false,
    json: v.json ?? false, nEnvs: intArg("n-envs", v["n-envs"], 1), evalFreq: intArg("eval-freq", v["eval-freq"], 1),
    evalEpisodes: intArg("eval-episodes", v["eval-episodes"], 1), logInterval: intArg("log-interval", v["log-interval"], 1), overrides,
  };
}

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "-");

/** One progress-bar line (no newline): the same line a notebook's live curve shows (report/live.ts). */
export function progressBar(p: RunProgress, width = 20): string {
  const evalText = p.lastEval ? ` · eval ${fmt(p.lastEval.meanReturn)}` : "";
  const elapsed = p.stepsPerSecond > 0 ? p.numTimesteps / p.stepsPerSecond : 0;
  return progressLine(p.numTimesteps, p.totalTimesteps, elapsed, "steps", `ep return ${fmt(p.epRewMean)}${evalText}`, width);
}

export async function train(argv: readonly string[]): Promise<number> {
  const args = parseTrainArgs(argv);
  const tty = process.stderr.isTTY === true && !args.json;
  let lastPrintedEval = -1;
  let lastLineAt = 0;
  const onProgress = (p: RunProgress) => {
    if (tty) {
      process.stderr.write(`\r${progressBar(p)}\x1b[K`);
      return;
    }
    if (args.json) return;
    // plain lines: one per evaluation, at most one every 10% otherwise
    const evalStep = p.lastEval?.step ?? -1;
    const tenth = Math.floor((10 * p.numTimesteps) / p.totalTimesteps);
    if (evalStep !== lastPrintedEval || tenth > lastLineAt) {
      lastPrintedEval = evalStep;
      lastLineAt = tenth;
      console.log(`step ${p.numTimesteps}/${p.totalTimesteps} steps/s ${fmt(p.stepsPerSecond, 0)} ep_return ${fmt(p.epRewMean)}${p.lastEval ? ` eval ${fmt(p.lastEval.meanReturn)} (step ${p.lastEval.step})` : ""}`);
    }
  };
  const result = await trainRun({
    env: args.env, algo: args.algo, seed: args.seed, hyperparams: args.hyperparams,
    ...(args.steps !== undefined ? { totalTimesteps: args.steps } : {}),
    ...(args.out !== undefined ? { out: args.out } : {}),
    resume: args.resume,
    overrides: { ...args.overrides, ...(args.nEnvs !== undefined ? { nEnvs: args.nEnvs } : {}) },
    ...(args.evalFreq !== undefined ? { evalFreq: args.evalFreq } : {}),
    ...(args.evalEpisodes !== undefined ? { nEvalEpisodes: args.evalEpisodes } : {}),
    ...(args.logInterval !== undefined ? { logInterval: args.logInterval } : {}),
    onProgress,
  });
  if (tty) process.stderr.write("\n");
  const summary = {
    algo: result.algo, env: result.env, seed: result.seed, steps: result.numTimesteps,
    evalReturn: result.finalEval.meanReturn, evalStd: result.finalEval.stdReturn,
    stepsPerSecond: Math.round(result.stepsPerSecond), trainSeconds: result.trainSeconds, dir: result.dir,
  };
  if (args.json) console.log(JSON.stringify(summary));
  else console.log(`done: ${result.numTimesteps} steps, eval return ${fmt(result.finalEval.meanReturn)} ± ${fmt(result.finalEval.stdReturn)}, ${fmt(result.stepsPerSecond, 0)} steps/s, run folder ${result.dir}`);
  return 0;
}

export const trainCommand = { name: "train", usage: TRAIN_USAGE, run: train };
