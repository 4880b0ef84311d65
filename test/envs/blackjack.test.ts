import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { make } from "../../src/envs/index.js";
import { rollRandomPolicy } from "../../src/envs/random-policy.js";
import { BlackjackEnv } from "../../src/envs/toy/blackjack.js";

interface Variant {
  kwargs: Record<string, boolean>;
  episodes: { seed: number; initial_obs: number[]; steps: { action: number; obs: number[]; reward: number; terminated: boolean; truncated: boolean }[] }[];
  random_policy_returns: number[];
  random_policy_mean: number;
}
// Recorded from Gymnasium's own Blackjack-v1 by fixtures/blackjack_fixture.py (see its notes).
const fixture = JSON.parse(readFileSync(new URL("./fixtures/blackjack.json", import.meta.url), "utf8")) as { variants: Record<string, Variant> };

for (const [name, v] of Object.entries(fixture.variants)) {
  test(`Blackjack-v1 (${name}: ${JSON.stringify(v.kwargs)}) deals and plays Gymnasium's recorded episodes exactly`, () => {
    for (const ep of v.episodes) {
      const env = make("Blackjack-v1", v.kwargs);
      assert.deepEqual(env.reset({ seed: ep.seed }).obs, ep.initial_obs, `seed ${ep.seed} initial obs`);
      for (const [t, s] of ep.steps.entries()) {
        const r = env.step(s.action);
        const where = `seed ${ep.seed} step ${t}`;
        assert.deepEqual(r.obs, s.obs, `${where} obs`);
        assert.equal(r.reward, s.reward, `${where} reward`);
        assert.equal(r.terminated, s.terminated, `${where} terminated`);
        assert.equal(r.truncated, s.truncated, `${where} truncated`);
      }
    }
  });

  test(`Blackjack-v1 (${name}): 1000 seeded random-policy episodes give Gymnasium's returns`, () => {
    const r = rollRandomPolicy(make("Blackjack-v1", v.kwargs), { episodes: 1000 });
    assert.deepEqual(r.returns, v.random_policy_returns);
    assert.equal(r.mean, v.random_policy_mean);
  });
}

test("Blackjack-v1 is registered with sab=true, natural=false, and no time limit", () => {
  const env = make("Blackjack-v1");
  const bare = env.unwrapped as BlackjackEnv;
  assert.equal(bare.sab, true);
  assert.equal(bare.natural, false);
  assert.equal(env.spec?.maxEpisodeSteps, undefined);
  assert.ok(env.observationSpace.contains(env.reset({ seed: 3 }).obs));
});

test("Blackjack rules: natural pays 1.5 only without sab; sab natural beats a non-natural dealer", () => {
  const play = (opts: { natural?: boolean; sab?: boolean }, player: number[], dealer: number[]) => {
    const env = new BlackjackEnv(opts);
    env.reset({ seed: 0 });
    env.player = [...player];
    env.dealer = [...dealer];
    return env.step(0).reward;
  };
  assert.equal(play({ natural: true }, [1, 10], [10, 8]), 1.5);
  assert.equal(play({ natural: false }, [1, 10], [10, 8]), 1);
  assert.equal(play({ sab: true }, [1, 10], [10, 1]), 0); // both natural: draw
  assert.equal(play({ sab: true }, [10, 1], [10, 7]), 1);
  assert.equal(play({}, [10, 8], [10, 9]), -1);
  assert.equal(play({}, [10, 9], [10, 9]), 0);
});
