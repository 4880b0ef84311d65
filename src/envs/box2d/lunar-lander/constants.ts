/** LunarLander-v3's constants, as in Gymnasium 1.0 (`gymnasium/envs/box2d/lunar_lander.py`). */

export const FPS = 50;
/** Pixels per metre of the original renderer; forces are scaled with it. */
export const SCALE = 30.0;

export const MAIN_ENGINE_POWER = 13.0;
export const SIDE_ENGINE_POWER = 0.6;

export const INITIAL_RANDOM = 1000.0;

export const LANDER_POLY: ReadonlyArray<readonly [number, number]> = [
  [-14, +17],
  [-17, 0],
  [-17, -10],
  [+17, -10],
  [+17, 0],
  [+14, +17],
];
export const LEG_AWAY = 20;
export const LEG_DOWN = 18;
export const LEG_W = 2;
export const LEG_H = 8;
export const LEG_SPRING_TORQUE = 40;

export const SIDE_ENGINE_HEIGHT = 14;
export const SIDE_ENGINE_AWAY = 12;
export const MAIN_ENGINE_Y_LOCATION = 4;

export const VIEWPORT_W = 600;
export const VIEWPORT_H = 400;

/** World size in metres. */
export const W = VIEWPORT_W / SCALE;
export const H = VIEWPORT_H / SCALE;
/** Number of terrain chunks. */
export const CHUNKS = 11;
