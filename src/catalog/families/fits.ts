// Builds the FitRecords of a family module from the values its fit script wrote (kept apart from the profile so a test can catch the two drifting).
import type { FitRecord } from "../../core/fit.js";

/**
 * One FitRecord per entry of `values` (paths relative to `prefix`, e.g. "families.hopper.training"), all
 * recomputed by `script` with `method`, fitted on `cases` (none for kernel-level fits). Cost O(values).
 */
export function fitRecords(
  prefix: string,
  script: string,
  method: string,
  values: Record<string, number>,
  cases: string[] = [],
): FitRecord[] {
  return Object.entries(values).map(([k, value]) => ({
    parameter: `${prefix}.${k}`,
    value,
    cases,
    script,
    method,
  }));
}

/**
 * The record of a family's fixed cost of one 16-bit decode linear call (`serving.linearCallFixedS`), none when the
 * family has no such figure. Cost O(1).
 */
export function linearCallFixedRecords(family: string, value: number | undefined): FitRecord[] {
  return value === undefined
    ? []
    : fitRecords(
        `families.${family}.serving`,
        "scripts/fit/kernels-linear-call.ts",
        "median over the family's chips' aiconfigurator BF16 GEMM tables at M = 1, 2 MiB-2 GiB of weights (SGLang, vLLM, TensorRT-LLM; data/kernels/gemv-call-fixed-published.json) of each table's least-squares intercept of latency on weight bytes",
        { linearCallFixedS: value },
      );
}

/**
 * The record of a family's fixed latency of one GQA/MHA decode-attention call (`serving.attentionCallFixedS.gqa`),
 * none when the family has no such figure. Cost O(1).
 */
export function decodeAttentionCallRecords(family: string, value: number | undefined): FitRecord[] {
  return value === undefined
    ? []
    : fitRecords(
        `families.${family}.serving`,
        "scripts/fit/kernels-decode-attention.ts",
        "median latency of the family's chip's aiconfigurator SGLang 0.5.10 decode-attention rows at KV reads under 2 MB (CUDA-graph replay; data/kernels/decode-attention-aiconfigurator-2026.json, the section naming the family)",
        { "attentionCallFixedS.gqa": value },
      );
}

/**
 * The record of a family's fused-MoE expert streaming rate (`serving.groupedWeightStreaming`), none when the family
 * has no such figure. Cost O(1).
 */
export function groupedWeightStreamingRecords(family: string, value: number | undefined): FitRecord[] {
  return value === undefined
    ? []
    : fitRecords(
        `families.${family}.serving`,
        "scripts/fit/kernels-fused-moe.ts",
        "mean over the family's chips' published small-batch fused-MoE tables (data/kernels/fused-moe-small-batch-published.json, derivedLinearFits) of each table's least-squares rate of kernel time on touched-expert weight bytes, over the chip's HBM bandwidth",
        { groupedWeightStreaming: value },
      );
}
