// Tests of the one-wave offline run (offline-run.ts): the schedule's step count, tokens generated, the decode tail, refusals; its wall time priced step by step.
import { describe, expect, it } from "vitest";
import { costOptions, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { InstanceCost, type InstanceLayout } from "./cost.js";
import { offlineRunS, offlineRunSteps } from "./offline-run.js";

describe("offlineRunSteps", () => {
  it("prefills the groups in turn, then runs outputTokens - 1 decode-only steps", () => {
    const steps = offlineRunSteps(32, 4, 4096, 32);
    expect(steps).toHaveLength(8 + 31);
    expect(steps.slice(0, 8).every((s) => s.prefillPrompts === 4)).toBe(true);
    expect(steps.slice(8).every((s) => s.prefillPrompts === 0)).toBe(true);
    // Step 1 decodes nothing; step g decodes the 4 (g - 1) prompts prefilled before it.
    expect(steps.map((s) => s.decodeSeqs).slice(0, 8)).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    // Every prompt yields one token in its prefill step and one per decode step after it: outputTokens in all.
    const decoded = steps.reduce((a, s) => a + s.decodeSeqs, 0);
    expect(decoded + 32).toBe(32 * 32);
    // The tail shrinks as the early groups finish, to the last group alone.
    expect(steps[8].decodeSeqs).toBe(32);
    expect(steps[steps.length - 1].decodeSeqs).toBe(4);
    const tail = steps.slice(8).map((s) => s.decodeSeqs);
    for (let i = 1; i < tail.length; i++) expect(tail[i]).toBeLessThanOrEqual(tail[i - 1]);
  });

  it("reads each sequence's prompt plus the tokens it has generated", () => {
    const steps = offlineRunSteps(2, 1, 100, 3);
    // Step 2: prompt 1 has 1 token; step 3: prompt 1 has 2, prompt 2 has 1; step 4: prompt 2 has 2.
    expect(steps.map((s) => [s.decodeSeqs, s.decodeKvTokens])).toEqual([
      [0, 0],
      [1, 101],
      [2, 102 + 101],
      [1, 102],
    ]);
  });

  it("keeps a short last group's size", () => {
    const steps = offlineRunSteps(10, 4, 10, 2);
    expect(steps.map((s) => s.prefillPrompts)).toEqual([4, 4, 2, 0]);
    expect(steps[3].decodeSeqs).toBe(2);
  });

  it("is the prefill steps alone with one output token, and empty with no prompts", () => {
    expect(offlineRunSteps(8, 4, 10, 1)).toEqual([
      { prefillPrompts: 4, decodeSeqs: 0, decodeKvTokens: 0 },
      { prefillPrompts: 4, decodeSeqs: 0, decodeKvTokens: 0 },
    ]);
    expect(offlineRunSteps(0, 4, 10, 5)).toEqual([]);
  });

  it("refuses a bad input, naming it, its value and the expectation", () => {
    expect(() => offlineRunSteps(32, 0, 4096, 32)).toThrow(ZettasimError);
    expect(() => offlineRunSteps(32, 0, 4096, 32)).toThrow("promptsPerStep: must be an integer >= 1 (got 0");
    expect(() => offlineRunSteps(1.5, 1, 4096, 32)).toThrow("prompts: must be an integer >= 0 (got 1.5");
    expect(() => offlineRunSteps(4, 1, 4096, 0)).toThrow("outputTokens: must be an integer >= 1 (got 0");
    expect(() => offlineRunSteps(4, 1, Number.NaN, 2)).toThrow(
      "inputTokens: must be an integer >= 1 (got NaN",
    );
  });
});

describe("offlineRunS", () => {
  const h100 = resolveSystem("dgx-h100-superpod");
  const llama = resolveModel("llama3-8b");
  const cost = (layout: InstanceLayout = { chips: 1, tp: 1, attentionDp: 1, ep: 1 }) =>
    new InstanceCost(llama, h100, layout, costOptions({ engine: deviceOnlyEngine("vllm") }));
  const run = { prompts: 8, inputTokens: 1024, cachedTokens: 0, outputTokens: 1, promptsPerStep: 4 };

  it("is the prefill steps alone with one output token: two steps of 4 whole prompts each", () => {
    const c = cost();
    const one = c.step(
      {
        prefillTokens: 4 * 1024,
        prefillPairs: (4 * 1024 * 1025) / 2,
        decodeSeqs: 0,
        decodeKvTokens: 0,
        logitTokens: 4,
      },
      4 * 1024,
    ).timeS;
    const r = offlineRunS(c, run);
    expect(r.promptsPerRank).toBe(8);
    expect(r.wallS).toBeCloseTo(2 * one, 12);
  });

  it("grows with the tokens each prompt generates, and shrinks with a cached prefix", () => {
    const c = cost();
    const base = offlineRunS(c, { ...run, outputTokens: 2 }).wallS;
    expect(offlineRunS(c, { ...run, outputTokens: 32 }).wallS).toBeGreaterThan(base);
    expect(base).toBeGreaterThan(offlineRunS(c, run).wallS);
    expect(offlineRunS(c, { ...run, outputTokens: 2, cachedTokens: 512 }).wallS).toBeLessThan(base);
  });

  it("spreads the prompts over the attention ranks", () => {
    const c = cost({ chips: 2, tp: 1, attentionDp: 2, ep: 1 });
    expect(offlineRunS(c, { ...run, prompts: 9 }).promptsPerRank).toBe(5);
  });

  it("refuses a bad input, naming it, its value and the expectation", () => {
    const c = cost();
    expect(() => offlineRunS(c, { ...run, cachedTokens: 1024 })).toThrow(
      "run.cachedTokens: must be an integer from 0 to inputTokens - 1 (1023) (got 1024",
    );
    expect(() => offlineRunS(c, { ...run, prompts: -1 })).toThrow(
      "run.prompts: must be an integer >= 0 (got -1",
    );
    expect(() => offlineRunS(c, { ...run, promptsPerStep: 0 })).toThrow(
      "promptsPerStep: must be an integer >= 1 (got 0",
    );
  });
});
