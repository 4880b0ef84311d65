/**
 * The LMGT paper's published figures (arXiv 2409.04744), only where a number can be sourced here.
 *
 * The paper's PDF is not available on this machine. The figures below are as quoted by a third-party
 * summary of the paper (github.com/Mantissagithub/lossfunk_assignment, research_paper_findings/lmgt.md),
 * which names the setting ("CartPole (1000 steps)") but not the model, seeds or spread; they are shown as
 * "the paper's, as quoted", never as verified. Every other cell of the paper's tables is "not available here".
 */
import type { LmgtAlgoName, LmgtEnvName } from "./presets.js";

export interface LmgtPaperFigure {
  env: LmgtEnvName;
  algo: LmgtAlgoName | "td";
  /** Env steps of the figure (undefined when the source does not say). */
  steps?: number;
  /** What was compared, in the source's words. */
  setting: string;
  baseline: number;
  lmgt: number;
  source: string;
}

export const LMGT_PAPER_SOURCE = "LMGT paper (arXiv 2409.04744) as quoted by github.com/Mantissagithub/lossfunk_assignment research_paper_findings/lmgt.md; paper PDF not available here";

export const LMGT_PAPER_FIGURES: readonly LmgtPaperFigure[] = [
  { env: "cartpole", algo: "a2c", steps: 1000, setting: "CartPole, 1000 steps, A2C", baseline: 40.7, lmgt: 78.9, source: LMGT_PAPER_SOURCE },
  // Listed under "CartPole (1000 steps)" by the summary; a return of -1747.89 is a Pendulum-scale return, so it
  // is shown as Pendulum's SAC figure at 1000 steps, flagged as the summary's grouping.
  { env: "pendulum", algo: "sac", steps: 1000, setting: "SAC, 1000 steps (the summary lists it under CartPole; the return's scale is Pendulum's)", baseline: -1747.89, lmgt: -409.69, source: LMGT_PAPER_SOURCE },
  // Prompt-style ablation on Blackjack: baseline 0.32, chain-of-thought 0.45 (the summary: CoT best, few-shot hurts).
  { env: "blackjack", algo: "td", setting: "Blackjack, chain-of-thought prompt (the summary: best style; few-shot hurt)", baseline: 0.32, lmgt: 0.45, source: LMGT_PAPER_SOURCE },
];

/**
 * The model-size ablation as quoted (relative improvement over the baseline): Vicuna-7B 0%, 13B 6-12%,
 * 30B 40.6%. Text, not numbers to compare with: the summary gives ranges and no absolute returns.
 */
export const LMGT_PAPER_MODEL_ABLATION = "Vicuna-7B: 0% improvement; Vicuna-13B: 6-12%; Vicuna-30B: 40.6% (Blackjack; as quoted by the third-party summary)";
