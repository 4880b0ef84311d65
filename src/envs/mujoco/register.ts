/** Registers the MuJoCo environments with Gymnasium's v5 ids, episode limits and reward thresholds. */
import { register } from "../../core/registry.js";
import { AntEnv, HumanoidEnv } from "./ant-humanoid.js";
import * as d from "./describe.js";
import { HalfCheetahEnv } from "./half-cheetah.js";
import { HopperEnv, Walker2dEnv } from "./hopper-walker.js";
import { InvertedDoublePendulumEnv, InvertedPendulumEnv } from "./inverted-pendulums.js";
import { loadMujoco } from "./loader.js";
import { ReacherEnv, SwimmerEnv } from "./swimmer-reacher.js";

const prepare = () => loadMujoco();

register({ id: "Hopper-v5", entryPoint: (kw) => new HopperEnv(kw), maxEpisodeSteps: 1000, rewardThreshold: 3800, prepare, describe: d.describeHopper });
register({ id: "Walker2d-v5", entryPoint: (kw) => new Walker2dEnv(kw), maxEpisodeSteps: 1000, prepare, describe: d.describeWalker2d });
register({ id: "HalfCheetah-v5", entryPoint: (kw) => new HalfCheetahEnv(kw), maxEpisodeSteps: 1000, rewardThreshold: 4800, prepare, describe: d.describeHalfCheetah });
register({ id: "Ant-v5", entryPoint: (kw) => new AntEnv(kw), maxEpisodeSteps: 1000, rewardThreshold: 6000, prepare, describe: d.describeAnt });
register({ id: "Humanoid-v5", entryPoint: (kw) => new HumanoidEnv(kw), maxEpisodeSteps: 1000, prepare, describe: d.describeHumanoid });
register({ id: "Swimmer-v5", entryPoint: (kw) => new SwimmerEnv(kw), maxEpisodeSteps: 1000, rewardThreshold: 360, prepare, describe: d.describeSwimmer });
register({ id: "Reacher-v5", entryPoint: (kw) => new ReacherEnv(kw), maxEpisodeSteps: 50, rewardThreshold: -3.75, prepare, describe: d.describeReacher });
register({ id: "InvertedPendulum-v5", entryPoint: (kw) => new InvertedPendulumEnv(kw), maxEpisodeSteps: 1000, rewardThreshold: 950, prepare, describe: d.describeInvertedPendulum });
register({
  id: "InvertedDoublePendulum-v5",
  entryPoint: (kw) => new InvertedDoublePendulumEnv(kw),
  maxEpisodeSteps: 1000,
  rewardThreshold: 9100,
  prepare,
  describe: d.describeInvertedDoublePendulum,
});
