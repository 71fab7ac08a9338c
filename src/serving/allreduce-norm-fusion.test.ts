// All-reduce + add-RMSNorm fusion: two kernels fewer per layer where the engine fuses them on the family, nothing elsewhere.

import { describe, expect, it } from "vitest";
import { costOptions, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import {
  type AllReduceNormFusionContext,
  allReduceNormFusedKernels,
  NORMS_AFTER_ALL_REDUCE_PER_LAYER,
} from "./allreduce-norm-fusion.js";
import { InstanceCost, type InstanceLayout, type RankLoad } from "./cost.js";
import { efficiencyFor } from "./efficiency.js";

const tp8: AllReduceNormFusionContext = { moe: true, tp: 8, attentionDp: 1, tpWithinInnermostTier: true };

describe("allReduceNormFusedKernels", () => {
  it("drops the two norms that follow a layer's all-reduces where the engine fuses them", () => {
    expect(NORMS_AFTER_ALL_REDUCE_PER_LAYER).toBe(2);
    expect(allReduceNormFusedKernels("moe", tp8)).toBe(2);
    expect(allReduceNormFusedKernels("all", { ...tp8, moe: false })).toBe(2);
  });
  it("is off without the fusion, for dense models under a MoE-only list, without a TP all-reduce, under DP attention or across nodes", () => {
    expect(allReduceNormFusedKernels(undefined, tp8)).toBe(0);
    expect(allReduceNormFusedKernels("moe", { ...tp8, moe: false })).toBe(0);
    expect(allReduceNormFusedKernels("moe", { ...tp8, tp: 1 })).toBe(0);
    expect(allReduceNormFusedKernels("moe", { ...tp8, tp: 2, attentionDp: 4 })).toBe(0);
    expect(allReduceNormFusedKernels("moe", { ...tp8, tpWithinInnermostTier: false })).toBe(0);
  });
  it("refuses a layout that is not positive integers, naming the field", () => {
    const bad = (c: AllReduceNormFusionContext) => {
      try {
        allReduceNormFusedKernels("moe", c);
      } catch (e) {
        expect(e).toBeInstanceOf(ZettasimError);
        const i = (e as ZettasimError).issues[0];
        return [i.path.join("."), i.value, i.expected];
      }
      return undefined;
    };
    expect(bad({ ...tp8, tp: 0 })).toEqual(["serving.tp", 0, "an integer >= 1"]);
    expect(bad({ ...tp8, attentionDp: 1.5 })).toEqual(["serving.attentionDp", 1.5, "an integer >= 1"]);
  });
});

describe("profiles", () => {
  it("SGLang on Blackwell and TensorRT-LLM after 0.17 fuse for MoE models; vLLM, TensorRT-LLM 0.17 and SGLang on Hopper do not", () => {
    const b200 = resolveSystem("gb200-nvl72").chip;
    const h100 = resolveSystem("dgx-h100-superpod").chip;
    expect(efficiencyFor(b200, undefined, "sglang").allReduceNormFusion).toBe("moe");
    expect(efficiencyFor(b200, undefined, "trtllm").allReduceNormFusion).toBe("moe");
    expect(efficiencyFor(h100, undefined, "trtllm").allReduceNormFusion).toBe("moe");
    expect(efficiencyFor(b200, undefined, "vllm").allReduceNormFusion).toBeUndefined();
    expect(efficiencyFor(b200, undefined, "trtllm-pytorch-0.17").allReduceNormFusion).toBeUndefined();
    expect(efficiencyFor(h100, undefined, "trtllm-pytorch-0.17").allReduceNormFusion).toBeUndefined();
    expect(efficiencyFor(h100, undefined, "sglang").allReduceNormFusion).toBeUndefined();
    // The fused profile keeps every other TensorRT-LLM figure.
    expect(efficiencyFor(b200, undefined, "trtllm").groupedGemmByFormat).toEqual(
      efficiencyFor(b200, undefined, "trtllm-pytorch-0.17").groupedGemmByFormat,
    );
    expect(chipFamily("blackwell").serving.allReduceNormFusion).toBeUndefined();
  });
});

describe("in a decode step", () => {
  const load: RankLoad = {
    prefillTokens: 0,
    prefillPairs: 0,
    decodeSeqs: 1,
    decodeKvTokens: 768,
    logitTokens: 1,
  };
  const step = (
    model: string,
    system: string,
    layout: InstanceLayout,
    fusion: "moe" | undefined,
    precision: "bf16" | "fp4" = "bf16",
  ) =>
    new InstanceCost(
      resolveModel(model),
      resolveSystem(system),
      layout,
      costOptions({ precision, engine: deviceOnlyEngine("sglang") }),
      { allReduceNormFusion: fusion },
    ).step(load, 1);
  const tp = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };

  it("takes two kernel floors per layer off a MoE model's TP step and leaves the all-reduces", () => {
    const floor = chipFamily("blackwell").serving.kernelFloorS;
    for (const [model, precision] of [
      ["qwen3-235b-a22b", "bf16"],
      ["gpt-oss-120b", "fp4"],
      ["deepseek-v3", "fp4"],
    ] as const) {
      const layers = resolveModel(model).layers;
      const off = step(model, "gb200-nvl72", tp, undefined, precision);
      const on = step(model, "gb200-nvl72", tp, "moe", precision);
      expect(off.timeS - on.timeS).toBeCloseTo(layers * 2 * floor, 12);
      expect(on.commS).toBe(off.commS);
      expect(on.computeS).toBe(off.computeS);
    }
  });
  it("changes nothing for a dense model or under DP attention", () => {
    const dense = (f: "moe" | undefined) => step("llama3-70b", "gb200-nvl72", tp, f).timeS;
    expect(dense("moe")).toBe(dense(undefined));
    const dp = { chips: 8, tp: 2, attentionDp: 4, ep: 1 };
    const dpAttn = (f: "moe" | undefined) => step("qwen3-235b-a22b", "gb200-nvl72", dp, f).timeS;
    expect(dpAttn("moe")).toBe(dpAttn(undefined));
  });
});
