import { test } from "node:test";
import assert from "node:assert/strict";
import { parseReproduceUltraArgs } from "../../src/cli/reproduce-ultra.js";

test("reproduce ultra: --env takes every ULTRA environment or all; bad values are usage errors", () => {
  assert.deepEqual(parseReproduceUltraArgs([]).envs, ["pong"]);
  assert.deepEqual(parseReproduceUltraArgs(["--env", "hopper"]).envs, ["hopper"]);
  assert.deepEqual(parseReproduceUltraArgs(["--env=all"]).envs, ["pong", "hopper", "walker2d", "halfcheetah", "bipedal"]);
  assert.throws(() => parseReproduceUltraArgs(["--env", "ant"]), /unknown --env "ant"[\s\S]*usage:/);
  assert.deepEqual(parseReproduceUltraArgs(["--variants", "ppo,rice,ultra-RA-imitation"]).variants, ["ppo", "rice", "ultra-RA-imitation"]);
  assert.throws(() => parseReproduceUltraArgs(["--variants", "ppo,ultra-X"]), /unknown variant "ultra-X"/);
  assert.throws(() => parseReproduceUltraArgs(["--action-modulation", "override"]), /usage:/, "both forms are rows of the table now, not an option");
});

test("reproduce ultra: --regenerate-policy --policy-only is the command that remakes a shipped starting policy", () => {
  const a = parseReproduceUltraArgs(["--env", "walker2d", "--regenerate-policy", "--policy-only"]);
  assert.equal(a.regeneratePolicy, true);
  assert.equal(a.policyOnly, true);
  assert.equal(parseReproduceUltraArgs([]).policyOnly, false);
});
