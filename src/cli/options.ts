/**
 * Option reading shared by the `reproduce-*` commands: `--name value` and `--name=value`, the options every
 * reproduction takes (--llm, --model, --budget, --out, --no-png), usage errors that carry the command's
 * usage text, and the tail that makes a command module runnable on its own.
 */
import { writeText } from "../core/secrets.js";
import { join } from "node:path";
import { BUDGETS, type Budget } from "../experiments/budget.js";
import { createLlm, type LlmProviderName } from "../llm/create.js";

/** Throws a usage error: the message, then the command's usage. */
export type UsageFailure = (message: string) => never;

/** A failure function for one command's usage text. */
export function usageFailure(usage: string): UsageFailure {
  return (message: string): never => {
    throw new Error(`${message}\n${usage}`);
  };
}

/** One option as met on the command line. */
export interface CliOption {
  /** The option's name, without any `=value` part. */
  name: string;
  /** The argument as written (`--out=x` stays whole), for error messages. */
  flag: string;
  /** The option's value: the part after `=`, else the next argument (consumed); fails when there is none. */
  value(): string;
}

/**
 * Walks `argv` option by option. `visit` returns whether it knew the option; an unknown one is a usage
 * error `unknown option "<flag>"`.
 */
export function readOptions(argv: readonly string[], fail: UsageFailure, visit: (option: CliOption) => boolean): void {
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const eq = flag.indexOf("=");
    const [name, inline] = eq >= 0 ? [flag.slice(0, eq), flag.slice(eq + 1)] : [flag, undefined];
    const value = (): string => inline ?? argv[++i] ?? fail(`${name} needs a value`);
    if (!visit({ name, flag, value })) fail(`unknown option "${flag}"`);
  }
}

/** The `--llm` names and the providers they choose. */
export const LLM_NAMES: Readonly<Record<string, LlmProviderName>> = {
  surrogate: "surrogate",
  anthropic: "anthropic",
  openai: "openai-compatible",
  "openai-compatible": "openai-compatible",
};

/** The settings every `reproduce-*` command takes. */
export interface ReproduceCommonArgs {
  provider: LlmProviderName;
  model?: string;
  budget: Budget;
  out?: string;
  png: boolean;
  /** LLM calls allowed to fail (after the provider's retries) before the run stops; default 0. */
  maxFailedCalls?: number;
}

/** Reads --llm, --model, --budget, --out or --no-png into `args`; returns false for any other option. */
export function readCommonOption(args: ReproduceCommonArgs, option: CliOption, fail: UsageFailure): boolean {
  switch (option.name) {
    case "--llm": {
      const v = option.value();
      args.provider = LLM_NAMES[v] ?? fail(`unknown --llm "${v}" (surrogate, anthropic or openai)`);
      return true;
    }
    case "--model":
      args.model = option.value();
      return true;
    case "--budget": {
      const v = option.value();
      if (!(BUDGETS as readonly string[]).includes(v)) fail(`--budget must be smoke or full, or showcase (the published notebooks' size), got "${v}"`);
      args.budget = v as Budget;
      return true;
    }
    case "--out":
      args.out = option.value();
      return true;
    case "--no-png":
      args.png = false;
      return true;
    case "--max-failed-calls":
      args.maxFailedCalls = readWholeNumber(option, fail);
      return true;
    default:
      return false;
  }
}

/**
 * A whole number written in plain decimal digits (`1000`, `1_000`), at least `min`. Anything else —
 * `1e3`, `0x100`, `1.0`, `" "`, `-1`, `+5`, beyond 2^53 — is refused with the accepted form, so a typo
 * never becomes a different number.
 */
export function parseWholeNumber(text: string, name: string, min = 0): number {
  const plain = /^\d{1,3}(?:_\d{3})+$|^\d+$/.test(text);
  const n = plain ? Number(text.replace(/_/g, "")) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new Error(`${name} must be a whole number >= ${min} written in decimal digits (e.g. ${Math.max(min, 1000)}), got ${JSON.stringify(text)}`);
  }
  return n;
}

/** `parseWholeNumber` on an option's value, failing with the command's usage. */
export function readWholeNumber(option: CliOption, fail: UsageFailure, min = 0): number {
  const text = option.value();
  try {
    return parseWholeNumber(text, option.name, min);
  } catch (err) {
    return fail((err as Error).message);
  }
}

/** Reads `--seeds N` (a positive integer). */
export function readSeeds(option: CliOption, fail: UsageFailure): number {
  return readWholeNumber(option, fail, 1);
}

/**
 * Before any training: sets the run's tolerance for failed LLM calls (GUIDED_RL_MAX_FAILED_CALLS, read by
 * every client the run creates) and, for a real provider, checks that it can be called (key set and
 * accepted, server reachable); throws an error naming the setting to fix.
 */
export async function prepareLlm(args: Pick<ReproduceCommonArgs, "provider" | "model" | "maxFailedCalls"> & { baseURL?: string }): Promise<void> {
  if (args.maxFailedCalls !== undefined) process.env.GUIDED_RL_MAX_FAILED_CALLS = String(args.maxFailedCalls);
  if (args.provider === "surrogate") return;
  const where = args.baseURL ? { baseURL: args.baseURL } : {};
  await createLlm({ provider: args.provider, ...(args.model ? { model: args.model } : {}), ...where, transcript: false }).preflight();
}

/**
 * `<out>/status.json` of a reproduction: `{complete: true}` when its tables are whole, else why not —
 * `{complete: false, reason: "running"}` while it runs, `{complete: false, partial: true, reason}` when it
 * stopped (failed LLM calls past the tolerance, a spent budget): its finished work is kept for a resume.
 */
export function writeRunStatus(out: string, status: Record<string, unknown>): void {
  writeText(join(out, "status.json"), `${JSON.stringify(status, null, 2)}\n`);
}

/** Parses with `parse`; on a usage error prints it to stderr and returns undefined (the caller picks the exit code). */
export function parseOrReport<T>(argv: readonly string[], parse: (argv: readonly string[]) => T): T | undefined {
  try {
    return parse(argv);
  } catch (err) {
    console.error((err as Error).message.trim());
    return undefined;
  }
}

/**
 * Runs `run` with the process arguments when the process was started on the module named `moduleName`
 * (`tsx src/cli/<moduleName>.ts` or `node dist/cli/<moduleName>.js`), then exits with its code (1 on a throw).
 */
export function runWhenMain(moduleName: string, run: (argv: readonly string[]) => Promise<number>): void {
  const script = process.argv[1];
  if (!script || !script.endsWith(`${moduleName}.ts`) && !script.endsWith(`${moduleName}.js`)) return;
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
