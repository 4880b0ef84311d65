/**
 * Getting the candidate's code out of a designer's answer, in the shapes real models write: a preamble and
 * a fenced block, a draft block before the final one, prose after the code, `export function`, the code
 * wrapped in JSON. What cannot be used — no code, a refusal, TypeScript, Python — throws NoCodeError whose
 * message names why, for the fix request.
 */

/** Why an answer holds no usable code. */
export type NoCodeReason = "no-code" | "refusal" | "typescript" | "python" | "no-function" | "cut";

export class NoCodeError extends Error {
  constructor(
    message: string,
    readonly reason: NoCodeReason = "no-code",
  ) {
    super(message);
    this.name = "NoCodeError";
  }
}

interface Block {
  lang: string;
  body: string;
}

const REFUSAL = /\b(I can(?:no|')t (?:help|assist|write|provide|do)|I'?m (?:sorry|unable)|I am (?:sorry|unable)|I won'?t)\b/i;
const DEFINES = /\bcomputeReward\b/;
/** A parameter or return type annotation on computeReward, or a TypeScript-only construct. */
const TYPESCRIPT = /computeReward\s*\([^)]*\b\w+\s*:\s*[A-Za-z{[][^)]*\)|\)\s*:\s*(?:number|\{|Record|RewardResult)\b|^\s*(?:interface|type)\s+\w+\s*(?:=|\{)|\bas\s+(?:number|const|any)\b/m;

function fencedBlocks(answer: string): Block[] {
  const blocks: Block[] = [];
  const fence = /```[ \t]*([\w+-]*)[^\n]*\r?\n([\s\S]*?)```/g;
  for (let m = fence.exec(answer); m; m = fence.exec(answer)) blocks.push({ lang: m[1]!.toLowerCase(), body: m[2]! });
  return blocks;
}

/** The code string inside JSON such as {"code": "function computeReward..."}, if the text is that. */
function fromJson(text: string): string | undefined {
  const t = text.trim();
  if (!t.startsWith("{")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    return undefined; // not JSON: the caller goes on with the other shapes
  }
  const strings: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") strings.push(v);
    else if (v && typeof v === "object") for (const x of Object.values(v)) walk(x);
  };
  walk(value);
  return strings.find((s) => DEFINES.test(s));
}

/** `export function` / `export default function` made plain; the sandbox runs a script, not a module. */
function unexport(code: string): string {
  return code.replace(/^(\s*)export\s+(?:default\s+)?(?=(?:async\s+)?function\b|const\b|let\b)/gm, "$1");
}

function check(code: string, lang: string): string {
  if (lang === "python" || lang === "py" || /^\s*def\s+compute_?reward\s*\(/m.test(code)) {
    throw new NoCodeError("the code is Python; write the reward as a JavaScript function computeReward(obs, action, nextObs, info)", "python");
  }
  if (lang === "ts" || lang === "typescript" || TYPESCRIPT.test(code)) {
    throw new NoCodeError("the code is TypeScript (type annotations); the sandbox runs plain JavaScript: remove every type annotation, interface and `as` cast", "typescript");
  }
  return unexport(code.trim());
}

/**
 * The code of the answer: the fenced block that defines `computeReward` (the last such block when there
 * are several: LLMs often show a draft first), else the only fenced block, else JSON holding the code, else
 * the whole answer when it defines `computeReward` without fences. Throws NoCodeError otherwise.
 */
export function extractRewardCode(answer: string): string {
  const fences = answer.split("```");
  if (fences.length % 2 === 0 && DEFINES.test(fences[fences.length - 1]!)) {
    throw new NoCodeError("the answer ends inside an unclosed code block (it was cut off); send the whole function in one closed ```javascript block, shorter", "cut");
  }
  const blocks = fencedBlocks(answer);
  const unwrap = (b: Block): Block => {
    const inner = b.lang === "json" || b.body.trim().startsWith("{") ? fromJson(b.body) : undefined;
    return inner !== undefined ? { lang: "javascript", body: inner } : b;
  };
  const defining = blocks.map(unwrap).filter((b) => DEFINES.test(b.body) || /def\s+compute_?reward/.test(b.body));
  if (defining.length > 0) {
    const b = defining[defining.length - 1]!;
    return check(b.body, b.lang);
  }
  const json = fromJson(answer);
  if (json !== undefined) return check(json, "javascript");

  if (blocks.length === 1) return check(blocks[0]!.body, blocks[0]!.lang);
  if (blocks.length === 0 && /function\s+computeReward\s*\(/.test(answer)) return check(answer, "");
  if (blocks.length === 0 && REFUSAL.test(answer)) {
    throw new NoCodeError("the answer holds no code: it reads as a refusal. The task is a reward function for a simulated walking robot; answer with the code in one ```javascript block", "refusal");
  }
  throw new NoCodeError(
    blocks.length === 0
      ? "the answer contains no ```javascript code block with the function computeReward"
      : `the answer has ${blocks.length} code blocks and none defines computeReward`,
    blocks.length === 0 ? "no-code" : "no-function",
  );
}
