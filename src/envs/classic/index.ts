export { CartPoleEnv, describeCartPole } from "./cartpole.js";
export type { CartPoleOptions } from "./cartpole.js";
export { PendulumEnv, describePendulum, angleNormalize } from "./pendulum.js";
export type { PendulumOptions } from "./pendulum.js";
export { MountainCarEnv, describeMountainCar } from "./mountain-car.js";
export type { MountainCarOptions } from "./mountain-car.js";
export { MountainCarContinuousEnv, describeMountainCarContinuous } from "./continuous-mountain-car.js";
export type { MountainCarContinuousOptions } from "./continuous-mountain-car.js";
export { AcrobotEnv, describeAcrobot } from "./acrobot.js";
