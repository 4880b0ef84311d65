/**
 * The hand-written controllers Gymnasium ships with its Box2D environments (`heuristic` in
 * lunar_lander.py, `BipedalWalkerHeuristics` in bipedal_walker.py), re-expressed here: useful as
 * demonstrations, as sanity checks of the physics (the lander heuristic lands), and as sub-optimal
 * policies for ULTRA-style refinement.
 */

/**
 * LunarLander's heuristic: aim the lander's angle at the pad and hover lower as it approaches.
 * Returns a Discrete action (0..3) or, with `continuous`, a [main, lateral] throttle pair.
 */
export function lunarLanderHeuristic(s: ArrayLike<number>, continuous = false): number | Float32Array {
  let angleTarget = s[0]! * 0.5 + s[2]! * 1.0; // point towards the centre
  if (angleTarget > 0.4) angleTarget = 0.4; // more than 0.4 rad is dangerous
  if (angleTarget < -0.4) angleTarget = -0.4;
  const hoverTarget = 0.55 * Math.abs(s[0]!); // the further off-centre, the higher
  let angleTodo = (angleTarget - s[4]!) * 0.5 - s[5]! * 1.0;
  let hoverTodo = (hoverTarget - s[1]!) * 0.5 - s[3]! * 0.5;
  if (s[6] || s[7]) {
    // Legs down: only soften the fall.
    angleTodo = 0;
    hoverTodo = -s[3]! * 0.5;
  }
  if (continuous) {
    const clip = (v: number) => Math.min(Math.max(v, -1), 1);
    return new Float32Array([clip(hoverTodo * 20 - 1), clip(-angleTodo * 20)]);
  }
  if (hoverTodo > Math.abs(angleTodo) && hoverTodo > 0.05) return 2;
  if (angleTodo < -0.05) return 3;
  if (angleTodo > +0.05) return 1;
  return 0;
}

const STAY_ON_ONE_LEG = 1;
const PUT_OTHER_DOWN = 2;
const PUSH_OFF = 3;
const SPEED = 0.29; // faster and it falls forward
const SUPPORT_KNEE_ANGLE = 0.1;

/**
 * BipedalWalker's heuristic gait: a three-phase state machine (stand on one leg, put the other down,
 * push off) with PD control of hips and knees. Stateful: make one per episode, call `act(obs)` each step.
 */
export class BipedalWalkerHeuristic {
  private state = STAY_ON_ONE_LEG;
  private movingLeg = 0;
  private supportingLeg = 1;
  private supportingKneeAngle = SUPPORT_KNEE_ANGLE;

  act(s: ArrayLike<number>): Float32Array {
    const movingBase = 4 + 5 * this.movingLeg;
    const supportingBase = 4 + 5 * this.supportingLeg;
    const hipTarget: Array<number | null> = [null, null];
    const kneeTarget: Array<number | null> = [null, null];
    const hipTodo = [0, 0];
    const kneeTodo = [0, 0];

    if (this.state === STAY_ON_ONE_LEG) {
      hipTarget[this.movingLeg] = 1.1;
      kneeTarget[this.movingLeg] = -0.6;
      this.supportingKneeAngle += 0.03;
      if (s[2]! > SPEED) this.supportingKneeAngle += 0.03;
      this.supportingKneeAngle = Math.min(this.supportingKneeAngle, SUPPORT_KNEE_ANGLE);
      kneeTarget[this.supportingLeg] = this.supportingKneeAngle;
      if (s[supportingBase]! < 0.1) this.state = PUT_OTHER_DOWN; // the supporting leg is behind
    }
    if (this.state === PUT_OTHER_DOWN) {
      hipTarget[this.movingLeg] = 0.1;
      kneeTarget[this.movingLeg] = SUPPORT_KNEE_ANGLE;
      kneeTarget[this.supportingLeg] = this.supportingKneeAngle;
      if (s[movingBase + 4]) {
        this.state = PUSH_OFF;
        this.supportingKneeAngle = Math.min(s[movingBase + 2]!, SUPPORT_KNEE_ANGLE);
      }
    }
    if (this.state === PUSH_OFF) {
      kneeTarget[this.movingLeg] = this.supportingKneeAngle;
      kneeTarget[this.supportingLeg] = 1.0;
      if (s[supportingBase + 2]! > 0.88 || s[2]! > 1.2 * SPEED) {
        this.state = STAY_ON_ONE_LEG;
        this.movingLeg = 1 - this.movingLeg;
        this.supportingLeg = 1 - this.movingLeg;
      }
    }

    // Gymnasium tests the targets for truthiness, so a target of exactly 0 means "no target".
    if (hipTarget[0]) hipTodo[0] = 0.9 * (hipTarget[0] - s[4]!) - 0.25 * s[5]!;
    if (hipTarget[1]) hipTodo[1] = 0.9 * (hipTarget[1] - s[9]!) - 0.25 * s[10]!;
    if (kneeTarget[0]) kneeTodo[0] = 4.0 * (kneeTarget[0] - s[6]!) - 0.25 * s[7]!;
    if (kneeTarget[1]) kneeTodo[1] = 4.0 * (kneeTarget[1] - s[11]!) - 0.25 * s[12]!;

    hipTodo[0]! -= 0.9 * (0 - s[0]!) - 1.5 * s[1]!; // keep the hull level
    hipTodo[1]! -= 0.9 * (0 - s[0]!) - 1.5 * s[1]!;
    kneeTodo[0]! -= 15.0 * s[3]!; // damp vertical oscillation
    kneeTodo[1]! -= 15.0 * s[3]!;

    const clip = (v: number) => Math.min(Math.max(0.5 * v, -1), 1);
    return new Float32Array([clip(hipTodo[0]!), clip(kneeTodo[0]!), clip(hipTodo[1]!), clip(kneeTodo[1]!)]);
  }
}
