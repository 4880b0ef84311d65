/** Checks shared by the algorithm suites (DQN, SAC): the same assertions, written once. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunDir, trainRun, type RunOptions } from "../../src/algos/run.js";

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
