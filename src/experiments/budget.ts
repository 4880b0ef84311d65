/**
 * The run-size setting shared by notebooks, the CLI and CI: `GUIDED_RL_BUDGET=smoke|showcase|full` (default full).
 * - smoke: every step of an experiment at toy size, so a notebook executes in about a minute (CI);
 * - showcase: results that mean something in minutes per notebook on 2 cores (the published notebooks,
 *   `npm run notebooks:publish`);
 * - full: the protocol at the size the tables are meant to be read at.
 */
export type Budget = "smoke" | "showcase" | "full";

export const BUDGETS: readonly Budget[] = ["smoke", "showcase", "full"];

export function budget(value: string | undefined = process.env.GUIDED_RL_BUDGET): Budget {
  if (value === undefined || value === "") return "full";
  if ((BUDGETS as readonly string[]).includes(value)) return value as Budget;
  throw new Error(`GUIDED_RL_BUDGET must be "smoke", "showcase" or "full", got "${value}"`);
}
