/**
 * Every built-in environment id, registered in this one place (Gymnasium's envs/__init__.py), with
 * Gymnasium's ids, episode limits and reward thresholds. Imported by envs/index.ts, so `make` from the
 * envs barrel (or the package root) knows every id. A family whose engine loads asynchronously (Box2D's
 * wasm) gives `prepare`, which `makeAsync` awaits; its modules are imported here but load nothing heavy.
 * To add a family: one block below (ids, entry points, limits, prepare, describe).
 */
import { register } from "./registration.js";
import { bipedalWalkerFromKwargs } from "./box2d/bipedal-walker/bipedal-walker.js";
import { describeBipedalWalker } from "./box2d/bipedal-walker/describe.js";
import { loadBox2D } from "./box2d/loader.js";
import { describeLunarLander } from "./box2d/lunar-lander/describe.js";
import { lunarLanderFromKwargs } from "./box2d/lunar-lander/lunar-lander.js";
import { AcrobotEnv, describeAcrobot } from "./classic/acrobot.js";
import { CartPoleEnv, describeCartPole } from "./classic/cartpole.js";
import { MountainCarContinuousEnv, describeMountainCarContinuous } from "./classic/continuous-mountain-car.js";
import { MountainCarEnv, describeMountainCar } from "./classic/mountain-car.js";
import { PendulumEnv, describePendulum } from "./classic/pendulum.js";
import { AntEnv, HumanoidEnv } from "./mujoco/ant-humanoid.js";
import * as mujocoDescribe from "./mujoco/describe.js";
import { HalfCheetahEnv } from "./mujoco/half-cheetah.js";
import { HopperEnv, Walker2dEnv } from "./mujoco/hopper-walker.js";
import { InvertedDoublePendulumEnv, InvertedPendulumEnv } from "./mujoco/inverted-pendulums.js";
import { loadMujoco } from "./mujoco/loader.js";
import { ReacherEnv, SwimmerEnv } from "./mujoco/swimmer-reacher.js";
import { BlackjackEnv, describeBlackjack } from "./toy/blackjack.js";
import { PongEnv, describePong, type PongOptions } from "./toy/pong.js";

// ---- classic control ------------------------------------------------------------------------------

register({
  id: "CartPole-v1",
  entryPoint: (kw) => new CartPoleEnv(kw),
  maxEpisodeSteps: 500,
  rewardThreshold: 475.0,
  kwargNames: ["suttonBartoReward"],
  describe: describeCartPole,
});

register({
  id: "MountainCar-v0",
  entryPoint: (kw) => new MountainCarEnv(kw),
  maxEpisodeSteps: 200,
  rewardThreshold: -110.0,
  kwargNames: ["goalVelocity"],
  describe: describeMountainCar,
});

register({
  id: "MountainCarContinuous-v0",
  entryPoint: (kw) => new MountainCarContinuousEnv(kw),
  maxEpisodeSteps: 999,
  rewardThreshold: 90.0,
  kwargNames: ["goalVelocity"],
  describe: describeMountainCarContinuous,
});

register({
  id: "Pendulum-v1",
  entryPoint: (kw) => new PendulumEnv(kw),
  maxEpisodeSteps: 200,
  kwargNames: ["g"],
  describe: describePendulum,
});

register({
  id: "Acrobot-v1",
  entryPoint: () => new AcrobotEnv(),
  maxEpisodeSteps: 500,
  rewardThreshold: -100.0,
  kwargNames: [],
  describe: describeAcrobot,
});

// ---- toy text and games ----------------------------------------------------------------------------

register({
  id: "Blackjack-v1",
  entryPoint: (kw) => new BlackjackEnv(kw),
  kwargs: { sab: true, natural: false },
  kwargNames: ["natural", "sab"],
  describe: describeBlackjack,
});

