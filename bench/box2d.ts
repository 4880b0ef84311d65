/**
 * Box2D environment speed beside Gymnasium's (env_step_speed.json), with the reference's protocol: one
 * env made with make() (EnvChecker + TimeLimit), actions pre-sampled from the seeded action space,
 * reset when an episode ends, resets included. Prints wall-clock steps/s and CPU-time steps/s
 * (process.cpuUsage): on a shared machine the wall clock mostly measures the other tenants, while CPU
 * time is what this process spent. Median of 9 runs after a warm-up, and the best run (the least disturbed).
 *
 *   npm run bench:box2d
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { referencePath } from "../src/core/paths.js";
import { makeAsync } from "../src/core/registry.js";
import type { Env } from "../src/core/env.js";
import "../src/envs/index.js";

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

console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on this machine; Python = Gymnasium 1.0 via gym.make\n`);
for (const [id, steps] of [["BipedalWalker-v3", 10000], ["LunarLander-v3", 20000], ["LunarLanderContinuous-v3", 20000]] as const) {
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
