// Rate of a torchao NVFP4 linear (dynamic activation quantisation plus the NVFP4 GEMM) from torchao's measured speedup over BF16 by problem size.

import type { KernelEfficiency } from "../catalog/families/types.js";
import { ZettasimError } from "../core/errors.js";
import { log, pow } from "../core/math.js";
import type { WeightQuantization } from "./block-fp8-gemm.js";

/**
 * Fraction of the FP4 peak at which one FP4 linear of a torchao NVFP4 checkpoint (`quantization: "torchao-nvfp4"`,
 * torchao's NVFP4DynamicActivationNVFP4WeightConfig with a dynamic per-tensor scale) runs on this family, its activation
 * quantisation included, for a call of `rows` activation rows against `weightParams` weights (N x K), O(table).
 * undefined when the checkpoint is not one, the matmul is not FP4, the family gives no table
 * (`torchaoNvfp4SpeedupByCube`) or `rows` is below the table's smallest shape (decode-sized M: the table's small cubes
 * time fixed per-call costs of square problems, not weight-streaming ones; the roofline at the engine's rate stands).
 *
 * The family's table gives torchao's measured end-to-end speedup of a torch.compile'd NVFP4 `ReLU -> Linear` over the
 * BF16 one on square problems of side s (M = K = N = s); a call is placed at the side of equal work, s = (rows x
 * weightParams)^(1/3), interpolated log-linearly in s and held at the last point above it. The BF16 linear runs at the
 * family's `gemm` of the BF16 peak, so the NVFP4 one runs at speedup x gemm x `bf16OverFp4Peak` of the FP4 peak. Why:
 * each call first reduces the activation to a per-tensor amax, then quantises it into 16-element blocks with two-level
 * scales and a swizzled scale layout, then runs the block-scaled GEMM; at prefill sizes those passes and the GEMM's own
 * rate leave the linear 1.4-2.1x faster than BF16 where the FP4 peak is 4x (pytorch/ao docs/source/workflows/inference.md,
 * "nvfp4 with dynamic global scaling", B200). Throws naming the field on a non-positive input; the table is the one `checkTorchaoNvfp4Table` accepted (the serving
 * cost checks it once, when it is built; not again per step).
 */
export function torchaoNvfp4Fraction(
  eff: Pick<KernelEfficiency, "gemm" | "torchaoNvfp4SpeedupByCube">,
  quantization: WeightQuantization | undefined,
  precision: string,
  rows: number,
  weightParams: number,
  bf16OverFp4Peak: number,
): number | undefined {
  const t = eff.torchaoNvfp4SpeedupByCube;
  if (quantization !== "torchao-nvfp4" || precision !== "fp4" || t === undefined) return undefined;
  for (const [k, v] of Object.entries({ rows, weightParams, bf16OverFp4Peak })) {
    if (!(Number.isFinite(v) && v > 0)) {
      throw new ZettasimError([{ path: [k], message: "expected a finite number > 0", value: v }]);
    }
  }
  const first = t[0] as { side: number; speedup: number };
  if (rows < first.side) return undefined;
  const side = pow(rows * weightParams, 1 / 3);
  let speedup = (t[t.length - 1] as { speedup: number }).speedup;
  if (side <= first.side) speedup = first.speedup;
  else {
    for (let i = 1; i < t.length; i++) {
      const hi = t[i] as { side: number; speedup: number };
      if (side <= hi.side) {
        const lo = t[i - 1] as { side: number; speedup: number };
        const f = log(side / lo.side) / log(hi.side / lo.side);
        speedup = lo.speedup + f * (hi.speedup - lo.speedup);
        break;
      }
    }
  }
  return Math.min(1, speedup * eff.gemm * bf16OverFp4Peak);
}

/**
 * Refuses a malformed `torchaoNvfp4SpeedupByCube` (empty, sides not ascending above 0, or a speedup <= 0) when the
 * checkpoint is a torchao NVFP4 one, naming the point; run once when the serving cost is built. O(table).
 */
export function checkTorchaoNvfp4Table(
  eff: Pick<KernelEfficiency, "torchaoNvfp4SpeedupByCube">,
  quantization: WeightQuantization | undefined,
): void {
  const t = eff.torchaoNvfp4SpeedupByCube;
  if (quantization !== "torchao-nvfp4" || t === undefined) return;
  if (t.length === 0) {
    throw new ZettasimError([
      {
        path: ["torchaoNvfp4SpeedupByCube"],
        message: "expected at least one { side, speedup } point",
        value: t,
      },
    ]);
  }
  for (let i = 0; i < t.length; i++) {
    const p = t[i] as { side: number; speedup: number };
    const prev = i > 0 ? (t[i - 1] as { side: number }).side : 0;
    if (!(p.side > prev) || !(p.speedup > 0)) {
      throw new ZettasimError([
        {
          path: ["torchaoNvfp4SpeedupByCube", i],
          message: "expected ascending sides > 0 and a speedup > 0",
          value: p,
        },
      ]);
    }
  }
}
