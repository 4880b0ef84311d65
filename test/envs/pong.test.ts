import { test } from "node:test";
import assert from "node:assert/strict";
import { make } from "../../src/index.js";
import { PongEnv, renderPongSvg, PONG_GEOMETRY } from "../../src/envs/toy/pong.js";

/** Follows the ball's height while it approaches, returns to the centre otherwise. */
function tracker(obs: Float32Array): number {
  const target = obs[2]! > 0 ? obs[1]! : 0;
  const d = target - obs[4]!;
  return d > 0.03 ? 1 : d < -0.03 ? 2 : 0;
}

function play(env: PongEnv, policy: (o: Float32Array) => number, seed: number) {
  let { obs } = env.reset({ seed });
  let ret = 0, steps = 0, last = { agent_score: 0, opponent_score: 0 } as Record<string, unknown>;
  for (;;) {
    const r = env.step(policy(obs));
    assert.ok(env.observationSpace.contains(r.obs), `observation out of bounds at step ${steps}: ${Array.from(r.obs)}`);
    assert.ok(r.reward === 0 || r.reward === 1 || r.reward === -1);
    ret += r.reward; steps++; obs = r.obs; last = r.info;
    if (r.terminated) break;
    assert.ok(steps < 100_000, "game did not end");
  }
  return { ret, steps, info: last };
}

test("Pong-v0 from the registry: spaces, limit, description", () => {
  const env = make("Pong-v0");
  assert.equal(env.observationSpace.kind, "box");
  assert.deepEqual(env.observationSpace.shape, [6]);
  assert.equal(env.actionSpace.kind, "discrete");
  assert.equal(env.spec?.maxEpisodeSteps, 10_000);
  const d = env.spec!.describe();
  assert.deepEqual(d.actionMeanings, ["stay", "up", "down"]);
  assert.deepEqual(d.observation.map((f) => f.name), ["ball_x", "ball_y", "ball_vx", "ball_vy", "agent_y", "opponent_y"]);
  const { obs } = env.reset({ seed: 0 });
  assert.ok(obs instanceof Float32Array && obs.length === 6);
});

test("same seed, same game; different seeds differ", () => {
  const a = new PongEnv(), b = new PongEnv();
  const ra = play(a, tracker, 3), rb = play(b, tracker, 3);
  assert.deepEqual(ra, rb);
  const rc = play(a, tracker, 4);
  assert.notEqual(rc.steps, ra.steps);
});

test("game ends at pointsToWin; return is the score difference", () => {
  const env = new PongEnv({ pointsToWin: 5 });
  const r = play(env, () => 0, 1);
  const { agent_score, opponent_score } = r.info as { agent_score: number; opponent_score: number };
  assert.equal(Math.max(agent_score, opponent_score), 5);
  assert.equal(r.ret, agent_score - opponent_score);
});

test("a ball-tracking paddle beats a paddle that never moves", () => {
  const env = new PongEnv({ pointsToWin: 7 });
  let tracked = 0, idle = 0;
  for (let s = 0; s < 3; s++) { tracked += play(env, tracker, s).ret; idle += play(env, () => 0, s).ret; }
  assert.ok(tracked > 10, `tracker return ${tracked}`);
  assert.ok(idle < 0, `idle return ${idle}`);
  assert.ok(tracked > idle);
});

test("a stronger opponent returns more balls (longer games against the same tracker)", () => {
  let weak = 0, strong = 0;
  for (let s = 0; s < 3; s++) {
    weak += play(new PongEnv({ pointsToWin: 7, opponentSkill: 0.1 }), tracker, s).steps;
    strong += play(new PongEnv({ pointsToWin: 7, opponentSkill: 0.6 }), tracker, s).steps;
  }
  assert.ok(strong > 1.5 * weak, `steps against a weak opponent ${weak}, against a strong one ${strong}`);
});

test("paddles move by the action and stop at the walls", () => {
  const env = new PongEnv();
  env.reset({ seed: 0 });
  let obs = env.step(1).obs;
  assert.ok(Math.abs(obs[4]! - 0.06) < 1e-6);
  obs = env.step(2).obs;
  assert.ok(Math.abs(obs[4]!) < 1e-6);
  for (let i = 0; i < 40; i++) obs = env.step(1).obs;
  assert.ok(Math.abs(obs[4]! - 0.8) < 1e-6, `paddle at ${obs[4]}`);
});

test("bad input: clear errors", () => {
  const env = new PongEnv();
  assert.throws(() => env.step(0), /reset/);
  env.reset({ seed: 0 });
  assert.throws(() => env.step(3), /action must be/);
  assert.throws(() => new PongEnv({ opponentSkill: 2 }), /opponentSkill/);
  assert.throws(() => new PongEnv({ pointsToWin: 0 }), /pointsToWin/);
});

test("render() draws an SVG with both paddles and the ball; highlight adds a caption", () => {
  const env = new PongEnv();
  env.reset({ seed: 0 });
  const svg = env.render();
  assert.match(svg, /^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/<rect /g) ?? []).length, 4); // background, court, two paddles
  assert.match(svg, /<circle /);
  const frame = renderPongSvg([0.5, 0, 0.5, 0, 0, PONG_GEOMETRY.opponentX], { highlight: "critical: paddle < intercept & late", targetY: 0.3 });
  assert.match(frame, /critical: paddle &lt; intercept &amp; late/);
  assert.match(frame, /stroke-dasharray="3 2"/);
});
