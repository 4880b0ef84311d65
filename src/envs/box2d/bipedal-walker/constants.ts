/** BipedalWalker-v3's constants, as in Gymnasium 1.0 (`gymnasium/envs/box2d/bipedal_walker.py`). */

export const FPS = 50;
/** Pixels per metre of the original renderer; forces and the reward are scaled with it. */
export const SCALE = 30.0;

export const MOTORS_TORQUE = 80;
export const SPEED_HIP = 4;
export const SPEED_KNEE = 6;
export const LIDAR_RANGE = 160 / SCALE;

export const INITIAL_RANDOM = 5;

export const HULL_POLY: ReadonlyArray<readonly [number, number]> = [
  [-30, +9],
  [+6, +9],
  [+34, +1],
  [+34, -8],
  [-30, -8],
];
export const LEG_DOWN = -8 / SCALE;
export const LEG_W = 8 / SCALE;
export const LEG_H = 34 / SCALE;

export const VIEWPORT_W = 600;
export const VIEWPORT_H = 400;

export const TERRAIN_STEP = 14 / SCALE;
/** Number of terrain points. */
export const TERRAIN_LENGTH = 200;
export const TERRAIN_HEIGHT = VIEWPORT_H / SCALE / 4;
export const TERRAIN_GRASS = 10;
export const TERRAIN_STARTPAD = 20;
export const FRICTION = 2.5;

/** x beyond which the walker has reached the end of the course (the episode terminates). */
export const FINISH_X = (TERRAIN_LENGTH - TERRAIN_GRASS) * TERRAIN_STEP;
