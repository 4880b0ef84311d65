/**
 * MuJoCo environments on the official `@mujoco/mujoco` WebAssembly build, Gymnasium v5 semantics
 * (registered in envs/register.ts). Load the wasm once before `make`:
 *
 *     await loadMujoco();                      // or: const env = await makeAsync("Hopper-v5")
 *     const env = make("Hopper-v5");
 *     env.unwrapped.model, env.unwrapped.data  // the MjModel / MjData
 */

export { loadMujoco, isMujocoLoaded, mujoco, compileModel, modelXml, type MujocoModule } from "./loader.js";
export { MujocoEnv, type MujocoState, type SerializedRng } from "./mujoco-env.js";
export { HopperEnv, Walker2dEnv, HOPPER_DEFAULTS, WALKER2D_DEFAULTS, type HopperOptions, type Walker2dOptions } from "./hopper-walker.js";
export { HalfCheetahEnv, HALF_CHEETAH_DEFAULTS, type HalfCheetahOptions } from "./half-cheetah.js";
export { InvertedPendulumEnv, InvertedDoublePendulumEnv, INVERTED_PENDULUM_DEFAULTS, INVERTED_DOUBLE_PENDULUM_DEFAULTS } from "./inverted-pendulums.js";
export type { InvertedPendulumOptions, InvertedDoublePendulumOptions } from "./inverted-pendulums.js";
export { SwimmerEnv, ReacherEnv, SWIMMER_DEFAULTS, REACHER_DEFAULTS, type SwimmerOptions, type ReacherOptions } from "./swimmer-reacher.js";
export { AntEnv, HumanoidEnv, ANT_DEFAULTS, HUMANOID_DEFAULTS, type AntOptions, type HumanoidOptions } from "./ant-humanoid.js";
export {
  describeHopper,
  describeWalker2d,
  describeHalfCheetah,
  describeAnt,
  describeHumanoid,
  describeSwimmer,
  describeReacher,
  describeInvertedPendulum,
  describeInvertedDoublePendulum,
} from "./describe.js";
export { sceneOfModel, type ViewOptions, type Projection } from "./render.js";
