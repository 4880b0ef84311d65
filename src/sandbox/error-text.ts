/**
 * The one rule for every error text the sandbox hands back (it is sent to the LLM that wrote the code):
 * at most MAX_ERROR_TEXT characters, and no host file paths (they say nothing to the model and tell it
 * about the machine). Used by the evaluator (inside the child) and by the parent for its own errors.
 */

/** Longest error text sent back, in characters. */
export const MAX_ERROR_TEXT = 400;

// An absolute path (POSIX, file:// URL or Windows drive) with at least one directory, e.g. in a stack frame.
const HOST_PATH = /(?:file:\/\/)?(?:\/|[A-Za-z]:\\)(?:[\w.@+~-]+[\\/])+[\w.@+~-]*(?::\d+)*/g;

export function errorTextForLlm(text: string): string {
  const clean = text.replace(HOST_PATH, "<path>");
  if (clean.length <= MAX_ERROR_TEXT) return clean;
  const tail = `... (${clean.length} characters)`;
  return clean.slice(0, MAX_ERROR_TEXT - tail.length) + tail;
}
