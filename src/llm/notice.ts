/**
 * One-time notices on stderr (e.g. "using the offline surrogate"). Silenced by GUIDED_RL_QUIET=1,
 * which the test runner sets.
 */
const said = new Set<string>();

/** Write `message` to stderr the first time `key` is seen in this process. Returns whether it was new. */
export function noticeOnce(key: string, message: string): boolean {
  if (said.has(key)) return false;
  said.add(key);
  if (process.env.GUIDED_RL_QUIET !== "1") process.stderr.write(message + "\n");
  return true;
}
