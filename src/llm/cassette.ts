/**
 * Cassettes: recorded LLM answers as JSONL, one call per line, looked up by the call's content address.
 * A run folder can hold its own cassette, and notebooks can ship one under data/cassettes/ so anyone can
 * replay a recorded real-LLM run without a key (mode `replay-strict`).
 */
import { existsSync, readFileSync } from "node:fs";
import { ensureDir } from "../core/fs.js";
import { appendText, registerSecret } from "../core/secrets.js";
import { dirname } from "node:path";
import { LlmError } from "./errors.js";
import type { PromptContent } from "./hash.js";
import type { LlmPurpose, Usage } from "./types.js";

/**
 * - off: no cache;
 * - read: answer from the cassette when it has the prompt, otherwise call the provider (nothing recorded);
 * - write: always call the provider and record the answer;
 * - read-write: answer from the cassette, otherwise call and record;
 * - replay-strict: answer only from the cassette; a missing prompt is an error naming its hash.
 */
export type CacheMode = "off" | "read" | "write" | "read-write" | "replay-strict";

export const CACHE_MODES: readonly CacheMode[] = ["off", "read", "write", "read-write", "replay-strict"];

/** One recorded call. */
export interface CassetteEntry {
  hash: string;
  provider: string;
  model: string;
  purpose?: LlmPurpose;
  request: PromptContent;
  response: {
    text: string;
    usage: Usage;
    /** The model id the provider reported. */
    model: string;
    stopReason?: string;
  };
  recordedAt: string;
}

export class Cassette {
  private readonly entries = new Map<string, CassetteEntry>();
  #folderReady = false;

  /** Loads `path` if it exists (later lines win for a repeated hash). `secrets` are redacted from what is written (`registerSecret`). */
  constructor(
    readonly path: string,
    secrets: readonly string[] = [],
  ) {
    for (const secret of secrets) registerSecret(secret);
    if (existsSync(path)) this.load();
  }

  private load(): void {
    const lines = readFileSync(this.path, "utf8").split("\n");
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      let entry: CassetteEntry;
      try {
        entry = JSON.parse(line) as CassetteEntry;
      } catch {
        throw new LlmError(`cassette ${this.path}, line ${i + 1}: not valid JSON`);
      }
      if (typeof entry?.hash !== "string" || typeof entry.response?.text !== "string") {
        throw new LlmError(`cassette ${this.path}, line ${i + 1}: expected {hash, response: {text, ...}, ...}`);
      }
      this.entries.set(entry.hash, entry);
    });
  }

  get size(): number {
    return this.entries.size;
  }

  get(hash: string): CassetteEntry | undefined {
    return this.entries.get(hash);
  }

  /** Record an entry (appended to the file at once, so a crashed run keeps what it paid for). */
  put(entry: CassetteEntry): void {
    this.entries.set(entry.hash, entry);
    if (!this.#folderReady) ensureDir(dirname(this.path));
    this.#folderReady = true;
    appendText(this.path, JSON.stringify(entry) + "\n");
  }
}
