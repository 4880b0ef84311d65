/**
 * Box2D environment speed beside Gymnasium's (env_step_speed.json), with the reference's protocol: one
 * env made with make() (EnvChecker + TimeLimit), actions pre-sampled from the seeded action space,
 * reset when an episode ends, resets included. Prints wall-clock steps/s and CPU-time steps/s
 * (process.cpuUsage): on a shared machine the wall clock mostly measures the other tenants, while CPU
 * time is what this process spent. Median of 9 runs after a warm-up, and the best run (the least disturbed).
 *
 * `--split` then shows where a step's time goes: the time inside Box2D's `b2World::Step` (the wasm solver)
 * versus everything else (our JS, the wrappers, resets), timed around every `Step` call; the two clock reads
 * per step (their cost is measured and subtracted) are reported too. The ceiling at 2x Gymnasium is the
 * Python time per step divided by 2.
 *
 *   npm run bench:box2d
 *   npm run bench:box2d -- --split
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { referencePath } from "../src/core/paths.js";
import { makeAsync } from "../src/envs/index.js";
import type { Env } from "../src/core/env.js";
import { box2d } from "../src/envs/box2d/loader.js";

const reference = JSON.parse(readFileSync(referencePath("gymnasium", "env_step_speed.json"), "utf8")) as {
  envs: Record<string, { gym_make_wrapped: { steps_per_sec: number } }>;
};

function run(env: Env<any, any>, actions: unknown[], steps: number): { wall: number; cpu: number } {
  env.reset({ seed: 0 });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const r = env.step(actions[i % actions.length]);
    if (r.terminated || r.truncated) env.reset();
  }
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall: steps / wall, cpu: steps / ((c.user + c.system) / 1e6) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ENVS = [["BipedalWalker-v3", 10000], ["LunarLander-v3", 20000], ["LunarLanderContinuous-v3", 20000]] as const;

async function speed(): Promise<void> {
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on this machine; Python = Gymnasium 1.0 via gym.make\n`);
  for (const [id, steps] of ENVS) {
    const env = await makeAsync(id);
    env.actionSpace.seed(0);
    const actions = Array.from({ length: 4096 }, () => env.actionSpace.sample());
    run(env, actions, steps / 4);
    const runs = Array.from({ length: 9 }, () => run(env, actions, steps));
    env.close();
    const py = reference.envs[id]!.gym_make_wrapped.steps_per_sec;
    const wall = median(runs.map((r) => r.wall));
    const cpu = median(runs.map((r) => r.cpu));
    const best = Math.max(...runs.map((r) => r.cpu));
    console.log(
      `${id.padEnd(26)} wall ${(wall / 1e3).toFixed(1)}k/s (${(wall / py).toFixed(2)}x)   cpu-time ${(cpu / 1e3).toFixed(1)}k/s (${(cpu / py).toFixed(2)}x), best ${(best / 1e3).toFixed(1)}k/s (${(best / py).toFixed(2)}x)   python ${(py / 1e3).toFixed(1)}k/s`,
    );
  }
}

/** Wall time inside b2World::Step vs the rest of each step (same protocol, 9 runs, medians per step). */
async function split(): Promise<void> {
  const B = box2d();
  const proto = B.b2World.prototype as { Step(dt: number, vi: number, pi: number): void };
  const realStep = proto.Step;
  let inStep = 0;
  proto.Step = function (this: Box2D.b2World, dt: number, vi: number, pi: number) {
    const t = performance.now();
    realStep.call(this, dt, vi, pi);
    inStep += performance.now() - t;
  };
  // The cost of the two clock reads that wrap each Step, to subtract from "the rest".
  let sink = 0;
  const c0 = performance.now();
  for (let i = 0; i < 200000; i++) sink += performance.now();
  const clockUs = ((performance.now() - c0) / 200000) * 1000 * 2;
  console.log(`\nwhere a step's time goes (wall time, median of 9 runs; clock overhead ${clockUs.toFixed(2)} us/step subtracted${sink ? "" : " "})`);
  try {
    for (const [id, steps] of ENVS) {
      const env = await makeAsync(id);
      env.actionSpace.seed(0);
      const actions = Array.from({ length: 4096 }, () => env.actionSpace.sample());
      run(env, actions, steps / 4);
      const rows = Array.from({ length: 9 }, () => {
        inStep = 0;
        env.reset({ seed: 0 });
        const t0 = performance.now();
        for (let i = 0; i < steps; i++) {
          const r = env.step(actions[i % actions.length]);
          if (r.terminated || r.truncated) env.reset();
        }
        const total = ((performance.now() - t0) / steps) * 1000;
        const physics = (inStep / steps) * 1000;
        return { total: total - clockUs, physics, rest: total - clockUs - physics };
      });
      env.close();
      const py = 1e6 / reference.envs[id]!.gym_make_wrapped.steps_per_sec;
      const total = median(rows.map((r) => r.total));
      const physics = median(rows.map((r) => r.physics));
      const rest = median(rows.map((r) => r.rest));
      console.log(
        `${id.padEnd(26)} ${total.toFixed(2)} us/step = b2World::Step ${physics.toFixed(2)} us (${((100 * physics) / total).toFixed(0)}%) + rest ${rest.toFixed(2)} us (${((100 * rest) / total).toFixed(0)}%)   python ${py.toFixed(1)} us, 2x budget ${(py / 2).toFixed(1)} us`,
      );
    }
  } finally {
    proto.Step = realStep;
  }
}

await speed();
if (process.argv.includes("--split")) await split();
