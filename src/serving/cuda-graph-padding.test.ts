// CUDA-graph batch padding of vLLM and SGLang decode steps: the capture lists as the engines generate them, padding bounds, and its effect on a step.

import { describe, expect, it } from "vitest";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { checkBuckets, paddedStepRows, padToBucket } from "./bucket-padding.js";
import { type CostOptions, InstanceCost } from "./cost.js";
import {
  SGLANG_CUDA_GRAPH_BS,
  SGLANG_SPECULATIVE_CUDA_GRAPH_BS,
  steppedRange,
  VLLM_V0_CAPTURE_SIZES,
  VLLM_V1_CAPTURE_SIZES,
} from "./cuda-graph-padding.js";
import { type ServingEngine, servingEngine } from "./engines/index.js";

describe("capture lists", () => {
  it("are valid bucket lists", () => {
    for (const l of [
      VLLM_V1_CAPTURE_SIZES,
      VLLM_V0_CAPTURE_SIZES,
      SGLANG_CUDA_GRAPH_BS,
      SGLANG_SPECULATIVE_CUDA_GRAPH_BS,
    ])
      expect(() => checkBuckets(l, ["l"])).not.toThrow();
  });
  it("match the engines' generators: vLLM V1 [1,2,4]+8..248/8+256..512/16, V0 1,2,4,8..256/8, SGLang 1,2,4,8,16..256/8", () => {
    expect(VLLM_V1_CAPTURE_SIZES.slice(0, 6)).toEqual([1, 2, 4, 8, 16, 24]);
    expect(VLLM_V1_CAPTURE_SIZES.length).toBe(3 + 31 + 17);
    expect(VLLM_V1_CAPTURE_SIZES.at(-1)).toBe(512);
    expect(VLLM_V1_CAPTURE_SIZES).toContain(272);
    expect(VLLM_V1_CAPTURE_SIZES).not.toContain(264);
    expect(VLLM_V0_CAPTURE_SIZES.length).toBe(35);
    expect(VLLM_V0_CAPTURE_SIZES.at(-1)).toBe(256);
    expect(SGLANG_CUDA_GRAPH_BS.slice(0, 6)).toEqual([1, 2, 4, 8, 16, 24]);
    expect(SGLANG_CUDA_GRAPH_BS.at(-1)).toBe(256);
    expect(SGLANG_SPECULATIVE_CUDA_GRAPH_BS.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 12]);
    expect(SGLANG_SPECULATIVE_CUDA_GRAPH_BS).toContain(152);
    expect(SGLANG_SPECULATIVE_CUDA_GRAPH_BS).not.toContain(48);
  });
  it("pads a batch of 5 to 8, 10 to 16, 100 to 104 and leaves captured sizes alone", () => {
    expect(padToBucket(5, VLLM_V1_CAPTURE_SIZES)).toBe(8);
    expect(padToBucket(10, SGLANG_CUDA_GRAPH_BS)).toBe(16);
    expect(padToBucket(100, VLLM_V1_CAPTURE_SIZES)).toBe(104);
    expect(padToBucket(257, VLLM_V1_CAPTURE_SIZES)).toBe(272);
    expect(padToBucket(5, SGLANG_SPECULATIVE_CUDA_GRAPH_BS)).toBe(5);
    for (const n of [1, 2, 4, 8, 16, 64, 128, 256]) expect(padToBucket(n, SGLANG_CUDA_GRAPH_BS)).toBe(n);
  });
  it("never pads below the batch, is monotone, and adds under 8 rows above 8 (16 above 256 for vLLM)", () => {
    let last = 0;
    for (let n = 1; n <= 512; n++) {
      const p = padToBucket(n, VLLM_V1_CAPTURE_SIZES);
      expect(p).toBeGreaterThanOrEqual(n);
      expect(p).toBeGreaterThanOrEqual(last);
      if (n > 8) expect(p - n).toBeLessThan(n > 256 ? 16 : 8);
      last = p;
    }
  });
  it("steppedRange refuses a step that is not a positive integer, naming it", () => {
    expect(steppedRange(8, 24, 8)).toEqual([8, 16, 24]);
    expect(steppedRange(9, 8, 1)).toEqual([]);
    try {
      steppedRange(1, 4, 0);
      throw new Error("expected a refusal");
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).issues[0].path).toEqual(["step"]);
      expect((e as ZettasimError).issues[0].value).toBe(0);
    }
  });
});

