// Computes Hopper's per-tensor FP8 GEMM rates (`serving.gemmFp8PerTensor`, `gemmFp8PerTensorByRows`) from the H200 GEMM grid of this project's kernel session. Run: npx tsx scripts/fit/kernels-fp8-gemm.ts
import { pathToFileURL } from "node:url";
import { resolveChip } from "../../src/catalog/resolve.js";
import { kernelFile } from "./lib.js";

/** torch._scaled_mm (cuBLASLt, CUDA 13.0) per-tensor FP8 rows of the H200 GEMM grid (data/kernels/h200-2026-11-30-b.json, gemm_grid). */
const GRID_FILE = "h200-2026-11-30-b.json";
/** Prefill shapes: M >= 2,048, N >= 1,024, K >= 4,096. */
const PREFILL = { m: 2048, n: 1024, k: 4096 } as const;
/** Decode-sized M: the rows at each of these M with N and K >= 4,096. */
const DECODE_ROWS = [64, 128, 256, 512, 1024] as const;
const DECODE_MIN_NK = 4096;

type Row = { precision: string; M: number; N: number; K: number; s: number };

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Each per-tensor FP8 row's rate over the H200's dense FP8 peak, with its shape. */
export function fp8GridRates(): { M: number; N: number; K: number; fraction: number }[] {
  const peak = resolveChip("h200-sxm").peakFlops.fp8 as number;
  return (kernelFile(GRID_FILE).gemm_grid.rows as unknown as Row[])
    .filter((r) => r.precision === "fp8")
    .map((r) => ({ M: r.M, N: r.N, K: r.K, fraction: (2 * r.M * r.N * r.K) / r.s / peak }));
}

/**
 * Computed values by parameter path (relative to families.hopper.serving), to 3 decimals: the median rate of the
 * prefill-shaped rows, and per decode-sized M the median rate of its rows with N and K >= 4,096. Cost O(rows).
 */
export function deriveHopperFp8Gemm(): Record<string, number> {
  const rates = fp8GridRates();
  const out: Record<string, number> = {};
  out.gemmFp8PerTensor = Number(
    median(
      rates.filter((r) => r.M >= PREFILL.m && r.N >= PREFILL.n && r.K >= PREFILL.k).map((r) => r.fraction),
    ).toFixed(3),
  );
  DECODE_ROWS.forEach((m, i) => {
    out[`gemmFp8PerTensorByRows.${i}.fraction`] = Number(
      median(
        rates.filter((r) => r.M === m && r.N >= DECODE_MIN_NK && r.K >= DECODE_MIN_NK).map((r) => r.fraction),
      ).toFixed(3),
    );
  });
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(deriveHopperFp8Gemm(), null, 2)}\n`);
}
