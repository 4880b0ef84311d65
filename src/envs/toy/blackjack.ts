/**
 * Blackjack-v1 (Sutton & Barto, example 5.1), as Gymnasium 1.0 implements it: an infinite deck, the
 * player hits (1) or sticks (0), the dealer draws to 17. Observation: [player sum, dealer's showing card
 * (1 = ace), usable ace (0/1)]. Options as Gymnasium: `sab` (Sutton & Barto's rules: a natural wins
 * outright unless the dealer also has one; the registered default) and `natural` (a winning natural pays
 * 1.5, used only when `sab` is false). Cards are drawn with the same generator calls, so a seed gives
 * Gymnasium's deal.
 */
import type { EnvDescription, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import { BaseEnv } from "../../core/base-env.js";
import { Discrete } from "../../core/discrete.js";
import { Tuple } from "../../core/tuple.js";
import type { Generator } from "../../core/rng.js";

export interface BlackjackOptions {
  natural?: boolean;
  sab?: boolean;
}

/** [player sum, dealer showing card, usable ace]. */
export type BlackjackObs = [number, number, number];

const DECK = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10];
const SUITS = ["C", "D", "H", "S"];
const FACES = ["J", "Q", "K"];

const drawCard = (rng: Generator): number => rng.choice(DECK);
const handTotal = (hand: number[]): number => hand.reduce((a, b) => a + b, 0);
/** 1 when the hand holds an ace that can count as 11 without busting. */
export const usableAce = (hand: number[]): number => (hand.includes(1) && handTotal(hand) + 10 <= 21 ? 1 : 0);
export const sumHand = (hand: number[]): number => (usableAce(hand) ? handTotal(hand) + 10 : handTotal(hand));
const isBust = (hand: number[]): boolean => sumHand(hand) > 21;
const score = (hand: number[]): number => (isBust(hand) ? 0 : sumHand(hand));
const isNatural = (hand: number[]): boolean => hand.length === 2 && hand.includes(1) && hand.includes(10);
const cmp = (a: number, b: number): number => Number(a > b) - Number(a < b);

export class BlackjackEnv extends BaseEnv<BlackjackObs, number> {
  readonly observationSpace = new Tuple<BlackjackObs>([new Discrete(32), new Discrete(11), new Discrete(2)]);
  readonly actionSpace = new Discrete(2);
  readonly natural: boolean;
  readonly sab: boolean;
  /** The hands, visible for analysis and rendering; undefined before the first reset. */
  player: number[] | undefined;
  dealer: number[] | undefined;
  /** The dealer's face-up card as drawn for display (suit, and J/Q/K for a ten), as Gymnasium draws it. */
  dealerTopCard: { suit: string; value: string } | undefined;

  constructor(opts: BlackjackOptions = {}) {
    super();
    this.natural = opts.natural ?? false;
    this.sab = opts.sab ?? false;
  }

  reset(opts?: ResetOptions): ResetResult<BlackjackObs> {
    this.seedFrom(opts);
    const rng = this.npRandom;
    this.dealer = [drawCard(rng), drawCard(rng)];
    this.player = [drawCard(rng), drawCard(rng)];
    // Gymnasium draws the displayed suit (and face) here too; keeping the draws keeps the card sequence.
    const suit = rng.choice(SUITS);
    const shown = this.dealer[0]!;
    const value = shown === 1 ? "A" : shown === 10 ? rng.choice(FACES) : String(shown);
    this.dealerTopCard = { suit, value };
    return { obs: this.observe(), info: {} };
  }

  step(action: number): StepResult<BlackjackObs> {
    if (action !== 0 && action !== 1) throw new RangeError(`Blackjack: action must be 0 (stick) or 1 (hit), got ${String(action)}`);
    const player = this.player, dealer = this.dealer;
    if (player === undefined || dealer === undefined) throw new Error("Blackjack: call reset() before step()");
    const rng = this.npRandom;
    let terminated: boolean;
    let reward: number;
    if (action === 1) {
      player.push(drawCard(rng));
      terminated = isBust(player);
      reward = terminated ? -1.0 : 0.0;
    } else {
      terminated = true;
      while (sumHand(dealer) < 17) dealer.push(drawCard(rng));
      reward = cmp(score(player), score(dealer));
      if (this.sab && isNatural(player) && !isNatural(dealer)) reward = 1.0;
      else if (!this.sab && this.natural && isNatural(player) && reward === 1.0) reward = 1.5;
    }
    return { obs: this.observe(), reward, terminated, truncated: false, info: {} };
  }

  private observe(): BlackjackObs {
    return [sumHand(this.player!), this.dealer![0]!, usableAce(this.player!)];
  }
}

export function describeBlackjack(kwargs: { natural?: unknown; sab?: unknown } = {}): EnvDescription {
  const sab = kwargs.sab === undefined ? true : Boolean(kwargs.sab);
  const natural = Boolean(kwargs.natural);
  return {
    id: "Blackjack-v1",
    summary:
      "Blackjack against a dealer with an infinite deck (face cards 10, ace 1 or 11). The player sees their sum, the " +
      "dealer's face-up card and whether they hold a usable ace, and chooses to hit (draw a card) or stick (the dealer then " +
      "draws until reaching 17 or more).",
    observation: [
      { name: "player_sum", index: [0, 1], description: "sum of the player's cards (a usable ace counts 11)", low: 0, high: 31 },
      { name: "dealer_card", index: [1, 2], description: "dealer's face-up card value (1 = ace)", low: 0, high: 10 },
      { name: "usable_ace", index: [2, 3], description: "1 if the player holds an ace counted as 11", low: 0, high: 1 },
    ],
    action: [{ name: "hit", index: [0, 1], description: "stick (0) or hit (1)", low: 0, high: 1 }],
    actionMeanings: ["stick", "hit"],
    reward:
      "+1 win, -1 loss or bust, 0 draw; " +
      (sab ? "a natural (ace + ten) wins outright unless the dealer also has one (sab rules)." : natural ? "a winning natural pays +1.5." : "naturals pay like any win."),
    termination: "Terminated when the player sticks or busts; no time limit.",
  };
}
