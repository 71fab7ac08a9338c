// Megatron-Core's combined 1F1B (expert exchange hidden behind another micro-batch's pass): its unpaired warm-up and cool-down.
import { describe, expect, it } from "vitest";
import { mlperfDeepSeekV3Job } from "../../test/fixtures/jobs.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import type { TrainingConfig } from "../schema/training.js";
import { analyze } from "./analyze.js";
import { prepareTraining } from "./estimate.js";
import { combinedOneFOneBWarmupChunks, pairsMicroBatches, unpairedExpertCommS } from "./moe.js";

describe("combined 1F1B warm-up", () => {
  it("only the scheme that pairs micro-batches leaves warm-up and cool-down exchanges unpaired", () => {
    expect(pairsMicroBatches("dualpipe")).toBe(true);
    for (const s of ["none", "deepep", "two-batch"] as const) expect(pairsMicroBatches(s)).toBe(false);
  });
  it("counts Megatron-Core's warm-up chunk forwards (get_pp_rank_microbatches, plus one with the A2A overlap)", () => {
    // Interleaved: (p - rank - 1) x 2 + (v - 1) x p + 1.
    expect(combinedOneFOneBWarmupChunks(4, 4, 0, 16)).toBe(19);
    expect(combinedOneFOneBWarmupChunks(4, 4, 3, 16)).toBe(13);
    expect(combinedOneFOneBWarmupChunks(8, 4, 0, 16)).toBe(39);
    // Plain 1F1B: p - rank - 1, plus one; no pipeline: the first forward (and the last backward).
    expect(combinedOneFOneBWarmupChunks(4, 1, 0, 16)).toBe(4);
    expect(combinedOneFOneBWarmupChunks(1, 1, 0, 16)).toBe(1);
    // Never more than the step's chunk passes.
    expect(combinedOneFOneBWarmupChunks(8, 4, 0, 2)).toBe(8);
  });

  it("exposes the unpaired chunks' whole exchange beyond the steady state's share, never less than nothing", () => {
    expect(unpairedExpertCommS(19, 4, 0.012, 0.012)).toBe(0);
    expect(unpairedExpertCommS(19, 4, 0.012, 0.002)).toBeCloseTo((19 / 4) * 0.01, 12);
    expect(unpairedExpertCommS(19, 4, 0.012, 0.02)).toBe(0);
    // Bounded by the whole exchange of the warm-up's micro-batches.
    expect(unpairedExpertCommS(19, 4, 0.012, 0)).toBeLessThanOrEqual((19 / 4) * 0.012);
  });

  it("adds a per-step cost to the pipeline fill and drain, only when the exchange hides behind another micro-batch", () => {
    const sys = dgxB200(256);
    const dsv3 = resolveModel("deepseek-v3");
    // PP 4 x VP 4, EP 32 over 8-GPU nodes: the exchange crosses InfiniBand. With 2 micro-batches the last rank's
    // warm-up is capped at m x v = 8 chunks, with 8 micro-batches it is its full 13.
    const base: TrainingConfig = { ...mlperfDeepSeekV3Job(64 * 2), moeOverlap: "dualpipe" };
    const few = analyze(prepareTraining(sys, dsv3, base));
    const more = analyze(prepareTraining(sys, dsv3, { ...base, globalBatchSize: 64 * 8 }));
    const sl = few.stages[few.slowest];
    expect(sl.epFullS).toBeGreaterThan(sl.epS);
    expect(more.bubbleS).toBeGreaterThan(few.bubbleS);
    expect(more.bubbleS - few.bubbleS).toBeCloseTo(((13 - 8) / 4) * (sl.epFullS - sl.epS), 9);
    // Without the overlap nothing is hidden, so nothing is left unpaired: the fill and drain do not depend on m.
    const off = { ...base, moeOverlap: "none" as const };
    const offFew = analyze(prepareTraining(sys, dsv3, off));
    const offMore = analyze(prepareTraining(sys, dsv3, { ...off, globalBatchSize: 64 * 8 }));
    expect(offMore.bubbleS).toBeCloseTo(offFew.bubbleS, 12);
  });
});
