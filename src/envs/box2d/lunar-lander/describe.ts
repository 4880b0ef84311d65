/** LunarLander's self-description: what each observation, action and `info` field means. */
import type { EnvDescription, FieldDescription } from "../../../core/env.js";
import { scalarField } from "../describe-field.js";

const f = scalarField;

const OBSERVATION: FieldDescription[] = [
  f("x", 0, "Horizontal position relative to the helipad centre, in units of half the screen width (10 m); |x| >= 1 ends the episode.", -2.5, 2.5),
  f("y", 1, "Height above the helipad's leg-contact level, in units of half the screen height (6.67 m); starts near 1.4.", -2.5, 2.5),
  f("vx", 2, "Horizontal velocity: m/s times 10/50 = 0.2.", -10, 10),
  f("vy", 3, "Vertical velocity: m/s times 6.67/50 = 0.133; negative is falling.", -10, 10),
  f("angle", 4, "Lander angle from upright in rad; positive is counter-clockwise (tilted left).", -2 * Math.PI, 2 * Math.PI, "rad"),
  f("angular_velocity", 5, "Angular velocity: rad/s times 20/50 = 0.4.", -10, 10),
  f("left_leg_contact", 6, "1.0 when the left leg touches the ground, else 0.0.", 0, 1),
  f("right_leg_contact", 7, "1.0 when the right leg touches the ground, else 0.0.", 0, 1),
];

const DISCRETE_ACTION: FieldDescription[] = [
  { name: "engine", index: [0, 1], description: "Which engine fires this step: 0 none, 1 left orientation engine, 2 main engine, 3 right orientation engine.", low: 0, high: 3 },
];

const CONTINUOUS_ACTION: FieldDescription[] = [
  { name: "main", index: [0, 1], description: "Main engine throttle: off when < 0; 0..1 maps to 50%..100% power.", low: -1, high: 1 },
  {
    name: "lateral",
    index: [1, 2],
    description: "Side engines: off in (-0.5, 0.5); < -0.5 fires the left engine, > 0.5 the right one, |value| 0.5..1 is 50%..100% power.",
    low: -1,
    high: 1,
  },
];

const INFO: Record<string, string> = {
  x: "Lander x position in metres (the helipad centre is at x = 10).",
  y: "Lander y position in metres (the helipad surface is at y = 3.33).",
  vx: "Horizontal velocity in m/s (unscaled).",
  vy: "Vertical velocity in m/s (unscaled).",
  angle: "Angle in rad (same as obs[4]).",
  angularVelocity: "Angular velocity in rad/s (unscaled).",
  legContacts: "[left, right] leg contact flags as in the observation (0/1).",
  legContactCounts: "[left, right] number of ground fixtures each leg touches now (robust contact count).",
  mainEnginePower: "Main engine power used this step, 0 or 0.5..1.",
  sideEnginePower: "Side engine power used this step, 0 or 0.5..1.",
  sideEngineDirection: "Which side engine fired: -1 left, +1 right, 0 none.",
  windForce: "Horizontal wind force applied this step (0 unless enable_wind and no leg touches the ground).",
  turbulenceTorque: "Turbulence torque applied this step.",
  gameOver: "True when the lander body touched the ground (a crash).",
  outOfBounds: "True when |obs x| >= 1 (flew off the screen).",
  atRest: "True when the lander came to rest (Box2D put it to sleep): a landing, reward +100.",
  shaping: "The potential: shapingDistance + shapingSpeed + shapingTilt + shapingLegs; the step reward starts from its change.",
  shapingDistance: "-100 * distance to the helipad (observation units).",
  shapingSpeed: "-100 * speed (observation units).",
  shapingTilt: "-100 * |angle|.",
  shapingLegs: "+10 per leg in contact.",
  rewardShaping: "Reward component: change of the potential since the last step.",
  rewardMainEngine: "Reward component: -0.3 * main engine power (fuel).",
  rewardSideEngine: "Reward component: -0.03 * side engine power (fuel).",
  rewardTerminal: "-100 on a crash or leaving the screen, +100 when at rest, else 0. When non-zero it replaces the whole step reward.",
};

/** The documented description of LunarLander-v3 (or LunarLanderContinuous-v3). */
export function describeLunarLander(continuous: boolean): EnvDescription {
  return {
    id: continuous ? "LunarLanderContinuous-v3" : "LunarLander-v3",
    summary:
      "Land a rocket on the helipad at the centre of the screen, starting from the top with a random push (Box2D physics, " +
      "50 steps per second, 1000 steps maximum). The main engine pushes along the lander's axis, two side engines turn and " +
      "push sideways. Solved at an average return of 200.",
    observation: OBSERVATION,
    action: continuous ? CONTINUOUS_ACTION : DISCRETE_ACTION,
    ...(continuous ? {} : { actionMeanings: ["do nothing", "fire left orientation engine", "fire main engine", "fire right orientation engine"] }),
    reward:
      "Each step: the change of -100*distance - 100*speed - 100*|angle| + 10 per leg in contact, minus 0.3 per frame of main engine " +
      "and 0.03 per frame of side engine. A crash or leaving the screen gives -100 instead, coming to rest +100 instead. " +
      "About 100-140 for a landing on the pad.",
    termination:
      "Terminated on a crash (the body touches the ground), when |x| >= 1, or when the lander comes to rest; truncated after 1000 steps.",
    info: INFO,
  };
}
