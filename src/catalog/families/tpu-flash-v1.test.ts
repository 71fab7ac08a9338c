// The first Pallas TPU flash-attention kernel (AXLearn's TPU attention before splash): its curve recomputed from AXLearn's published TPU v4 benchmark, and which runs it prices.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { trainingEfficiency } from "../../training/efficiency.js";
import { attentionMatrixUnitFactor, attentionRate, KernelModel } from "../../training/kernels.js";
import { recipeFor } from "../../training/precision.js";
import { resolveChip } from "../resolve.js";
import { TPU_PALLAS_FLASH_V1 } from "./tpu.js";

interface Row {
  layer: string;
  heads: number;
  headDim: number;
  refFwdS: number;
  refFwdBwdS: number;
  flashFwdS: number;
  flashFwdBwdS: number;
}
const data = JSON.parse(
  readFileSync(new URL("../../../data/kernels/axlearn-tpu-attention-v4.json", import.meta.url), "utf8"),
) as {
  sections: {
    axlearn_tpu_attention_v4: {
      peakBf16FlopsPerS: number;
      memoryBandwidthBytesPerS: number;
      batch: number;
      seq: number;
      biasBytesPerScoreElement: { forward: number; forwardAndBackward: number };
      rows: Row[];
    };
  };
};
const sec = data.sections.axlearn_tpu_attention_v4;
const v4 = resolveChip("tpu-v4");
const eff = trainingEfficiency(v4);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Peak fraction and forward share of each row, with the bias traffic removed at the streaming rate or left in. */
function solve(removeBias: boolean): { pf: number[]; fs: number[] } {
  const stream = sec.memoryBandwidthBytesPerS * eff.memory;
  const pf: number[] = [];
  const fs: number[] = [];
  for (const r of sec.rows) {
    const elements = sec.batch * r.heads * sec.seq * sec.seq;
    const causalFwdFlops = 0.5 * 4 * sec.batch * sec.seq * sec.seq * r.heads * r.headDim;
    const fill = attentionMatrixUnitFactor(v4.matrixUnitWidth, r.headDim, r.headDim, false);
    const biasF = removeBias ? (elements * sec.biasBytesPerScoreElement.forward) / stream : 0;
    const biasAll = removeBias ? (elements * sec.biasBytesPerScoreElement.forwardAndBackward) / stream : 0;
    const t = r.flashFwdBwdS - biasAll;
    // The model's fused time at peak fraction 1: 3.5 x causal forward FLOPs over the curve's rate, times the fill.
    const atFull =
      (3.5 * causalFwdFlops * fill) /
      attentionRate(sec.peakBf16FlopsPerS, { ...TPU_PALLAS_FLASH_V1, peakFraction: 1 }, sec.seq);
    pf.push(atFull / t);
    fs.push((r.flashFwdS - biasF) / t);
  }
  return { pf, fs };
}

describe("the first Pallas TPU flash kernel (data/kernels/axlearn-tpu-attention-v4.json)", () => {
  it("the benchmark's chip is the catalog's TPU v4", () => {
    expect(v4.peakFlops.bf16).toBe(sec.peakBf16FlopsPerS);
    expect(v4.memoryBandwidthBytesPerS).toBe(sec.memoryBandwidthBytesPerS);
  });
  it("TPU_PALLAS_FLASH_V1 is the median over the benchmark's rows with the bias traffic removed", () => {
    const { pf, fs } = solve(true);
    expect(pf.length).toBe(7);
    expect(median(pf)).toBeCloseTo(TPU_PALLAS_FLASH_V1.peakFraction, 2);
    expect(median(fs)).toBeCloseTo(TPU_PALLAS_FLASH_V1.forwardShare, 2);
    // Left in, the bias makes the kernel slower still: the family's figure is the fastest the data allows.
    const kept = solve(false);
    expect(median(kept.pf)).toBeCloseTo(0.223, 2);
    expect(median(kept.pf)).toBeLessThan(TPU_PALLAS_FLASH_V1.peakFraction);
  });
  it("every row, either way, runs well under the 0.5 assumed for splash (the family's fused curve)", () => {
    for (const pf of [...solve(true).pf, ...solve(false).pf]) {
      expect(pf).toBeLessThan(0.8 * eff.attention.fused.peakFraction);
    }
  });
  it("the head-dim-64 row agrees with the head-dim-128 rows once the MXU's fill is charged", () => {
    const { pf } = solve(true);
    const d64 = pf[sec.rows.findIndex((r) => r.headDim === 64)];
    const d128 = median(pf.filter((_, i) => sec.rows[i].headDim === 128));
    expect(Math.abs(d64 / d128 - 1)).toBeLessThan(0.15);
  });
  it("every TPU generation prices the flash-v1 class at this curve, and the fused class unchanged", () => {
    for (const id of ["tpu-v4", "tpu-v5e", "tpu-v5p", "tpu-v6e"]) {
      const chip = resolveChip(id);
      const e = trainingEfficiency(chip);
      const recipe = recipeFor("bf16", undefined, "fp8-delayed");
      expect(new KernelModel(chip, e, recipe, "flash-v1").attn).toEqual(TPU_PALLAS_FLASH_V1);
      expect(new KernelModel(chip, e, recipe, "fused").attn).toEqual(e.attention.fused);
    }
  });
});
