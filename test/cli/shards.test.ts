import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  assignShards,
  canonicalJson,
  checkSameReproduction,
  encodeRecord,
  parseShard,
  readRecords,
  runId,
  runsOfShard,
  type PlannedRun,
  type ShardManifest,
} from "../../src/experiments/shards.js";
import { joinCassettes, mergeLlmFiles, sumUsage } from "../../src/experiments/merge.js";
import { settingsArgv } from "../../src/cli/scale-out.js";
import { lmgtRunList } from "../../src/experiments/lmgt/shards.js";

const runs = (costs: number[]): PlannedRun[] => costs.map((cost, i) => ({ id: `r${String(i).padStart(2, "0")}`, label: `run ${i}`, cost }));

test("runId: stable, independent of key order, different for different settings", () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 3 } }), '{"a":{"c":3,"d":[1,{"x":1,"y":2}]},"b":1}');
  assert.equal(runId({ env: "cartpole", seed: 0 }), runId({ seed: 0, env: "cartpole" }));
  assert.notEqual(runId({ env: "cartpole", seed: 0 }), runId({ env: "cartpole", seed: 1 }));
  assert.match(runId({}), /^[0-9a-f]{12}$/);
});

test("parseShard: i/n with 0 <= i < n, anything else refused with the accepted form", () => {
  assert.deepEqual(parseShard("0/3"), { index: 0, count: 3 });
  assert.deepEqual(parseShard(" 2/3 "), { index: 2, count: 3 });
  for (const bad of ["3/3", "1/0", "-1/3", "1.5/3", "a/3", "1/3/4", "", "1/", "0x1/3", "1e0/3"]) {
    assert.throws(() => parseShard(bad), /--shard must be i\/n with 0 <= i < n/, bad);
  }
});

test("assignShards: every run exactly once, balanced by cost (LPT), a function of the run list only", () => {
  const list = runs([10, 1, 1, 1, 7, 3, 3, 2, 9, 4]);
  const a = assignShards(list, 3);
  assert.equal(a.size, list.length);
  const load = [0, 0, 0];
  for (const r of list) load[a.get(r.id)!]! += r.cost;
  assert.deepEqual(load.sort((x, y) => x - y), [13, 14, 14]);
  // Same assignment whatever order the list arrives in.
  const b = assignShards([...list].reverse(), 3);
  for (const r of list) assert.equal(b.get(r.id), a.get(r.id));
  // The shards partition the list.
  const union = [0, 1, 2].flatMap((i) => [...runsOfShard(list, { index: i, count: 3 })]);
  assert.deepEqual(union.sort(), list.map((r) => r.id).sort());
  assert.equal(runsOfShard(list, undefined).size, list.length);
  // More shards than runs: some shards are empty, none gets a run twice.
  const many = [0, 1, 2, 3, 4].map((i) => runsOfShard(runs([1, 1]), { index: i, count: 5 }).size);
  assert.deepEqual(many, [1, 1, 0, 0, 0]);
});

test("LMGT run list: trials that share a run are one entry; ids do not depend on the output folder", () => {
  const list = lmgtRunList({ envs: ["cartpole"], budget: "smoke" });
  assert.equal(new Set(list.map((r) => r.id)).size, list.length);
  // The main LMGT arm, the zero-shot prompt-style cell, the full-quality cell and batched+cache are one run.
  assert.ok(!list.some((r) => r.label.includes("prompt-style/zero-shot") || r.label.includes("quality/full")));
  const withDir = lmgtRunList({ envs: ["cartpole"], budget: "smoke", llm: { provider: "surrogate", runDir: "elsewhere" } });
  assert.deepEqual(withDir.map((r) => r.id), lmgtRunList({ envs: ["cartpole"], budget: "smoke", llm: { provider: "surrogate" } }).map((r) => r.id));
});

test("settingsArgv: placement options (--out, --shard, --cassette, ...) removed, settings kept", () => {
  assert.deepEqual(
    settingsArgv(["--env", "cartpole", "--out", "x", "--shard=1/3", "--budget", "smoke", "--list", "--cassette", "c.jsonl", "--no-png", "--seeds=3"]),
    ["--env", "cartpole", "--budget", "smoke", "--seeds=3"],
  );
});

function manifest(over: Partial<ShardManifest>): ShardManifest {
  return { format: 1, command: "reproduce lmgt", settings: { envs: ["cartpole"], budget: "smoke" }, packageVersion: "0.1.0", runs: runs([1, 2]), assigned: [], ...over };
}

test("checkSameReproduction: refuses other commands, settings, versions and run lists, naming what differs", () => {
  const dirs = ["a", "b"];
  checkSameReproduction(dirs, [manifest({ shard: { index: 0, count: 2 } }), manifest({ shard: { index: 1, count: 2 } })]);
  assert.throws(() => checkSameReproduction(dirs, [manifest({}), manifest({ command: "reproduce ultra" })]), /cannot merge b with a: different command/);
  assert.throws(() => checkSameReproduction(dirs, [manifest({}), manifest({ packageVersion: "0.2.0" })]), /different package version \("0.2.0" vs "0.1.0"\)/);
  assert.throws(
    () => checkSameReproduction(dirs, [manifest({}), manifest({ settings: { envs: ["cartpole"], budget: "full" } })]),
    /different setting "budget" \("full" vs "smoke"\)/,
  );
  assert.throws(() => checkSameReproduction(dirs, [manifest({}), manifest({ runs: runs([1]) })]), /different run list/);
});

