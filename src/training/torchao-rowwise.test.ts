// torchao's float8 row-wise recipe on its own: the output rescale of both backward GEMMs, the two casts of every operand, GEMM time unchanged against per-tensor scaling, and the recipe refused for a bf16 run.
import { describe, expect, it } from "vitest";
import { dgxH100 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { recipeFor } from "./precision.js";
import {
  backwardRescale,
  TORCHAO_ROWWISE_QUANT_BYTES,
  TORCHAO_ROWWISE_RESCALE_BYTES,
} from "./torchao-rowwise.js";

const llama8b = resolveModel("llama3-8b");
const sys = dgxH100(8);
// torchao's H100 table as torchtitan ran it: FSDP2 over 8 GPUs, local batch 1 x 8,192, per-op SAC, compiled, float8.
const job: TrainingConfig = {
  seqLength: 8192,
  globalBatchSize: 8,
  microBatchSize: 1,
  precision: "fp8",
  framework: "torchtitan",
  zero: 3,
  recompute: "selective",
  compile: true,
  precisionRecipe: "fp8-tensorwise",
};

describe("torchao's float8 row-wise recipe", () => {
  it("rescales both backward GEMM outputs (input gradient m x k, weight gradient k x n) at 4 bytes an element", () => {
    const k = layerCosts(prepareTraining(sys, llama8b, job)).kernels;
    expect(TORCHAO_ROWWISE_RESCALE_BYTES).toBe(4);
    const r = backwardRescale(k, TORCHAO_ROWWISE_RESCALE_BYTES, 8192, 14336, 4096);
    expect(r.kernels).toBe(2);
    expect(r.seconds).toBeCloseTo(k.mem((8192 * 4096 + 4096 * 14336) * 4, "stream"), 15);
    expect(backwardRescale(k, 0, 8192, 14336, 4096)).toEqual({ seconds: 0, kernels: 0 });
    // Only the row-wise recipe rescales; per-tensor, delayed, block-scaled and MX recipes do not.
    for (const id of ["fp8-tensorwise", "fp8-delayed", "fp8-blockwise", "mxfp8"] as const)
      expect(recipeFor("fp8", id, "fp8-tensorwise").backwardRescaleBytes).toBe(0);
    // Two casts of each operand move more than one per-tensor cast-transpose.
    expect(TORCHAO_ROWWISE_QUANT_BYTES).toBeGreaterThan(
      recipeFor("fp8", "fp8-tensorwise", "fp8-tensorwise").quantBytesPerElement,
    );
  });

  it("keeps the GEMM time of per-tensor scaling and adds memory-bound work only", () => {
    const tw = layerCosts(prepareTraining(sys, llama8b, job)).dense;
    const rw = layerCosts(prepareTraining(sys, llama8b, { ...job, precisionRecipe: "fp8-rowwise" })).dense;
    expect(rw.gemmF).toBe(tw.gemmF);
    expect(rw.gemmB).toBe(tw.gemmB);
    expect(rw.attnF).toBe(tw.attnF);
    expect(rw.memF).toBeGreaterThan(tw.memF);
    expect(rw.memB).toBeGreaterThan(tw.memB);
    const a = estimateTraining(sys, llama8b, job);
    const b = estimateTraining(sys, llama8b, { ...job, precisionRecipe: "fp8-rowwise" });
    expect(b.stepTimeS).toBeGreaterThan(a.stepTimeS);
    // Memory-bound extras of an 8B layer at 8K tokens stay a small share of the step (under 15%).
    expect(b.stepTimeS).toBeLessThan(a.stepTimeS * 1.15);
  });

  it("is refused for a bf16 run, naming the field", () => {
    let err: unknown;
    try {
      estimateTraining(sys, llama8b, { ...job, precision: "bf16", precisionRecipe: "fp8-rowwise" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZettasimError);
    const issue = (err as ZettasimError).issues[0];
    expect(issue.path).toEqual(["training", "precisionRecipe"]);
    expect(issue.value).toBe("fp8-rowwise");
  });
});
