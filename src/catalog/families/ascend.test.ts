// The Ascend serving profiles reproduce the kernel figures they cite (data/kernels/ascend-910c-cloudmatrix-2025.json), and the figures taken from kernels are no longer case-fitted.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gemmSeconds } from "../../training/kernels.js";
import { SERVING_FIT_SPECS } from "../../validate/serving-fits.js";
import { ASCEND_910, ASCEND_910_TRAINING } from "./ascend-910.js";
import { ASCEND_950 } from "./ascend-950.js";
import { SERVING_CASE_FITS } from "./serving-fits.data.js";

const b910 = JSON.parse(
  readFileSync(new URL("../../../data/kernels/ascend-910b-published.json", import.meta.url), "utf8"),
).sections;
const cm = JSON.parse(
  readFileSync(new URL("../../../data/kernels/ascend-910c-cloudmatrix-2025.json", import.meta.url), "utf8"),
).sections;

describe("Ascend 910C serving kernels (CloudMatrix-Infer operator microbenchmarks)", () => {
  const gemmRows: { peakFraction: number }[] = cm.int8_gemm.rows;
  const lo = Math.min(...gemmRows.map((r) => r.peakFraction));
  const hi = Math.max(...gemmRows.map((r) => r.peakFraction));
  it("takes the dense GEMM fraction as the middle of the published int8 GEMM range", () => {
    expect([lo, hi]).toEqual([0.774, 0.827]);
    expect(ASCEND_910.serving.gemm).toBeCloseTo((lo + hi) / 2, 2);
    expect(ASCEND_910.serving.gemm).toBeGreaterThanOrEqual(lo);
    expect(ASCEND_910.serving.gemm).toBeLessThanOrEqual(hi);
    expect(ASCEND_910.serving.gemm).toBe(cm.int8_gemm.profileValue);
  });
  it("takes attention from the MLA operator: compute-bound share of the bf16 peak, memory-bound share of HBM", () => {
    const [compute, memory] = cm.mla_attention.rows;
    expect(compute.regime).toBe("compute-bound");
    expect(ASCEND_910.serving.attentionCompute).toBe(compute.ascend910c);
    expect(memory.regime).toBe("memory-bound");
    expect(ASCEND_910.serving.memory).toBe(memory.ascend910c);
    // Below FlashMLA on H800 in both regimes, as published.
    expect(compute.ascend910c).toBeLessThan(compute.flashMlaH800);
    expect(memory.ascend910c).toBeLessThan(memory.flashMlaH800);
  });
  it("fits only what no kernel measures: the grouped GEMM (with xDeepServe's kernel count)", () => {
    const spec = SERVING_FIT_SPECS.find((s) => s.family === "ascend-910");
    expect(spec?.params.map((p) => p.parameter)).toEqual([
      "families.ascend-910.serving.groupedGemm",
      "engines.xdeepserve.kernelFactor",
    ]);
    const fitted = SERVING_CASE_FITS.map((r) => r.parameter);
    expect(fitted).not.toContain("families.ascend-910.serving.gemm");
    expect(fitted).not.toContain("families.ascend-910.serving.attentionCompute");
  });
  it("carries the 910C's measured GEMM and streaming fractions to the 950 family (same cube design)", () => {
    expect(ASCEND_950.serving.gemm).toBe(ASCEND_910.serving.gemm);
    expect(ASCEND_950.serving.memory).toBe(ASCEND_910.serving.memory);
  });
});

describe("Ascend 910B training kernels (data/kernels/ascend-910b-published.json)", () => {
  it("reproduces the PTO GEMM rows on a 24-core A3 die with the profile's cube shape", () => {
    const s = b910.pto_gemm;
    const g = ASCEND_910_TRAINING.gemm.bf16;
    for (const r of s.rows as { m: number; n: number; k: number; timeMs: number; computeBound: boolean }[]) {
      const t = gemmSeconds(r.m, r.n, r.k, s.peakTflopsCatalogPerDie * 1e12, g, 2, Number.POSITIVE_INFINITY);
      const err = t / (r.timeMs * 1e-3) - 1;
      // Compute-bound rows within 1.5%; the GM-feed-limited 7,680^3 row runs slower than the compute model says.
      if (r.computeBound) expect(Math.abs(err)).toBeLessThan(0.015);
      else expect(err).toBeLessThan(0);
    }
    // Half busy at about one wave of 128 x 256 base blocks over the 24 cube cores.
    expect(g.halfWorkMN / (24 * 128 * 256)).toBeGreaterThan(1);
    expect(g.halfWorkMN / (24 * 128 * 256)).toBeLessThan(1.5);
  });
  it("keeps the fit records and the profile's cube shape in step", () => {
    const byKey = Object.fromEntries(
      ASCEND_910.fits.map((r) => [r.parameter.replace("families.ascend-910.training.", ""), r.value]),
    );
    const g = ASCEND_910_TRAINING.gemm.bf16;
    expect([g.peakFraction, g.halfWorkMN, g.halfDepthK, g.fixedS]).toEqual([
      byKey["gemm.bf16.peakFraction"],
      byKey["gemm.bf16.halfWorkMN"],
      byKey["gemm.bf16.halfDepthK"],
      byKey["gemm.bf16.fixedS"],
    ]);
  });
  it("rests the cube figures on the 910B2's platform description: 24 cores of 16x16x16 MACs at 1,800 MHz", () => {
    const [r] = b910.cube_peak.rows;
    const macsPerCycle = r.cubeM * r.cubeN * r.cubeK;
    expect(macsPerCycle).toBe(4096);
    expect((r.cubeCores * macsPerCycle * 2 * r.cubeFreqMHz * 1e6) / 1e12).toBeCloseTo(r.peakTflopsFp16, 1);
  });
  it("saturates FlashAttention with keys as the pto-isa rows the profile was written from (S / (S + 1,750))", () => {
    const rows: { version: string; sk: number; normalizedTflops: number }[] =
      b910.flash_attention_forward.rows;
    const first = rows.filter((r) => r.version.startsWith("first"));
    const lo = first.find((r) => r.sk === 1024);
    const hi = first.find((r) => r.sk === 8192);
    if (!lo || !hi) throw new Error("missing rows");
    // T(S) = A S / (S + h): the ratio of the two endpoints fixes h.
    const q = hi.normalizedTflops / lo.normalizedTflops;
    const h = (hi.sk * lo.sk * (q - 1)) / (hi.sk - q * lo.sk);
    expect(ASCEND_910_TRAINING.attention.fused?.halfSeq).toBeCloseTo(h, -1);
    // Every row of that version within 12% of the curve through the 8K row (the later version's rows fit h ~1,220).
    const f = (s: number) => s / (s + h);
    for (const r of first)
      expect(
        Math.abs((f(r.sk) / f(hi.sk)) * hi.normalizedTflops - r.normalizedTflops) / r.normalizedTflops,
      ).toBeLessThan(0.12);
  });
});
