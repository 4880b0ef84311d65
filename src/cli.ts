/**
 * `guided-rl <command> [options]`: a dispatcher. Each command lives in src/cli/<command>.ts and exports a
 * command object `{ name, usage, run(argv) }`; add a row to COMMANDS to add one. Multi-word names
 * ("reproduce lmgt") match the longest prefix of the arguments.
 */
export interface CliCommand {
  /** One or more words, e.g. "train" or "reproduce lmgt". */
  name: string;
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}

interface CommandEntry {
  name: string;
  summary: string;
  /** Module under src/cli/ and the name of its exported command object. */
  module: string;
  exportName: string;
}

const COMMANDS: CommandEntry[] = [
  { name: "train", summary: "train PPO / A2C / DQN / SAC on an environment into a run folder", module: "./cli/train.js", exportName: "trainCommand" },
  { name: "reproduce lmgt", summary: "reproduce the LMGT paper's tables (surrogate or real LLM)", module: "./cli/reproduce-lmgt.js", exportName: "reproduceLmgtCommand" },
  { name: "reproduce ultra", summary: "reproduce ULTRA (Pong, BipedalWalker) with its baselines", module: "./cli/reproduce-ultra.js", exportName: "reproduceUltraCommand" },
  { name: "merge", summary: "join the folders of a sharded reproduction (--shard i/n) and render its tables", module: "./cli/merge.js", exportName: "mergeCommand" },
  { name: "reproduce reward-design", summary: "LLM reward design for BipedalWalker-v3 against native-reward PPO", module: "./cli/reproduce-reward-design.js", exportName: "reproduceRewardDesignCommand" },
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "usage: guided-rl <command> [options]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "`guided-rl <command> --help` shows a command's options.",
  ].join("\n");
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    console.log(usage());
    return argv.length === 0 ? 2 : 0;
  }
  const entry = COMMANDS.filter((c) => {
    const words = c.name.split(" ");
    return words.every((w, i) => argv[i] === w);
  }).sort((a, b) => b.name.length - a.name.length)[0];
  if (!entry) {
    console.error(`guided-rl: unknown command "${argv.join(" ")}"\n\n${usage()}`);
    return 2;
  }
  const mod = (await import(entry.module)) as Record<string, CliCommand | undefined>;
  const command = mod[entry.exportName];
  if (!command) throw new Error(`${entry.module} does not export ${entry.exportName}`);
  const rest = argv.slice(entry.name.split(" ").length);
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    console.error(`guided-rl ${entry.name}: ${(err as Error).message}`);
    if (process.env.GUIDED_RL_DEBUG) console.error((err as Error).stack);
    return 1;
  }
}

// Run when executed directly (bin/guided-rl.js imports this module), not when imported by tests.
const invokedAs = process.argv[1] ?? "";
if (/(^|[\\/])(cli\.(ts|js)|guided-rl(\.js)?)$/.test(invokedAs)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`guided-rl: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
