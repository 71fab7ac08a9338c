// The Hopper attention curves (PyTorch's FlashAttention-2 as `sdpa`, cuDNN as `fused`) against the FlashAttention-3 paper's published H100 kernel rates.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { attentionRate } from "../../training/kernels.js";
import { HOPPER_TRAINING } from "./hopper.js";
import type { AttentionShape } from "./types.js";

interface Row {
  seq: number;
  fwdCausalTflops: Record<"fa2" | "cudnn" | "fa3", number>;
  bwdTflops: Record<"fa2" | "cudnn" | "fa3", number>;
}
const data = JSON.parse(
  readFileSync(new URL("../../../data/kernels/flash-attention-h100-fa3-paper.json", import.meta.url), "utf8"),
) as { sections: { fa3_paper_h100_hd128: { peakBf16Tflops: number; rows: Row[] } } };
const { peakBf16Tflops: peak, rows } = data.sections.fa3_paper_h100_hd128;
/** Forward + backward TFLOPS of a kernel: the backward does 2.5x the forward's matmul FLOPs. */
const combined = (r: Row, k: "fa2" | "cudnn" | "fa3") =>
  3.5 / (1 / r.fwdCausalTflops[k] + 2.5 / r.bwdTflops[k]);
const sdpa = HOPPER_TRAINING.attention.sdpa as AttentionShape;
const fused = HOPPER_TRAINING.attention.fused;
const model = (shape: AttentionShape, seq: number) => attentionRate(peak * 1e12, shape, seq) / 1e12;
const long = rows.filter((r) => r.seq >= 8192);

describe("Hopper attention against the FlashAttention-3 paper's H100 rates (head dim 128, BF16)", () => {
  it("has the rows it is read at", () => {
    expect(long.map((r) => r.seq)).toEqual([8192, 16384]);
  });
  it("the sdpa (FlashAttention-2) curve is not faster than published FlashAttention-2 at 8K-16K, and within 10%", () => {
    for (const r of long) {
      const m = model(sdpa, r.seq);
      const p = combined(r, "fa2");
      expect(m).toBeLessThanOrEqual(p);
      expect(m).toBeGreaterThan(0.9 * p);
    }
  });
  it("the fused (cuDNN) curve is within 5% of published cuDNN at 8K-16K", () => {
    for (const r of long) {
      const m = model(fused, r.seq);
      expect(Math.abs(m / combined(r, "cudnn") - 1)).toBeLessThan(0.05);
    }
  });
  it("forward shares of the time agree with the published forward and backward rates to within 5 points", () => {
    for (const r of long)
      for (const [k, shape] of [
        ["fa2", sdpa],
        ["cudnn", fused],
      ] as const) {
        const fwd = 1 / r.fwdCausalTflops[k];
        const share = fwd / (fwd + 2.5 / r.bwdTflops[k]);
        expect(Math.abs(share - shape.forwardShare)).toBeLessThan(0.05);
      }
  });
  it("FlashAttention-2 runs at about 0.6 of cuDNN's and FlashAttention-3's rate: the backend a framework calls matters", () => {
    for (const r of long) {
      expect(combined(r, "fa2") / combined(r, "cudnn")).toBeLessThan(0.65);
      expect(combined(r, "fa2") / combined(r, "fa3")).toBeLessThan(0.6);
      expect(model(sdpa, r.seq) / model(fused, r.seq)).toBeLessThan(0.65);
    }
  });
});
