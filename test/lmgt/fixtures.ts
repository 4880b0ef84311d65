/** Hand-written environment descriptions and a scripted LLM client for the LMGT unit tests. */
import type { EnvDescription } from "../../src/core/env.js";
import type { Completion, CompletionRequest, LlmClient } from "../../src/llm/types.js";

export const cartPoleDescription: EnvDescription = {
  id: "CartPole-v1",
  summary: "A pole is attached by an unactuated joint to a cart moving along a frictionless track.",
  observation: [
    { name: "cart position", index: [0, 1], description: "position of the cart", unit: "m", low: -4.8, high: 4.8 },
    { name: "cart velocity", index: [1, 2], description: "velocity of the cart", unit: "m/s" },
    { name: "pole angle", index: [2, 3], description: "angle of the pole from upright, positive to the right", unit: "rad", low: -0.418, high: 0.418 },
    { name: "pole angular velocity", index: [3, 4], description: "rate of change of the pole angle", unit: "rad/s" },
  ],
  action: [{ name: "push", index: [0, 1], description: "direction of the push" }],
  actionMeanings: ["push cart to the left", "push cart to the right"],
  reward: "+1 for every step the pole stays up",
  termination: "the pole angle exceeds 12 degrees or the cart leaves the track",
};

export const pendulumDescription: EnvDescription = {
  id: "Pendulum-v1",
  summary: "An inverted pendulum starts at a random angle; swing it up and keep it upright.",
  observation: [
    { name: "x = cos(theta)", index: [0, 1], description: "cosine of the angle, 1 upright", low: -1, high: 1 },
    { name: "y = sin(theta)", index: [1, 2], description: "sine of the angle", low: -1, high: 1 },
    { name: "angular velocity", index: [2, 3], description: "angular velocity", unit: "rad/s", low: -8, high: 8 },
  ],
  action: [{ name: "torque", index: [0, 1], description: "torque applied to the free end", unit: "N m", low: -2, high: 2 }],
  reward: "-(theta^2 + 0.1 omega^2 + 0.001 torque^2)",
  termination: "never; truncated after 200 steps",
};

export const blackjackDescription: EnvDescription = {
  id: "Blackjack-v1",
  summary: "Beat the dealer by getting a hand closer to 21 without going over.",
  observation: [
    { name: "player's current sum", index: [0, 1], description: "sum of the player's cards", low: 4, high: 31 },
    { name: "dealer's showing card", index: [1, 2], description: "value of the dealer's face-up card, ace = 1", low: 1, high: 10 },
    { name: "usable ace", index: [2, 3], description: "1 if the player holds an ace counted as 11", low: 0, high: 1 },
  ],
  action: [{ name: "move", index: [0, 1], description: "stick or hit" }],
  actionMeanings: ["stick", "hit"],
  reward: "+1 win, -1 loss, 0 draw",
  termination: "the player sticks or busts",
};

/** An LlmClient that answers with `answer(request)` and records every request. */
export class ScriptedLlm implements LlmClient {
  readonly provider = "scripted";
  readonly model = "scripted/test";
  readonly requests: CompletionRequest[] = [];
  constructor(private readonly answer: (request: CompletionRequest) => string | Promise<string>) {}
  async complete(request: CompletionRequest): Promise<Completion> {
    this.requests.push(request);
    const text = await this.answer(request);
    return {
      text,
      usage: { inputTokens: 100, outputTokens: 10 },
      model: this.model,
      provider: this.provider,
      cached: false,
      costUsd: 0.001,
      latencyMs: 0,
    };
  }
}
