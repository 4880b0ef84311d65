import { test } from "node:test";
import assert from "node:assert/strict";
import { parseReproduceUltraArgs } from "../../src/cli/reproduce-ultra.js";

test("reproduce ultra: --action-modulation picks how suggested actions reach PPO; bad values are usage errors", () => {
  assert.equal(parseReproduceUltraArgs([]).actionModulation, undefined, "default: the environment config's");
  assert.equal(parseReproduceUltraArgs(["--action-modulation", "override"]).actionModulation, "override");
  assert.equal(parseReproduceUltraArgs(["--action-modulation=imitation", "--env", "pong"]).actionModulation, "imitation");
  assert.throws(() => parseReproduceUltraArgs(["--action-modulation", "nudge"]), /--action-modulation must be imitation or override[\s\S]*usage:/);
  assert.throws(() => parseReproduceUltraArgs(["--action-modulation"]), /needs a value/);
});
