/**
 * The one place that prints the package's own messages (not a run's progress):
 * - `info`: what the user may like to know (which kernels run, that the offline surrogate answers). Printed
 *   once per key per process as plain text: on stderr from the CLI and scripts (stdout stays for results),
 *   on stdout in a notebook, where tslab shows every stderr line as a red error box.
 * - `warn`: something that needs the user's action (a missing browser, a model without a price). Once per
 *   key, always on stderr.
 * GUIDED_RL_QUIET=1 (set by the test runner) silences both.
 */
const said = new Set<string>();

/** True in a tslab kernel process (notebooks). */
export function inNotebookKernel(): boolean {
  return /[\\/]tslab([\\/]|$)/.test(process.argv[1] ?? "");
}

function once(key: string, write: () => void): boolean {
  if (said.has(key)) return false;
  said.add(key);
  if (process.env.GUIDED_RL_QUIET !== "1") write();
  return true;
}

/** Prints `message` the first time `key` is seen (plain text; see the module comment). Returns whether it was new. */
export function info(key: string, message: string): boolean {
  return once(key, () => (inNotebookKernel() ? process.stdout : process.stderr).write(message + "\n"));
}

/** Prints `message` on stderr the first time `key` is seen: for what needs the user's action. */
export function warn(key: string, message: string): boolean {
  return once(key, () => process.stderr.write(message + "\n"));
}
