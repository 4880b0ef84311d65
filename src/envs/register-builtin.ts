/** Registers the environments this package implements directly (Gymnasium's ids, limits and thresholds). */
import { register } from "../core/registry.js";
import { AcrobotEnv, describeAcrobot } from "./classic/acrobot.js";
import { CartPoleEnv, describeCartPole } from "./classic/cartpole.js";
import { MountainCarContinuousEnv, describeMountainCarContinuous } from "./classic/continuous-mountain-car.js";
import { MountainCarEnv, describeMountainCar } from "./classic/mountain-car.js";
import { PendulumEnv, describePendulum } from "./classic/pendulum.js";
import { BlackjackEnv, describeBlackjack } from "./toy/blackjack.js";

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

register({
  id: "Blackjack-v1",
  entryPoint: (kw) => new BlackjackEnv(kw),
  kwargs: { sab: true, natural: false },
  kwargNames: ["natural", "sab"],
  describe: describeBlackjack,
});
