export { CartPoleEnv, describeCartPole } from "./cartpole.js";
export type { CartPoleOptions } from "./cartpole.js";
