/**
 * Box2D environments on box2d-wasm: BipedalWalker-v3, BipedalWalkerHardcore-v3, LunarLander-v3 and
 * LunarLanderContinuous-v3 (registered in envs/register.ts). Load the wasm once before `make`:
 *
 *     await loadBox2D();                       // or: const env = await makeAsync("BipedalWalker-v3")
 *     const env = make("BipedalWalker-v3");
 */

export { loadBox2D, isBox2DLoaded, box2dBuildInfo, wasmSimdSupported, type Box2DBuildInfo } from "./loader.js";
export { BipedalWalker, bipedalWalkerFromKwargs, type BipedalWalkerOptions } from "./bipedal-walker/bipedal-walker.js";
export { describeBipedalWalker } from "./bipedal-walker/describe.js";
export type { Terrain as WalkerTerrain, Cloud as WalkerCloud } from "./bipedal-walker/terrain.js";
export { LunarLander, lunarLanderFromKwargs, type LunarLanderOptions } from "./lunar-lander/lunar-lander.js";
export { describeLunarLander } from "./lunar-lander/describe.js";
export type { Moon as LanderMoon } from "./lunar-lander/moon.js";
export type { Scene as Box2DScene, Shape as Box2DShape } from "./render/scene.js";
export { sceneToSvg, episodeAnimation, type AnimationOptions as EpisodeAnimationOptions } from "./render/svg.js";
export { recordEpisode, type RecordOptions as RecordEpisodeOptions, type RecordedEpisode } from "./render/record.js";
export { lunarLanderHeuristic, BipedalWalkerHeuristic } from "./heuristics.js";
