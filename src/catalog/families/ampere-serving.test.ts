// Ampere's serving GEMM rate: the family's own sustained large-GEMM fraction, not the generic assumption.
import { describe, expect, it } from "vitest";
import { resolveChip } from "../resolve.js";
import { ampereServingGemm } from "./ampere.js";
import { GENERIC_SERVING } from "./generic.js";
import { chipFamily } from "./index.js";

describe("Ampere serving GEMM", () => {
  const ampere = chipFamily("ampere");
  it("is the asymptote of the family's GEMM shape model (MAMF A100 figure at sustained clocks)", () => {
    expect(ampere.serving.gemm).toBe(ampere.training.gemm.bf16.peakFraction);
    expect(ampereServingGemm({ peakFraction: 0.5, halfWorkMN: 1, halfDepthK: 1, fixedS: 0 })).toBe(0.5);
  });
  it("stays below the MAMF burst figure (271 of 312 TFLOPS) and above the generic assumption", () => {
    expect(ampere.serving.gemm).toBeLessThan(271.2 / 312);
    expect(ampere.serving.gemm).toBeGreaterThan(GENERIC_SERVING.gemm);
  });
  it("leaves the rest of the generic serving profile as it was (but the A100's measured linear call cost, 2026-12-03)", () => {
    const { gemm: _a, linearCallFixedS: _c, ...rest } = ampere.serving;
    const { gemm: _b, ...generic } = GENERIC_SERVING;
    expect(rest).toEqual(generic);
    expect(resolveChip("a100-sxm-80gb").family).toBe("ampere");
  });
});
