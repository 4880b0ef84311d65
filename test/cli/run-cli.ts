// Runs the `guided-rl` command in a child process (the offline surrogate answering unless the arguments
// name another provider) and collects its output. `env` adds variables; an undefined value removes one.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";

const CLI = join(import.meta.dirname, "..", "..", "bin", "guided-rl.js");

function childEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, GUIDED_RL_PROVIDER: "surrogate", GUIDED_RL_QUIET: "1", ...env })) if (v !== undefined) out[k] = v;
  return out;
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: childEnv(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** `runCli` for synchronous tests, killed after 120 s (code -1 then). */
export function runCliSync(args: string[], env: Record<string, string | undefined> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 120_000, env: childEnv(env) });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
