/**
 * The run-size setting shared by notebooks, the CLI and CI: `GUIDED_RL_BUDGET=smoke|full` (default full).
 * smoke runs every step of an experiment at toy size so a notebook executes in about a minute.
 */
export type Budget = "smoke" | "full";

export function budget(value: string | undefined = process.env.GUIDED_RL_BUDGET): Budget {
  if (value === undefined || value === "" || value === "full") return "full";
  if (value === "smoke") return "smoke";
  throw new Error(`GUIDED_RL_BUDGET must be "smoke" or "full", got "${value}"`);
}
