/**
 * Pong-v0: a feature-state Pong for policy-modulation experiments (ULTRA's Pong task without pixels).
 *
 * The court spans x, y in [-1, 1]. The agent's paddle is on the right (x = +0.95), a scripted opponent's
 * on the left (x = -0.95). Each step the agent moves its paddle (stay / up / down; up is +y), the
 * opponent moves, then the ball moves and bounces off the top and bottom walls and the paddles. A ball
 * that passes a paddle scores a point: +1 when it passes the opponent, -1 when it passes the agent. The
 * game ends (terminated) when either side reaches `pointsToWin` (21, as in Atari Pong).
 *
 * Observation (Box(-1, 1, (6,), float32)): ball x, ball y, ball x-velocity and y-velocity as fractions of
 * the maximum ball speed, the agent paddle's y, the opponent paddle's y.
 *
 * The opponent tracks the ball while it approaches, aiming at the ball's height plus an error drawn per
 * rally; `opponentSkill` in [0, 1] sets its speed and how small that error is (1: fast and exact).
 *
 * `getState()` / `setState()` save and restore the whole game, the random generator included, so a
 * restored game continues exactly as the saved one would have (restarts from recorded states).
 *
 * Registered as `Pong-v0` (episode limit 10 000 steps) in envs/register.ts.
 */
import type { EnvDescription, EnvSpec, Env, Info, ResetOptions, ResetResult, StepResult } from "../../core/env.js";
import type { Space } from "../../core/spaces.js";
import { Box, Discrete } from "../../core/spaces.js";
import { npRandom, type Generator, type PCG64State } from "../../core/rng.js";

export interface PongOptions {
  /** Points needed to win the game (default 21). */
  pointsToWin?: number;
  /** Scripted opponent's skill in [0, 1] (default 0.6): its paddle speed and aiming accuracy. */
  opponentSkill?: number;
  /** Half the paddle height, in court units (default 0.2; the court is 2 high). */
  paddleHalfHeight?: number;
  /** Paddle travel per step (default 0.06). */
  paddleSpeed?: number;
  /** Ball speed at each serve, per step (default 0.04). */
  serveSpeed?: number;
  /** Ball speed cap, per step (default 0.08); observed velocities are divided by it. */
  maxBallSpeed?: number;
}

/** Action indices of Pong-v0. */
export const PONG_ACTIONS = { STAY: 0, UP: 1, DOWN: 2 } as const;
export const PONG_ACTION_MEANINGS: readonly string[] = ["stay", "up", "down"];

/** Paddle face x-positions and ball radius (court units). */
export const PONG_GEOMETRY = { agentX: 0.95, opponentX: -0.95, ballRadius: 0.02 } as const;

/** The fields of Pong-v0's observation and action, for prompts and plots. */
export function describePong(id = "Pong-v0", opts: PongOptions = {}): EnvDescription {
  const pointsToWin = opts.pointsToWin ?? 21;
  return {
    id,
    summary:
      "Two-paddle Pong seen from above as numbers. The agent controls the RIGHT paddle (at x = +0.95) and plays " +
      "against a scripted opponent on the LEFT (x = -0.95). The court spans x and y from -1 to 1; the ball bounces " +
      "off the top and bottom walls. The ball leaves a paddle at an angle that depends on where it hits the paddle " +
      `(hitting near an end sends it off steeply). A paddle is ${(2 * (opts.paddleHalfHeight ?? 0.2)).toFixed(2)} high; ` +
      `it moves ${(opts.paddleSpeed ?? 0.06).toFixed(2)} per step; the ball's top speed is ${(opts.maxBallSpeed ?? 0.08).toFixed(2)} per step. ` +
      `The game ends when a side reaches ${pointsToWin} points.`,
    observation: [
      { name: "ball_x", index: [0, 1], description: "ball horizontal position; +1 is the agent's (right) goal line, -1 the opponent's", low: -1, high: 1 },
      { name: "ball_y", index: [1, 2], description: "ball vertical position; +1 is the top wall", low: -1, high: 1 },
      { name: "ball_vx", index: [2, 3], description: "ball horizontal velocity as a fraction of the top speed; positive moves toward the agent", low: -1, high: 1 },
      { name: "ball_vy", index: [3, 4], description: "ball vertical velocity as a fraction of the top speed; positive moves up", low: -1, high: 1 },
      { name: "agent_y", index: [4, 5], description: "centre of the agent's (right) paddle", low: -1, high: 1 },
      { name: "opponent_y", index: [5, 6], description: "centre of the opponent's (left) paddle", low: -1, high: 1 },
    ],
    action: [{ name: "move", index: [0, 1], description: "0 stay, 1 up (+y), 2 down (-y)", low: 0, high: 2 }],
    actionMeanings: [...PONG_ACTION_MEANINGS],
    reward: "+1 when the ball passes the opponent's paddle, -1 when it passes the agent's paddle, 0 otherwise.",
    termination: `terminated when either side reaches ${pointsToWin} points.`,
    info: {
      agent_score: "points won by the agent so far",
      opponent_score: "points won by the opponent so far",
      agent_hits: "times the agent's paddle returned the ball this game",
    },
  };
}

