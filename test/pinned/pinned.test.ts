/**
 * Issue 15's pinned seeded behaviour: the short seeded runs of cases.ts must give, bit for bit, the progress
 * reports, checkpoint files and predicted actions recorded in fixtures/expected.json (made by generate.ts
 * from main at 630955d), and the committed checkpoints (fixtures/checkpoints/, "old" checkpoints) must load
 * and predict the recorded actions. A difference here means a refactoring changed behaviour.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CASES, hashTree, makeEnvs, predictAll, probeObservations, runCase, type PinnedRecord } from "./cases.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const expected = JSON.parse(readFileSync(join(fixtures, "expected.json"), "utf8")) as Record<string, PinnedRecord>;

test("the fixture covers every pinned case", () => {
  assert.deepEqual(Object.keys(expected).sort(), CASES.map((c) => c.name).sort());
});

for (const c of CASES) {
  test(`${c.name}: the seeded run reports, saves and predicts exactly as pinned`, async () => {
    const want = expected[c.name]!;
    const dir = mkdtempSync(join(tmpdir(), `pinned-${c.name}-`));
    try {
      const got = await runCase(c, dir);
      assert.equal(got.progress.length, want.progress.length, "number of progress reports");
      for (let i = 0; i < want.progress.length; i++) assert.deepEqual(JSON.parse(got.progress[i]!), JSON.parse(want.progress[i]!), `progress report ${i}`);
      assert.deepEqual(got.checkpoint, want.checkpoint, "checkpoint files (sha256, wall-clock fields dropped)");
      assert.deepEqual(got.actions, want.actions, "deterministic actions on the probe observations");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${c.name}: the committed checkpoint loads and predicts the pinned actions`, async () => {
    const dir = join(fixtures, "checkpoints", c.name);
    assert.deepEqual(hashTree(dir), expected[c.name]!.checkpoint, "the committed checkpoint is the pinned run's");
    const model = await c.load(dir, await makeEnvs(c), c.options);
    assert.deepEqual(predictAll(model, await probeObservations(c)), expected[c.name]!.actions);
    model.close?.();
    model.dispose?.();
  });
}

test("SAC's pinned case runs on the WebAssembly kernels, not the native addon", async () => {
  const sac = CASES.find((c) => c.name === "sac-pendulum")!;
  const model = (await sac.create(await makeEnvs(sac), sac.options)) as unknown as { actor: { gemmBackend: string }; dispose(): void };
  assert.equal(model.actor.gemmBackend, "wasm");
  model.dispose();
});
