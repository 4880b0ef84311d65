/** Registers the environments this package implements directly (Gymnasium's ids, limits and thresholds). */
import { register } from "../core/registry.js";
import { CartPoleEnv, describeCartPole } from "./classic/cartpole.js";

register({
  id: "CartPole-v1",
  entryPoint: (kw) => new CartPoleEnv(kw),
  maxEpisodeSteps: 500,
  rewardThreshold: 475.0,
  describe: describeCartPole,
});
