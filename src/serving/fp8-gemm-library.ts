// FP8 GEMM and context-attention rates of engines that run FP8 through per-tensor-scaled library kernels (TensorRT-LLM 2023).

import type { KernelEfficiency } from "../catalog/families/types.js";
import { ZettasimError } from "../core/errors.js";
import { log } from "../core/math.js";
import type { ServingEngine } from "./engines/types.js";

/**
 * Fraction of the FP8 peak that a dense FP8 GEMM of this engine reaches on this family, O(1): the family's
 * `gemmFp8PerTensor` when the engine runs its FP8 linears through per-tensor-scaled library kernels
 * (`perTensorFp8Gemm`) and the family measures them, its `gemm` otherwise. Only FP8 matmuls: other precisions keep
 * `gemm`. Why: a family's `gemm` is the rate of the kernels current engines run (on Hopper, DeepGEMM-class FP8 GEMMs
 * near 0.7 of peak); TensorRT-LLM v0.5-v0.7 built its FP8 linears from TensorRT 9.1's per-tensor-scaled FP8 matmuls
 * (`--enable_fp8 --strongly_typed`, no GEMM plugin: FP8 in the GEMM plugin came with v0.11, release notes), a
 * cuBLASLt-class kernel, whose measured rate at prefill shapes on Hopper is 0.61 of peak
 * (data/kernels/h200-2026-11-30-b.json, gemm_grid; `HOPPER_FP8_PER_TENSOR_GEMM` in src/catalog/families/hopper.ts).
 */
export function fp8GemmFraction(
  eff: Pick<KernelEfficiency, "gemm" | "gemmFp8PerTensor">,
  engine: Pick<ServingEngine, "perTensorFp8Gemm">,
  precision: string,
): number {
  if (precision !== "fp8" || engine.perTensorFp8Gemm !== true) return eff.gemm;
  return eff.gemmFp8PerTensor ?? eff.gemm;
}

/**
 * Checks, once where an engine's cost is built, the family's per-tensor FP8 table (`gemmFp8PerTensorByRows`) that an
 * engine with per-tensor library FP8 GEMMs (`perTensorFp8Gemm`) reads at every step (fp8GemmFractionAtRows): nothing
 * to check for other engines or without a table. Throws ZettasimError naming the field on a table that is empty, not
 * ascending or outside (0, 1]. O(n) in the table.
 */
export function checkPerTensorFp8Table(
  eff: Pick<KernelEfficiency, "gemmFp8PerTensorByRows">,
  engine: Pick<ServingEngine, "perTensorFp8Gemm">,
): void {
  const table = eff.gemmFp8PerTensorByRows;
  if (engine.perTensorFp8Gemm !== true || table === undefined) return;
  if (table.length === 0) {
    throw new ZettasimError([
      {
        path: ["gemmFp8PerTensorByRows"],
        message: "expected at least one { rows, fraction } point",
        value: table,
      },
    ]);
  }
  for (let i = 0; i < table.length; i++) {
    const p = table[i] as { rows: number; fraction: number };
    const prev = i > 0 ? (table[i - 1] as { rows: number }).rows : 0;
    if (!(p.rows > prev) || !(p.fraction > 0 && p.fraction <= 1)) {
      throw new ZettasimError([
        {
          path: ["gemmFp8PerTensorByRows", i],
          message: "expected ascending rows > 0 and a fraction in (0, 1]",
          value: p,
        },
      ]);
    }
  }
}

/**
 * Fraction of the FP8 peak that a per-tensor-scaled library FP8 GEMM reaches at `rows` activation rows (M), O(n) in the
 * table: log-linear interpolation over the family's measured `{ rows, fraction }` points (`gemmFp8PerTensorByRows`,
 * ascending rows), held at the first point below it and capped at `asymptote` (the prefill-shape rate, reached by
 * the last point). Why: at decode batch sizes (M of 64-1,024 per rank) a cuBLASLt-class FP8 kernel is neither at its
 * compute asymptote nor streaming its weights at the skinny-GEMM rate: its tiles run part-empty and the grid has few
 * waves, so the H200 grid's per-tensor FP8 rows reach 0.20 of the peak at M = 64, 0.38 at 128, 0.48 at 256 and 0.58
 * at 512 (medians over N, K >= 4,096; data/kernels/h200-2026-11-30-b.json, gemm_grid). The table is one that
 * `checkPerTensorFp8Table` accepted (the serving cost checks it once, when it is built; not again per step).
 */
export function perTensorFp8FractionAtRows(
  table: readonly { rows: number; fraction: number }[],
  asymptote: number,
  rows: number,
): number {
  const first = table[0] as { rows: number; fraction: number };
  if (rows <= first.rows) return Math.min(first.fraction, asymptote);
  for (let i = 1; i < table.length; i++) {
    const hi = table[i] as { rows: number; fraction: number };
    if (rows <= hi.rows) {
      const lo = table[i - 1] as { rows: number; fraction: number };
      const t = log(rows / lo.rows) / log(hi.rows / lo.rows);
      return Math.min(lo.fraction + t * (hi.fraction - lo.fraction), asymptote);
    }
  }
  return asymptote;
}

/**
 * Fraction of the peak at `precision` that a dense GEMM of this engine reaches at `rows` activation rows, O(table):
 * `fp8GemmFraction`, except that an engine with per-tensor library FP8 GEMMs on a family that measures them by rows
 * (`gemmFp8PerTensorByRows`) takes the measured fraction at those rows (perTensorFp8FractionAtRows; the table checked
 * by `checkPerTensorFp8Table` when the cost was built).
 */
export function fp8GemmFractionAtRows(
  eff: Pick<KernelEfficiency, "gemm" | "gemmFp8PerTensor" | "gemmFp8PerTensorByRows">,
  engine: Pick<ServingEngine, "perTensorFp8Gemm">,
  precision: string,
  rows: number,
): number {
  const f = fp8GemmFraction(eff, engine, precision);
  const t = eff.gemmFp8PerTensorByRows;
  if (precision !== "fp8" || engine.perTensorFp8Gemm !== true || t === undefined) return f;
  return perTensorFp8FractionAtRows(t, f, rows);
}

/**
 * Precision whose tensor-unit peak the prefill (context) attention core runs at, O(1): FP8 when the KV cache is FP8
 * and the engine has FP8 context attention, 16-bit otherwise (an int8 cache is dequantised to 16 bits). TensorRT-LLM v0.5-v0.7 (`fp16ContextAttention`) ran
 * its context FMHA in FP16 over an FP8 cache (the cache is written in FP8 after the attention; FP8 context FMHA,
 * `--use_fp8_context_fmha`, arrived after v0.8.0: NVIDIA/TensorRT-LLM issue 1463).
 */
export function prefillAttentionPrecision(
  kvCache: "bf16" | "fp8" | "int8",
  engine: Pick<ServingEngine, "fp16ContextAttention">,
): "bf16" | "fp8" {
  return kvCache === "fp8" && engine.fp16ContextAttention !== true ? "fp8" : "bf16";
}
