// Unfused gradient accumulation: without Megatron's gradient_accumulation_fusion each micro-batch's bf16 weight gradient is added into the fp32 main gradient by its own kernel.

/**
 * HBM bytes one micro-batch's backward moves per parameter to accumulate its weight gradient when the accumulation is
 * not fused into the weight-gradient GEMM (Megatron `--no-gradient-accumulation-fusion`): the DDP hook's
 * `param.main_grad.add_(param.grad)` reads the bf16 gradient the GEMM wrote (2) and the fp32 main gradient (4) and
 * writes the main gradient (4) (megatron/core/distributed/distributed_data_parallel.py, `_make_backward_post_hook`, `_make_param_hook` in older releases;
 * with the fusion on, `fused_weight_gradient_mlp_cuda.wgrad_gemm_accum_fp32` / MindSpeed's `npu_matmul_add_fp32`
 * accumulate inside the GEMM's epilogue and no such pass runs; the GEMM's own output is charged with the GEMM either
 * way). 10 bytes per parameter.
 */
export const UNFUSED_GRAD_ACCUM_BYTES_PER_PARAM = 2 + 4 + 4;

/** Add kernels per transformer layer: one per weight tensor (QKV, output projection, MLP up and down, two norms). */
export const UNFUSED_GRAD_ACCUM_KERNELS_PER_LAYER = 6;

/** Bytes the unfused accumulation of `params` weight gradients moves in one micro-batch's backward; 0 when fused. Cost O(1). */
export function unfusedGradAccumBytes(params: number, fused: boolean): number {
  return fused ? 0 : params * UNFUSED_GRAD_ACCUM_BYTES_PER_PARAM;
}
