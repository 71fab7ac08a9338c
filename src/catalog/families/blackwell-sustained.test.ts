// Blackwell's sustained GEMM level: B200's published sustained (power-saturated) matmul rates reproduced, the burst
// rows reduced by B200's own sustained-over-burst ratio, and the catalog peaks checked against NVIDIA's pages.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deriveBlackwellKernels } from "../../../scripts/fit/kernels-blackwell.js";
import { gemmSeconds } from "../../training/kernels.js";
import { resolveChip } from "../resolve.js";
import { BLACKWELL_TRAINING } from "./blackwell.js";

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