/** Everything that determines how a Pong game continues: ball, paddles, scores and the random generator. */
export interface PongState {
  ballX: number;
  ballY: number;
  ballVx: number;
  ballVy: number;
  agentY: number;
  opponentY: number;
  opponentAimError: number;
  agentScore: number;
  opponentScore: number;
  agentHits: number;
  done: boolean;
  rng: PCG64State;
}

/** Feature-state Pong (see the module comment). Construct directly or with `make("Pong-v0", opts)`. */
export class PongEnv implements Env<Float32Array, number> {
  readonly observationSpace: Space<Float32Array>;
  readonly actionSpace: Space<number>;
  readonly renderModes = ["svg"] as const;
  spec?: EnvSpec;

  readonly pointsToWin: number;
  readonly opponentSkill: number;
  readonly paddleHalfHeight: number;
  readonly paddleSpeed: number;
  readonly serveSpeed: number;
  readonly maxBallSpeed: number;

  private rng: Generator;
  private ballX = 0;
  private ballY = 0;
  private ballVx = 0;
  private ballVy = 0;
  private agentY = 0;
  private opponentY = 0;
  private opponentAimError = 0;
  private agentScore = 0;
  private opponentScore = 0;
  private agentHits = 0;
  private started = false;
  private done = false;

  constructor(opts: PongOptions = {}) {
    this.pointsToWin = opts.pointsToWin ?? 21;
    this.opponentSkill = opts.opponentSkill ?? 0.6;
    this.paddleHalfHeight = opts.paddleHalfHeight ?? 0.2;
    this.paddleSpeed = opts.paddleSpeed ?? 0.06;
    this.serveSpeed = opts.serveSpeed ?? 0.04;
    this.maxBallSpeed = opts.maxBallSpeed ?? 0.08;
    if (!Number.isInteger(this.pointsToWin) || this.pointsToWin < 1) throw new RangeError(`Pong: pointsToWin must be a positive integer, got ${opts.pointsToWin}`);
    if (!(this.opponentSkill >= 0 && this.opponentSkill <= 1)) throw new RangeError(`Pong: opponentSkill must be in [0, 1], got ${opts.opponentSkill}`);
    if (!(this.paddleHalfHeight > 0 && this.paddleHalfHeight < 1)) throw new RangeError(`Pong: paddleHalfHeight must be in (0, 1), got ${opts.paddleHalfHeight}`);
    if (!(this.paddleSpeed > 0)) throw new RangeError(`Pong: paddleSpeed must be positive, got ${opts.paddleSpeed}`);
    if (!(this.serveSpeed > 0 && this.maxBallSpeed >= this.serveSpeed)) throw new RangeError("Pong: need 0 < serveSpeed <= maxBallSpeed");
    this.observationSpace = new Box(-1, 1, [6]);
    this.actionSpace = new Discrete(3);
    this.rng = npRandom()[0];
  }

  reset(opts: ResetOptions = {}): ResetResult<Float32Array> {
    if (opts.seed !== undefined) this.rng = npRandom(opts.seed)[0];
    this.agentScore = 0;
    this.opponentScore = 0;
    this.agentHits = 0;
    this.agentY = 0;
    this.opponentY = 0;
    this.serve(this.rng.random() < 0.5 ? 1 : -1);
    this.started = true;
    this.done = false;
    return { obs: this.observation(), info: this.info() };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.started) throw new Error("Pong: call reset() before step()");
    if (this.done) throw new Error("Pong: the game is over; call reset() to start a new one");
    if (action !== 0 && action !== 1 && action !== 2) throw new RangeError(`Pong: action must be 0 (stay), 1 (up) or 2 (down), got ${String(action)}`);

    const limit = 1 - this.paddleHalfHeight;
    if (action === 1) this.agentY = Math.min(limit, this.agentY + this.paddleSpeed);
    else if (action === 2) this.agentY = Math.max(-limit, this.agentY - this.paddleSpeed);
    this.moveOpponent(limit);

