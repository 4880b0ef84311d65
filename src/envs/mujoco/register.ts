/** Registers the MuJoCo environments with Gymnasium's v5 ids, episode limits and reward thresholds. */
import { register } from "../../core/registry.js";
import { describeHalfCheetah, describeHopper, describeWalker2d } from "./describe.js";
import { HalfCheetahEnv } from "./half-cheetah.js";
import { HopperEnv, Walker2dEnv } from "./hopper-walker.js";
import { loadMujoco } from "./loader.js";

const prepare = () => loadMujoco();

register({ id: "Hopper-v5", entryPoint: (kw) => new HopperEnv(kw), maxEpisodeSteps: 1000, rewardThreshold: 3800, prepare, describe: describeHopper });
register({ id: "Walker2d-v5", entryPoint: (kw) => new Walker2dEnv(kw), maxEpisodeSteps: 1000, prepare, describe: describeWalker2d });
register({ id: "HalfCheetah-v5", entryPoint: (kw) => new HalfCheetahEnv(kw), maxEpisodeSteps: 1000, rewardThreshold: 4800, prepare, describe: describeHalfCheetah });
