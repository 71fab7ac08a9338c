// Fits the Ascend 910 family's bf16 GEMM shape (peak fraction, half-busy output size) to the PTO GEMM measurements on a 24-core A3 die. Run: npx tsx scripts/fit/kernels-ascend.ts
import { pathToFileURL } from "node:url";
import { HOPPER_TRAINING } from "../../src/catalog/families/hopper.js";
import { gemmSeconds } from "../../src/training/kernels.js";
import { fitLog, kernelFile, roundSig } from "./lib.js";

/** What the profile keeps from elsewhere: Hopper's tile prologue depth and the CANN per-kernel device cost (A). */
export const ASCEND_GEMM_FIXED = { halfDepthK: HOPPER_TRAINING.gemm.bf16.halfDepthK, fixedS: 5e-6 } as const;

/**
 * Least squares on log(predicted / measured) time over the compute-bound rows of data/kernels/ascend-910b-published.json
 * (pto_gemm), the shape model of src/training/kernels.ts at the catalog's per-die peak, fp16 operands; the memory
 * roofline never binds on these shapes. Values rounded to 3 significant digits.
 */
export function fitAscendKernels(): Record<string, number> {
  const s = kernelFile("ascend-910b-published.json").pto_gemm as unknown as {
    peakTflopsCatalogPerDie: number;
    rows: { m: number; n: number; k: number; timeMs: number; computeBound: boolean }[];
  };
  const peak = s.peakTflopsCatalogPerDie * 1e12;
  const rows = s.rows
    .filter((r) => r.computeBound)
    .map((r) => ({
      measured: r.timeMs * 1e-3,
      predict: (p: number[]) =>
        gemmSeconds(
          r.m,
          r.n,
          r.k,
          peak,
          { peakFraction: p[0], halfWorkMN: p[1], ...ASCEND_GEMM_FIXED },
          2,
          Number.POSITIVE_INFINITY,
        ),
    }));
  const { p } = fitLog([0.8, 2e5], rows);
  return {
    "gemm.bf16.peakFraction": roundSig(p[0], 3),
    "gemm.bf16.halfWorkMN": roundSig(p[1], 3),
    "gemm.bf16.halfDepthK": ASCEND_GEMM_FIXED.halfDepthK,
    "gemm.bf16.fixedS": ASCEND_GEMM_FIXED.fixedS,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(fitAscendKernels(), null, 2)}\n`);
}
