/**
 * The environment of a child process: only the variables it needs, so that an API key (or anything else of
 * the parent's) never reaches code that does not need it — the sandbox that runs LLM-written code, the
 * training workers of reward design.
 */

/** Names to pass through as they are, or patterns (e.g. /^OPENBLAS_/) of names to pass through. */
export type EnvAllowList = readonly (string | RegExp)[];

/** The variables the training code reads: the tensor backend, the native BLAS and its OpenBLAS settings, logging. */
export const TRAINING_ENV: EnvAllowList = [
  "PATH",
  "NODE_ENV",
  "TMPDIR",
  "GUIDED_RL_TF_BACKEND",
  "GUIDED_RL_NO_WASM_GEMM",
  "GUIDED_RL_NATIVE",
  "GUIDED_RL_NATIVE_THREADS",
  "GUIDED_RL_QUIET",
  "GUIDED_RL_DEBUG",
  /^OPENBLAS_/,
];

/** The parent's variables that `allow` names, plus `set`. */
export function childEnv(allow: EnvAllowList, set: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && allow.some((a) => (typeof a === "string" ? a === name : a.test(name)))) env[name] = value;
  }
  return { ...env, ...set };
}