test("readRecords: core/jsonl's reader with decodeRecord per line (NaN survives the file); a torn last line is a run run again", () => {
  const dir = mkdtempSync(join(tmpdir(), "jsonl-"));
  const path = join(dir, "t.jsonl");
  writeFileSync(path, `${encodeRecord({ id: "a", x: NaN })}\n${encodeRecord({ id: "b", x: -Infinity })}\n{"id":"c","x":`);
  const warnings: string[] = [];
  const back = readRecords<{ id: string; x: number }>(path, (m) => warnings.push(m));
  assert.deepEqual(back.map((r) => r.id), ["a", "b"]);
  assert.ok(Number.isNaN(back[0]!.x));
  assert.equal(back[1]!.x, -Infinity);
  assert.deepEqual(warnings, [`${path}: dropped a torn last line 3 (an interrupted write); that run will be run again`]);
  writeFileSync(path, '{"a":1}\n{"a":\n{"a":3}\n');
  assert.throws(() => readRecords(path), new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, line 2: not valid JSON`));
  assert.deepEqual(readRecords(join(dir, "absent.jsonl")), []);
});

test("cassettes join without duplicate prompts; usage is summed per guide; transcripts concatenated", () => {
  const root = mkdtempSync(join(tmpdir(), "merge-llm-"));
  const entry = (hash: string, text: string) => JSON.stringify({ hash, provider: "anthropic", model: "m", request: {}, response: { text, usage: {}, model: "m" }, recordedAt: "t" });
  const usage = (calls: number, failed: number, cost: number) => ({
    calls, cachedCalls: 1, failedCalls: failed, refusedCalls: 0, inputTokens: 10 * calls, outputTokens: 5 * calls, costUsd: cost,
    byGuide: { lmgt: { calls, cachedCalls: 1, failedCalls: failed, refusedCalls: 0, inputTokens: 10 * calls, outputTokens: 5 * calls, costUsd: cost } },
  });
  for (const [name, hashes, u] of [["s0", ["h1", "h2"], usage(2, 0, 0.5)], ["s1", ["h2", "h3"], usage(3, 1, 0.25)]] as const) {
    mkdirSync(join(root, name, "llm"), { recursive: true });
    writeFileSync(join(root, name, "llm", "llm-cassette.jsonl"), hashes.map((h) => `${entry(h, `${name}:${h}`)}\n`).join(""));
    writeFileSync(join(root, name, "llm", "llm-usage.json"), JSON.stringify(u));
    writeFileSync(join(root, name, "llm", "llm-transcript.jsonl"), `{"from":"${name}"}\n`);
  }
  const result = mergeLlmFiles([join(root, "s0"), join(root, "s1")], join(root, "out"));
  assert.equal(result.cassetteEntries, 3);
  assert.equal(result.duplicates, 1);
  const lines = readFileSync(join(root, "out", "llm", "llm-cassette.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { hash: string; response: { text: string } });
  assert.deepEqual(lines.map((l) => l.hash), ["h1", "h2", "h3"]);
  assert.equal(lines[1]!.response.text, "s0:h2");
  const summed = JSON.parse(readFileSync(join(root, "out", "llm", "llm-usage.json"), "utf8"));
  assert.equal(summed.calls, 5);
  assert.equal(summed.failedCalls, 1);
  assert.equal(summed.cachedCalls, 2);
  assert.equal(summed.costUsd, 0.75);
  assert.equal(summed.byGuide.lmgt.inputTokens, 50);
  assert.equal(readFileSync(join(root, "out", "llm", "llm-transcript.jsonl"), "utf8"), '{"from":"s0"}\n{"from":"s1"}\n');
  assert.deepEqual(sumUsage([]).calls, 0);
  assert.throws(() => joinCassettes([writeBad(root)]), /a cassette line without a hash/);
  // No shard called a provider: nothing is written.
  assert.equal(mergeLlmFiles([join(root, "nothing")], join(root, "out2")).cassetteEntries, 0);
  assert.equal(existsSync(join(root, "out2")), false);
});

function writeBad(root: string): string {
  const p = join(root, "bad.jsonl");
  writeFileSync(p, '{"nohash":1}\n');
  return p;
}

test("encodeRecord/decodeRecord: NaN and ±Infinity survive the JSON line; typed arrays become arrays", async () => {
  const { encodeRecord, decodeRecord } = await import("../../src/experiments/shards.js");
  const rec = { a: NaN, b: [Infinity, -Infinity, 1.5], c: new Float32Array([0.1, 2]), d: { e: null, f: "NaN" } };
  const back = decodeRecord<typeof rec>(encodeRecord(rec));
  assert.ok(Number.isNaN(back.a));
  assert.deepEqual(back.b, [Infinity, -Infinity, 1.5]);
  assert.deepEqual(back.c, [Math.fround(0.1), 2]);
  assert.deepEqual(back.d, { e: null, f: "NaN" });
  assert.deepEqual(decodeRecord('{"x":{"$number":"NaN","other":1}}'), { x: { $number: "NaN", other: 1 } });
});
