import { test } from "node:test";
import assert from "node:assert/strict";
import { makeAsync } from "../../src/envs/index.js";
import type { Env } from "../../src/core/env.js";
import { SurrogateProvider } from "../../src/llm/providers/surrogate.js";
import { actionSpecOf, collectEpisodes, identifyCriticalStates, modulateCriticalStates, registerUltraSurrogate, stateToText } from "../../src/guides/ultra/index.js";

registerUltraSurrogate();

test("BipedalWalker: the surrogate marks falls as critical and suggests level-keeping torques", async () => {
  const env = (await makeAsync("BipedalWalker-v3")) as Env<Float32Array, Float32Array>;
  const desc = env.spec!.describe();
  // Every motor driven full backwards: the walker collapses within about 70 steps.
  const clumsy = { predict: () => Float32Array.of(-1, -1, -1, -1) };
  const episodes = collectEpisodes(env, clumsy, { episodes: 1, maxSteps: 400, seed: 0 });
  env.close();
  const ep = episodes[0]!;
  assert.ok(ep.terminated && ep.rewards[ep.rewards.length - 1] === -100, "the clumsy policy should fall");
  assert.match(stateToText(ep.obs[0]!, desc), /^hull_angle=.*lidar\[9\]=/);
  const llm = new SurrogateProvider();
  const found = await identifyCriticalStates({ llm, description: desc, episodes, length: 30, maxSegments: 2, maxCriticalPerSegment: 3 });
  assert.ok(found.criticalStates.length >= 1, found.transcript.map((t) => t.answer).join("\n"));
  for (const ex of found.transcript) assert.match(ex.answer, /surrogate/);
  for (const cs of found.criticalStates) {
    const [angle, angVel, , velY] = cs.obs;
    assert.ok((Math.abs(angle!) > 0.2 && angle! * angVel! > 0) || velY! < -0.12, `step ${cs.step}: neither a growing tilt nor a drop`);
  }
  const mod = await modulateCriticalStates(found.criticalStates, { llm, description: desc, mode: "RA", actionSpec: actionSpecOf(desc) });
  assert.equal(mod.criticalStates.length, found.criticalStates.length);
  for (const cs of mod.criticalStates) {
    const a = cs.suggestedAction as Float32Array;
    assert.equal(a.length, 4);
    const [angle, angVel] = cs.obs;
    const tilt = 2.5 * angle! + 4 * angVel!;
    if (Math.abs(tilt) > 0.2) assert.equal(Math.sign(a[0]!), Math.sign(tilt), "hip torque has the sign of the tilt");
    assert.ok(cs.implicitReward! <= 0.5, "the clumsy action was not the corrective one");
  }
});
