/**
 * The sandbox from compiled JavaScript (as dist/ ships it): src/sandbox is compiled with tsc into a scratch
 * folder and run by a plain `node` process without tsx, so the child must be the compiled child.js.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("sandbox compiled to JavaScript", () => {
  // Inside node_modules so the compiled files resolve `ses` and `acorn` from the project's node_modules.
  const out = mkdtempSync(join(root, "node_modules", ".guided-rl-sandbox-dist-"));
  after(() => rmSync(out, { recursive: true, force: true }));

  it("compiles and serves candidates from child.js, without tsx", () => {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const compile = spawnSync(
      process.execPath,
      [
        tsc,
        "--outDir", out,
        "--rootDir", join(root, "src"),
        "--module", "nodenext",
        "--moduleResolution", "nodenext",
        "--target", "es2022",
        "--strict",
        "--skipLibCheck",
        "--declaration",
        "--types", "node",
        join(root, "src/sandbox/index.ts"),
        join(root, "src/sandbox/child.ts"),
      ],
      { encoding: "utf8", cwd: root },
    );
    assert.equal(compile.status, 0, compile.stdout + compile.stderr);
    assert.ok(existsSync(join(out, "sandbox", "child.js")));
    writeFileSync(join(out, "package.json"), JSON.stringify({ type: "module" }));

    const script = `
      import { Sandbox } from ${JSON.stringify(join(out, "sandbox", "index.js"))};
      const sb = await Sandbox.start({ timeoutMs: 5000 });
      const steps = [{ obs: [1, 2], action: [0.5], nextObs: [3, 5], info: { v: 1 } }];
      const good = await sb.evaluate("function computeReward(o, a, n, info) { return {reward: clip(n[1] - o[1], -1, 1) + info.v, components: {d: n[0] - o[0]}}; }", steps);
      const bad = await sb.evaluate("function computeReward() {\\n  while (true) {}\\n}", steps);
      console.log(JSON.stringify({ good: good.ok ? [good.rewards[0], good.components.d[0]] : good.error, bad: bad.ok ? "ok" : bad.error }));
      await sb.close();
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", cwd: root, timeout: 60_000, env: { ...process.env, NODE_OPTIONS: "" } });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim()) as { good: number[]; bad: { kind: string; line: number } };
    assert.deepEqual(result.good, [2, 2]);
    assert.equal(result.bad.kind, "timeout");
    assert.equal(result.bad.line, 2);
  });
});
