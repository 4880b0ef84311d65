/**
 * The Box2D environments through the registry: ids, limits, options (camelCase and Gymnasium's
 * snake_case), clear errors for bad input, documented info and description, SVG rendering and the
 * episode animation.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { make, makeAsync, spec } from "../../src/envs/index.js";
import { checkEnv } from "../../src/core/check-env.js";
import { loadBox2D } from "../../src/envs/box2d/loader.js";
import { BipedalWalker } from "../../src/envs/box2d/bipedal-walker/bipedal-walker.js";
import { LunarLander } from "../../src/envs/box2d/lunar-lander/lunar-lander.js";
import { episodeAnimation } from "../../src/envs/box2d/render/svg.js";
import type { Scene } from "../../src/envs/box2d/render/scene.js";

before(async () => {
  await loadBox2D();
});

test("registered ids carry Gymnasium's episode limits and reward thresholds", () => {
  assert.equal(spec("BipedalWalker-v3").maxEpisodeSteps, 1600);
  assert.equal(spec("BipedalWalkerHardcore-v3").maxEpisodeSteps, 2000);
  assert.equal(spec("LunarLander-v3").maxEpisodeSteps, 1000);
  assert.equal(spec("LunarLanderContinuous-v3").maxEpisodeSteps, 1000);
  assert.equal(spec("BipedalWalker-v3").rewardThreshold, 300);
  assert.equal(spec("LunarLander-v3").rewardThreshold, 200);
});

test("makeAsync builds each env with Gymnasium's spaces", async () => {
  const walker = await makeAsync("BipedalWalker-v3");
  assert.deepEqual(walker.observationSpace.shape, [24]);
  assert.deepEqual(walker.actionSpace.shape, [4]);
  const hard = await makeAsync("BipedalWalkerHardcore-v3");
  assert.equal((hard as unknown as { unwrapped: BipedalWalker }).unwrapped.hardcore, true);
  const lander = await makeAsync("LunarLander-v3");
  assert.equal(lander.actionSpace.kind, "discrete");
  assert.deepEqual(lander.observationSpace.shape, [8]);
  const cont = await makeAsync("LunarLanderContinuous-v3");
  assert.deepEqual(cont.actionSpace.shape, [2]);
  for (const env of [walker, hard, lander, cont]) {
    const { obs } = env.reset({ seed: 3 });
    assert.ok(obs instanceof Float32Array);
    assert.ok(env.observationSpace.contains(obs), "the first observation lies in the observation space");
    env.close();
  }
});

test("checkEnv finds no contract violation or warning in the four Box2D envs", async () => {
  for (const id of ["BipedalWalker-v3", "BipedalWalkerHardcore-v3", "LunarLander-v3", "LunarLanderContinuous-v3"]) {
    const env = await makeAsync(id);
    const report = checkEnv(env, { throwOnError: false });
    env.close();
    assert.deepEqual(report.errors, [], id);
    assert.deepEqual(report.warnings, [], id);
  }
});

test("the registry's TimeLimit truncates (maxEpisodeSteps override)", () => {
  const env = make("LunarLander-v3", { maxEpisodeSteps: 5 });
  env.reset({ seed: 0 });
  let r = env.step(0);
  for (let i = 1; i < 5; i++) r = env.step(0);
  assert.equal(r.truncated, true);
  env.close();
});

test("options are accepted in camelCase and snake_case; unknown ones are refused", () => {
  const a = make("LunarLander-v3", { enableWind: true, windPower: 5, turbulence_power: 0.5, gravity: -9 });
  const bare = (a as unknown as { unwrapped: LunarLander }).unwrapped;
  assert.equal(bare.enableWind, true);
  assert.equal(bare.windPower, 5);
  assert.equal(bare.turbulencePower, 0.5);
  assert.equal(bare.gravity, -9);
  a.close();
  assert.throws(() => make("LunarLander-v3", { windSpeed: 3 }), /unknown option "windSpeed"/);
  assert.throws(() => make("LunarLander-v3", { gravity: -13 }), /gravity .* must be between -12 and 0/);
  assert.throws(() => make("LunarLander-v3", { continuous: "yes" }), /continuous must be a boolean/);
  assert.throws(() => make("BipedalWalker-v3", { hardcore: 1 }), /hardcore must be a boolean/);
});

test("wind and turbulence push the lander (and draw two integers at reset, as Gymnasium)", () => {
  const calm = new LunarLander();
  const windy = new LunarLander({ enableWind: true, windPower: 20, turbulencePower: 2 });
  try {
    calm.reset({ seed: 1 });
    windy.reset({ seed: 1 });
    let c = calm.step(0);
    let w = windy.step(0);
    for (let i = 0; i < 10; i++) (c = calm.step(0)), (w = windy.step(0));
    assert.notEqual(c.obs[0], w.obs[0]);
    assert.notEqual(w.info.windForce, 0);
    assert.equal(c.info.windForce, 0);
    // Same seed, same wind: deterministic.
    const again = new LunarLander({ enableWind: true, windPower: 20, turbulencePower: 2 });
    again.reset({ seed: 1 });
    let a = again.step(0);
    for (let i = 0; i < 10; i++) a = again.step(0);
    assert.deepEqual(Array.from(a.obs), Array.from(w.obs));
    again.close();
  } finally {
    calm.close();
    windy.close();
  }
});

test("bad input gets a clear error", () => {
  const walker = new BipedalWalker();
  assert.throws(() => walker.step(new Float32Array(4)), /reset\(\) before step\(\)/);
  walker.reset({ seed: 0 });
  assert.throws(() => walker.step(new Float32Array(3)), /4 numbers/);
  assert.throws(() => walker.step([0, NaN, 0, 0]), /action\[1\] is NaN/);
  walker.close();
  const lander = new LunarLander();
  lander.reset({ seed: 0 });
  assert.throws(() => lander.step(4), /not a valid action/);
  assert.throws(() => lander.step(1.5), /not a valid action/);
  lander.close();
  const cont = new LunarLander({ continuous: true });
  cont.reset({ seed: 0 });
  assert.throws(() => cont.step(1), /2 numbers/);
  cont.close();
});

test("a terminated episode must be reset before stepping again", () => {
  const env = new LunarLander();
  env.reset({ seed: 0 });
  let r = env.step(0);
  while (!r.terminated) r = env.step(0);
  assert.throws(() => env.step(0), /reset\(\) before step\(\)/);
  env.close();
});

test("walker info: documented fields, consistent with the observation and the reward", () => {
  const env = new BipedalWalker();
  env.reset({ seed: 2 });
  const description = env.describe();
  let last = env.step(new Float32Array([0.5, -0.5, 0.25, 1]));
  for (let i = 0; i < 30; i++) last = env.step(new Float32Array([0.5, -0.5, 0.25, 1]));
  const { obs, info, reward } = last;
  for (const key of Object.keys(info)) assert.ok(key in description.info!, `info.${key} is documented`);
  for (const key of Object.keys(description.info!)) assert.ok(key in info, `documented ${key} is present`);
  assert.equal(Math.fround(info.hullAngle as number), obs[0]);
  assert.deepEqual((info.lidar as number[]).map(Math.fround), Array.from(obs.slice(14)));
  assert.equal((info.jointAngles as number[])[0], obs[4]);
  assert.deepEqual(info.motorTorqueLimits, [40, 40, 20, 80]);
  assert.deepEqual(info.motorSpeeds, [4, -6, 4, 6]);
  const parts = (info.rewardProgress as number) + (info.rewardHeadAngle as number) + (info.rewardTorque as number);
  assert.ok(Math.abs(parts - reward) < 1e-9, "reward = progress + head angle + torque when not fallen");
  assert.ok(Math.abs((info.rewardTorque as number) + 0.00035 * 80 * 2.25) < 1e-12);
  // Description covers every observation index exactly once.
  const covered = description.observation.flatMap((f) => Array.from({ length: f.index[1] - f.index[0] }, (_, k) => f.index[0] + k));
  assert.deepEqual(covered, Array.from({ length: 24 }, (_, i) => i));
  env.close();
});

test("lander info: documented fields and reward components that add up", () => {
  const env = new LunarLander();
  env.reset({ seed: 4 });
  const description = env.describe();
  assert.equal(description.actionMeanings?.length, 4);
  const r = env.step(2);
  for (const key of Object.keys(r.info)) assert.ok(key in description.info!, `info.${key} is documented`);
  const sum = (r.info.rewardShaping as number) + (r.info.rewardMainEngine as number) + (r.info.rewardSideEngine as number);
  assert.ok(Math.abs(sum - r.reward) < 1e-9);
  assert.equal(r.info.mainEnginePower, 1);
  assert.equal(r.info.sideEnginePower, 0);
  env.close();
});

test("render() draws the scene as SVG; episodeAnimation animates recorded scenes", () => {
  const env = new BipedalWalker({ renderMode: "svg" });
  env.reset({ seed: 0 });
  const frames: Scene[] = [env.renderScene()];
  for (let i = 0; i < 12; i++) {
    env.step(new Float32Array([1, 0.5, -1, 0.5]));
    frames.push(env.renderScene());
  }
  const svg = env.render();
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="600" height="400"/);
  assert.ok((svg.match(/<polygon/g) ?? []).length > 199 * 1 + 5, "terrain, clouds and the walker's 5 parts");
  assert.ok((svg.match(/<polyline/g) ?? []).length >= 10, "the 10 lidar rays");
  const anim = episodeAnimation(frames, { fps: 50 });
  assert.equal((anim.match(/<animate attributeName="display"/g) ?? []).length, frames.length);
  assert.match(anim, /<animateTransform attributeName="transform" type="translate"/);
  assert.match(anim, /repeatCount="indefinite"/);
  // The static terrain is written once, not per frame.
  assert.ok(anim.length < frames.length * svg.length * 0.5);
  const every3 = episodeAnimation(frames, { every: 3, loop: false });
  assert.equal((every3.match(/<animate attributeName="display"/g) ?? []).length, 5);
  assert.match(every3, /fill="freeze"/);
  assert.throws(() => episodeAnimation([]), /no frames/);
  env.close();

  const lander = new LunarLander({ renderMode: "svg" });
  lander.reset({ seed: 0 });
  for (let i = 0; i < 5; i++) lander.step(2);
  const landerSvg = lander.render();
  assert.ok((landerSvg.match(/<circle/g) ?? []).length >= 1, "engine particles are drawn in render mode");
  lander.close();
});
