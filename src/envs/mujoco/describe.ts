/**
 * The MuJoCo envs' self-descriptions for prompts: named observation fields with units, what each actuator
 * moves, the reward terms and the termination rule, written from the models' joints and Gymnasium's docs.
 */
import type { EnvDescription, FieldDescription } from "../../core/env.js";
import type { EnvKwargs } from "../../core/registry.js";
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
