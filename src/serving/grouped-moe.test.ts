// Tests of the routed experts' grouped-GEMM figures by weight format: format selection, fallback, the TensorRT-LLM
// figures of the Hopper and Blackwell families recomputed from aiconfigurator's fused-MoE table, and their effect on
// a decode step.
import { describe, expect, it } from "vitest";
import {
  fitTrtllmMoe,
  trtllmMoeComputeFraction,
  trtllmMoeRows,
  trtllmMoeStreaming,
} from "../../scripts/fit/kernels-trtllm-moe.js";
import { BLACKWELL_TRTLLM_SERVING } from "../catalog/families/blackwell.js";
import { HOPPER_TRTLLM_SERVING } from "../catalog/families/hopper.js";
import { chipFamily } from "../catalog/families/index.js";
import { MLA_MODULE_B200_TRTLLM, MLA_MODULE_H200_TRTLLM } from "../catalog/families/mla-module-tables.js";
import { BYTES_PER_PARAM } from "./cost.js";
import { familyServing } from "./efficiency.js";
import { engineLineage, servingEngine } from "./engines/index.js";
import { groupedMoeEfficiency, groupedMoeFormat } from "./grouped-moe.js";

const data = { rows: trtllmMoeRows() };
/** The fits of scripts/fit/kernels-trtllm-moe.ts (npm run fit): compute fraction and further-expert streaming. */
const computeFraction = trtllmMoeComputeFraction;
const furtherExpertStreaming = trtllmMoeStreaming;

describe("groupedMoeFormat", () => {
  it("splits FP8 by block scaling and keeps other precisions", () => {
    expect(groupedMoeFormat("fp8", "block-fp8")).toBe("fp8-block");
    expect(groupedMoeFormat("fp8", undefined)).toBe("fp8");
    expect(groupedMoeFormat("fp4", undefined)).toBe("fp4");
    expect(groupedMoeFormat("bf16", "block-fp8")).toBe("bf16");
  });
});

describe("groupedMoeEfficiency", () => {
  const base = chipFamily("blackwell").serving;
  it("falls back to the family's format-independent figures", () => {
    expect(groupedMoeEfficiency(base, "fp4")).toEqual({
      gemm: base.groupedGemm,
      weightStreaming: base.groupedWeightStreaming,
    });
    const noGrouped = { ...base, groupedWeightStreaming: undefined };
    expect(groupedMoeEfficiency(noGrouped, "fp8").weightStreaming).toBe(base.weightStreaming);
  });
  it("takes the figure for the format where the profile gives one", () => {
    const trt = { ...base, ...BLACKWELL_TRTLLM_SERVING };
    expect(groupedMoeEfficiency(trt, "fp4")).toEqual({ gemm: 0.153, weightStreaming: 0.378 });
    // A format the table does not give keeps the family's figure.
    expect(groupedMoeEfficiency(trt, "int8").gemm).toBe(base.groupedGemm);
  });
  it("is what the families give TensorRT-LLM, and only TensorRT-LLM", () => {
    // TensorRT-LLM after 0.17 adds its all-reduce + RMSNorm fusion (allreduce-norm-fusion.ts) and, since 2026-12-03,
    // its 1.3.0rc10 MLA attention-module table (mla-module-table.ts) to the same figures.
    expect(chipFamily("hopper").servingByEngine?.trtllm).toEqual({
      ...HOPPER_TRTLLM_SERVING,
      allReduceNormFusion: "moe",
      mlaDecodeModule: MLA_MODULE_H200_TRTLLM,
    });
    expect(chipFamily("blackwell").servingByEngine?.trtllm).toEqual({
      ...BLACKWELL_TRTLLM_SERVING,
      allReduceNormFusion: "moe",
      mlaDecodeModule: MLA_MODULE_B200_TRTLLM,
    });
    // The 0.17 backend inherits trtllm's figures with the fusion and the module withheld (engine lineage, 2026-12-03).
    const early = engineLineage(servingEngine("trtllm-pytorch-0.17"));
    expect(familyServing(chipFamily("hopper"), early)).toEqual({
      ...chipFamily("hopper").serving,
      ...HOPPER_TRTLLM_SERVING,
    });
    expect(familyServing(chipFamily("blackwell"), early)).toEqual({
      ...chipFamily("blackwell").serving,
      ...BLACKWELL_TRTLLM_SERVING,
    });
    // SGLang's entry (its MLA decode-call table, mla-decode-table.ts) carries no grouped-MoE figures.
    for (const f of ["hopper", "blackwell"]) {
      expect(chipFamily(f).servingByEngine?.sglang?.groupedGemmByFormat).toBeUndefined();
      expect(chipFamily(f).servingByEngine?.sglang?.groupedWeightStreamingByFormat).toBeUndefined();
    }
  });
});

