/**
 * The surrogate's domain knowledge: what a knowledgeable model would say about an action, per environment.
 * Each expert reads named fields (as rendered in the prompt) and returns +1 / 0 / -1 and a reason.
 */
import type { Score } from "../parse.js";

/** A state as the surrogate read it from the prompt: field name (lower case) -> numbers. */
export interface ReadState {
  fields: Map<string, number[]>;
  /** The values in the order they appeared. */
  values: number[];
}

/** An action as read from the prompt: its index and meaning (Discrete) or its values (Box). */
export interface ReadAction {
  index?: number;
  meaning?: string;
  values: number[];
}

export interface Judgement {
  score: Score;
  why: string;
}

export interface Expert {
  /** Environment ids it knows (matched against the prompt's `Environment:` line, without version). */
  envs: readonly string[];
  judge(state: ReadState, action: ReadAction): Judgement;
}

/** The first field whose name contains every word of one of the alternatives, or the value at `position`. */
function field(state: ReadState, alternatives: readonly (readonly string[])[], position: number, exclude: readonly string[] = []): number {
  for (const words of alternatives) {
    for (const [name, vals] of state.fields) {
      if (words.every((w) => name.includes(w)) && !exclude.some((w) => name.includes(w))) return vals[0]!;
    }
  }
  const v = state.values[position];
  if (v === undefined) throw new Error(`surrogate: cannot read field ${alternatives[0]!.join(" ")} from the state`);
  return v;
}

function direction(action: ReadAction, left: readonly string[], right: readonly string[], rightIndex: number): -1 | 1 {
  const m = action.meaning?.toLowerCase() ?? "";
  if (right.some((w) => m.includes(w))) return 1;
  if (left.some((w) => m.includes(w))) return -1;
  return action.index === rightIndex ? 1 : -1;
}

/**
 * CartPole: push toward the side the pole leans and falls to. The pole's fall is predicted half a second
 * ahead from its angle and angular velocity (with a little cart-position term so the cart stays near the
 * centre); when that prediction is near zero, neither push matters.
 */
export const cartPoleExpert: Expert = {
  envs: ["CartPole"],
  judge(state, action) {
    const x = field(state, [["cart", "position"], ["position"]], 0);
    const v = field(state, [["cart", "velocity"]], 1, ["angular"]);
    const theta = field(state, [["pole", "angle"], ["angle"]], 2, ["velocity", "angular"]);
    const omega = field(state, [["angular", "velocity"], ["pole", "velocity"], ["tip", "velocity"]], 3);
    const lean = theta + 0.5 * omega + 0.01 * x + 0.05 * v;
    const push = direction(action, ["left"], ["right"], 1);
    if (Math.abs(lean) < 0.01) return { score: 0, why: "The pole is nearly upright and still, so either push is fine." };
    const side = lean > 0 ? "right" : "left";
    return push === Math.sign(lean)
      ? { score: 1, why: `The pole is leaning or falling to the ${side}; pushing ${side} moves the cart back under it.` }
      : { score: -1, why: `The pole is leaning or falling to the ${side}; pushing the other way makes it fall faster.` };
  },
};

/**
 * Pendulum: energy-based swing-up. With theta = atan2(sin, cos) (0 upright) the energy relative to upright
 * rest is E = omega^2 / 6 + 5 (cos theta - 1) and dE/dt = omega * torque, so below the top the right torque
 * pushes along the motion while E < 0 (and against it once E > 0); near the top a PD rule balances it.
 * Small torques (|u| < 0.25) are neither good nor bad.
 */
export const pendulumExpert: Expert = {
  envs: ["Pendulum"],
  judge(state, action) {
    const cos = field(state, [["cos"], ["x"]], 0);
    const sin = field(state, [["sin"], ["y"]], 1);
    const omega = field(state, [["angular", "velocity"], ["velocity"]], 2);
    const u = action.values[0];
    if (u === undefined) throw new Error("surrogate: Pendulum action has no torque value");
    const theta = Math.atan2(sin, cos);
    const energy = (omega * omega) / 6 + 5 * (cos - 1);
    let want: number;
    let reason: string;
    if (Math.abs(theta) < 0.5 && Math.abs(omega) < 3) {
      want = Math.sign(-(10 * theta + 2 * omega));
      reason = "near the top, torque against the tilt and its motion balances it";
    } else if (Math.abs(omega) < 0.05 && Math.abs(theta) > 3) {
      return { score: 0, why: "Hanging still at the bottom: either direction starts the swing." };
    } else if (energy < 0) {
      want = Math.sign(omega) || Math.sign(theta);
      reason = "below the top with too little energy, torque along the swing pumps energy in";
    } else {
      want = -Math.sign(omega);
      reason = "with more energy than needed to reach the top, torque against the swing slows it";
    }
    if (Math.abs(u) < 0.25) return { score: 0, why: `The torque is too small to matter; ${reason}.` };
    return Math.sign(u) === want
      ? { score: 1, why: `Good: ${reason}.` }
      : { score: -1, why: `Bad: ${reason}, and this torque does the opposite.` };
  },
};

/** Blackjack basic strategy for hit/stick only (Gymnasium's Blackjack has no double or split); ace = 1. */
export function basicStrategyHits(playerSum: number, dealerCard: number, usableAce: boolean): boolean {
  const dealer = dealerCard === 1 ? 11 : dealerCard;
  if (usableAce) {
    if (playerSum <= 17) return true;
    if (playerSum === 18) return dealer >= 9;
    return false;
  }
  if (playerSum <= 11) return true;
  if (playerSum === 12) return !(dealer >= 4 && dealer <= 6);
  if (playerSum <= 16) return !(dealer >= 2 && dealer <= 6);
  return false;
}

export const blackjackExpert: Expert = {
  envs: ["Blackjack"],
  judge(state, action) {
    const sum = field(state, [["player"], ["sum"]], 0);
    const dealer = field(state, [["dealer"]], 1);
    const ace = field(state, [["usable"], ["ace"]], 2);
    const m = action.meaning?.toLowerCase() ?? "";
    const hit = m.includes("hit") ? true : m.includes("stick") || m.includes("stand") ? false : action.index === 1;
    const shouldHit = basicStrategyHits(Math.round(sum), Math.round(dealer), ace >= 0.5);
    const hand = `${ace >= 0.5 ? "soft" : "hard"} ${Math.round(sum)} against a dealer ${Math.round(dealer) === 1 ? "ace" : Math.round(dealer)}`;
    return hit === shouldHit
      ? { score: 1, why: `Basic strategy ${shouldHit ? "hits" : "stands"} on ${hand}.` }
      : { score: -1, why: `Basic strategy ${shouldHit ? "hits" : "stands"} on ${hand}, not ${hit ? "hit" : "stick"}.` };
  },
};

export const LMGT_EXPERTS: readonly Expert[] = [cartPoleExpert, pendulumExpert, blackjackExpert];

/** The expert for an environment id such as `CartPole-v1`, if the surrogate has one. */
export function expertFor(envId: string): Expert | undefined {
  const base = envId.replace(/-v\d+$/, "").toLowerCase();
  return LMGT_EXPERTS.find((e) => e.envs.some((name) => name.toLowerCase() === base));
}
