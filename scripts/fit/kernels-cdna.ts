// Computes the CDNA family's kernel-level figures from AMD's and ROCm's published MI300X/MI325X/MI355X microbenchmarks: GEMM peak fractions, decode weight streaming, small all-reduce latencies. Run: npx tsx scripts/fit/kernels-cdna.ts
import { pathToFileURL } from "node:url";
import { kernelFile, roundSig } from "./lib.js";

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Each GEMM precision's fraction of the dense datasheet peak: the median over the chips of AMD's max-achievable FLOPS (cdna-maf-2025.json, gemm_maf). */
export function cdnaGemmPeakFractions(): Record<"bf16" | "fp8" | "fp4", number> {
  const rows = kernelFile("cdna-maf-2025.json").gemm_maf.rows as {
    precision: string;
    tflops: number;
    peakTflops: number;
  }[];
  const of = (p: string) => {
    const f = rows
      .filter((r) => r.precision === p)
      .map((r) => r.tflops / r.peakTflops)
      .sort((a, b) => a - b);
    return roundSig(f[f.length >> 1], 4);
  };
  return { bf16: of("bf16"), fp8: of("fp8"), fp4: of("fp4") };
}

/**
 * MI300X decode figures (cdna-decode-2026.json): the achieved share of HBM of an M = 1 FP16 GEMM whose weights exceed the
 * Infinity Cache, median over the rows, for the wvSpltK skinny kernel and for hipBLASLt's selection (3 decimals); the
 * median RCCL all-reduce time over 8 MI300X at 32-64 KB, out of place and in place (s, to 0.001 us).
 */
export function cdnaDecodeFigures(): { skinnyGemm: number; hipblaslt: number; rcclAllReduceS: number } {
  const f = kernelFile("cdna-decode-2026.json") as unknown as {
    skinny_gemm_m1: {
      hbmBytesPerS: number;
      cacheBytes: number;
      rows: { n: number; k: number; hipblasltUs: number; wvSpltKUs: number }[];
    };
    rccl_allreduce_small: { rows: { outOfPlaceUs: number; inPlaceUs: number }[] };
  };
  const g = f.skinny_gemm_m1;
  const big = g.rows.filter((r) => r.n * r.k * 2 > g.cacheBytes);
  const share = (us: (r: (typeof big)[number]) => number) =>
    Number((median(big.map((r) => (r.n * r.k * 2) / (us(r) * 1e-6))) / g.hbmBytesPerS).toFixed(3));
  const ar = f.rccl_allreduce_small.rows.flatMap((r) => [r.outOfPlaceUs, r.inPlaceUs]);
  return {
    skinnyGemm: share((r) => r.wvSpltKUs),
    hipblaslt: share((r) => r.hipblasltUs),
    rcclAllReduceS: Number(`${median(ar).toFixed(3)}e-6`),
  };
}

/**
 * The custom all-reduce's fixed cost (cdna-serving-2026-12-02.json, custom_allreduce_small): the median of AMD's
 * MI300X kernel times at 2-32 KB less the xGMI protocol's static latency, s to 0.01 us.
 */
export function cdnaCustomAllReduceS(): number {
  const sec = kernelFile("cdna-serving-2026-12-02.json").custom_allreduce_small as unknown as {
    protocolStaticLatencyUs: number;
    rows: { bytes: number; us: number }[];
  };
  const us = median(sec.rows.filter((r) => r.bytes <= 32768).map((r) => r.us)) - sec.protocolStaticLatencyUs;
  return Number(`${us.toFixed(2)}e-6`);
}

/** Computed values by parameter path (relative to families.cdna). Cost O(rows log rows). */
export function deriveCdnaKernels(): Record<string, number> {
  const out: Record<string, number> = {};
  const gemm = cdnaGemmPeakFractions();
  for (const [p, v] of Object.entries(gemm)) out[`training.gemm.${p}.peakFraction`] = v;
  // Serving runs FP8 on these chips: its dense GEMMs at the fp8 fraction.
  out["serving.gemm"] = gemm.fp8;
  const d = cdnaDecodeFigures();
  out["serving.weightStreaming"] = d.skinnyGemm;
  out["serving.fp8BlasWeightStreaming"] = d.hipblaslt;
  out["servingByEngine.vllm-v0.weightStreaming"] = d.hipblaslt;
  out["servingByEngine.vllm-v0.allReduceFixedS"] = d.rcclAllReduceS;
  out["serving.allReduceFixedS"] = cdnaCustomAllReduceS();
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(deriveCdnaKernels(), null, 2)}\n`);
}
