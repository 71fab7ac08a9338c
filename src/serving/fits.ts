// Fit records of every fitted serving parameter: its value, the cases it was fitted on, and the script that recomputes it (scripts/fit/serving.ts).
import type { FitRecord } from "../core/fit.js";

const SCRIPT = "scripts/fit/serving.ts";

/**
 * Every serving parameter fitted on validation cases. Each value equals the one in its profile
 * module (a test checks it), each case is in-sample for the predictions it touches, and
 * `npm run fit` recomputes the values (`--check` fails when one moved).
 */
export const SERVING_FITS: readonly FitRecord[] = [
  {
    parameter: "families.hopper.serving.overlapLowLatency",
    value: 0.75,
    cases: ["deepseek-online-decode-144xh800"],
    script: SCRIPT,
    method:
      "grid 0.30-1.00 step 0.05 over the share of min(compute, comm) hidden by two-batch overlap with low-latency all-to-all; loss: mean |error| of TPOT",
  },
  {
    parameter: "families.blackwell.serving.attentionCompute",
    value: 0.5,
    cases: [
      "sglang-r1-decode-fp8-48xgb200",
      "sglang-r1-decode-fp4-48xgb200",
      "sglang-r1-prefill-fp8-8xgb200",
      "sglang-r1-prefill-fp4-4xgb200",
    ],
    script: SCRIPT,
    method:
      "joint grid with allToAll: attentionCompute 0.20-0.60 step 0.05, allToAll 0.30-0.80 step 0.05; loss: mean |error| over the four GB200 cases",
  },
  {
    parameter: "families.blackwell.serving.allToAll",
    value: 0.4,
    cases: [
      "sglang-r1-decode-fp8-48xgb200",
      "sglang-r1-decode-fp4-48xgb200",
      "sglang-r1-prefill-fp8-8xgb200",
      "sglang-r1-prefill-fp4-4xgb200",
    ],
    script: SCRIPT,
    method: "joint grid with attentionCompute (see there)",
  },
  {
    parameter: "families.ascend-910.serving.gemm",
    value: 0.75,
    cases: [
      "cloudmatrix-r1-prefill-int8-16x910c",
      "cloudmatrix-r1-decode-int8-b96-160x910c",
      "cloudmatrix-r1-decode-int8-b8-160x910c",
    ],
    script: SCRIPT,
    method:
      "joint grid gemm 0.40-0.80, groupedGemm 0.30-0.70, attentionCompute 0.40-0.90 (step 0.05), xDeepServe kernelFactor 0.30-1.00 (step 0.05); loss: mean |error| over the three CloudMatrix-Infer cases",
  },
  {
    parameter: "families.ascend-910.serving.groupedGemm",
    value: 0.35,
    cases: [
      "cloudmatrix-r1-prefill-int8-16x910c",
      "cloudmatrix-r1-decode-int8-b96-160x910c",
      "cloudmatrix-r1-decode-int8-b8-160x910c",
    ],
    script: SCRIPT,
    method: "joint grid with gemm (see there)",
  },
  {
    parameter: "families.ascend-910.serving.attentionCompute",
    value: 0.55,
    cases: [
      "cloudmatrix-r1-prefill-int8-16x910c",
      "cloudmatrix-r1-decode-int8-b96-160x910c",
      "cloudmatrix-r1-decode-int8-b8-160x910c",
    ],
    script: SCRIPT,
    method: "joint grid with gemm (see there)",
  },
  {
    parameter: "engines.xdeepserve.kernelFactor",
    value: 0.3,
    cases: [
      "cloudmatrix-r1-prefill-int8-16x910c",
      "cloudmatrix-r1-decode-int8-b96-160x910c",
      "cloudmatrix-r1-decode-int8-b8-160x910c",
    ],
    script: SCRIPT,
    method:
      "joint grid with the Ascend 910 compute fractions (see families.ascend-910.serving.gemm): kernels per layer relative to the unfused count (CloudMatrix-Infer's fused operators); the batch-8 decode is bound by per-kernel fixed costs",
  },
];

/** How far to trust a serving figure: the spread of the model's errors on published runs no fit used. */
export interface ServingBand {
  /** Median |error| over the out-of-sample serving cases, %. */
  medianAbsErrorPct: number;
  /** Largest |error| among them, %. */
  maxAbsErrorPct: number;
  /** The out-of-sample cases (in no fit record above). */
  cases: string[];
  script: string;
}

/**
 * The uncertainty band `serve` shows beside its figures, recomputed by scripts/fit/serving.ts from
 * the serving cases of validation/ that no record above lists (decode TPOT and prefill tokens/s alike).
 */
export const SERVING_BAND: ServingBand = {
  medianAbsErrorPct: 8.4,
  maxAbsErrorPct: 58.5,
  cases: [
    "ant-r1-decode-fp8-mtp-ep16-h20",
    "ant-r1-prefill-fp8-tp8-h20",
    "deepseek-online-prefill-32xh800",
    "sglang-deepseek-v3-prefill-32xh100",
    "sglang-gptoss-decode-b1-bf16-tp4-b200",
    "sglang-gptoss-decode-b1-bf16-tp8-h100",
    "sglang-gptoss-decode-b1-mxfp4-tp4-b200",
    "sglang-gptoss-decode-b1-mxfp4-tp8-h100",
    "sglang-k2-decode-b480-96xh200",
    "sglang-v3-decode-b2-ctx64k-16xh200",
    "sglang-v3-decode-b2-ctx64k-mtp3-16xh200",
    "sglang-v3-decode-b2-ctx64k-mtp4-16xh200",
    "sglang-v3-decode-b2-ctx64k-overlap-16xh200",
    "sglang-v3-decode-b256-72xh100",
    "sglang-v3-decode-b256-notbo-72xh100",
    "sglang-v3-prefill-1k-32xh100",
    "sglang-v3-prefill-2k-32xh100",
    "sglang-v3-prefill-4k-32xh100",
    "trtllm-r1-decode-b1-mtp0-8xb200",
    "trtllm-r1-decode-b1-mtp1-8xb200",
    "trtllm-r1-decode-b1-mtp2-8xb200",
    "trtllm-r1-decode-b1-mtp3-8xb200",
    "trtllm-r1-decode-b1-mtp4-8xb200",
    "trtllm-r1-decode-b1-mtp5-8xb200",
  ],
  script: SCRIPT,
};
