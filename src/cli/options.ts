/**
 * Option reading shared by the `reproduce-*` commands: `--name value` and `--name=value`, the options every
 * reproduction takes (--llm, --model, --budget, --out, --no-png), usage errors that carry the command's
 * usage text, and the tail that makes a command module runnable on its own.
 */
import { BUDGETS, type Budget } from "../experiments/budget.js";
import type { LlmProviderName } from "../llm/create.js";

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
    default:
      return false;
  }
}

/** Reads `--seeds N` (a positive integer). */
export function readSeeds(option: CliOption, fail: UsageFailure): number {
  const n = Number(option.value());
  if (!Number.isInteger(n) || n < 1) fail("--seeds must be a positive integer");
  return n;
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
