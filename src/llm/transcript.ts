/** The transcript: every call of a run (prompt, response, latency, cached?, cost) as one JSONL line. */
import { ensureDir } from "../core/fs.js";
import { appendText, registerSecret } from "../core/secrets.js";
import { dirname } from "node:path";
import type { PromptContent } from "./hash.js";
import type { LlmPurpose, Usage } from "./types.js";

export interface TranscriptRecord {
  /** 1-based order of the call within this client. */
  seq: number;
  time: string;
  provider: string;
  model: string;
  purpose?: LlmPurpose;
  promptHash: string;
  request: PromptContent;
  /** Absent when the call failed or was refused. */
  response?: { text: string; model: string; stopReason?: string };
  usage?: Usage;
  costUsd: number;
  latencyMs: number;
  cached: boolean;
  attempts: number;
  /** "budget", "cache-miss", "provider", ... and the (redacted) message, for calls that did not answer. */
  error?: { kind: string; message: string };
}

export class TranscriptWriter {
  /** `secrets` are redacted from what is written (`registerSecret`). */
  constructor(
    readonly path: string,
    secrets: readonly string[] = [],
  ) {
    for (const secret of secrets) registerSecret(secret);
    ensureDir(dirname(path));
  }

  write(record: TranscriptRecord): void {
    appendText(this.path, JSON.stringify(record) + "\n");
  }
}
