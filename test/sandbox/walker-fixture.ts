/** A BipedalWalker-shaped batch and a typical reward-design reward, shared by the sandbox tests and bench/sandbox.ts. */
import type { Transitions } from "../../src/sandbox/index.js";

export const OBS = 24;
export const ACT = 4;

/** A deterministic batch shaped like BipedalWalker-v3 rollouts with the info a reward-design guide supplies. */
export function walkerBatch(n: number): Transitions {
  let x = 12345;
  const u = (): number => {
    x = (Math.imul(1664525, x) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  const obs = new Float32Array(n * OBS);
  const nextObs = new Float32Array(n * OBS);
  const actions = new Float32Array(n * ACT);
  for (let i = 0; i < obs.length; i++) obs[i] = u() * 2 - 1;
  for (let i = 0; i < nextObs.length; i++) nextObs[i] = u() * 2 - 1;
  for (let i = 0; i < actions.length; i++) actions[i] = u() * 2 - 1;
  const infos = Array.from({ length: n }, (_, i) => ({
    hullAngle: obs[i * OBS]!,
    hullAngularVelocity: obs[i * OBS + 1]!,
    velocityX: nextObs[i * OBS + 2]!,
    velocityY: nextObs[i * OBS + 3]!,
    hullX: i * 0.01,
    legContacts: [u() < 0.5, u() < 0.5],
    jointTorques: new Float32Array([u(), u(), u(), u()]),
    gameOver: false,
  }));
  return { n, obsDim: OBS, actDim: ACT, obs, actions, nextObs, infos };
}

/** A typical LLM-designed BipedalWalker reward: forward progress, uprightness, energy, contacts. */
export const WALKER_REWARD = `
function computeReward(obs, action, nextObs, info) {
  const forward = 1.5 * clip(info.velocityX, -1, 2);
  const upright = 0.5 * tolerance(info.hullAngle, {lower: -0.15, upper: 0.15, margin: 0.6});
  const spin = -0.1 * Math.abs(info.hullAngularVelocity);
  let energy = 0;
  for (let j = 0; j < action.length; j++) energy -= 0.00035 * 80 * Math.abs(action[j]) * Math.abs(info.jointTorques[j]);
  const contacts = info.legContacts[0] !== info.legContacts[1] ? 0.05 : 0;
  const bounce = -0.2 * gaussianKernel(info.velocityY, 0.5) * 0;
  const fall = info.gameOver ? -100 : 0;
  const reward = forward + upright + spin + energy + contacts + bounce + fall;
  return { reward, components: { forward, upright, spin, energy, contacts, fall } };
}
`;

