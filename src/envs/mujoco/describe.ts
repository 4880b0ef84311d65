/**
 * The MuJoCo envs' self-descriptions for prompts: named observation fields with units, what each actuator
 * moves, the reward terms and the termination rule, written from the models' joints and Gymnasium's docs.
 */
import type { EnvDescription, FieldDescription } from "../../core/env.js";
import type { EnvKwargs } from "../registration.js";
import { kwargValue } from "../box2d/kwargs.js";

/** One generalized coordinate: its name, what it is, and whether it is a length (slide) or an angle (hinge). */
export interface Coordinate {
  name: string;
  what: string;
  kind: "slide" | "hinge";
}

const unitOf = (c: Coordinate, velocity: boolean) => (c.kind === "slide" ? (velocity ? "m/s" : "m") : velocity ? "rad/s" : "rad");

/**
 * The fields of `[qpos[skip:], qvel]` for a robot whose qpos and qvel have the same coordinates (the planar
 * robots), `velocityClip` noting Gymnasium's clipping of the velocities in the observation.
 */
export function positionVelocityFields(coords: readonly Coordinate[], skip: number, velocityClip?: number): FieldDescription[] {
  const out: FieldDescription[] = [];
  let i = 0;
  for (const c of coords.slice(skip)) {
    out.push({ name: c.name, index: [i, i + 1], description: `${c.what} (position)`, unit: unitOf(c, false) });
    i++;
  }
  for (const c of coords) {
    const clip = velocityClip !== undefined ? `, clipped to [-${velocityClip}, ${velocityClip}]` : "";
    out.push({
      name: `${c.name}_vel`,
      index: [i, i + 1],
      description: `${c.what} (velocity${clip})`,
      unit: unitOf(c, true),
      ...(velocityClip !== undefined ? { low: -velocityClip, high: velocityClip } : {}),
    });
    i++;
  }
  return out;
}

/** Torque motors: one action field per actuator, in [-1, 1] scaled by the gear. */
export function motorFields(motors: ReadonlyArray<readonly [name: string, what: string, gear: number]>, low = -1, high = 1): FieldDescription[] {
  return motors.map(([name, what, gear], i) => ({
    name,
    index: [i, i + 1] as [number, number],
    description: `Torque on ${what} (the value times gear ${gear}, in N m; clamped to [${low}, ${high}]).`,
    low,
    high,
  }));
}

/** Whether the kwargs keep the default `excludeCurrentPositionsFromObservation: true`. */
export function excludesPositions(kw: EnvKwargs): boolean {
  return kwargValue(kw, "excludeCurrentPositionsFromObservation") !== false;
}

const num = (kw: EnvKwargs, name: string, fallback: number) => {
  const v = kwargValue(kw, name);
  return typeof v === "number" ? v : fallback;
};
const range = (kw: EnvKwargs, name: string, fallback: readonly [number, number]) => {
  const v = kwargValue(kw, name);
  return Array.isArray(v) ? (v as [number, number]) : fallback;
};

const PLANAR_ROOT: Coordinate[] = [
  { name: "rootx", what: "torso x (forward) position", kind: "slide" },
  { name: "rootz", what: "torso z (height) position", kind: "slide" },
  { name: "rooty", what: "torso pitch angle (positive leans back)", kind: "hinge" },
];

const LEG = (side: string, suffix: string): Coordinate[] => [
  { name: `thigh${suffix}_joint`, what: `${side}hip angle (thigh relative to torso)`, kind: "hinge" },
  { name: `leg${suffix}_joint`, what: `${side}knee angle (leg relative to thigh)`, kind: "hinge" },
  { name: `foot${suffix}_joint`, what: `${side}ankle angle (foot relative to leg)`, kind: "hinge" },
];

const WALKER_INFO: Record<string, string> = {
  x_position: "torso x position after the step (m)",
  z_distance_from_origin: "torso height minus its initial height 1.25 (m)",
  x_velocity: "(x after - x before) / dt (m/s)",
  reward_forward: "forward_reward_weight * x_velocity",
  reward_ctrl: "-ctrl_cost_weight * sum(action^2)",
  reward_survive: "healthy_reward while healthy, else 0",
};

