// `reproduce ultra --env pong --budget smoke` as 2 shards (one seed each) in parallel processes, merged,
// against the unsharded run: the same table, results.json, LLM exchanges and curve data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli as run } from "./run-cli.js";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SETTINGS = ["reproduce", "ultra", "--env", "pong", "--budget", "smoke", "--no-png"];

/** A figure's HTML with its random element id made neutral. */
const neutral = (html: string) => html.replace(/grl-[0-9a-f]+/g, "grl-ID");

test("ULTRA Pong smoke as 2 parallel shards + merge equals the unsharded run", { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), "ultra-shards-"));
  const list = await run([...SETTINGS, "--list", "--shard", "0/2"]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /pong seed 0/);
  assert.match(list.stdout, /2 runs, total cost .*, 2 shards/);

  const whole = join(root, "whole");
  const [unsharded, s0, s1] = await Promise.all([
    run([...SETTINGS, "--out", whole]),
    run([...SETTINGS, "--shard", "0/2", "--out", join(root, "s0")]),
    run([...SETTINGS, "--shard", "1/2", "--out", join(root, "s1")]),
  ]);
  for (const r of [unsharded!, s0!, s1!]) assert.equal(r.code, 0, r.stderr);
  const merged = join(root, "merged");
  const m = await run(["merge", merged, join(root, "s0"), join(root, "s1"), "--no-png"]);
  assert.equal(m.code, 0, m.stderr);
  for (const f of ["results.txt", "results.json", "llm-exchanges.jsonl"]) {
    assert.equal(readFileSync(join(merged, "pong", f), "utf8"), readFileSync(join(whole, "pong", f), "utf8"), `${f} differs`);
  }
  assert.equal(neutral(readFileSync(join(merged, "pong", "curves.html"), "utf8")), neutral(readFileSync(join(whole, "pong", "curves.html"), "utf8")));
  // Only one shard: the other seed is named as missing.
  const partial = await run(["merge", join(root, "partial"), join(root, "s1"), "--no-png"]);
  assert.equal(partial.code, 1);
  assert.match(partial.stderr, /1 run\(s\) are missing from every shard:\n {2}[0-9a-f]{12} {2}pong seed 0/);
});
