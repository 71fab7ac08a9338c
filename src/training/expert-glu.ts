// Extra memory-bound work of a clamped, biased expert GLU (gpt-oss) as Megatron-Core runs it: eager clamps and concatenations around the fused activation, and the second projection's bias applied expert by expert.
import type { ExpertGluOps } from "./frameworks.js";

/**
 * Extra work of one MoE layer's routed-expert path for one micro-batch on one rank, beyond the fused activation
 * (which the layer charges as for any gated expert MLP): bytes moved by element-wise kernels (`*StreamBytes`) and
 * by reductions (`*ReduceBytes`), kernels launched, forward (`F`) and backward (`B`). `recomputedF*` is the share
 * of the forward inside Megatron's `moe_act` recompute module (the clamps), which selective recompute reruns; the
 * bias work is outside it.
 */
export interface ExpertGluExtra {
  fStreamBytes: number;
  bStreamBytes: number;
  bReduceBytes: number;
  kernelsF: number;
  kernelsB: number;
  recomputedFStreamBytes: number;
}

const NONE: ExpertGluExtra = {
  fStreamBytes: 0,
  bStreamBytes: 0,
  bReduceBytes: 0,
  kernelsF: 0,
  kernelsB: 0,
  recomputedFStreamBytes: 0,
};

/**
 * Bytes per routed row and per unit of the expert width (`ffn`: the first projection's output is [rows, 2 ffn])
 * of Megatron-Core's clamp before its fused quick-GEGLU (megatron/core/fusions/fused_bias_geglu.py,
 * `weighted_bias_quick_geglu_impl` with `clamp_value`, at the Megatron-LM commits Megatron-Bridge v0.2.1 and v0.3.0
 * pin, 0d8e0714 and b0cc2706): `x_glu.clamp(max)` and `x_linear.clamp(-c, c)` each read and write one bf16 half
 * (2 x 2 x 2 bytes), and `torch.cat` copies both back into one tensor (2 x 4): 16 bytes forward, 3 kernels. The
 * backward: each clamp's gradient reads the upstream gradient and its input (for the mask) and writes one half (2 x 6),
 * and `chunk`'s gradient concatenates the two halves (8): 20 bytes, 3 kernels.
 */
export const CLAMP_F_BYTES_PER_FFN = 16;
export const CLAMP_B_BYTES_PER_FFN = 20;
export const CLAMP_KERNELS_F = 3;
export const CLAMP_KERNELS_B = 3;

/**
 * Bytes per routed row and per unit of `hidden` of the second projection's bias as Megatron-Core's TEGroupedMLP
 * applies it (experts.py: `linear_fc2` with `skip_bias_add=True`, then `_apply_bias`: `torch.split` of the output
 * by tokens per expert, `t + b * p` per local expert, `torch.cat`), bf16 throughout (gpt-oss's provider sets no
 * `moe_router_dtype`, so the routing probabilities stay bf16; A where a run keeps them in fp32, which moves more):
 * forward `b * p` writes a row (2), the add reads two and writes one (6), the concatenation copies (4): 12 bytes,
 * two kernels per local expert and one; backward: the bias gradient (g * p, then a sum over the expert's rows) and
 * the probability gradient (g * b, then a sum over the hidden dimension) each write and read a product (4, stream)
 * and reduce it (2, reduction), and `split`'s gradient concatenates the rows (4): 12 stream and 4 reduction bytes,
 * four kernels per local expert and one.
 */
export const BIAS_F_BYTES_PER_HIDDEN = 12;
export const BIAS_B_STREAM_BYTES_PER_HIDDEN = 12;
export const BIAS_B_REDUCE_BYTES_PER_HIDDEN = 4;
export const BIAS_KERNELS_F_PER_EXPERT = 2;
export const BIAS_KERNELS_B_PER_EXPERT = 4;

/**
 * Extra memory-bound work of a clamped (`clamp`) and/or biased (`bias`) gated expert MLP over `rows` routed rows
 * (tokens x top-k on this rank, imbalance included) of expert width `ffn` and model width `hidden` on
 * `localExperts` experts, as the framework's `ops` run it: "eager" (Megatron-Core, above) or "fused" (the clamp and
 * bias inside the compiled or fused activation and GEMM epilogues: XLA, the CuTe DSL fused grouped MLP): nothing
 * extra. Cost O(1).
 */
export function expertGluExtra(
  ops: ExpertGluOps,
  rows: number,
  ffn: number,
  hidden: number,
  localExperts: number,
  clamp: boolean,
  bias: boolean,
): ExpertGluExtra {
  if (ops === "fused" || rows <= 0 || (!clamp && !bias)) return NONE;
  const clampF = clamp ? rows * ffn * CLAMP_F_BYTES_PER_FFN : 0;
  const biasF = bias ? rows * hidden * BIAS_F_BYTES_PER_HIDDEN : 0;
  return {
    fStreamBytes: clampF + biasF,
    bStreamBytes:
      (clamp ? rows * ffn * CLAMP_B_BYTES_PER_FFN : 0) +
      (bias ? rows * hidden * BIAS_B_STREAM_BYTES_PER_HIDDEN : 0),
    bReduceBytes: bias ? rows * hidden * BIAS_B_REDUCE_BYTES_PER_HIDDEN : 0,
    kernelsF: (clamp ? CLAMP_KERNELS_F : 0) + (bias ? BIAS_KERNELS_F_PER_EXPERT * localExperts + 1 : 0),
    kernelsB: (clamp ? CLAMP_KERNELS_B : 0) + (bias ? BIAS_KERNELS_B_PER_EXPERT * localExperts + 1 : 0),
    recomputedFStreamBytes: clampF,
  };
}
