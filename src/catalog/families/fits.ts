// Builds the FitRecords of a family module from the values its fit script wrote (kept apart from the profile so a test can catch the two drifting).
import type { FitRecord } from "../../core/fit.js";
import type { KernelEfficiency } from "./types.js";

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

/**
 * The records of a family's FP8 decode linear call lines under each engine that has one
 * (`servingByEngine.<engine>.fp8LinearCall.<scaling>.fixedS` and `.hbmFraction`). Cost O(engines).
 */
export function fp8LinearCallRecords(
  family: string,
  byEngine: Record<string, Partial<KernelEfficiency>>,
): FitRecord[] {
  const values: Record<string, number> = {};
  for (const [engine, eff] of Object.entries(byEngine))
    for (const [scaling, line] of Object.entries(eff.fp8LinearCall ?? {}))
      if (line) {
        values[`${engine}.fp8LinearCall.${scaling}.fixedS`] = line.fixedS;
        values[`${engine}.fp8LinearCall.${scaling}.hbmFraction`] = line.hbmFraction;
      }
  return fitRecords(
    `families.${family}.servingByEngine`,
    "scripts/fit/kernels-fp8-call.ts",
    "medians over the family's chips of each aiconfigurator M = 1 FP8 GEMM table's least-squares line (CUDA-graph replay, 2 MiB-2 GiB; data/kernels/fp8-call-fixed-published.json): intercept less the dynamic-scale step the TensorRT-LLM per-tensor rows include, and rate at the slope over the chip's HBM bandwidth",
    values,
  );
}

/**
 * The records of a family's NCCL ring all-gather / reduce-scatter line at decode sizes (`serving.gatherScatter`), none
 * when the family has no such line. Cost O(1).
 */
export function gatherScatterRecords(
  family: string,
  line: { fixedS: number; perPeerS: number } | undefined,
): FitRecord[] {
  return line === undefined
    ? []
    : fitRecords(
        `families.${family}.serving`,
        "scripts/fit/kernels-nccl-gather.ts",
        "least-squares line in peers (GPUs - 1) through the median time at 2, 4 and 8 GPUs of aiconfigurator's NCCL ring all-gather / reduce-scatter rows at decode sizes on the family's chip (data/kernels/nccl-small-gather-published.json)",
        { "gatherScatter.fixedS": line.fixedS, "gatherScatter.perPeerS": line.perPeerS },
      );
}

/**
 * The records of a family's TensorRT-LLM fused-MoE figures by expert weight format
 * (`servingByEngine.trtllm.groupedGemmByFormat` and `groupedWeightStreamingByFormat`). Cost O(formats).
 */
export function trtllmMoeRecords(family: string, eff: Partial<KernelEfficiency>): FitRecord[] {
  const values: Record<string, number> = {};
  for (const [format, v] of Object.entries(eff.groupedGemmByFormat ?? {}))
    if (v !== undefined) values[`groupedGemmByFormat.${format}`] = v;
  for (const [format, v] of Object.entries(eff.groupedWeightStreamingByFormat ?? {}))
    if (v !== undefined) values[`groupedWeightStreamingByFormat.${format}`] = v;
  return fitRecords(
    `families.${family}.servingByEngine.trtllm`,
    "scripts/fit/kernels-trtllm-moe.ts",
    "least squares over aiconfigurator's TensorRT-LLM 1.2.0rc5 fused-MoE table on the family's chip (DeepSeek-V3 expert shape, EP 8; data/kernels/trtllm-moe-aiconfigurator-2026.json): compute fraction = 1 / slope of time on expert FLOPs at 8K tokens and more over the peak; streaming = 1 / slope of time on touched experts' weight bytes at 1-1,024 tokens over HBM",
    values,
  );
}

/**
 * The serving kernel-fit records the NVIDIA families share: the decode linear and attention call costs, the fused-MoE
 * weight streaming, the NCCL gather line and TensorRT-LLM's fused MoE by format, from the family's generic serving
 * profile `serving` and its TensorRT-LLM profile `trtllm`. Cost O(formats).
 */
export function nvidiaServingRecords(
  family: string,
  serving: Partial<KernelEfficiency>,
  trtllm: Partial<KernelEfficiency>,
): FitRecord[] {
  return [
    ...linearCallFixedRecords(family, serving.linearCallFixedS),
    ...decodeAttentionCallRecords(family, serving.attentionCallFixedS?.gqa),
    ...groupedWeightStreamingRecords(family, serving.groupedWeightStreaming),
    ...gatherScatterRecords(family, serving.gatherScatter),
    ...trtllmMoeRecords(family, trtllm),
  ];
}
