// Tests of the unfused gradient accumulation pass (grad-accum.ts).
import { describe, expect, it } from "vitest";
import { llama70bTp8Layout } from "../../test/fixtures/jobs.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { estimateTraining } from "./estimate.js";
import { UNFUSED_GRAD_ACCUM_BYTES_PER_PARAM, unfusedGradAccumBytes } from "./grad-accum.js";

describe("unfused gradient accumulation", () => {
  it("moves 10 bytes per parameter (bf16 gradient read, fp32 main gradient read and written), none when fused", () => {
    expect(UNFUSED_GRAD_ACCUM_BYTES_PER_PARAM).toBe(10);
    expect(unfusedGradAccumBytes(1e9, false)).toBe(1e10);
    expect(unfusedGradAccumBytes(1e9, true)).toBe(0);
  });

  it("lengthens a step by about one HBM pass over the rank's weights per micro-batch", () => {
    const sys = dgxB200(16);
    const model = resolveModel("llama3-70b");
    const run = (gradientAccumulationFusion: boolean | null) =>
      estimateTraining(sys, model, {
        ...llama70bTp8Layout,
        recompute: "none",
        precision: "bf16",
        sequenceParallel: true,
        gradientAccumulationFusion,
      });
    const fused = run(true);
    const unfused = run(false);
    expect(run(null).stepTimeS).toBe(fused.stepTimeS);
    expect(unfused.stepTimeS).toBeGreaterThan(fused.stepTimeS);
    // Upper bound: the rank's parameters x 10 bytes at 40% of the HBM rate, per micro-batch.
    const perRank = fused.totalParams / 8;
    const mbs = fused.microBatches;
    const hbm = sys.chip.memoryBandwidthBytesPerS;
    expect(unfused.stepTimeS - fused.stepTimeS).toBeLessThan((mbs * perRank * 10) / (0.4 * hbm));
  });
});
