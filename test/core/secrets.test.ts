// The one redaction on write (issue 14 point 4): keys from the key variables and registered keys are
// replaced in every write through writeText / appendText, longest first; the child-process environment
// keeps only what it is allowed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appendText, knownSecrets, redact, registerSecret, writeText } from "../../src/core/secrets.js";
import { childEnv, TRAINING_ENV } from "../../src/core/child-env.js";

function withEnv(vars: Record<string, string | undefined>, fn: () => void): void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  try {
    for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

test("writeText / appendText redact the key variables' values (read at write time) and registered keys", () => {
  const dir = mkdtempSync(join(tmpdir(), "grl-secrets-"));
  const envKey = `sk-ant-env-${Date.now()}`;
  const optionKey = `sk-option-${Math.random().toString(36).slice(2)}`;
  const openaiKey = `sk-openai-${Math.random().toString(36).slice(2)}`;
  withEnv({ ANTHROPIC_API_KEY: envKey, GUIDED_RL_OPENAI_API_KEY: openaiKey }, () => {
    registerSecret(optionKey);
    const file = join(dir, "a.md");
    writeText(file, `env ${envKey} option ${optionKey} openai ${openaiKey}\n`);
    appendText(file, `again ${envKey}${envKey}\n`);
    const text = readFileSync(file, "utf8");
    assert.equal(text, "env [REDACTED] option [REDACTED] openai [REDACTED]\nagain [REDACTED][REDACTED]\n");
    assert.ok(knownSecrets().includes(envKey) && knownSecrets().includes(optionKey));
  });
  withEnv({ ANTHROPIC_API_KEY: undefined }, () => {
    assert.equal(redact(`no longer a variable: ${envKey}`), `no longer a variable: ${envKey}`, "a variable's value is read at write time");
  });
});

test("a key that contains another is redacted whole; short strings are never treated as keys", () => {
  const inner = `inner-key-${Date.now()}`;
  const outer = `${inner}-and-more`;
  assert.equal(redact(`x ${outer} y ${inner}`, [inner, outer]), "x [REDACTED] y [REDACTED]");
  registerSecret("abc");
  assert.equal(redact("abc abcd", ["abcd"]), "abc abcd");
});

test("childEnv passes only the allowed variables: no API key, the OpenBLAS settings kept", () => {
  withEnv({ ANTHROPIC_API_KEY: "sk-ant-child-env-test", GUIDED_RL_OPENAI_API_KEY: "sk-openai-child", OPENBLAS_CORETYPE: "Haswell", GUIDED_RL_NATIVE_THREADS: "2" }, () => {
    const env = childEnv(TRAINING_ENV);
    assert.equal(env.ANTHROPIC_API_KEY, undefined);
    assert.equal(env.GUIDED_RL_OPENAI_API_KEY, undefined);
    assert.equal(env.OPENBLAS_CORETYPE, "Haswell");
    assert.equal(env.GUIDED_RL_NATIVE_THREADS, "2");
    assert.equal(env.PATH, process.env.PATH);
    assert.deepEqual(Object.keys(childEnv(["PATH"], { NODE_ENV: "production" })).sort(), ["NODE_ENV", "PATH"]);
  });
});
