/** Registers the Box2D environments with Gymnasium's ids, episode limits and reward thresholds. */
import { register } from "../../core/registry.js";
import { bipedalWalkerFromKwargs } from "./bipedal-walker/bipedal-walker.js";
import { describeBipedalWalker } from "./bipedal-walker/describe.js";
import { loadBox2D } from "./loader.js";
import { describeLunarLander } from "./lunar-lander/describe.js";
import { lunarLanderFromKwargs } from "./lunar-lander/lunar-lander.js";

const prepare = () => loadBox2D();

register({
  id: "BipedalWalker-v3",
  entryPoint: bipedalWalkerFromKwargs,
  maxEpisodeSteps: 1600,
  rewardThreshold: 300,
  prepare,
  describe: (kw) => describeBipedalWalker(kw.hardcore === true),
});

register({
  id: "BipedalWalkerHardcore-v3",
  entryPoint: bipedalWalkerFromKwargs,
  kwargs: { hardcore: true },
  maxEpisodeSteps: 2000,
  rewardThreshold: 300,
  prepare,
  describe: (kw) => describeBipedalWalker(kw.hardcore === true),
});

register({
  id: "LunarLander-v3",
  entryPoint: lunarLanderFromKwargs,
  maxEpisodeSteps: 1000,
  rewardThreshold: 200,
  prepare,
  describe: (kw) => describeLunarLander(kw.continuous === true),
});

register({
  id: "LunarLanderContinuous-v3",
  entryPoint: lunarLanderFromKwargs,
  kwargs: { continuous: true },
  maxEpisodeSteps: 1000,
  rewardThreshold: 200,
  prepare,
  describe: (kw) => describeLunarLander(kw.continuous === true),
});
