// The rate at which a W8A8 (int8 weights and activations) linear streams its weights at decode, where the family measures its quantised matmul apart from its 16-bit one (Ascend's QuantBatchMatmul under SGLang and vLLM-Ascend).

import { ZettasimError } from "../core/errors.js";

/** One published decode-linear timing: a weight of `n` x `k` parameters at `bytesPerParam`, read in `timeUs`. */
export interface DecodeLinearRow {
  linear: string;
  format: string;
  n: number;
  k: number;
  bytesPerParam: number;
  timeUs: number;
}

/** Weight bytes per second one row reaches, B/s. */
export function rowBytesPerS(r: DecodeLinearRow): number {
  return (r.n * r.k * r.bytesPerParam) / (r.timeUs * 1e-6);
}

/**
 * The int8 linear's weight-streaming fraction of HBM from a trace that times the same linear in BF16 and in int8 on
 * one NPU and release: the family's 16-bit fraction `bf16Fraction` times the ratio of the two rows' byte rates
 * (the ratio does not need the NPU's datasheet bandwidth, which the trace may not name). Rows must be the same
 * linear (same n, k) at formats "bf16" and "int8"; anything else is refused. O(rows).
 */
export function int8StreamingFromRows(
  rows: readonly DecodeLinearRow[],
  linear: string,
  bf16Fraction: number,
): number {
  const pick = (format: string) => {
    const r = rows.find((x) => x.linear === linear && x.format === format);
    if (r === undefined)
      throw new ZettasimError([
        {
          path: ["rows"],
          message: `no ${format} row for linear ${linear}`,
          expected: "a bf16 and an int8 row",
        },
      ]);
    return r;
  };
  const b = pick("bf16");
  const q = pick("int8");
  if (b.n !== q.n || b.k !== q.k)
    throw new ZettasimError([
      {
        path: ["rows", linear],
        value: [q.n, q.k],
        message: "the int8 row is another shape",
        expected: `${b.n} x ${b.k}`,
      },
    ]);
  return bf16Fraction * (rowBytesPerS(q) / rowBytesPerS(b));
}

/**
 * Weight-streaming rate of an int8 (W8A8) linear, bytes/s per rank: the family's `int8LinearWeightStreaming` of the
 * rank's share of HBM `hbmBytesPerS` where the family gives one for the engine (its quantised matmul streams int8
 * weights below the 16-bit kernel's rate), else `defaultBytesPerS` (the family's `weightStreaming` rate). Only int8
 * linears take it: other precisions return the default. O(1).
 */
export function int8LinearStreamingBytesPerS(
  precision: string,
  int8Fraction: number | undefined,
  hbmBytesPerS: number,
  defaultBytesPerS: number,
): number {
  if (precision !== "int8" || int8Fraction === undefined) return defaultBytesPerS;
  return hbmBytesPerS * int8Fraction;
}

/**
 * Share of one layer's attention-projection weight bytes on a rank that run through the plain quantised matmul, in
 * [0, 1]: all of them for GQA/MHA attention; for MLA only the output projection (`heads x vHeadDim x hidden / tp` of
 * `attnParamsPerRank`), because the Ascend engines run the rest of an MLA layer's projections (q_a, kv_a, q_b and the
 * absorbed k up-projection) in the fused MLA preprocess operator (SGLang: npu_mla_preprocess,
 * python/sglang/srt/hardware_backend/npu/modules/deepseek_v2_attention_mla_npu.py), whose rate no trace gives. O(1).
 */
export function quantMatmulProjectionShare(
  mla: { vHeadDim: number } | undefined,
  heads: number,
  hidden: number,
  tp: number,
  attnParamsPerRank: number,
): number {
  if (mla === undefined) return 1;
  if (!(attnParamsPerRank > 0)) return 0;
  return Math.min(1, (heads * mla.vHeadDim * hidden) / tp / attnParamsPerRank);
}

/**
 * Rate at which bytes stream when a share `share` of them goes at `int8BytesPerS` and the rest at `otherBytesPerS`
 * (one linear's time is the sum of its parts), bytes/s. O(1).
 */
export function blendedBytesPerS(share: number, int8BytesPerS: number, otherBytesPerS: number): number {
  if (share >= 1) return int8BytesPerS;
  if (share <= 0) return otherBytesPerS;
  return 1 / (share / int8BytesPerS + (1 - share) / otherBytesPerS);
}
