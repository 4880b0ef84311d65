// `reproduce lmgt --budget smoke` as 3 shards in 3 parallel processes, merged, against the unsharded run:
// the same results, tables and figure data (same seeds -> same numbers). Also: a merge with a missing shard
// names the missing runs and the command that runs only those; `--only-missing` then completes the set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli as run } from "./run-cli.js";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SETTINGS = ["reproduce", "lmgt", "--env", "cartpole", "--budget", "smoke", "--no-png"];

/** trials.jsonl, the run journal, without wall-clock times: merged, it lists the runs in the unsharded order. */
function journal(dir: string): unknown[] {
  return readFileSync(join(dir, "trials.jsonl"), "utf8").trim().split("\n").map((line) => {
    const { wallSeconds: _w, ...rest } = JSON.parse(line) as Record<string, unknown>;
    return rest;
  });
}

/** results.json without wall-clock times (the only field that differs run to run). */
function results(dir: string): unknown[] {
  return (JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Record<string, unknown>[]).map(({ wallSeconds: _w, ...rest }) => rest);
}

test("LMGT smoke as 3 parallel shards + merge equals the unsharded run; a missing shard is named and can be filled", { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), "lmgt-shards-"));
  const whole = join(root, "whole");
  const shard = (i: number) => join(root, `s${i}`);
  const [unsharded, ...shards] = await Promise.all([
    run([...SETTINGS, "--out", whole]),
    ...[0, 1, 2].map((i) => run([...SETTINGS, "--shard", `${i}/3`, "--out", shard(i)])),
  ]);
  assert.equal(unsharded!.code, 0, unsharded!.stderr);
  for (const s of shards) assert.equal(s.code, 0, s.stderr);

  // Merging two of the three: exit 1, the missing runs named, with the command that runs only those.
  const partial = join(root, "merged");
  const incomplete = await run(["merge", partial, shard(0), shard(1), "--no-png"]);
  assert.equal(incomplete.code, 1);
  const missingIds = readFileSync(join(shard(2), "shard.json"), "utf8");
  const assignedTo2 = (JSON.parse(missingIds) as { assigned: string[] }).assigned;
  assert.ok(assignedTo2.length > 0);
  assert.match(incomplete.stderr, new RegExp(`${assignedTo2.length} run\\(s\\) are missing from every shard`));
  for (const id of assignedTo2) assert.ok(incomplete.stderr.includes(id), `missing run ${id} not named`);
  assert.match(incomplete.stderr, /--only-missing/);

  // Run only the missing ones, fold them in: complete, identical to the unsharded run.
  const extra = join(root, "extra");
  const onlyMissing = await run([...SETTINGS, "--only-missing", partial, "--out", extra]);
  assert.equal(onlyMissing.code, 0, onlyMissing.stderr);
  assert.match(onlyMissing.stderr, new RegExp(`${assignedTo2.length} of \\d+ runs are missing there`));
  const completed = await run(["merge", partial, partial, extra, "--no-png"]);
  assert.equal(completed.code, 0, completed.stderr);

  const merged = join(root, "merged3");
  const full = await run(["merge", merged, shard(0), shard(1), shard(2), "--no-png"]);
  assert.equal(full.code, 0, full.stderr);

  for (const dir of [merged, partial]) {
    assert.deepEqual(results(dir), results(whole));
    assert.deepEqual(journal(dir), journal(whole));
    const tables = readdirSync(whole).filter((f) => f.endsWith(".txt") || (f.endsWith(".json") && f !== "results.json" && f !== "shard.json"));
    assert.ok(tables.some((f) => f === "sample-efficiency.txt") && tables.some((f) => f.endsWith("-curves.json")));
    for (const f of tables) assert.equal(readFileSync(join(dir, f), "utf8"), readFileSync(join(whole, f), "utf8"), `${f} differs`);
  }

  // Shards of different settings are refused.
  const other = join(root, "other");
  const otherRun = await run(["reproduce", "lmgt", "--env", "cartpole", "--budget", "smoke", "--experiments", "main", "--algos", "dqn", "--seeds", "1", "--shard", "0/3", "--out", other, "--no-png"]);
  assert.equal(otherRun.code, 0, otherRun.stderr);
  const refused = await run(["merge", join(root, "bad"), shard(0), other]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /cannot merge .*other with .*s0: different setting/);
});
