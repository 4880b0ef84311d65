/**
 * Issue 14 point 6: what a candidate returns must be usable as float32 training data, component names may
 * not be JavaScript's own object properties, and every error text sent back to the LLM is at most 400
 * characters with no host file paths. Real child process (the Sandbox).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Sandbox, type Transitions } from "../../src/sandbox/index.js";
import { errorTextForLlm, MAX_ERROR_TEXT } from "../../src/sandbox/error-text.js";

const fn = (body: string): string => `function computeReward(obs, action, nextObs, info) {\n${body}\n}`;
const batch: Transitions = { n: 2, obsDim: 1, actDim: 1, obs: Float32Array.of(0, 1), actions: Float32Array.of(0, 0), nextObs: Float32Array.of(1, 2), infos: [{}, {}] };

describe("sandbox outputs are float32-safe; names and error texts are safe to send back", () => {
  let sb: Sandbox;
  before(async () => {
    sb = await Sandbox.start({ timeoutMs: 5000 });
  });
  after(() => sb.close());

  const rejected = async (body: string, says: RegExp) => {
    const r = await sb.evaluate(fn(body), batch);
    assert.equal(r.ok, false, `${body} was accepted`);
    if (r.ok) return;
    assert.equal(r.error.kind, "invalid-output", JSON.stringify(r.error));
    assert.match(r.error.message, says);
  };

  it("a reward or component beyond float32 (1e300, -1e39, Number.MAX_VALUE) is invalid output; the float32 limit itself passes", async () => {
    await rejected("  return 1e300;", /reward is 1e\+300; it must be finite in float32 \(\|x\| <= 3\.4e38\)/);
    await rejected("  return { reward: -1e39, components: {} };", /`reward` is -1e\+39; it must be finite in float32/);
    await rejected("  return { reward: 0, components: { speed: Number.MAX_VALUE } };", /component `speed` is 1\.79.*e\+308; it must be finite in float32/);
    await rejected("  return obs[0] > 0.5 ? 1e40 : 0;", /step 1: the reward is 1e\+40/);
    const ok = await sb.evaluate(fn("  return { reward: -3.4028234663852886e38, components: { big: 3.4e38 } };"), batch);
    assert.ok(ok.ok, JSON.stringify(ok));
    if (ok.ok) assert.equal(ok.rewards[0], -3.4028234663852886e38);
  });

  it("components named __proto__, constructor or prototype are rejected, not dropped", async () => {
    await rejected('  return { reward: 1, components: { ["__proto__"]: 1 } };', /may not be named `__proto__`/);
    await rejected("  return { reward: 1, components: { constructor: 2, speed: 1 } };", /may not be named `constructor`/);
    await rejected("  return { reward: 1, components: { prototype: 3 } };", /may not be named `prototype`/);
    const literal = await sb.evaluate(fn("  return { reward: 1, components: { __proto__: 1 } };"), batch);
    assert.equal(literal.ok, false, "a literal __proto__ key (which JavaScript would silently drop) is refused");
  });

  it("error texts are at most 400 characters and carry no host file paths", async () => {
    const cases = [
      fn('  throw new Error("x".repeat(5000));'),
      fn('  throw new Error("failed at /home/alice/secret-project/src/reward.ts:12:5 and file:///opt/app/node_modules/x/index.js:1:2 and C:\\\\Users\\\\bob\\\\r.js");'),
      fn("  return undefinedName + 1;"),
      fn("  const x = ;") + "\n//" + "y".repeat(3000),
      "function computeReward(" + "a,".repeat(400) + ") {",
    ];
    for (const source of cases) {
      const r = await sb.evaluate(source, batch);
      assert.equal(r.ok, false);
      if (r.ok) continue;
      assert.ok(r.error.message.length <= MAX_ERROR_TEXT, `${r.error.message.length} characters: ${r.error.message.slice(0, 80)}`);
      assert.doesNotMatch(r.error.message, /\/home\/alice|\/opt\/app|Users\\bob|node_modules|\/work\//, r.error.message);
    }
    const checked = sb.check("function computeReward() { return process.env; }");
    assert.equal(checked.ok, false);
    if (!checked.ok) assert.ok(checked.error.message.length <= MAX_ERROR_TEXT);
  });

  it("errorTextForLlm: paths replaced, long text clipped to 400 with its length said", () => {
    assert.equal(errorTextForLlm("at /usr/lib/node/x.js:3:4 here"), "at <path> here");
    assert.equal(errorTextForLlm("ratio 1/2 and a/b stay"), "ratio 1/2 and a/b stay");
    const long = errorTextForLlm("z".repeat(1000));
    assert.equal(long.length, MAX_ERROR_TEXT);
    assert.match(long, /\.\.\. \(1000 characters\)$/);
  });
});