function walkerLike(id: string, kw: EnvKwargs, coords: Coordinate[], motors: Array<readonly [string, string, number]>, summary: string, health: string, defaults: { z: readonly [number, number]; angle: readonly [number, number] }): EnvDescription {
  const skip = excludesPositions(kw) ? 1 : 0;
  const fw = num(kw, "forwardRewardWeight", 1), cc = num(kw, "ctrlCostWeight", 1e-3), hr = num(kw, "healthyReward", 1);
  const z = range(kw, "healthyZRange", defaults.z), a = range(kw, "healthyAngleRange", defaults.angle);
  const terminates = kwargValue(kw, "terminateWhenUnhealthy") !== false;
  return {
    id,
    summary,
    observation: positionVelocityFields(coords, skip, 10),
    action: motorFields(motors),
    reward: `${fw} * x_velocity (m/s, forward is +x) + ${hr} while healthy - ${cc} * sum(action^2). info holds reward_forward, reward_survive, reward_ctrl (they sum to the reward).`,
    termination: `${terminates ? "Terminates" : "Never terminates (terminateWhenUnhealthy false); the survive reward stops"} when unhealthy: healthy while ${z[0]} < torso z < ${z[1]} and ${a[0]} < torso angle < ${a[1]}${health}. Truncated after 1000 steps.`,
    info: WALKER_INFO,
  };
}

export function describeHopper(kw: EnvKwargs = {}): EnvDescription {
  const s = range(kw, "healthyStateRange", [-100, 100]);
  return walkerLike(
    "Hopper-v5",
    kw,
    [...PLANAR_ROOT, ...LEG("", "")],
    [
      ["thigh_motor", "the hip (thigh_joint)", 200],
      ["leg_motor", "the knee (leg_joint)", 200],
      ["foot_motor", "the ankle (foot_joint)", 200],
    ],
    "A planar one-legged robot (torso, thigh, leg, foot; 2 m tall, 15.8 kg) that should hop forward (+x) as fast as it can without falling. 0.008 s per step (4 MuJoCo steps of 2 ms).",
    ` and every value of [qpos[2:], qvel] is inside (${s[0]}, ${s[1]})`,
    { z: [0.7, Infinity], angle: [-0.2, 0.2] },
  );
}

export function describeWalker2d(kw: EnvKwargs = {}): EnvDescription {
  return walkerLike(
    "Walker2d-v5",
    kw,
    [...PLANAR_ROOT, ...LEG("right ", ""), ...LEG("left ", "_left")],
    [
      ["thigh_motor", "the right hip", 100],
      ["leg_motor", "the right knee", 100],
      ["foot_motor", "the right ankle", 100],
      ["thigh_left_motor", "the left hip", 100],
      ["leg_left_motor", "the left knee", 100],
      ["foot_left_motor", "the left ankle", 100],
    ],
    "A planar two-legged robot (torso and two legs of thigh, leg, foot; 23.7 kg) that should walk forward (+x) as fast as it can without falling. 0.008 s per step (4 MuJoCo steps of 2 ms).",
    "",
    { z: [0.8, 2.0], angle: [-1.0, 1.0] },
  );
}

const CHEETAH: Coordinate[] = [
  { name: "rootx", what: "torso x (forward) position", kind: "slide" },
  { name: "rootz", what: "torso z (height) position relative to the start pose", kind: "slide" },
  { name: "rooty", what: "torso pitch angle", kind: "hinge" },
  { name: "bthigh", what: "back thigh angle", kind: "hinge" },
  { name: "bshin", what: "back shin angle", kind: "hinge" },
  { name: "bfoot", what: "back foot angle", kind: "hinge" },
  { name: "fthigh", what: "front thigh angle", kind: "hinge" },
  { name: "fshin", what: "front shin angle", kind: "hinge" },
  { name: "ffoot", what: "front foot angle", kind: "hinge" },
];

