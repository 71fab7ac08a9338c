// Fits SGL-JAX's ragged paged attention figures on TPU (the decode call line and the prefill attention rate) to its published v6e kernel table. Run: npx tsx scripts/fit/kernels-tpu.ts
import { pathToFileURL } from "node:url";
import { resolveChip } from "../../src/catalog/resolve.js";
import { leastSquaresLine } from "../../src/core/fit.js";
import { attentionMatrixUnitFactor } from "../../src/training/kernels.js";
import { kernelFile, roundSig } from "./lib.js";

/** sglang-jax's CI kernel guard on one TPU v6e (data/kernels/sgljax-rpa-v6e-published.json). */
const RPA_FILE = "sgljax-rpa-v6e-published.json";
/** head_dim of every row of the guard; K and V of bf16 (2 B) each. */
const HEAD_DIM = 128;
/** The cookbook recipes' `--page-size 128`: the decode line is the page-128 one. */
const PAGE_TOKENS = 128;
/** The recipes' `--chunked-prefill-size 2048` at 8 query heads per chip: the prefill rows the rate is read on. */
const PREFILL = { tokens: 4096, qHeads: 8 } as const;

/** One decode row of a trace section: sequences of one query token over a KV cache of `meanKvTokens` on average. */
export interface RpaDecodeRow {
  pageTokens: number;
  sequences: number;
  qHeads: number;
  kvHeads: number;
  meanKvTokens: number;
  kernelMs: number;
}

/** One prefill row: `sequences` causal sequences of `tokensPerSequence` tokens, `causalPairs` query-key pairs in all. */
export interface RpaPrefillRow {
  pageTokens: number;
  tokens: number;
  sequences: number;
  tokensPerSequence: number;
  qHeads: number;
  kvHeads: number;
  kernelMs: number;
  causalPairs: number;
}

/** KV bytes one sequence of `r` reads per call: K and V of head_dim 128 at 2 B for every KV head on the chip. */
export const rpaKvBytesPerSequence = (r: RpaDecodeRow): number =>
  r.kvHeads * r.meanKvTokens * 2 * HEAD_DIM * 2;

/** The rows the fits use: the January-2026 trace's page-128 decode rows and its prefill rows at 2,048 tokens and 8 query heads. */
export function rpaFitRows(): { decode: RpaDecodeRow[]; prefill: RpaPrefillRow[] } {
  const f = kernelFile(RPA_FILE);
  return {
    decode: (f.rpa_v6e_trace_2026_01.rows as unknown as RpaDecodeRow[]).filter(
      (r) => r.pageTokens === PAGE_TOKENS,
    ),
    prefill: (f.rpa_v6e_prefill_trace_2026_01.rows as unknown as RpaPrefillRow[]).filter(
      (r) => r.tokens === PREFILL.tokens && r.qHeads === PREFILL.qHeads,
    ),
  };
}

/** Causal attention FLOPs per second of a prefill row: 4 x head_dim per query-key pair per query head (QK^T and PV). */
export const rpaPrefillFlopsPerS = (r: RpaPrefillRow): number =>
  (r.causalPairs * r.qHeads * HEAD_DIM * 4) / (r.kernelMs * 1e-3);

/**
 * Fitted values by parameter path (relative to families.tpu.servingByEngine.sglang-jax), rounded as the code writes
 * them. Decode: ordinary least squares of the time per sequence (kernelMs / sequences) on the KV bytes per sequence
 * over the page-128 rows, t = perSeqS + bytes / (hbmFraction x the v6e's HBM bandwidth). Prefill: the mean FLOP rate
 * of the 2,048-token, 8-query-head rows times the serving model's matrix-unit factor for head_dim 128 on the v6e's
 * MXU, over the v6e's bf16 peak. Values rounded to 4 significant digits. Cost O(rows).
 */
export function fitTpuKernels(): Record<string, number> {
  const chip = resolveChip("tpu-v6e");
  const { decode, prefill } = rpaFitRows();
  const { intercept, slope } = leastSquaresLine(
    decode.map(rpaKvBytesPerSequence),
    decode.map((r) => (r.kernelMs * 1e-3) / r.sequences),
  );
  const rate = prefill.reduce((a, r) => a + rpaPrefillFlopsPerS(r), 0) / prefill.length;
  const fill = attentionMatrixUnitFactor(chip.matrixUnitWidth, HEAD_DIM, HEAD_DIM, false);
  return {
    "raggedDecodeCall.perSeqS": roundSig(intercept, 4),
    "raggedDecodeCall.hbmFraction": roundSig(1 / slope / chip.memoryBandwidthBytesPerS, 4),
    attentionCompute: roundSig((rate * fill) / (chip.peakFlops.bf16 as number), 4),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(fitTpuKernels(), null, 2)}\n`);
}
