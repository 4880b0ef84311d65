/** Getting the candidate's code out of a designer's answer. */

export class NoCodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoCodeError";
  }
}

/**
 * The code of the answer: the fenced block that defines `computeReward` (the last such block when there
 * are several: LLMs often show a draft first), else the only fenced block, else the whole answer when it
 * defines `computeReward` without fences. Throws NoCodeError otherwise, with a message for the LLM.
 */
export function extractRewardCode(answer: string): string {
  const blocks: string[] = [];
  const fence = /```[ \t]*([\w+-]*)[ \t]*\r?\n([\s\S]*?)```/g;
  for (let m = fence.exec(answer); m; m = fence.exec(answer)) blocks.push(m[2]!);
  const defining = blocks.filter((b) => /\bcomputeReward\b/.test(b));
  if (defining.length > 0) return defining[defining.length - 1]!.trim();
  if (blocks.length === 1) return blocks[0]!.trim();
  if (blocks.length === 0 && /function\s+computeReward\s*\(/.test(answer)) return answer.trim();
  throw new NoCodeError(
    blocks.length === 0
      ? "the answer contains no ```javascript code block with the function computeReward"
      : `the answer has ${blocks.length} code blocks and none defines computeReward`,
  );
}
