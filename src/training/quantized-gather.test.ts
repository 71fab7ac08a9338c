// Sequence-parallel all-gathers of quantised tensors as Transformer Engine runs them: bytes per element by recipe, layout and userbuffers, and their effect on a step.
import { describe, expect, it } from "vitest";
import { llama70bTp8Layout } from "../../test/fixtures/jobs.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import type { TrainingConfig } from "../schema/training.js";
import { estimateTraining } from "./estimate.js";
import { planTraining } from "./plan.js";
import { recipeFor } from "./precision.js";
import {
  BF16_GATHER_BYTES,
  gradOutputGatherBytes,
  inputGatherBytes,
  quantizedGatherBlocks,
  quantizedGatherBlocksIn,
} from "./quantized-gather.js";

const bf16 = recipeFor("bf16", undefined, "fp8-tensorwise");
const fp8cs = recipeFor("fp8", "fp8-tensorwise", "fp8-tensorwise");
const fp8delayed = recipeFor("fp8", "fp8-delayed", "fp8-tensorwise");
const mxfp8 = recipeFor("fp8", "mxfp8", "fp8-tensorwise");
const nvfp4 = recipeFor("fp4", "nvfp4", "fp8-tensorwise");

describe("bytes per gathered element", () => {
  it("a column-parallel input moves one layout of the quantised data and its scales", () => {
    expect(inputGatherBytes(bf16, true)).toBe(2);
    expect(inputGatherBytes(fp8cs, true)).toBe(1);
    expect(inputGatherBytes(fp8delayed, true)).toBe(1);
    expect(inputGatherBytes(mxfp8, true)).toBeCloseTo(1 + 1 / 32, 12);
    expect(inputGatherBytes(nvfp4, true)).toBeCloseTo(0.5 + 1 / 16, 12);
  });
  it("a framework that gathers in bf16 moves 2 bytes whatever the recipe", () => {
    for (const r of [fp8cs, mxfp8, nvfp4]) {
      expect(inputGatherBytes(r, false)).toBe(BF16_GATHER_BYTES);
      expect(gradOutputGatherBytes(r, false, false)).toBe(BF16_GATHER_BYTES);
    }
  });
  it("an output gradient: per-tensor FP8 gathers row-wise only; block-scaled formats both layouts unless userbuffers", () => {
    expect(gradOutputGatherBytes(fp8cs, true, false)).toBe(1);
    expect(gradOutputGatherBytes(fp8cs, true, true)).toBe(1);
    // MXFP8's two layouts (2 x 1.03 B) move slightly more than bf16: TE gathers them all the same.
    expect(gradOutputGatherBytes(mxfp8, true, false)).toBeCloseTo(2 * (1 + 1 / 32), 12);
    expect(gradOutputGatherBytes(mxfp8, true, false)).toBeGreaterThan(BF16_GATHER_BYTES);
    expect(gradOutputGatherBytes(mxfp8, true, true)).toBeCloseTo(1 + 1 / 32, 12);
    expect(gradOutputGatherBytes(nvfp4, true, false)).toBeCloseTo(1.125, 12);
    expect(gradOutputGatherBytes(nvfp4, true, true)).toBeCloseTo(0.5625, 12);
  });
  it("an MoE layer's quantised gathers are its attention block's only", () => {
    expect(quantizedGatherBlocks(false)).toBe(2);
    expect(quantizedGatherBlocks(true)).toBe(1);
  });
  it("a run gathers quantised only with a quantising framework, sequence parallelism and low-precision matmuls", () => {
    const te = { quantizedTpGather: true };
    expect(quantizedGatherBlocksIn({ framework: te, recipe: mxfp8 }, true, false)).toBe(2);
    expect(quantizedGatherBlocksIn({ framework: te, recipe: mxfp8 }, true, true)).toBe(1);
    expect(quantizedGatherBlocksIn({ framework: te, recipe: mxfp8 }, false, false)).toBe(0);
    expect(quantizedGatherBlocksIn({ framework: te, recipe: bf16 }, true, false)).toBe(0);
    expect(quantizedGatherBlocksIn({ framework: {}, recipe: mxfp8 }, true, false)).toBe(0);
  });
});

describe("in a step (Llama 3 70B, TP 8 with sequence parallelism, TP overlap off)", () => {
  const sys = dgxB200(16);
  const llama70b = resolveModel("llama3-70b");
  const job = (over: Partial<TrainingConfig>): TrainingConfig => ({
    ...llama70bTp8Layout,
    recompute: "selective",
    sequenceParallel: true,
    overlap: { tpComm: false, dpComm: false },
    framework: "nemo",
    ...over,
  });
  it("NVFP4 exposes less TP time than bf16 under NeMo; a bf16-gathering framework exposes the same bytes", () => {
    const b = estimateTraining(sys, llama70b, job({ precision: "bf16" })).breakdownS.tpCommS;
    const q = estimateTraining(sys, llama70b, job({ precision: "fp4", precisionRecipe: "nvfp4" })).breakdownS
      .tpCommS;
    expect(q).toBeLessThan(b);
    // Forward 2 gathers at 0.5625 B + 2 reduce-scatters at 2 B, backward 2 at 0.5625 + 2 at 1.125 + 2 RS at 2 B,
    // against 10 collectives of 2 B: above the byte ratio (latency and amax all-reduces), below 1.
    expect(q / b).toBeGreaterThan((2 * 0.5625 + 2 * 2 + 2 * 0.5625 + 2 * 1.125 + 2 * 2) / 20);
  });
  it("the flow simulator's plan lists the quantised gathers at their bytes, the gather count unchanged", () => {
    const pb = planTraining(sys, llama70b, job({ precision: "bf16" }));
    const pq = planTraining(sys, llama70b, job({ precision: "fp4", precisionRecipe: "nvfp4" }));
    const gathers = (p: typeof pb) =>
      p.comm.filter((c) => c.parallelism === "tp" && c.collective === "all-gather");
    const count = (p: typeof pb) => gathers(p).reduce((a, c) => a + c.count, 0);
    expect(count(pq)).toBe(count(pb));
    const bfBytes = gathers(pb)[0].bytesPerRank;
    const input = gathers(pq).filter((c) => c.name.includes("quantised input"));
    const grad = gathers(pq).filter((c) => c.name.includes("quantised output gradient"));
    expect(input.length).toBe(2);
    expect(grad.length).toBe(1);
    for (const c of input) expect(c.bytesPerRank).toBeCloseTo((bfBytes / 2) * 0.5625, 3);
    expect(grad[0].bytesPerRank).toBeCloseTo((bfBytes / 2) * 1.125, 3);
    expect(gathers(pq).some((c) => !c.name.includes("quantised"))).toBe(false);
  });
});
