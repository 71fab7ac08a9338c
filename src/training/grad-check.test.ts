// Megatron-Core's gradient NaN check on its own: a read of the gradients and a host sync per bucket, once per step.
import { describe, expect, it } from "vitest";
import { nemoDp16Bf16Job } from "../../test/fixtures/jobs.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import { estimateTraining } from "./estimate.js";
import { gradNanCheckS } from "./grad-check.js";
import { HOST_SYNC_S, KERNELS_AFTER_SYNC } from "./overheads.js";

const llama8b = resolveModel("llama3-8b");
const base: TrainingConfig = nemoDp16Bf16Job;

describe("gradNanCheckS", () => {
  it("is nothing when the check is off", () => {
    expect(gradNanCheckS(false, 1e-3, 100, 5e-6)).toBe(0);
  });
  it("is the read plus one sync per bucket", () => {
    const one = HOST_SYNC_S + KERNELS_AFTER_SYNC * 5e-6;
    expect(gradNanCheckS(true, 1e-3, 1, 5e-6)).toBeCloseTo(1e-3 + one, 12);
    expect(gradNanCheckS(true, 1e-3, 195, 5e-6)).toBeCloseTo(1e-3 + 195 * one, 12);
  });
});

describe("in a step", () => {
  const sys = dgxB200(16);
  const off = estimateTraining(sys, llama8b, { ...base, dpBucketParams: 40e6 });
  const on = estimateTraining(sys, llama8b, { ...base, dpBucketParams: 40e6, checkForNanInGrad: true });
  it("adds its own breakdown part and nothing else", () => {
    expect(off.breakdownS.gradCheckS).toBe(0);
    expect(on.breakdownS.gradCheckS).toBeGreaterThan(0);
    expect(on.stepTimeS - off.stepTimeS).toBeCloseTo(on.breakdownS.gradCheckS, 12);
  });
  it("reads at least the rank's gradients (bf16 buffers) at the HBM rate", () => {
    const hbm = sys.chip.memoryBandwidthBytesPerS;
    expect(on.breakdownS.gradCheckS).toBeGreaterThan((on.totalParams * 2) / hbm);
  });
  it("grows with the bucket count (one sync each)", () => {
    const many = estimateTraining(sys, llama8b, { ...base, dpBucketParams: 64, checkForNanInGrad: true });
    expect(many.breakdownS.gradCheckS).toBeGreaterThan(on.breakdownS.gradCheckS);
  });
  it("charges nothing under ZeRO-3 (no DDP buckets to check)", () => {
    const z3 = estimateTraining(sys, llama8b, { ...base, zero: 3, checkForNanInGrad: true });
    expect(z3.breakdownS.gradCheckS).toBe(0);
  });
  it("the schema refuses a non-boolean, naming the field", () => {
    const r = trainingFile.safeParse({ ...base, checkForNanInGrad: "yes" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["checkForNanInGrad"]);
  });
});