export function describeHalfCheetah(kw: EnvKwargs = {}): EnvDescription {
  const skip = excludesPositions(kw) ? 1 : 0;
  const fw = num(kw, "forwardRewardWeight", 1), cc = num(kw, "ctrlCostWeight", 0.1);
  return {
    id: "HalfCheetah-v5",
    summary:
      "A planar cat-like robot (torso with head, a back and a front leg of thigh, shin, foot; 14 kg) that should run forward (+x) as fast as it can. It cannot fall over into a terminal state. 0.05 s per step (5 MuJoCo steps of 10 ms).",
    observation: positionVelocityFields(CHEETAH, skip),
    action: motorFields(
      CHEETAH.slice(3).map((c, i) => [c.name, `the ${c.what.replace(" angle", " joint")}`, [120, 90, 60, 120, 60, 30][i]!] as const),
    ),
    reward: `${fw} * x_velocity (m/s, forward is +x) - ${cc} * sum(action^2). info holds reward_forward and reward_ctrl (they sum to the reward).`,
    termination: "Never terminates; truncated after 1000 steps.",
    info: {
      x_position: "torso x position after the step (m)",
      x_velocity: "(x after - x before) / dt (m/s)",
      reward_forward: "forward_reward_weight * x_velocity",
      reward_ctrl: "-ctrl_cost_weight * sum(action^2)",
    },
  };
}

const bool = (kw: EnvKwargs, name: string, fallback: boolean) => {
  const v = kwargValue(kw, name);
  return typeof v === "boolean" ? v : fallback;
};

/** Scalar fields from a list of [name, description, unit], starting at index `start`. */
function scalars(start: number, rows: ReadonlyArray<readonly [string, string, string?]>): FieldDescription[] {
  return rows.map(([name, description, unit], i) => ({ name, index: [start + i, start + i + 1] as [number, number], description, ...(unit ? { unit } : {}) }));
}

/** The index after the last field (where the next group starts). */
const end = (fields: readonly FieldDescription[]) => (fields.length === 0 ? 0 : fields[fields.length - 1]!.index[1]);

/** One field of `width` values per body (cinert, cvel, cfrc_ext of bodies 1..n), starting at `start`. */
function perBody(start: number, bodies: readonly string[], width: number, what: string): FieldDescription[] {
  return bodies.map((b, i) => ({ name: `${what}[${b}]`, index: [start + i * width, start + (i + 1) * width] as [number, number], description: `${what} of body ${b}` }));
}

export function describeInvertedPendulum(): EnvDescription {
  return {
    id: "InvertedPendulum-v5",
    summary: "A cart on a 2 m rail carries a 0.6 m pole on a hinge; push the cart so the pole stays upright. 0.04 s per step.",
    observation: scalars(0, [
      ["cart_x", "cart position on the rail (limits -1, 1)", "m"],
      ["pole_angle", "pole angle from upright (positive leans +x)", "rad"],
      ["cart_velocity", "cart velocity", "m/s"],
      ["pole_angular_velocity", "pole angular velocity", "rad/s"],
    ]),
    action: [{ name: "force", index: [0, 1], description: "Force on the cart (value times gear 100, in N).", low: -3, high: 3 }],
    reward: "+1 for every step the pole stays within 0.2 rad of upright (0 on the step it falls). info.reward_survive is the reward.",
    termination: "Terminates when |pole angle| > 0.2 rad or the state is not finite. Truncated after 1000 steps.",
    info: { reward_survive: "1 while upright, 0 on the terminating step" },
  };
}