    const reward = this.moveBall();
    if (reward > 0) this.agentScore += 1;
    else if (reward < 0) this.opponentScore += 1;
    const terminated = this.agentScore >= this.pointsToWin || this.opponentScore >= this.pointsToWin;
    if (reward !== 0 && !terminated) this.serve(reward > 0 ? -1 : 1);
    this.done = terminated;
    return { obs: this.observation(), reward, terminated, truncated: false, info: this.info() };
  }

  /** A copy of the game's state (see `PongState`); valid after `reset()`. */
  getState(): PongState {
    if (!this.started) throw new Error("Pong: call reset() before getState()");
    return {
      ballX: this.ballX, ballY: this.ballY, ballVx: this.ballVx, ballVy: this.ballVy, agentY: this.agentY, opponentY: this.opponentY,
      opponentAimError: this.opponentAimError, agentScore: this.agentScore, opponentScore: this.opponentScore, agentHits: this.agentHits,
      done: this.done, rng: this.rng.bitGenerator.getState(),
    };
  }

  /** Restores a state from `getState()` (of this env or another with the same options); returns its observation. */
  setState(state: PongState): Float32Array {
    if (!this.started) throw new Error("Pong: call reset() before setState()");
    this.ballX = state.ballX;
    this.ballY = state.ballY;
    this.ballVx = state.ballVx;
    this.ballVy = state.ballVy;
    this.agentY = state.agentY;
    this.opponentY = state.opponentY;
    this.opponentAimError = state.opponentAimError;
    this.agentScore = state.agentScore;
    this.opponentScore = state.opponentScore;
    this.agentHits = state.agentHits;
    this.done = state.done;
    this.rng.bitGenerator.setState(state.rng);
    return this.observation();
  }

  /** Serves from the centre line toward the side `direction` (+1: the agent). */
  private serve(direction: 1 | -1): void {
    this.ballX = 0;
    this.ballY = (this.rng.random() - 0.5) * 1.2;
    const angle = (this.rng.random() - 0.5) * 0.9; // radians, about +-26 degrees
    this.ballVx = direction * this.serveSpeed * Math.cos(angle);
    this.ballVy = this.serveSpeed * Math.sin(angle);
    this.drawOpponentError();
  }

  private drawOpponentError(): void {
    // A less skilled opponent aims further off: at skill 0.6 about a third of its aims miss the ball.
    this.opponentAimError = (this.rng.random() * 2 - 1) * (1 - this.opponentSkill) * 0.85;
  }

  private moveOpponent(limit: number): void {
    const speed = this.paddleSpeed * (0.35 + 0.65 * this.opponentSkill);
    const target = this.ballVx < 0 ? this.ballY + this.opponentAimError : 0;
    const delta = target - this.opponentY;
    const move = Math.abs(delta) <= speed ? delta : Math.sign(delta) * speed;
    this.opponentY = Math.max(-limit, Math.min(limit, this.opponentY + move));
  }

  /** Advances the ball one step; returns the point scored (+1, -1) or 0. */
  private moveBall(): number {
    const r = PONG_GEOMETRY.ballRadius;
    const prevX = this.ballX;
    this.ballX += this.ballVx;
    this.ballY += this.ballVy;
    if (this.ballY > 1 - r) {
      this.ballY = 2 * (1 - r) - this.ballY;
      this.ballVy = -Math.abs(this.ballVy);
    } else if (this.ballY < -1 + r) {
      this.ballY = 2 * (-1 + r) - this.ballY;
      this.ballVy = Math.abs(this.ballVy);
    }
    const face = PONG_GEOMETRY.agentX - r;
    if (this.ballVx > 0 && prevX <= face && this.ballX > face) {
      if (Math.abs(this.ballY - this.agentY) <= this.paddleHalfHeight + r) {
        this.bounce(this.agentY, -1, face);
        this.agentHits += 1;
      }
    } else if (this.ballVx < 0 && prevX >= -face && this.ballX < -face) {
      if (Math.abs(this.ballY - this.opponentY) <= this.paddleHalfHeight + r) {
        this.bounce(this.opponentY, 1, -face);
        this.drawOpponentError();
      }
    }
    if (this.ballX > 1) return -1;
    if (this.ballX < -1) return 1;
    return 0;
  }

  /** Returns the ball off a paddle centred at `paddleY`, toward `direction`, a little faster each hit. */
  private bounce(paddleY: number, direction: 1 | -1, face: number): void {
    const speed = Math.min(this.maxBallSpeed, Math.hypot(this.ballVx, this.ballVy) * 1.04);
    const offset = Math.max(-1, Math.min(1, (this.ballY - paddleY) / (this.paddleHalfHeight + PONG_GEOMETRY.ballRadius)));
    const angle = offset * 1.0; // up to about 57 degrees off the horizontal at the paddle's end
    this.ballVx = direction * speed * Math.cos(angle);
    this.ballVy = speed * Math.sin(angle);
    this.ballX = 2 * face - this.ballX;
  }

  private observation(): Float32Array {
    const o = new Float32Array(6);
    o[0] = Math.max(-1, Math.min(1, this.ballX)); // past a goal line only on the step a point is scored
    o[1] = this.ballY;
    o[2] = this.ballVx / this.maxBallSpeed;
    o[3] = this.ballVy / this.maxBallSpeed;
    o[4] = this.agentY;
    o[5] = this.opponentY;
    return o;
  }

  private info(): Info {
    return { agent_score: this.agentScore, opponent_score: this.opponentScore, agent_hits: this.agentHits };
  }

  /** The current frame as an SVG string (court, paddles, ball, score). */
  render(): string {
    return renderPongSvg(this.observation(), {
      agentScore: this.agentScore,
      opponentScore: this.opponentScore,
      paddleHalfHeight: this.paddleHalfHeight,
    });
  }

  close(): void {
    this.started = false;
  }
}

