// Current per-tensor scaling under sequence parallelism on its own: amax all-reduces over the TP group, never hidden.
import { describe, expect, it } from "vitest";
import { llama70bTp8Layout } from "../../test/fixtures/jobs.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import type { TrainingConfig } from "../schema/training.js";
import { amaxAllReduceS, NCCL_LL_BASE_LATENCY_S, tpAmaxReductions } from "./amax-reduction.js";
import { estimateTraining } from "./estimate.js";
import { planTraining } from "./plan.js";
import { recipeFor } from "./precision.js";

const llama70b = resolveModel("llama3-70b");
const base: TrainingConfig = {
  ...llama70bTp8Layout,
  recompute: "selective",
  precision: "fp8",
  sequenceParallel: true,
  framework: "nemo",
  overlap: { tpComm: true, dpComm: false },
};

describe("which recipes reduce their amax over TP", () => {
  it("current scaling (fp8 tensorwise, nvfp4) with sequence parallelism: two per pass", () => {
    expect(tpAmaxReductions(recipeFor("fp8", "fp8-tensorwise", "fp8-delayed"), true)).toBe(2);
    expect(tpAmaxReductions(recipeFor("fp4", "nvfp4", "fp8-delayed"), true)).toBe(2);
  });
  it("one per block that gathers over TP: an MoE layer whose experts stay on the sequence shard has one", () => {
    expect(tpAmaxReductions(recipeFor("fp8", "fp8-tensorwise", "fp8-delayed"), true, 1)).toBe(1);
    expect(tpAmaxReductions(recipeFor("fp8", "fp8-delayed", "fp8-delayed"), true, 1)).toBe(0);
  });
  it("none without sequence parallelism, for delayed or block scaling, or in bf16", () => {
    expect(tpAmaxReductions(recipeFor("fp8", "fp8-tensorwise", "fp8-delayed"), false)).toBe(0);
    expect(tpAmaxReductions(recipeFor("fp8", "fp8-delayed", "fp8-delayed"), true)).toBe(0);
    expect(tpAmaxReductions(recipeFor("fp8", "mxfp8", "fp8-delayed"), true)).toBe(0);
    expect(tpAmaxReductions(recipeFor("fp8", "fp8-blockwise", "fp8-delayed"), true)).toBe(0);
    expect(tpAmaxReductions(recipeFor("bf16", undefined, "fp8-delayed"), true)).toBe(0);
  });
  it("one costs NCCL's LL base latency (6.6 us, tuning.cc) plus the ring's steps", () => {
    expect(NCCL_LL_BASE_LATENCY_S).toBe(6.6e-6);
    expect(amaxAllReduceS(1e-6)).toBeCloseTo(7.6e-6, 12);
    expect(amaxAllReduceS(0)).toBe(0);
  });
});

describe("in a step", () => {
  const sys = dgxB200(16);
  it("adds exposed TP time that TP overlap does not hide", () => {
    const cs = estimateTraining(sys, llama70b, { ...base, precisionRecipe: "fp8-tensorwise" });
    const delayed = estimateTraining(sys, llama70b, { ...base, precisionRecipe: "fp8-delayed" });
    // 80 layers x (2 forward + 2 backward) all-reduces of at least the base latency.
    expect(cs.breakdownS.tpCommS - delayed.breakdownS.tpCommS).toBeGreaterThanOrEqual(
      80 * 4 * NCCL_LL_BASE_LATENCY_S * 0.999,
    );
  });
  it("the plan lists them as not overlappable", () => {
    const p = planTraining(sys, llama70b, { ...base, precisionRecipe: "fp8-tensorwise" });
    const ops = p.comm.filter((c) => c.name.startsWith("tp amax"));
    expect(ops.length).toBe(2);
    expect(ops.every((c) => !c.overlappable && c.bytesPerRank === 4 && c.count === 160)).toBe(true);
  });
});