export function describeInvertedDoublePendulum(kw: EnvKwargs = {}): EnvDescription {
  const hr = num(kw, "healthyReward", 10);
  return {
    id: "InvertedDoublePendulum-v5",
    summary: "A cart on a 2 m rail carries two 0.6 m poles in a chain; keep the tip of the second pole high. 0.05 s per step.",
    observation: scalars(0, [
      ["cart_x", "cart position on the rail (limits -1, 1)", "m"],
      ["sin_pole1", "sine of pole 1's angle from upright"],
      ["sin_pole2", "sine of pole 2's angle relative to pole 1"],
      ["cos_pole1", "cosine of pole 1's angle"],
      ["cos_pole2", "cosine of pole 2's relative angle"],
      ["cart_velocity", "cart velocity, clipped to [-10, 10]", "m/s"],
      ["pole1_angular_velocity", "pole 1 angular velocity, clipped to [-10, 10]", "rad/s"],
      ["pole2_angular_velocity", "pole 2 angular velocity, clipped to [-10, 10]", "rad/s"],
      ["cart_constraint_force", "constraint force on the cart (rail limits), clipped to [-10, 10]", "N"],
    ]),
    action: [{ name: "force", index: [0, 1], description: "Force on the cart (value times gear 500, in N).", low: -1, high: 1 }],
    reward: `${hr} while the tip is above 1 m - (0.01 x_tip^2 + (y_tip - 2)^2) - (1e-3 w1^2 + 5e-3 w2^2). info: reward_survive, distance_penalty, velocity_penalty (they sum to the reward).`,
    termination: "Terminates when the tip's height y_tip <= 1 m (upright it is 1.2 m). Truncated after 1000 steps.",
    info: {
      reward_survive: `${hr} while the tip is above 1 m, else 0`,
      distance_penalty: "-(0.01 x_tip^2 + (y_tip - 2)^2)",
      velocity_penalty: "-(1e-3 w1^2 + 5e-3 w2^2), w the poles' angular velocities",
    },
  };
}

export function describeSwimmer(kw: EnvKwargs = {}): EnvDescription {
  const skip = bool(kw, "excludeCurrentPositionsFromObservation", true) ? 2 : 0;
  const coords: Coordinate[] = [
    { name: "slider1", what: "front tip x position", kind: "slide" },
    { name: "slider2", what: "front tip y position", kind: "slide" },
    { name: "free_body_rot", what: "heading of the front segment", kind: "hinge" },
    { name: "motor1_rot", what: "angle between front and middle segments", kind: "hinge" },
    { name: "motor2_rot", what: "angle between middle and back segments", kind: "hinge" },
  ];
  const fw = num(kw, "forwardRewardWeight", 1), cc = num(kw, "ctrlCostWeight", 1e-4);
  return {
    id: "Swimmer-v5",
    summary: "Three 1 m capsules joined by two rotors in a viscous fluid on a plane; swim forward (+x) as fast as possible. 0.04 s per step.",
    observation: positionVelocityFields(coords, skip),
    action: motorFields([
      ["motor1", "the front rotor", 150],
      ["motor2", "the back rotor", 150],
    ]),
    reward: `${fw} * x_velocity (m/s) - ${cc} * sum(action^2). info: reward_forward, reward_ctrl (they sum to the reward).`,
    termination: "Never terminates; truncated after 1000 steps.",
    info: {
      x_position: "front tip x (m)",
      y_position: "front tip y (m)",
      distance_from_origin: "|(x, y)| (m)",
      x_velocity: "x displacement / dt (m/s)",
      y_velocity: "y displacement / dt (m/s)",
      reward_forward: "forward_reward_weight * x_velocity",
      reward_ctrl: "-ctrl_cost_weight * sum(action^2)",
    },
  };
}

export function describeReacher(): EnvDescription {
  return {
    id: "Reacher-v5",
    summary: "A two-link planar arm (0.1 m links) must bring its fingertip to a random target within 0.2 m of its base. 0.02 s per step, 50 steps.",
    observation: scalars(0, [
      ["cos_joint0", "cosine of the shoulder angle"],
      ["cos_joint1", "cosine of the elbow angle"],
      ["sin_joint0", "sine of the shoulder angle"],
      ["sin_joint1", "sine of the elbow angle"],
      ["target_x", "target x position", "m"],
      ["target_y", "target y position", "m"],
      ["joint0_velocity", "shoulder angular velocity", "rad/s"],
      ["joint1_velocity", "elbow angular velocity", "rad/s"],
      ["tip_to_target_x", "fingertip x minus target x", "m"],
      ["tip_to_target_y", "fingertip y minus target y", "m"],
    ]),
    action: motorFields([
      ["joint0_motor", "the shoulder", 200],
      ["joint1_motor", "the elbow", 200],
    ]),
    reward: "-|fingertip - target| (m) * reward_dist_weight - sum(action^2) * reward_control_weight. info: reward_dist, reward_ctrl (they sum to the reward).",
    termination: "Never terminates; truncated after 50 steps.",
    info: { reward_dist: "-distance fingertip to target (m), weighted", reward_ctrl: "-sum(action^2), weighted" },
  };
}

