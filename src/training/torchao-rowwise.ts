// torchao's float8 row-wise training recipe as its code runs it: every GEMM operand cast twice (one scale per row for one GEMM, per column for the other), and the two backward GEMMs run per-tensor with their outputs rescaled by a separate pass.
import type { KernelModel } from "./kernels.js";

/**
 * HBM bytes per element to quantise one activation-side GEMM operand (the input in the forward, the output gradient in
 * the backward) for torchao's `Float8LinearRecipeName.ROWWISE` (torchao/float8/config.py `from_recipe_name`, at
 * 890e0ac8 (the H100 table's torchao) and 853f87d1b (MI300X): input, weight and output gradient all
 * `ScalingGranularity.AXISWISE`, e4m3, power-of-2 scales). Each operand feeds two GEMMs reduced over different
 * dimensions, so `matmul_with_hp_or_float8_args` (torchao/float8/float8_linear.py) casts it twice with its own scales:
 * the input with one scale per row (`axiswise_dim=-1`) for the forward and per column (`axiswise_dim=0`, reduced over
 * the tokens) for the weight gradient; the output gradient per row for the input gradient and per column for the
 * weight gradient. Under torch.compile a row-wise cast reduces and casts each row in one kernel (read 2, write 1: 3
 * bytes); a column-wise cast reads the tensor once for the per-column amax and again to cast it (read 2 + 2, write
 * 1: 5 bytes): 8 per element, against 6 for a per-tensor cast-transpose (`fp8-tensorwise`). The byte counts are what
 * such kernels must move, not a measured rate (A); they run at the family's `cast` rate.
 */
export const TORCHAO_ROWWISE_QUANT_BYTES = 3 + 5;

/** Kernels per quantised operand: one fused row-wise cast, an amax and a cast for the column-wise copy. */
export const TORCHAO_ROWWISE_QUANT_KERNELS = 3;

/**
 * Bytes per element of each backward GEMM's output moved by the rescale torchao applies after it, for a recipe whose
 * backward GEMMs are row-wise scaled. torchao's Float8LinearConfig runs the input- and weight-gradient GEMMs without
 * fast accumulation (`gemm_config_grad_input` and `gemm_config_grad_weight` default to `Float8GemmConfig()`,
 * `use_fast_accum=False`), and `addmm_float8_unwrapped` (torchao/float8/float8_ops.py at 890e0ac8, 853f87d1b and
 * d8bb51f63) then calls the per-tensor `torch._scaled_mm` with unit scales and multiplies the output by the outer
 * product of the two scale vectors ("The rowwise CUTLASS-based kernel is so slow without fast-accum that we'd rather
 * use the tensorwise cuBLAS-based kernel and do the scaling manually afterwards (hoping Inductor will be able to fuse
 * it)", `output *= post_inverse_scale`; pytorch/ao pull request 1325). The GEMM is an external kernel, so the multiply
 * is its own pass over the bf16 output: read 2, write 2. The backward GEMMs themselves run at the per-tensor rate
 * (the family's FP8 level, measured without fast accumulation: scripts/device/kernels.py calls `torch._scaled_mm`
 * with its default), and the forward row-wise GEMM (fast accumulation) at about the per-tensor rate on Hopper
 * (`HOPPER_TORCH_ROWWISE_FP8_GEMM`); on Blackwell PyTorch's row-wise kernel is slower (A: not charged, no such case).
 */
export const TORCHAO_ROWWISE_RESCALE_BYTES = 2 + 2;

/**
 * Backward time and kernels of the output rescales of one linear's two backward GEMMs under a recipe that rescales
 * (`rescaleBytes` > 0): the input gradient (m x k) and the weight gradient (k x n, one per micro-batch). Zero
 * otherwise. Seconds and kernel launches; cost O(1).
 */
export function backwardRescale(
  k: KernelModel,
  rescaleBytes: number,
  m: number,
  n: number,
  kk: number,
): { seconds: number; kernels: number } {
  if (rescaleBytes <= 0) return { seconds: 0, kernels: 0 };
  return { seconds: k.mem((m * kk + kk * n) * rescaleBytes, "stream"), kernels: 2 };
}
