// Reward design across machines: a smoke eureka run done phase by phase over one folder (propose, then two
// train shards in parallel processes, then reflect, per iteration; then the final stage's two shards and
// reflect) gives the results, tables, figures and designer-call count of the one-process run; a reflect
// with a shard missing names the missing runs and the command that runs them, and exits 1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./run-cli.js";

// 2 iterations x 2 candidates x 2048 PPO steps, the finalists on one more seed: seconds per run.
const SETTINGS = ["reproduce", "reward-design", "--budget", "smoke", "--steps", "2048", "--final-seeds", "2", "--concurrency", "0", "--no-png"];

// Wall times differ between any two runs; everything else must not.
const WALL = new Set(["wallSeconds", "stepsPerSecond", "evalSeconds", "train steps/s", "runDir"]);
function withoutWallTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutWallTimes);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([k]) => !WALL.has(k)).map(([k, v]) => [k, withoutWallTimes(v)]));
  return value;
}
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

async function ok(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await runCli(args);
  assert.equal(r.code, 0, `${args.join(" ")}\n${r.stderr}`);
  return r;
}

/** The ids `--list --shard i/n` assigns to shard i. */
function shardIds(listing: string, index: number, count: number): string[] {
  return listing.split("\n").filter((l) => l.includes(`  shard ${index}/${count}  `)).map((l) => l.split(/\s+/)[0]!);
}