const FREE_ROOT = (skip: number): ReadonlyArray<readonly [string, string, string?]> =>
  (
    [
      ["x", "torso x position", "m"],
      ["y", "torso y position", "m"],
      ["z", "torso height", "m"],
      ["qw", "torso orientation quaternion w"],
      ["qx", "torso orientation quaternion x"],
      ["qy", "torso orientation quaternion y"],
      ["qz", "torso orientation quaternion z"],
    ] as const
  ).slice(skip);
const FREE_ROOT_VEL: ReadonlyArray<readonly [string, string, string]> = [
  ["vx", "torso x velocity", "m/s"],
  ["vy", "torso y velocity", "m/s"],
  ["vz", "torso z velocity", "m/s"],
  ["wx", "torso angular velocity about x", "rad/s"],
  ["wy", "torso angular velocity about y", "rad/s"],
  ["wz", "torso angular velocity about z", "rad/s"],
];

const ANT_JOINTS = ["hip_1", "ankle_1", "hip_2", "ankle_2", "hip_3", "ankle_3", "hip_4", "ankle_4"];
const ANT_BODIES = ["torso", "front_left_leg", "aux_1", "front_left_foot", "front_right_leg", "aux_2", "front_right_foot", "back_leg", "aux_3", "back_left_foot", "right_back_leg", "aux_4", "back_right_foot"];

export function describeAnt(kw: EnvKwargs = {}): EnvDescription {
  const skip = bool(kw, "excludeCurrentPositionsFromObservation", true) ? 2 : 0;
  const rows = [
    ...FREE_ROOT(skip),
    ...ANT_JOINTS.map((j) => [j, `${j.startsWith("hip") ? "hip (about z)" : "ankle"} angle of leg ${j.slice(-1)}`, "rad"] as const),
    ...FREE_ROOT_VEL,
    ...ANT_JOINTS.map((j) => [`${j}_vel`, `angular velocity of ${j}`, "rad/s"] as const),
  ];
  const obs = scalars(0, rows);
  if (bool(kw, "includeCfrcExtInObservation", true)) obs.push(...perBody(end(obs), ANT_BODIES, 6, "contact force (cfrc_ext: torque xyz, force xyz, clipped to contact_force_range)"));
  return {
    id: "Ant-v5",
    summary: "A four-legged robot (a sphere torso, each leg a hip and an ankle) on a free joint; walk forward (+x). 0.05 s per step.",
    observation: obs,
    action: motorFields(["hip_4", "ankle_4", "hip_1", "ankle_1", "hip_2", "ankle_2", "hip_3", "ankle_3"].map((j) => [j, j.replace("_", " of leg "), 150] as const)),
    reward:
      "x_velocity of the torso (m/s) + 1 while healthy - 0.5 * sum(action^2) - 5e-4 * sum(clip(contact forces, -1, 1)^2). info: reward_forward, reward_survive, reward_ctrl, reward_contact (they sum to the reward).",
    termination: "Terminates when unhealthy: the state is not finite or the torso height leaves [0.2, 1] m. Truncated after 1000 steps.",
    info: {
      x_position: "torso x (m)",
      y_position: "torso y (m)",
      distance_from_origin: "|(x, y)| (m)",
      x_velocity: "main body x displacement / dt (m/s)",
      y_velocity: "main body y displacement / dt (m/s)",
      reward_forward: "forward_reward_weight * x_velocity",
      reward_ctrl: "-ctrl_cost_weight * sum(action^2)",
      reward_contact: "-contact_cost_weight * sum(clipped contact forces^2)",
      reward_survive: "healthy_reward while healthy, else 0",
    },
  };
}

