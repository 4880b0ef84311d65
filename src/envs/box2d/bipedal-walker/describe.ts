/** BipedalWalker's self-description: what each observation, action and `info` field means. */
import type { EnvDescription, FieldDescription } from "../../../core/env.js";
import { scalarField } from "../describe-field.js";

const f = scalarField;

const OBSERVATION: FieldDescription[] = [
  f("hull_angle", 0, "Hull angle from horizontal; positive is nose up (counter-clockwise).", -Math.PI, Math.PI, "rad"),
  f("hull_angular_velocity", 1, "Hull angular velocity scaled by 2/FPS (= 0.04 s): rad/s times 0.04.", -5, 5),
  f("vel_x", 2, "Hull horizontal velocity scaled by 0.3*(600/30)/50 = 0.12: m/s times 0.12; forward is positive.", -5, 5),
  f("vel_y", 3, "Hull vertical velocity scaled by 0.3*(400/30)/50 = 0.08: m/s times 0.08; up is positive.", -5, 5),
  f("hip1_angle", 4, "Hip joint angle of leg 1 (the back leg at the start), relative to the hull; limits -0.8..1.1.", -Math.PI, Math.PI, "rad"),
  f("hip1_speed", 5, "Hip joint 1 angular speed divided by SPEED_HIP (4 rad/s).", -5, 5),
  f("knee1_angle", 6, "Knee joint 1 angle plus 1.0 (the raw angle has limits -1.6..-0.1, so this is -0.6..0.9).", -Math.PI, Math.PI),
  f("knee1_speed", 7, "Knee joint 1 angular speed divided by SPEED_KNEE (6 rad/s).", -5, 5),
  f("leg1_contact", 8, "1.0 when lower leg 1 touches the ground, else 0.0.", 0, 5),
  f("hip2_angle", 9, "Hip joint angle of leg 2, relative to the hull.", -Math.PI, Math.PI, "rad"),
  f("hip2_speed", 10, "Hip joint 2 angular speed divided by 4 rad/s.", -5, 5),
  f("knee2_angle", 11, "Knee joint 2 angle plus 1.0.", -Math.PI, Math.PI),
  f("knee2_speed", 12, "Knee joint 2 angular speed divided by 6 rad/s.", -5, 5),
  f("leg2_contact", 13, "1.0 when lower leg 2 touches the ground, else 0.0.", 0, 5),
  {
    name: "lidar",
    index: [14, 24],
    description:
      "10 lidar rangefinder readings from the hull centre: the fraction (0..1) of the 160/30 = 5.33 m ray at which " +
      "the ground is hit (1.0 = nothing within range). Ray i points down and forward at angle 1.5*i/10 rad from straight down " +
      "(ray 0 straight down, ray 9 at 77 degrees).",
    low: -1,
    high: 1,
  },
];

const ACTION: FieldDescription[] = [
  { name: "hip1", index: [0, 1], description: "Hip 1 motor: sign = direction (speed 4 rad/s), |value| = torque fraction of 80 N·m.", low: -1, high: 1 },
  { name: "knee1", index: [1, 2], description: "Knee 1 motor: sign = direction (speed 6 rad/s), |value| = torque fraction of 80 N·m.", low: -1, high: 1 },
  { name: "hip2", index: [2, 3], description: "Hip 2 motor, as hip1.", low: -1, high: 1 },
  { name: "knee2", index: [3, 4], description: "Knee 2 motor, as knee1.", low: -1, high: 1 },
];

const INFO: Record<string, string> = {
  hullX: "Hull x position in metres (start ≈ 4.67; the course ends at x = 88.67, which terminates the episode).",
  hullY: "Hull y position in metres (ground at the start ≈ 3.33).",
  hullAngle: "Hull angle in rad (same as obs[0]).",
  hullAngularVelocity: "Hull angular velocity in rad/s (unscaled).",
  hullVx: "Hull horizontal velocity in m/s (unscaled).",
  hullVy: "Hull vertical velocity in m/s (unscaled).",
  jointAngles: "[hip1, knee1, hip2, knee2] joint angles in rad (unscaled, knees without the +1 offset).",
  jointSpeeds: "[hip1, knee1, hip2, knee2] joint angular speeds in rad/s (unscaled).",
  legContacts: "[leg1, leg2] ground contact flags as in the observation (0/1, Gymnasium's rule: cleared when any contact ends).",
  legContactCounts: "[leg1, leg2] number of ground fixtures each lower leg touches now (robust contact count).",
  lidar: "The 10 lidar fractions (same as obs[14..23]).",
  motorSpeeds: "[hip1, knee1, hip2, knee2] motor target speeds set this step in rad/s (±4 hips, ±6 knees, 0 for a zero action).",
  motorTorqueLimits: "[hip1, knee1, hip2, knee2] maximum motor torques set this step in N·m (80 * |action|, clipped to 80).",
  jointTorques: "[hip1, knee1, hip2, knee2] motor torques Box2D actually applied during the step in N·m.",
  gameOver: "True when the hull touched the ground (a fall).",
  fell: "True when the episode ended by a fall (hull contact or x < 0); the reward is then -100.",
  reachedEnd: "True when the hull passed the end of the course (the episode terminates).",
  rewardProgress: "Reward component: 130/30 * (hull x change) — about 300 in total for walking the whole course.",
  rewardHeadAngle: "Reward component: -5 * (change of |hull angle|) — keeping the hull level.",
  rewardTorque: "Reward component: -0.00035 * 80 * sum(|action| clipped to 1) — energy spent.",
  rewardFall: "Reward component: -100 on a fall, else 0. The native reward is rewardFall when fell, else rewardProgress + rewardHeadAngle + rewardTorque.",
};

/** The documented description of BipedalWalker-v3 (or the hardcore variant). */
export function describeBipedalWalker(hardcore: boolean): EnvDescription {
  return {
    id: hardcore ? "BipedalWalkerHardcore-v3" : "BipedalWalker-v3",
    summary:
      "A 2D four-joint walker (hull, two legs with hip and knee motors) must walk right across " +
      (hardcore ? "a course with stumps, stairs and pits" : "slightly uneven grassland") +
      " (Box2D physics, 50 steps per second, " +
      (hardcore ? "2000" : "1600") +
      " steps maximum). Solved at an average return of 300.",
    observation: OBSERVATION,
    action: ACTION,
    reward:
      "Each step: 130/30 * (forward hull movement in m) - 5 * (change of |hull angle|) - 0.00035 * 80 * sum(|action_i| clipped to 1). " +
      "Falling (hull touches the ground, or x < 0) gives -100 instead and ends the episode. About +300 for reaching the end.",
    termination:
      "Terminated when the hull touches the ground, when x < 0, or when the hull passes the end of the course; " +
      "truncated by the time limit (" +
      (hardcore ? "2000" : "1600") +
      " steps).",
    info: INFO,
  };
}
