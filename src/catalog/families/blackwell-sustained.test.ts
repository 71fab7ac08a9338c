// Blackwell's sustained GEMM level: B200's published sustained (power-saturated) matmul rates reproduced, the burst
// rows reduced by B200's own sustained-over-burst ratio, and the catalog peaks checked against NVIDIA's pages.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deriveBlackwellKernels } from "../../../scripts/fit/kernels-blackwell.js";
import { trainingEfficiency } from "../../training/efficiency.js";
import { gemmSeconds, KernelModel } from "../../training/kernels.js";
import { recipeFor } from "../../training/precision.js";
import { resolveChip } from "../resolve.js";
import { BLACKWELL_TRAINING } from "./blackwell.js";
import { HOPPER_TRAINING } from "./hopper.js";

type Row = Record<string, unknown> & { chip: string; precision: string };
const sections = JSON.parse(
  readFileSync(
    new URL("../../../data/kernels/sustained-gemm-clocks-published.json", import.meta.url),
    "utf8",
  ),
).sections as Record<string, { rows: Row[] }>;

/** The model's rate for one GEMM shape on a chip of `peak` TFLOPS, TFLOP/s. */
function modelTflops(p: "bf16" | "fp8", peak: number, [m, n, k]: number[]): number {
  const t = gemmSeconds(m, n, k, peak * 1e12, BLACKWELL_TRAINING.gemm[p], p === "bf16" ? 2 : 1, 0.84 * 8e12);
  return (2 * m * n * k) / t / 1e12;
}

describe("Blackwell sustained GEMM level (data/kernels/sustained-gemm-clocks-published.json)", () => {
  const b200 = sections.msmf_b200_h200.rows.filter((r) => r.chip === "b200");

  it("reproduces B200's measured sustained (MSMF) rates within 5% at their shapes", () => {
    expect(b200).toHaveLength(2);
    for (const r of b200) {
      const p = r.precision as "bf16" | "fp8";
      const got = modelTflops(p, r.theoryTflops as number, r.msmfShape as number[]);
      expect(Math.abs(got / (r.msmfTflops as number) - 1)).toBeLessThan(0.05);
    }
  });

  it("stays below the burst (MAMF) rate: the level is the power-saturated one", () => {
    for (const r of b200) {
      const p = r.precision as "bf16" | "fp8";
      expect(modelTflops(p, r.theoryTflops as number, r.mamfShape as number[])).toBeLessThan(
        0.9 * (r.mamfTflops as number),
      );
    }
  });

  it("takes B200's own sustained-over-burst ratio, measured at ~1,335 of 1,965 MHz near 1,000 W", () => {
    const d = deriveBlackwellKernels();
    for (const p of ["bf16", "fp8"] as const) {
      const raw = b200.find((r) => r.precision === p) as Row;
      expect((raw.msmfW as number) / (raw.powerLimitW as number)).toBeGreaterThan(0.98);
      expect(d[`gemm.${p}.sustainOverBurst`]).toBeGreaterThan(0.75);
      expect(d[`gemm.${p}.sustainOverBurst`]).toBeLessThan(
        (raw.msmfTflops as number) / (raw.mamfTflops as number),
      );
      expect(d[`gemm.${p}.peakFraction`]).toBe(BLACKWELL_TRAINING.gemm[p].peakFraction);
    }
  });

  it("catalog dense peaks match NVIDIA's pages (GB300 BF16/FP8 = GB200's, FP4 1.5x)", () => {
    for (const r of sections.datasheet_peak_check.rows) {
      const peak = resolveChip(r.chip).peakFlops;
      for (const f of ["bf16", "fp8", "fp4"] as const) expect(peak[f]).toBe((r[f] as number) * 1e12);
    }
    const gb200 = resolveChip("gb200").peakFlops;
    const gb300 = resolveChip("gb300").peakFlops;
    expect(gb300.bf16).toBe(gb200.bf16);
    expect((gb300.fp4 as number) / (gb200.fp4 as number)).toBe(1.5);
  });
});

describe("GB200's soaked GEMM rate (Azure cuBLASLt rows, data/kernels/sustained-gemm-clocks-published.json)", () => {
  type Soaked = { chip: string; precision: string; shape: number[]; tflops: number };
  const rows = sections.azure_cublaslt_soaked.rows as unknown as Soaked[];
  const big = (r: Soaked) => Math.min(...r.shape) >= 4096;
  const gb200 = resolveChip("gb200");

  it("the catalog's GB200 share is what the fit script derives, below 1: GB200 settles under B200's proportion", () => {
    const d = deriveBlackwellKernels();
    expect(gb200.gemmSustainedRelative).toBe(d["gb200.gemmSustainedRelative"]);
    expect(gb200.gemmSustainedRelative).toBeLessThan(1);
    expect(gb200.gemmSustainedRelative).toBeGreaterThan(0.8);
    expect(resolveChip("gb300").gemmSustainedRelative).toBe(1);
    expect(resolveChip("b200").gemmSustainedRelative).toBe(1);
  });

  it("with it, the model reproduces Azure's GB200 FP8 rows from 6,144 up within 10%, and is below the 4,096^3 row", () => {
    const s = gb200.gemmSustainedRelative;
    const fit = rows.filter((r) => r.chip === "gb200" && r.precision === "fp8" && big(r));
    expect(fit.length).toBeGreaterThanOrEqual(4);
    for (const r of fit) {
      const got = modelTflops("fp8", 5000 * s, r.shape);
      // The family's shape curve (XLA sm_100 table) rises more slowly than cuBLASLt's at 4,096^3.
      if (Math.min(...r.shape) < 6144) expect(got).toBeLessThan(r.tflops);
      else expect(Math.abs(got / r.tflops - 1)).toBeLessThan(0.1);
    }
  });

  it("the method is a soaked rate: the same guide's H200 FP8 rows sit within 12% of the Hopper profile, which matches mamf-finder's soaked H200", () => {
    const h = rows.filter((r) => r.chip === "h200" && r.precision === "fp8" && big(r));
    expect(h.length).toBeGreaterThanOrEqual(4);
    for (const r of h) {
      const [m, n, k] = r.shape;
      const t = gemmSeconds(m, n, k, 1979e12, HOPPER_TRAINING.gemm.fp8, 1, 0.891 * 4.8e12);
      const got = (2 * m * n * k) / t / 1e12;
      expect(Math.abs(got / r.tflops - 1)).toBeLessThan(0.12);
    }
  });

  it("scales GB200's BF16 and FP8 GEMMs, not its FP4 GEMMs or its attention", () => {
    const b200Like = { ...gb200, gemmSustainedRelative: 1 };
    for (const p of ["bf16", "fp8", "fp4"] as const) {
      const recipe = recipeFor(p, p === "fp4" ? "nvfp4" : p === "fp8" ? "mxfp8" : undefined, "fp8-delayed");
      const a = new KernelModel(gb200, trainingEfficiency(gb200), recipe, "fused");
      const b = new KernelModel(b200Like, trainingEfficiency(gb200), recipe, "fused");
      const ratio = a.gemm(16384, 16384, 16384, true) / b.gemm(16384, 16384, 16384, true);
      if (p === "fp4") expect(ratio).toBe(1);
      else expect(ratio).toBeCloseTo(1 / gb200.gemmSustainedRelative, 2);
      expect(a.gemm(8192, 8192, 8192, false)).toBeGreaterThan(b.gemm(8192, 8192, 8192, false));
      expect(a.peakBf16).toBe(b.peakBf16);
    }
  });
});
