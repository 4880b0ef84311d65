/**
 * Scripted fake LLM HTTP servers on 127.0.0.1 (ephemeral port) for the provider tests: the real Anthropic
 * SDK and the real fetch client talk to them. Each request takes the next scripted reply (then the
 * fallback). The servers never look at auth headers, except that a reply can echo every header back in
 * its body to prove the client redacts a key a server leaks.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are (for malformed bodies). */
  body?: unknown;
  /** Wait before answering. */
  delayMs?: number;
  /** Never answer (the client must time out). */
  hang?: boolean;
  /** Put the request's header values into the body (a server that leaks the key). */
  echoHeaders?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeServer {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: RecordedRequest[];
  /** Most requests being answered at the same time. */
  maxInFlight: number;
  /** Add replies to the script. */
  script(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

/** The reply when the script is empty: always the same, or chosen from the request (e.g. by its prompt). */
export type FallbackReply = ScriptedReply | ((request: RecordedRequest) => ScriptedReply);

export async function startFakeServer(fallback: FallbackReply): Promise<FakeServer> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // keep the raw text
      }
      const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      requests.push(recorded);
      const reply = queue.shift() ?? (typeof fallback === "function" ? fallback(recorded) : fallback);
      if (reply.hang) return;
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      const send = () => {
        inFlight--;
        let payload = reply.body;
        if (reply.echoHeaders) payload = { type: "error", error: { type: "authentication_error", message: `rejected headers ${JSON.stringify(req.headers)}` } };
        const text = typeof payload === "string" ? payload : JSON.stringify(payload ?? {});
        res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
        res.end(text);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    script: (...replies) => void queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Messages API success body. */
export function anthropicMessage(text: string, usage = { input_tokens: 100, output_tokens: 20 }, model = "claude-sonnet-5-5") {
  return {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage,
  };
}

/** A Messages API error body. */
export function anthropicError(type: string, message: string) {
  return { type: "error", error: { type, message } };
}

/** A chat.completions success body. */
export function openAiCompletion(text: string, usage: { prompt_tokens: number; completion_tokens: number } | undefined = { prompt_tokens: 50, completion_tokens: 10 }, model = "llama3.1:8b") {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
  };
}

/** A sleep that records the requested delays and waits for none of them (keeps retry tests instant). */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}
