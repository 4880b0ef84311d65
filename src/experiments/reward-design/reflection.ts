/**
 * The reflection shown to the designer from iteration 2 on (Eureka's "reward reflection", extended): the
 * native evaluation return through training, each reward component's mean/min/max at every checkpoint,
 * the behaviour metrics of the final evaluation, and the failure kinds seen.
 */
import { fmt, formatMetrics, type BehaviourMetrics } from "../../guides/reward-design/metrics.js";
import { hackingAlerts, type HackingAlert, type HackingAlertOptions } from "../../guides/reward-design/alignment.js";
import type { TrainingResult } from "./training.js";

/** The reward-hacking alerts of a trained candidate (none for the native baseline or a failed run). */
export function rewardHackingAlerts(result: TrainingResult, options?: HackingAlertOptions): HackingAlert[] {
  const windows = result.checkpoints.flatMap((c) => (c.alignment ? [c.alignment] : []));
  return hackingAlerts(windows, options);
}

/** A named way a run went wrong: a short kind (for tables) and the detail the designer reads. */
export interface FailureKind {
  kind: string;
  detail: string;
}

/** Named ways a run can go wrong, from the code's failures and from the evaluated behaviour. */
export function failureKinds(result: TrainingResult): FailureKind[] {
  if (!result.ok) return [{ kind: `training failed (${result.failure?.kind})`, detail: result.failure?.message.split("\n")[0] ?? "" }];
  const kinds: FailureKind[] = [];
  const add = (kind: string, detail: string) => kinds.push({ kind, detail });
  const m: BehaviourMetrics = result.metrics;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (m.fall_rate! > 0) add("falls", `${pct(m.fall_rate!)} of evaluation episodes end with the hull on the ground (-100)`);
  const timeouts = 1 - m.fall_rate! - m.success_rate!;
  if (timeouts > 1e-9) add("no finish", `${pct(timeouts)} of episodes reach the time/step limit without reaching the end of the course`);
  if (m.distance! < 0) add("walks backwards", `${fmt(m.distance!)} m`);
  else if (m.distance! < 1) add("stands still", `shuffles in place (distance ${fmt(m.distance!)} m)`);
  if (m.hull_tilt! > 0.3) add("leans", `mean |hull angle| ${fmt(m.hull_tilt!)} rad`);
  if (m.gait_symmetry! < 0.3) add("one-legged", `gait symmetry ${fmt(m.gait_symmetry!)}: one leg barely touches the ground`);
  if (m.flight! > 0.3) add("airborne", `no foot on the ground ${pct(m.flight!)} of the time (hopping or jumping)`);
  if (m.step_frequency! > 0 && m.alternation! < 0.4) add("no alternation", `alternation ${fmt(m.alternation!)}: touchdowns do not alternate left-right`);
  if (m.double_support! > 0.8) add("double support", `both feet on the ground ${pct(m.double_support!)} of the time (shuffling or standing)`);
  const alerts = rewardHackingAlerts(result);
  if (alerts.length) add("reward hacking", alerts.map((a) => a.message).join("; "));
  return kinds;
}

/** "kind: detail" lines. */
export function failureKindText(kinds: readonly FailureKind[]): string[] {
  return kinds.map((k) => `${k.kind}: ${k.detail}`);
}

function componentLines(result: TrainingResult): string[] {
  const names = new Set<string>();
  for (const c of result.checkpoints) for (const n of Object.keys(c.components)) names.add(n);
  const ordered = [...names].sort((a, b) => (a === "total" ? -1 : b === "total" ? 1 : a.localeCompare(b)));
  return ordered.map((name) => {
    const cells = result.checkpoints.map((c) => {
      const s = c.components[name];
      return s ? `${fmt(s.mean)} [${fmt(s.min)}, ${fmt(s.max)}]` : "-";
    });
    return `- ${name}: ${cells.join(" -> ")}`;
  });
}

/** The reflection text for one trained candidate. */
export function reflectionText(result: TrainingResult, evalEpisodes: number): string {
  const lines: string[] = [];
  if (!result.ok) {
    lines.push(`Training failed: ${result.failure?.kind}: ${result.failure?.message.split("\n")[0]}`);
    return lines.join("\n");
  }
  lines.push(
    `Native evaluation return through training (deterministic policy, ${evalEpisodes} episodes, at env steps): ` +
      result.checkpoints.map((c) => `${c.step}: ${fmt(c.nativeReturn)}`).join(" | "),
  );
  lines.push(`Distance walked at those checkpoints (m): ${result.checkpoints.map((c) => fmt(c.distance)).join(" | ")}`);
  const train = result.rollouts.filter((r) => Number.isFinite(r.epRewMean));
  if (train.length > 0) {
    const pick = sample(train, 6);
    lines.push(`Native return of training episodes (stochastic policy, mean of the last 100): ${pick.map((r) => `${r.step}: ${fmt(r.epRewMean)}`).join(" | ")}`);
  } else {
    lines.push("No training episode finished (every episode lasted longer than the rollouts collected).");
  }
  lines.push("");
  lines.push("Reward components per step during training, mean [min, max] over each window ending at the checkpoints above ('total' is your reward):");
  lines.push(...componentLines(result));
  const windows = result.checkpoints.filter((c) => c.alignment);
  if (windows.length) {
    lines.push("");
    lines.push(
      "Your reward vs the native reward over the training episodes that finished in each window (episodes, mean designed return, mean native return, correlation r): " +
        windows.map((c) => `${c.step}: ${c.alignment!.episodes} ep, ${fmt(c.alignment!.designedMean)} / ${fmt(c.alignment!.nativeMean)}, r = ${fmt(c.alignment!.correlation, 2)}`).join(" | "),
    );
  }
  lines.push("");
  lines.push("Behaviour metrics of the final evaluation episodes:");
  lines.push(formatMetrics(result.metrics));
  lines.push("");
  const kinds = failureKindText(failureKinds(result));
  lines.push(`Failure kinds: ${kinds.length ? "\n" + kinds.map((k) => `- ${k}`).join("\n") : "none observed"}`);
  return lines.join("\n");
}

/** Up to `k` evenly spaced entries, always including the last. */
function sample<T>(a: readonly T[], k: number): T[] {
  if (a.length <= k) return a.slice();
  const out: T[] = [];
  for (let i = 0; i < k; i++) out.push(a[Math.round((i * (a.length - 1)) / (k - 1))]!);
  return out;
}