const HUMANOID_JOINTS = [
  "abdomen_z", "abdomen_y", "abdomen_x", "right_hip_x", "right_hip_z", "right_hip_y", "right_knee", "left_hip_x", "left_hip_z", "left_hip_y",
  "left_knee", "right_shoulder1", "right_shoulder2", "right_elbow", "left_shoulder1", "left_shoulder2", "left_elbow",
];
const HUMANOID_BODIES = [
  "torso", "lwaist", "pelvis", "right_thigh", "right_shin", "right_foot", "left_thigh", "left_shin", "left_foot",
  "right_upper_arm", "right_lower_arm", "left_upper_arm", "left_lower_arm",
];
const HUMANOID_ACTUATORS = [
  "abdomen_y", "abdomen_z", "abdomen_x", "right_hip_x", "right_hip_z", "right_hip_y", "right_knee", "left_hip_x", "left_hip_z", "left_hip_y",
  "left_knee", "right_shoulder1", "right_shoulder2", "right_elbow", "left_shoulder1", "left_shoulder2", "left_elbow",
];
const HUMANOID_GEARS = [100, 100, 100, 100, 100, 300, 200, 100, 100, 300, 200, 25, 25, 25, 25, 25, 25];

export function describeHumanoid(kw: EnvKwargs = {}): EnvDescription {
  const skip = bool(kw, "excludeCurrentPositionsFromObservation", true) ? 2 : 0;
  const rows = [
    ...FREE_ROOT(skip),
    ...HUMANOID_JOINTS.map((j) => [j, `${j} joint angle`, "rad"] as const),
    ...FREE_ROOT_VEL,
    ...HUMANOID_JOINTS.map((j) => [`${j}_vel`, `${j} angular velocity`, "rad/s"] as const),
  ];
  const obs = scalars(0, rows);
  if (bool(kw, "includeCinertInObservation", true)) obs.push(...perBody(end(obs), HUMANOID_BODIES, 10, "com-based inertia (cinert)"));
  if (bool(kw, "includeCvelInObservation", true)) obs.push(...perBody(end(obs), HUMANOID_BODIES, 6, "com-based velocity (cvel: angular xyz, linear xyz)"));
  if (bool(kw, "includeQfrcActuatorInObservation", true)) obs.push(...scalars(end(obs), HUMANOID_JOINTS.map((j) => [`actuator_force_${j}`, `actuator torque on ${j}`, "N m"] as const)));
  if (bool(kw, "includeCfrcExtInObservation", true)) obs.push(...perBody(end(obs), HUMANOID_BODIES, 6, "external contact force (cfrc_ext: torque xyz, force xyz)"));
  return {
    id: "Humanoid-v5",
    summary: "A 3D humanoid (torso, abdomen, two legs, two arms; 42 kg) on a free joint; walk forward (+x) without falling. 0.015 s per step.",
    observation: obs,
    action: motorFields(HUMANOID_ACTUATORS.map((a, i) => [a, `${a}`, HUMANOID_GEARS[i]!] as const), -0.4, 0.4),
    reward:
      "1.25 * x_velocity of the centre of mass (m/s) + 5 while healthy - 0.1 * sum(ctrl^2) - min(5e-7 * sum(contact forces^2), 10). info: reward_forward, reward_survive, reward_ctrl, reward_contact (they sum to the reward).",
    termination: "Terminates when the torso height leaves (1, 2) m. Truncated after 1000 steps.",
    info: {
      x_position: "torso x (m)",
      y_position: "torso y (m)",
      tendon_length: "lengths of the two hip-knee tendons",
      tendon_velocity: "their velocities",
      distance_from_origin: "|(x, y)| (m)",
      x_velocity: "centre of mass x displacement / dt (m/s)",
      y_velocity: "centre of mass y displacement / dt (m/s)",
      reward_forward: "forward_reward_weight * x_velocity",
      reward_ctrl: "-ctrl_cost_weight * sum(ctrl^2)",
      reward_contact: "-clip(contact_cost_weight * sum(cfrc_ext^2), contact_cost_range)",
      reward_survive: "healthy_reward while healthy, else 0",
    },
  };
}
