/** Messages between the training process and the sandbox process (sent with `serialization: "advanced"`). */
import type { EvaluateResult } from "./types.js";
import type { WireBatch } from "./wire.js";

export interface EvaluateRequest {
  type: "evaluate";
  id: number;
  /** Instrumented code (static checks already passed). */
  code: string;
  batch: WireBatch;
  /** Loop iterations + function calls allowed per `computeReward` call (and for the top-level code). */
  stepBudget: number;
  /** 1 = evaluate; 2 = evaluate twice in the same compartment and require identical outputs (validation). */
  runs: 1 | 2;
}

export interface ResultMessage {
  type: "result";
  id: number;
  result: EvaluateResult;
}

export interface ReadyMessage {
  type: "ready";
}

export type ChildMessage = ResultMessage | ReadyMessage;