describe("TensorRT-LLM fused-MoE figures recomputed from aiconfigurator's table (TRT-LLM 1.2.0rc5)", () => {
  const cases: [
    string,
    Partial<Record<string, number>>,
    Partial<Record<string, number>>,
    string,
    number,
    number,
    number,
  ][] = [
    // key, gemm by format, streaming by format, format, peak FLOP/s, bytes per parameter, HBM bytes/s
    [
      "h200_bfloat16",
      HOPPER_TRTLLM_SERVING.groupedGemmByFormat ?? {},
      HOPPER_TRTLLM_SERVING.groupedWeightStreamingByFormat ?? {},
      "bf16",
      989e12,
      BYTES_PER_PARAM.bf16,
      4.8e12,
    ],
    [
      "h200_fp8",
      HOPPER_TRTLLM_SERVING.groupedGemmByFormat ?? {},
      HOPPER_TRTLLM_SERVING.groupedWeightStreamingByFormat ?? {},
      "fp8",
      1979e12,
      BYTES_PER_PARAM.fp8,
      4.8e12,
    ],
    [
      "h200_fp8_block",
      HOPPER_TRTLLM_SERVING.groupedGemmByFormat ?? {},
      HOPPER_TRTLLM_SERVING.groupedWeightStreamingByFormat ?? {},
      "fp8-block",
      1979e12,
      BYTES_PER_PARAM.fp8,
      4.8e12,
    ],
    [
      "b200_bfloat16",
      BLACKWELL_TRTLLM_SERVING.groupedGemmByFormat ?? {},
      BLACKWELL_TRTLLM_SERVING.groupedWeightStreamingByFormat ?? {},
      "bf16",
      2250e12,
      BYTES_PER_PARAM.bf16,
      8e12,
    ],
    [
      "b200_fp8",
      BLACKWELL_TRTLLM_SERVING.groupedGemmByFormat ?? {},
      BLACKWELL_TRTLLM_SERVING.groupedWeightStreamingByFormat ?? {},
      "fp8",
      4500e12,
      BYTES_PER_PARAM.fp8,
      8e12,
    ],
    [
      "b200_nvfp4",
      BLACKWELL_TRTLLM_SERVING.groupedGemmByFormat ?? {},
      BLACKWELL_TRTLLM_SERVING.groupedWeightStreamingByFormat ?? {},
      "fp4",
      9000e12,
      BYTES_PER_PARAM.fp4,
      8e12,
    ],
  ];
  for (const [key, gemm, stream, format, peak, bpp, hbm] of cases) {
    it(`${key}: compute fraction and further-expert streaming`, () => {
      const rows = data.rows[key];
      expect(rows.length).toBeGreaterThanOrEqual(16);
      expect(gemm[format]).toBeCloseTo(computeFraction(rows, peak), 3);
      expect(stream[format]).toBeCloseTo(furtherExpertStreaming(rows, bpp, hbm), 3);
    });
  }
  it("the table's NVFP4 kernel is not bound by its bytes: the compute fraction is far below FP8's and BF16's", () => {
    const g = BLACKWELL_TRTLLM_SERVING.groupedGemmByFormat ?? {};
    expect(g.fp4 ?? 1).toBeLessThan((g.fp8 ?? 0) / 2);
    // In FLOP/s the three formats reach about the same rate (1.4-1.7 PFLOP/s).
    const rates = [(g.bf16 ?? 0) * 2250e12, (g.fp8 ?? 0) * 4500e12, (g.fp4 ?? 0) * 9000e12];
    expect(Math.max(...rates) / Math.min(...rates)).toBeLessThan(1.25);
  });
});

describe("the TensorRT-LLM fused-MoE figures in the families", () => {
  it("are exactly what scripts/fit/kernels-trtllm-moe.ts (npm run fit) computes", () => {
    const byFamily = { hopper: HOPPER_TRTLLM_SERVING, blackwell: BLACKWELL_TRTLLM_SERVING };
    const fitted = Object.entries(fitTrtllmMoe());
    expect(fitted.length).toBe(12);
    for (const [path, v] of fitted) {
      const [family, , , field, format] = path.split(".");
      const eff = byFamily[family as keyof typeof byFamily] as Record<string, Record<string, number>>;
      expect(eff[field][format], path).toBe(v);
    }
  });
});
