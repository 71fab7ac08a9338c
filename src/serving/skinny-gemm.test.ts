// FP8 per-tensor linears at decode: skinny kernel up to the engine's rows, the family's BLAS rate beyond; only where both are given.

import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { CDNA_DECODE } from "../catalog/families/cdna.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { servingEngine } from "./engines/index.js";
import { fp8LinearStreamingBytesPerS } from "./skinny-gemm.js";

describe("fp8LinearStreamingBytesPerS", () => {
  it("is the skinny rate up to the engine's rows and the BLAS rate beyond", () => {
    expect(fp8LinearStreamingBytesPerS(1, 4.6e12, 4.0e12, 1)).toBe(4.6e12);
    expect(fp8LinearStreamingBytesPerS(2, 4.6e12, 4.0e12, 1)).toBe(4.0e12);
    expect(fp8LinearStreamingBytesPerS(4, 4.6e12, 4.0e12, 4)).toBe(4.6e12);
    // No FP8 skinny kernel at all (vLLM before PR 15830): the BLAS rate from one row.
    expect(fp8LinearStreamingBytesPerS(1, 4.6e12, 4.0e12, 0)).toBe(4.0e12);
  });
  it("keeps the family's rate when the family or the engine gives no split", () => {
    expect(fp8LinearStreamingBytesPerS(8, 4.6e12, undefined, 1)).toBe(4.6e12);
    expect(fp8LinearStreamingBytesPerS(8, 4.6e12, 4.0e12, undefined)).toBe(4.6e12);
  });
});

describe("profiles", () => {
  it("CDNA's BLAS rate is hipBLASLt's measured M = 1 rate, below the skinny kernel's", () => {
    const cdna = chipFamily("cdna").serving;
    expect(cdna.fp8BlasWeightStreaming).toBe(CDNA_DECODE.weightStreaming.hipblaslt);
    expect(cdna.fp8BlasWeightStreaming as number).toBeLessThan(cdna.weightStreaming);
    expect(chipFamily("hopper").serving.fp8BlasWeightStreaming).toBeUndefined();
  });
  it("vLLM V1 hands one row to the FP8 skinny kernel; the 2024 V0 releases none", () => {
    expect(servingEngine("vllm").fp8SkinnyMaxRows).toBe(1);
    expect(servingEngine("vllm-v0").fp8SkinnyMaxRows).toBe(0);
    expect(servingEngine("sglang").fp8SkinnyMaxRows).toBeUndefined();
  });
});

describe("in a decode step", () => {
  const llama = resolveModel("llama3-70b");
  const layout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
  const load = (seqs: number): RankLoad => decodeOnlyLoad(seqs, 1152);
  const gemm = (system: string, engine: string, seqs: number, precision: "fp8" | "bf16" = "fp8") =>
    new InstanceCost(
      llama,
      resolveSystem(system),
      layout,
      costOptions({ precision, engine: deviceOnlyEngine(engine) }),
    ).step(load(seqs), seqs).gemmS;

  it("on MI300X under vLLM, two sequences stream the FP8 linears at hipBLASLt's rate", () => {
    const one = gemm("mi300x-cluster", "vllm", 1);
    const two = gemm("mi300x-cluster", "vllm", 2);
    const cdna = chipFamily("cdna").serving;
    const ratio = cdna.weightStreaming / (cdna.fp8BlasWeightStreaming as number);
    // The LM head (BF16) stays at the skinny rate, so the step grows by a little less than the ratio.
    expect(two / one).toBeGreaterThan(1 + 0.9 * (ratio - 1));
    expect(two / one).toBeLessThan(ratio);
  });
  it("changes nothing for BF16 weights, for engines without the limit, or on families without a BLAS rate", () => {
    expect(gemm("mi300x-cluster", "vllm", 2, "bf16")).toBeCloseTo(
      gemm("mi300x-cluster", "vllm", 1, "bf16"),
      6,
    );
    expect(gemm("mi300x-cluster", "sglang", 2)).toBeCloseTo(gemm("mi300x-cluster", "sglang", 1), 6);
    expect(gemm("dgx-h100-superpod", "vllm", 2)).toBeCloseTo(gemm("dgx-h100-superpod", "vllm", 1), 6);
  });
});
