// Tests of the prompts one rank prefills per step: the token budget, capped by the benchmark's prompts in flight.
import { describe, expect, it } from "vitest";
import { DEFAULT_PREFILL_TOKENS_PER_RANK } from "./config.js";
import { prefillPromptsPerRank } from "./prefill-batch.js";

describe("prefillPromptsPerRank", () => {
  it("fills the token budget with whole prompts when the concurrency is not stated", () => {
    expect(prefillPromptsPerRank(2048, 1)).toBe(DEFAULT_PREFILL_TOKENS_PER_RANK / 2048);
    expect(prefillPromptsPerRank(4096, 8)).toBe(4);
  });

  it("runs at least one prompt, however long", () => {
    expect(prefillPromptsPerRank(100_000, 1)).toBe(1);
    expect(prefillPromptsPerRank(100_000, 1, 1)).toBe(1);
  });

  it("never batches more prompts than the benchmark keeps in flight (gptSessionBenchmark at batch 1: one prompt)", () => {
    expect(prefillPromptsPerRank(2048, 1, 1)).toBe(1);
    expect(prefillPromptsPerRank(2048, 1, 3)).toBe(3);
  });

  it("spreads the concurrency over the data-parallel attention ranks, rounding up", () => {
    expect(prefillPromptsPerRank(1024, 4, 6)).toBe(2);
    // A concurrency above the budget leaves the budget in charge.
    expect(prefillPromptsPerRank(2048, 2, 256)).toBe(DEFAULT_PREFILL_TOKENS_PER_RANK / 2048);
  });

  it("is monotone in the concurrency", () => {
    let last = 0;
    for (let c = 1; c <= 64; c++) {
      const n = prefillPromptsPerRank(1024, 2, c);
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
    }
  });
});