export interface PongFrameOptions {
  agentScore?: number;
  opponentScore?: number;
  paddleHalfHeight?: number;
  /** Pixel width of the picture (height is 3/4 of it). Default 320. */
  width?: number;
  /** Draws a ring around the ball and this caption under the court (used to highlight critical states); "" draws the ring only. */
  highlight?: string;
  /** Where the agent's paddle should go: drawn as a dashed marker on the agent's goal line. */
  targetY?: number;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Draws a Pong observation as SVG; works for recorded observations as well as the live env. */
export function renderPongSvg(obs: ArrayLike<number>, opts: PongFrameOptions = {}): string {
  const w = opts.width ?? 320;
  const courtH = Math.round(w * 0.625);
  const captionH = opts.highlight ? 36 : 0;
  const h = courtH + 24 + captionH;
  const sx = (x: number) => ((x + 1) / 2) * w;
  const sy = (y: number) => 24 + ((1 - y) / 2) * courtH;
  const half = opts.paddleHalfHeight ?? 0.2;
  const ph = half * courtH;
  const paddle = (x: number, y: number, colour: string) =>
    `<rect x="${(sx(x) - 3).toFixed(1)}" y="${(sy(y) - ph / 2).toFixed(1)}" width="6" height="${ph.toFixed(1)}" fill="${colour}"/>`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="monospace">`,
    `<rect x="0" y="0" width="${w}" height="${h}" fill="#111"/>`,
    `<rect x="0" y="24" width="${w}" height="${courtH}" fill="#1d3b1d"/>`,
    `<line x1="${w / 2}" y1="24" x2="${w / 2}" y2="${24 + courtH}" stroke="#7a7" stroke-dasharray="4 6"/>`,
    `<text x="${w * 0.25}" y="18" fill="#f88" text-anchor="middle" font-size="14">${opts.opponentScore ?? ""}</text>`,
    `<text x="${w * 0.75}" y="18" fill="#8f8" text-anchor="middle" font-size="14">${opts.agentScore ?? ""}</text>`,
    paddle(PONG_GEOMETRY.opponentX, obs[5]!, "#f66"),
    paddle(PONG_GEOMETRY.agentX, obs[4]!, "#6f6"),
  ];
  if (opts.targetY !== undefined) {
    parts.push(`<line x1="${sx(PONG_GEOMETRY.agentX) - 10}" y1="${sy(opts.targetY).toFixed(1)}" x2="${sx(PONG_GEOMETRY.agentX) + 10}" y2="${sy(opts.targetY).toFixed(1)}" stroke="#ff0" stroke-width="2" stroke-dasharray="3 2"/>`);
  }
  const bx = sx(obs[0]!), by = sy(obs[1]!);
  const vxPx = (obs[2]! * 0.08 * 6 * w) / 2, vyPx = (-obs[3]! * 0.08 * 6 * courtH) / 2;
  parts.push(`<line x1="${bx.toFixed(1)}" y1="${by.toFixed(1)}" x2="${(bx + vxPx).toFixed(1)}" y2="${(by + vyPx).toFixed(1)}" stroke="#ccc" stroke-width="1"/>`);
  parts.push(`<circle cx="${bx.toFixed(1)}" cy="${by.toFixed(1)}" r="${Math.max(3, (PONG_GEOMETRY.ballRadius * w) / 2).toFixed(1)}" fill="#fff"/>`);
  if (opts.highlight !== undefined) {
    parts.push(`<circle cx="${bx.toFixed(1)}" cy="${by.toFixed(1)}" r="12" fill="none" stroke="#ff0" stroke-width="2"/>`);
    if (opts.highlight) parts.push(`<text x="6" y="${24 + courtH + 16}" fill="#ff0" font-size="11">${escapeXml(opts.highlight.slice(0, 60))}</text>`);
    if (opts.highlight.length > 60) parts.push(`<text x="6" y="${24 + courtH + 30}" fill="#ff0" font-size="11">${escapeXml(opts.highlight.slice(60, 120))}</text>`);
  }
  parts.push("</svg>");
  return parts.join("");
}

