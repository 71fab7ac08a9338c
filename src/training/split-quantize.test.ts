// Per-expert quantisation of a grouped linear (split-quantize.ts): stream operations and allocations per split, and who quantises the experts' inputs.

import { describe, expect, it } from "vitest";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { eagerStageEnv, NO_STAGE_EXTRA } from "../../test/fixtures/stage.js";
import { dgxH100 } from "../../test/fixtures/systems.js";
import { qwen3A3bFp8Ep8 } from "../../test/fixtures/training.js";
import { GRACE_HOST_OP_TIME_RELATIVE } from "../catalog/chips.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { prepareTraining } from "./estimate.js";
import { dispatchesQuantized } from "./moe.js";
import { recipeFor } from "./precision.js";
import { splitAllocHostS, splitQuantizeAllocs, TENSOR_ALLOC_HOST_S } from "./split-quantize.js";
import { stageCost } from "./stage.js";

const currentScaling = recipeFor("fp8", "fp8-tensorwise", "fp8-tensorwise");
const mxfp8 = recipeFor("fp8", "mxfp8", "fp8-tensorwise");

describe("Transformer Engine's current-scaling quantisation", () => {
  it("launches four stream operations per tensor: amax memset, amax, scale, cast (quantizer.cpp, current_scaling.cu)", () => {
    expect(currentScaling.quantKernels).toBe(4);
  });
  it("allocates data, transpose and scale inverse per expert split; MXFP8 splits come from one bulk buffer", () => {
    expect(splitQuantizeAllocs(currentScaling, 16)).toBe(48);
    expect(splitQuantizeAllocs(mxfp8, 16)).toBe(0);
    // One grouped launch quantises the whole operand: its allocations go with the launch.
    expect(splitQuantizeAllocs(currentScaling, 1)).toBe(0);
  });
});

describe("host time of one allocation", () => {
  it("is NVIDIA's GB200 figure (350 us for 128 weight-gradient tensors) at x86 speed", () => {
    expect(TENSOR_ALLOC_HOST_S * GRACE_HOST_OP_TIME_RELATIVE * 128).toBeCloseTo(350e-6, 9);
    expect(TENSOR_ALLOC_HOST_S).toBeGreaterThan(1e-6);
    expect(TENSOR_ALLOC_HOST_S).toBeLessThan(5e-6);
  });
  it("scales with the host CPU and vanishes inside a graph replay", () => {
    expect(splitAllocHostS(GRACE_HOST_OP_TIME_RELATIVE, false)).toBeGreaterThan(splitAllocHostS(1, false));
    expect(splitAllocHostS(1, true)).toBe(0);
  });
});

describe("Qwen3-30B-A3B on 16 H100 at FP8 current scaling, EP 8 (16 local experts, Megatron-Core's GroupedLinear)", () => {
  const h100 = dgxH100(16);
  const run = (over: Partial<TrainingConfig>): TrainingConfig => ({ ...qwen3A3bFp8Ep8, ...over });
  const layer = (over: Partial<TrainingConfig>) => {
    const l = layerCosts(prepareTraining(h100, qwen3MoeA3b(48), run(over))).moe;
    if (!l) throw new Error("no MoE layer");
    return l;
  };
  it("quantises both projections' inputs split by split behind the all-to-all dispatcher (bf16 tokens)", () => {
    expect(dispatchesQuantized("alltoall", true)).toBe(false);
    const l = layer({});
    // Forward: two projections x 16 experts x 3 allocations; backward: the two output gradients likewise.
    expect(l.expertAllocsF).toBe(96);
    expect(l.expertAllocsB).toBe(96);
  });
  it("leaves the first projection's input to a dispatcher that sends it quantised", () => {
    expect(dispatchesQuantized("deepep", true)).toBe(true);
    expect(layer({ moeDispatcher: "deepep" }).expertAllocsF).toBe(48);
  });
  it("charges nothing per split with MXFP8's bulk buffers or in bf16", () => {
    expect(layer({ precisionRecipe: "mxfp8" }).expertAllocsF).toBe(0);
    expect(layer({ precision: "bf16", precisionRecipe: undefined }).expertAllocsB).toBe(0);
  });
  it("lengthens the host-bound layer by the allocations' host time", () => {
    const p = prepareTraining(h100, qwen3MoeA3b(48), run({}));
    const l = layer({});
    const env = eagerStageEnv(p);
    const none = NO_STAGE_EXTRA;
    const without = stageCost(env, [{ cost: l, n: 1 }], none);
    const withAllocs = stageCost(
      { ...env, allocHostS: splitAllocHostS(1, false) },
      [{ cost: l, n: 1 }],
      none,
    );
    const added = withAllocs.forwardS + withAllocs.backwardS - without.forwardS - without.backwardS;
    expect(added).toBeGreaterThan(0);
    // Never more than the allocations' whole host time (the device may hide part of it).
    expect(added).toBeLessThanOrEqual((l.expertAllocsF + l.expertAllocsB) * TENSOR_ALLOC_HOST_S + 1e-12);
  });
});
