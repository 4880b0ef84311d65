/**
 * The check before compute: a candidate that runs cleanly may still pay for the wrong behaviour (a sign
 * slip, a bonus for standing still, a reward for falling). Before any training, its return on the three
 * reference trajectories (references.ts) must rank walking > standing > falling; otherwise the designer
 * gets the returns and the components that pull the wrong way, as a fix request, and no PPO step is spent.
 */
import type { Sandbox } from "../../sandbox/index.js";
import { REFERENCE_NAMES, type ReferenceName, type ReferenceTrajectory } from "./references.js";

export interface RankingCheck {
  ok: boolean;
  /** The candidate's return on each reference. */
  returns: Record<ReferenceName, number>;
  /** Each component's sum on each reference (the "total" is the return). */
  components: Record<string, Record<ReferenceName, number>>;
  /** The fix request text (at most 400 characters) when the order is wrong. */
  message?: string;
}

const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
};

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(1) : x.toPrecision(2));

/**
 * Runs `code` on the references (already validated code: a sandbox error here is reported as such) and
 * checks the order. `refs` must hold walking, standing and falling.
 */
export async function rankingCheck(code: string, sandbox: Sandbox, refs: readonly ReferenceTrajectory[]): Promise<RankingCheck | { ok: false; error: import("../../sandbox/index.js").SandboxError }> {
  const returns = {} as Record<ReferenceName, number>;
  const components: RankingCheck["components"] = {};
  for (const name of REFERENCE_NAMES) {
    const ref = refs.find((r) => r.name === name);
    if (!ref) throw new Error(`rankingCheck: no "${name}" reference trajectory`);
    const r = await sandbox.evaluate(code, ref.steps);
    if (!r.ok) return { ok: false, error: r.error };
    returns[name] = sum(r.rewards);
    for (const [c, values] of Object.entries(r.components)) (components[c] ??= {} as Record<ReferenceName, number>)[name] = sum(values);
  }
  const wrong: [ReferenceName, ReferenceName][] = [];
  if (!(returns.walking > returns.standing)) wrong.push(["standing", "walking"]);
  if (!(returns.standing > returns.falling)) wrong.push(["falling", "standing"]);
  if (wrong.length === 0) return { ok: true, returns, components };
  const what = (n: ReferenceName) => refs.find((r) => r.name === n)!.summary;
  const parts = wrong.map(([hi, lo]) => `${lo} (${what(lo)}) scores ${fmt(returns[lo])}, not more than ${hi} (${what(hi)}) at ${fmt(returns[hi])}`);
  // The components that favour the wrong one of each pair, largest difference first.
  const culprits = wrong.flatMap(([hi, lo]) =>
    Object.entries(components)
      .filter(([, s]) => s[hi]! - s[lo]! > 0)
      .sort((a, b) => b[1][hi]! - b[1][lo]! - (a[1][hi]! - a[1][lo]!))
      .slice(0, 2)
      .map(([c, s]) => `${c} (${hi} ${fmt(s[hi]!)} vs ${lo} ${fmt(s[lo]!)})`),
  );
  let message = `pre-check: on reference trajectories with your reward ${parts.join("; and ")}. A walking reward must rank walking > standing > falling.`;
  if (culprits.length) message += ` Components pulling the wrong way: ${[...new Set(culprits)].join(", ")}.`;
  if (message.length > 400) message = message.slice(0, 397) + "...";
  return { ok: false, returns, components, message };
}