test("eureka smoke as propose / 2 parallel train shards / reflect per iteration = the one-process run", async () => {
  const root = mkdtempSync(join(tmpdir(), "rd-phases-"));
  const whole = join(root, "whole");
  const phased = join(root, "phased");
  await ok([...SETTINGS, "--out", whole]);

  const at = [...SETTINGS, "--out", phased];
  const phase = (name: string, ...more: string[]) => runCli([...at, "--phase", name, ...more]);
  // Nothing can be trained or reflected on before the first proposal.
  const early = await phase("train");
  assert.equal(early.code, 1);
  assert.match(early.stderr, /no reward-design run .*start it with --phase propose/);

  for (const iteration of [1, 2]) {
    const proposed = await ok([...at, "--phase", "propose"]);
    assert.match(proposed.stderr, new RegExp(`proposed iteration ${iteration}: 2 valid`));
    // propose again: nothing asked twice.
    assert.match((await ok([...at, "--phase", "propose"])).stderr, /nothing to propose: iteration \d of 2: train is due/);
    if (iteration === 1) {
      // Other settings on the same folder are refused, whichever phase.
      const other = await runCli([...at.map((a) => (a === "2048" ? "1024" : a)), "--phase", "propose"]);
      assert.equal(other.code, 1);
      assert.match(other.stderr, /holds a run with other settings/);
    }
    const listing = (await ok([...at, "--list", "--shard", "0/2"])).stdout;
    assert.match(listing, new RegExp(`iteration ${iteration} of 2: train is due`));
    const [s0, s1] = [shardIds(listing, 0, 2), shardIds(listing, 1, 2)];
    assert.equal(s0.length + s1.length, iteration === 1 ? 3 : 2, listing); // iteration 1 trains the native baseline too
    assert.ok(s0.length > 0 && s1.length > 0, listing);
    if (iteration === 1) {
      // Shard 1 has not run: reflect names its runs and how to run them, and changes nothing.
      await ok([...at, "--phase", "train", "--shard", "0/2"]);
      const missing = await phase("reflect");
      assert.equal(missing.code, 1);
      for (const id of s1) assert.ok(missing.stderr.includes(`  ${id}  PPO on`), `${id} named in:\n${missing.stderr}`);
      for (const id of s0) assert.ok(!missing.stderr.includes(`  ${id}  `), `${id} is done, yet named:\n${missing.stderr}`);
      assert.match(missing.stderr, new RegExp(`${s1.length} run\\(s\\) are missing`));
      assert.match(missing.stderr, /run only those with: guided-rl reproduce reward-design --budget smoke .* --out \S+ --phase train/);
      assert.equal(existsSync(join(phased, "iter-01", "summary.json")), false);
      // A reflect that waits: it goes on as soon as shard 1's results are there.
      const [waited] = await Promise.all([ok([...at, "--phase", "reflect", "--wait", "600"]), ok([...at, "--phase", "train", "--shard", "1/2"])]);
      assert.match(waited.stderr, /reflected on iteration 1/);
      continue;
    } else {
      await Promise.all([ok([...at, "--phase", "train", "--shard", "0/2"]), ok([...at, "--phase", "train", "--shard", "1/2"])]);
    }
    assert.match((await ok([...at, "--phase", "reflect"])).stderr, new RegExp(`reflected on iteration ${iteration}`));
  }
  // The final stage: the best reward and the native baseline on seed 1, one per shard.
  const finalList = (await ok([...at, "--list", "--shard", "0/2"])).stdout;
  assert.match(finalList, /final stage .*: train is due/);
  assert.deepEqual([...shardIds(finalList, 0, 2), ...shardIds(finalList, 1, 2)].sort(), ["final/best-seed-1", "final/native-seed-1"]);
  await Promise.all([ok([...at, "--phase", "train", "--shard", "0/2"]), ok([...at, "--phase", "train", "--shard", "1/2"])]);
  const report = await ok([...at, "--phase", "reflect"]);
  assert.match(report.stdout, /Native BipedalWalker-v3 return over 2 training seed\(s\)/);
  assert.match((await ok([...at, "--list"])).stdout, /^done: all 2 final run\(s\) have results/);

  assert.deepEqual(withoutWallTimes(readJson(join(phased, "results.json"))), withoutWallTimes(readJson(join(whole, "results.json"))));
  assert.deepEqual(withoutWallTimes(readJson(join(phased, "tables.json"))), withoutWallTimes(readJson(join(whole, "tables.json"))));
  for (const f of readdirSync(join(whole, "figures")).filter((n) => n.endsWith(".json"))) {
    assert.deepEqual(readJson(join(phased, "figures", f)), readJson(join(whole, "figures", f)), f);
  }
  for (const id of ["iter-02/cand-1", "iter-02/cand-2"]) {
    assert.equal(readFileSync(join(phased, id, "prompt.md"), "utf8"), readFileSync(join(whole, id, "prompt.md"), "utf8"), `${id}'s prompt`);
  }
  // Designer calls: the propose phases' usage summed = the one process's.
  const usage = (dir: string) => readJson(join(dir, "llm-usage.json")) as { calls: number; failedCalls: number };
  assert.equal(usage(phased).calls, usage(whole).calls);
  assert.ok(usage(whole).calls >= 4);
  assert.equal(usage(phased).failedCalls, 0);
});

test("phase options: --shard only with train or --list, --wait only with reflect, eureka only, merge-only options refused", async () => {
  const out = mkdtempSync(join(tmpdir(), "rd-phase-args-"));
  for (const [args, message] of [
    [["--phase", "reflect", "--shard", "0/2"], /--shard i\/n applies to --phase train and --list/],
    [["--phase", "train", "--wait", "5"], /--wait applies to --phase reflect/],
    [["--phase", "train", "--preset", "seed"], /--phase and --list apply to the eureka preset/],
    [["--phase", "sideways"], /--phase must be one of propose, train, reflect/],
    [["--phase", "train", "--only-missing", out], /--only-missing is not for reward design/],
  ] as const) {
    const r = await runCli([...SETTINGS, "--out", out, ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  }
  // --list on a new folder: the first proposal is due; nothing was written.
  const list = await ok([...SETTINGS, "--out", join(out, "new"), "--list"]);
  assert.match(list.stdout, /^iteration 1 of 2: propose is due/);
  assert.equal(existsSync(join(out, "new")), false);
});
