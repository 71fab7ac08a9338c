// Which kernel streams an FP8 per-tensor linear's weights at decode: the engine's skinny kernel up to the rows it hands it, the BLAS library above.

/**
 * Weight-streaming rate of one FP8 per-tensor linear (bytes/s) at `rows` activation rows (tokens per rank in the
 * step). An engine that dispatches such linears to a skinny (split-K GEMV) kernel only up to `skinnyMaxRows` rows
 * sends larger ones to the BLAS library, which streams a decode-sized GEMM's weights at its own, lower rate:
 * vLLM's ROCm build calls `wvSplitKQ` only when `qinput.shape[0] == 1` and `torch._scaled_mm` (hipBLASLt)
 * otherwise (vllm/model_executor/layers/quantization/utils/w8a8_utils.py `rocm_per_tensor_w8a8_scaled_mm`, 2025),
 * and its 2024 releases had no FP8 skinny kernel at all (`wvSplitKQ` arrived with vllm-project/vllm PR 15830,
 * 2025-04-21). `skinnyBytesPerS` is the family's rate (what a skinny kernel streams at), `blasBytesPerS` the family's
 * BLAS rate for such linears; either absent (the family gives no separate BLAS rate, or the engine no row limit)
 * leaves the family's rate at every row count. O(1), no allocation.
 */
export function fp8LinearStreamingBytesPerS(
  rows: number,
  skinnyBytesPerS: number,
  blasBytesPerS: number | undefined,
  skinnyMaxRows: number | undefined,
): number {
  if (blasBytesPerS === undefined || skinnyMaxRows === undefined) return skinnyBytesPerS;
  return rows <= skinnyMaxRows ? skinnyBytesPerS : blasBytesPerS;
}