register({
  id: "Pong-v0",
  entryPoint: (kwargs) => new PongEnv(kwargs as PongOptions),
  // A game to 21 lasts roughly 1 000 to 5 000 steps; the limit only stops endless rallies.
  maxEpisodeSteps: 10_000,
  rewardThreshold: 15,
  describe: (kwargs) => describePong("Pong-v0", kwargs as PongOptions),
});

// ---- Box2D (box2d-wasm, loaded by prepare) ---------------------------------------------------------

const prepareBox2D = () => loadBox2D();

register({
  id: "BipedalWalker-v3",
  entryPoint: bipedalWalkerFromKwargs,
  maxEpisodeSteps: 1600,
  rewardThreshold: 300,
  prepare: prepareBox2D,
  describe: (kw) => describeBipedalWalker(kw.hardcore === true),
});

register({
  id: "BipedalWalkerHardcore-v3",
  entryPoint: bipedalWalkerFromKwargs,
  kwargs: { hardcore: true },
  maxEpisodeSteps: 2000,
  rewardThreshold: 300,
  prepare: prepareBox2D,
  describe: (kw) => describeBipedalWalker(kw.hardcore === true),
});

register({
  id: "LunarLander-v3",
  entryPoint: lunarLanderFromKwargs,
  maxEpisodeSteps: 1000,
  rewardThreshold: 200,
  prepare: prepareBox2D,
  describe: (kw) => describeLunarLander(kw.continuous === true),
});

register({
  id: "LunarLanderContinuous-v3",
  entryPoint: lunarLanderFromKwargs,
  kwargs: { continuous: true },
  maxEpisodeSteps: 1000,
  rewardThreshold: 200,
  prepare: prepareBox2D,
  describe: (kw) => describeLunarLander(kw.continuous === true),
});

// ---- MuJoCo (@mujoco/mujoco's wasm, loaded by prepare; Gymnasium's v5 ids) --------------------------

const prepareMujoco = () => loadMujoco();
const d = mujocoDescribe;

register({ id: "Hopper-v5", entryPoint: (kw) => new HopperEnv(kw), maxEpisodeSteps: 1000, rewardThreshold: 3800, prepare: prepareMujoco, describe: d.describeHopper });
register({ id: "Walker2d-v5", entryPoint: (kw) => new Walker2dEnv(kw), maxEpisodeSteps: 1000, prepare: prepareMujoco, describe: d.describeWalker2d });
register({ id: "HalfCheetah-v5", entryPoint: (kw) => new HalfCheetahEnv(kw), maxEpisodeSteps: 1000, rewardThreshold: 4800, prepare: prepareMujoco, describe: d.describeHalfCheetah });
register({ id: "Ant-v5", entryPoint: (kw) => new AntEnv(kw), maxEpisodeSteps: 1000, rewardThreshold: 6000, prepare: prepareMujoco, describe: d.describeAnt });
register({ id: "Humanoid-v5", entryPoint: (kw) => new HumanoidEnv(kw), maxEpisodeSteps: 1000, prepare: prepareMujoco, describe: d.describeHumanoid });
register({ id: "Swimmer-v5", entryPoint: (kw) => new SwimmerEnv(kw), maxEpisodeSteps: 1000, rewardThreshold: 360, prepare: prepareMujoco, describe: d.describeSwimmer });
register({ id: "Reacher-v5", entryPoint: (kw) => new ReacherEnv(kw), maxEpisodeSteps: 50, rewardThreshold: -3.75, prepare: prepareMujoco, describe: d.describeReacher });
register({
  id: "InvertedPendulum-v5",
  entryPoint: (kw) => new InvertedPendulumEnv(kw),
  maxEpisodeSteps: 1000,
  rewardThreshold: 950,
  prepare: prepareMujoco,
  describe: d.describeInvertedPendulum,
});
register({
  id: "InvertedDoublePendulum-v5",
  entryPoint: (kw) => new InvertedDoublePendulumEnv(kw),
  maxEpisodeSteps: 1000,
  rewardThreshold: 9100,
  prepare: prepareMujoco,
  describe: d.describeInvertedDoublePendulum,
});
