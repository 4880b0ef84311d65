/** Checks shared by the algorithm suites (DQN, SAC, TD3): the same assertions, written once. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunDir, trainRun, type RunOptions } from "../../src/algos/run.js";
import type { Mlp } from "../../src/nn/mlp.js";

/** What one seeded training run gives: its per-update losses and its final weights. */
export interface SeededCurve {
  losses: number[];
  w: unknown;
}

/**
 * Trains with `seed` twice and with `otherSeed` once: the two runs with one seed give the same losses and
 * weights (and more than 10 updates), the other seed other weights.
 */
export async function assertSeededDeterminism(run: (seed: number) => Promise<SeededCurve>, seed: number, otherSeed: number): Promise<void> {
  const a = await run(seed);
  const b = await run(seed);
  const c = await run(otherSeed);
  assert.ok(a.losses.length > 10);
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.w, b.w);
  assert.notDeepEqual(a.w, c.w);
}

/**
 * Runs `opts` into a fresh run folder whole, and again into another folder that crashes half way between
 * the first and second checkpoint and is then resumed: both end with the same step count, final evaluation
 * and metrics (wall-clock timings aside). `prefix` names the temporary folders.
 */
export async function assertRunFolderResumes(opts: Omit<RunOptions, "out">, prefix: string): Promise<void> {
  const withoutTimings = (dir: string) => new RunDir(dir).metrics().map(({ wallSeconds: _w, ...rest }) => rest);
  const whole = join(mkdtempSync(join(tmpdir(), prefix)), "whole");
  const full = await trainRun({ ...opts, out: whole });
  const broken = join(mkdtempSync(join(tmpdir(), prefix)), "broken");
  const killAt = (opts.checkpointFreq! * 3) / 2;
  await assert.rejects(
    trainRun({ ...opts, out: broken, callback: (p) => { if (p.numTimesteps > killAt) throw new Error("simulated crash"); } }),
    /simulated crash/,
  );
  const resumed = await trainRun({ ...opts, out: broken, resume: true });
  assert.equal(resumed.numTimesteps, full.numTimesteps);
  assert.deepEqual(resumed.finalEval, full.finalEval);
  assert.deepEqual(withoutTimings(broken), withoutTimings(whole));
  rmSync(whole, { recursive: true, force: true });
  rmSync(broken, { recursive: true, force: true });
}

/**
 * Every parameter's analytic gradient against finite differences of the float32 forward pass (the actual
 * float32 step is the divisor). The losses are piecewise smooth (ReLU): a step can cross a kink of some
 * unit on some row, on one side of the current point. So a parameter passes when the central difference
 * with step 1e-3 agrees, or else the forward or the backward difference with step 1e-4 (the side without
 * the kink), within float32 round-off over the step plus 2% of the gradient.
 */
export function checkAgainstFiniteDifferences(net: Mlp, analytic: Float32Array, loss: () => number, what: string): void {
  const at = (i: number, delta: number): [number, number] => {
    const p = net.params[i]!;
    net.params[i] = p + delta;
    const moved = net.params[i]! - p;
    const value = loss();
    net.params[i] = p;
    return [value, moved];
  };
  let oneSided = 0;
  for (let i = 0; i < net.params.length; i++) {
    const g = analytic[i]!;
    const [up, hUp] = at(i, 1e-3);
    const [down, hDown] = at(i, -1e-3);
    const central = (up - down) / (hUp - hDown);
    if (Math.abs(central - g) <= 1e-3 + 0.02 * Math.abs(central)) continue;
    const base = loss();
    const [up4, hUp4] = at(i, 1e-4);
    const [down4, hDown4] = at(i, -1e-4);
    const forward = (up4 - base) / hUp4;
    const backward = (down4 - base) / hDown4;
    const ok = (fd: number) => Math.abs(fd - g) <= 3e-3 + 0.02 * Math.abs(fd);
    assert.ok(ok(forward) || ok(backward), `${what} parameter ${i}: analytic ${g} vs central ${central} (step 1e-3), forward ${forward}, backward ${backward} (step 1e-4)`);
    oneSided++;
  }
  assert.ok(oneSided <= net.params.length / 10, `${what}: ${oneSided} of ${net.params.length} parameters needed a one-sided difference`);
}