describe("paddedStepRows with the GPU engines' buckets", () => {
  it("vLLM V1 pads the decode step's tokens (1 + drafts per sequence), SGLang its sequences", () => {
    const vllm = servingEngine("vllm");
    const sglang = servingEngine("sglang");
    expect(paddedStepRows(vllm, 0, 5, 1)).toBe(8);
    // 5 sequences x 3 tokens = 15 tokens -> 16 (vLLM); 5 sequences -> 5 on SGLang's verify list, x 3 = 15.
    expect(paddedStepRows(vllm, 0, 5, 3)).toBe(16);
    expect(paddedStepRows(sglang, 0, 5, 3)).toBe(15);
    expect(paddedStepRows(sglang, 0, 5, 1)).toBe(8);
    // Prefill steps of the GPU engines are not padded (no prefill token buckets).
    expect(paddedStepRows(vllm, 1000, 5, 1)).toBe(1005);
  });
  it("TensorRT-LLM (padding off by default, cuda_graph_config.enable_padding) and vLLM-Ascend are not padded", () => {
    expect(paddedStepRows(servingEngine("trtllm"), 0, 5, 1)).toBe(5);
    expect(paddedStepRows(servingEngine("vllm-ascend-0.9"), 0, 5, 1)).toBe(5);
  });
});

describe("a padded decode step", () => {
  const model = resolveModel("llama3-8b");
  const system = resolveSystem("dgx-h100-superpod");
  const layout = { chips: 1, tp: 1, attentionDp: 1, ep: 1 };
  const opts = (engine: ServingEngine): CostOptions => ({
    precision: "bf16",
    kvCache: "bf16",
    twoBatchOverlap: false,
    expertImbalance: 1,
    redundantExperts: 0,
    allToAll: "low-latency",
    memoryUtilization: 0.9,
    engine,
  });
  const step = (engine: ServingEngine, seqs: number) =>
    new InstanceCost(model, system, layout, opts(engine)).step(
      { prefillTokens: 0, prefillPairs: 0, decodeSeqs: seqs, decodeKvTokens: seqs * 1000, logitTokens: seqs },
      seqs,
    ).timeS;
  const vllm = servingEngine("vllm");
  const exact: ServingEngine = { ...vllm, decodeBatchBuckets: undefined };
  it("costs a compute-bound batch's linears at the captured size: 300 sequences run as 304 on vLLM", () => {
    // Llama 3 8B BF16 on one H100 is compute-bound at 300 rows (2 x 8e9 x 300 FLOPs over 0.7 x 989 TFLOP/s > 16 GB at
    // 0.8 x 3.35 TB/s), so the 4 padded rows cost time; a captured size costs the same with or without the list.
    expect(step(vllm, 300)).toBeGreaterThan(step(exact, 300));
    expect(step(vllm, 304)).toBeCloseTo(step(exact, 304), 12);
    // Past the last captured size (512) the step runs eagerly at its own size: no padding.
    expect(step(vllm, 600)).toBeCloseTo(step(exact, 600), 12);
  });
  it("is never faster than the exact batch, never slower than the padded one, and non-decreasing in the batch", () => {
    const sglang = servingEngine("sglang");
    const sglExact: ServingEngine = { ...sglang, decodeBatchBuckets: undefined };
    let last = 0;
    for (let n = 1; n <= 256; n++) {
      const t = step(sglang, n);
      expect(t).toBeGreaterThanOrEqual(step(sglExact, n) - 1e-12);
      expect(t).toBeLessThanOrEqual(step(sglang, padToBucket(n, sglang.decodeBatchBuckets)) + 1e-12);
      expect(t).toBeGreaterThanOrEqual(last - 1e-12);
      last = t;
    }
  });
});
