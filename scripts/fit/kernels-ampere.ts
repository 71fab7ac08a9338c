// Derives the Ampere family's GEMM profile (A100) from its published maximum achievable matmul figure and the
// Hopper fit. Run: npx tsx scripts/fit/kernels-ampere.ts
import { pathToFileURL } from "node:url";
import { fitHopperKernels } from "./kernels-hopper.js";
import { roundSig } from "./lib.js";

/** ml-engineering MAMF table: A100 SXM bf16 271.2 of 312 TFLOPS at 1024 x 10240 x 5120 (torch 2.6, CUDA 12.6). */
const A100 = { tflops: 271.2, peak: 312, shape: [1024, 10240, 5120] } as const;
/** The same table's H100 SXM bf16 row, against which the Hopper fit's sustained level is read. */
const H100 = { tflops: 794.5, peak: 989, shape: [2048, 2048, 13312] } as const;
/** SMs: A100 108, H100 132; A100 tensor cores do half the H100's dense FLOPs per SM per clock. */
const SM_RATIO = 108 / 132;

/** Derived values by parameter path (relative to families.ampere.training). */
export function deriveAmpereKernels(): Record<string, number> {
  const h = fitHopperKernels();
  const out: Record<string, number> = {};
  // Same tiles over fewer SMs; half the per-SM rate fills a tile's pipeline in half the depth.
  const W = roundSig(h["gemm.bf16.halfWorkMN"] * SM_RATIO, 3);
  const c = roundSig(h["gemm.bf16.halfDepthK"] / 2, 3);
  const f = (s: readonly number[], w: number, k: number) => (1 + w / (s[0] * s[1])) * (1 + k / s[2]);
  const sustain =
    h["gemm.bf16.peakFraction"] /
    f(H100.shape, h["gemm.bf16.halfWorkMN"], h["gemm.bf16.halfDepthK"]) /
    (H100.tflops / H100.peak);
  out["gemm.bf16.peakFraction"] = roundSig((A100.tflops / A100.peak) * f(A100.shape, W, c) * sustain, 4);
  out["gemm.bf16.halfWorkMN"] = W;
  out["gemm.bf16.halfDepthK"] = c;
  out["gemm.bf16.fixedS"] = h["gemm.bf16.fixedS"];
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(deriveAmpereKernels(), null, 2)}\n`);
}
