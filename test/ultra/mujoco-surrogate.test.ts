import { test } from "node:test";
import assert from "node:assert/strict";
import { makeAsync } from "../../src/envs/index.js";
import type { Env } from "../../src/core/env.js";
import { SurrogateProvider } from "../../src/llm/providers/surrogate.js";
import { actionSpecOf, identifyCriticalStates, modulateCriticalStates, registerUltraSurrogate, stateToText } from "../../src/guides/ultra/index.js";
import { recordSteps } from "../../src/experiments/ultra/protocol.js";

registerUltraSurrogate();

test("Hopper-v5: the surrogate marks the fall as critical (pitch or height heading out of the healthy range) and suggests hip torque with the pitch", async () => {
  const env = (await makeAsync("Hopper-v5")) as Env<Float32Array, unknown>;
  const desc = env.spec!.describe();
  // Full torque backwards on every joint: the hopper falls within a few dozen steps.
  const episodes = recordSteps(env, { predict: () => Float32Array.of(-1, -1, -1) }, { steps: 200, maxEpisodeSteps: 200, seed: 0 });
  const ep = episodes[0]!;
  assert.ok(ep.terminated, "the clumsy policy should fall");
  assert.match(stateToText(ep.obs[0]!, desc), /^rootz=.*rooty=/);
  const llm = new SurrogateProvider();
  const found = await identifyCriticalStates({ llm, description: desc, episodes: [ep], length: 20, maxSegments: 3, maxCriticalPerSegment: 3 });
  assert.ok(found.criticalStates.length >= 1, found.transcript.map((t) => t.answer).join("\n"));
  for (const ex of found.transcript) assert.match(ex.answer, /surrogate/);
  const names = desc.observation.map((f) => f.name);
  const at = (o: Float32Array, n: string) => o[names.indexOf(n)]!;
  for (const cs of found.criticalStates) {
    const pitch = at(cs.obs, "rooty"), pitchVel = at(cs.obs, "rooty_vel"), z = at(cs.obs, "rootz"), vx = at(cs.obs, "rootx_vel");
    assert.ok((Math.abs(pitch + 0.1 * pitchVel) > 0.12 && pitch * pitchVel > 0) || z < 0.95 || vx < 0.2, `step ${cs.step}: pitch ${pitch}, z ${z}, vx ${vx}`);
  }
  const mod = await modulateCriticalStates(found.criticalStates, { llm, description: desc, mode: "RA", actionSpec: actionSpecOf(desc) });
  assert.equal(mod.criticalStates.length, found.criticalStates.length);
  for (const cs of mod.criticalStates) {
    const a = cs.suggestedAction as Float32Array;
    assert.equal(a.length, 3);
    assert.ok(a.every((x) => x >= -1 && x <= 1));
    const pitch = at(cs.obs, "rooty"), pitchVel = at(cs.obs, "rooty_vel");
    const tipping = Math.abs(pitch + 0.1 * pitchVel) > 0.12 && pitch * pitchVel > 0;
    if (tipping && Math.abs(a[0]!) > 0.05) assert.equal(Math.sign(a[0]!), Math.sign(pitch), "hip torque has the sign of the pitch");
    assert.ok(cs.implicitReward! <= 0.5, "full backward torque was not the corrective action");
  }
  env.close();
});
