// vLLM V0 engine (releases 0.4 to 0.7, 2024): CUDA/HIP-graph decode only up to max_seq_len_to_capture tokens of context.
import { VLLM_V0_CAPTURE_SIZES } from "../cuda-graph-padding.js";
import { deriveEngine } from "./lineage.js";
import type { ServingEngine } from "./types.js";
import { VLLM } from "./vllm.js";

/**
 * vLLM's V0 engine, the only one before V1 became the default (0.8, 2025). Decode steps replay captured graphs
 * (batch sizes up to 256), except that a step whose sequences are longer than `max_seq_len_to_capture` runs eagerly:
 * V0's ModelConfig and EngineArgs default it to 8,192 tokens ("Maximum sequence len covered by CUDA graphs. When a
 * sequence has context length larger than this, we fall back to eager mode", vllm/config.py and
 * vllm/engine/arg_utils.py of the 0.6 releases). Upstream V0 on ROCm had no custom all-reduce (vllm-project/vllm
 * issue 14755, 2025-03, still asks for one) and ran unquantised linears through PyTorch's BLAS: what that costs on a
 * chip is its family's answer for this engine (`servingByEngine`). Host figures: the V1 profile's of before
 * 2026-12-02, 1.5 ms per step plus 10 us per sequence, kernels 1.1x the unfused count, assumed (A): no measured host
 * step of the V0 engine at 0.6-0.7 was found (the v0.6.0 blog gives shares of v0.5.3's time, not a step).
 */
export const VLLM_V0: ServingEngine = deriveEngine(VLLM, {
  id: "vllm-v0",
  name: "vLLM (V0 engine)",
  hostStepS: 1.5e-3,
  hostPerSeqS: 10e-6,
  kernelFactor: 1.1,
  graphMaxBatchPerRank: 256,
  graphMaxContextTokens: 8192,
  // V0 pads a decode batch's sequences to `_BATCH_SIZES_TO_CAPTURE` (`_get_graph_batch_size`); logits after the graph.
  decodeBatchBuckets: VLLM_V0_CAPTURE_SIZES,
  decodeBucketsCountTokens: false,
  // Block-scaled FP8 linears (DeepSeek's checkpoints) through Triton w8a8_block_fp8_matmul (ROCm; CUDA shapes not
  // divisible by 128) or the CUTLASS sm90 blockwise kernel (vLLM PR 11868): tiles loop over K serially.
  blockScaledTileGemm: true,
  // No FP8 skinny kernel before vllm-project/vllm PR 15830 (2025-04-21, which added wvSplitKQ): every FP8 per-tensor
  // linear went through torch._scaled_mm (upstream since PR 7210, 2024-08-16; AMD's fork alike, padding the
  // activations to 17 rows, ROCm/vllm branch main_with_moe_final_merged of 2024-10-01).
  fp8SkinnyMaxRows: 0,
  // V0's speculative-decoding worker was not read: its draft passes keep one row per sequence, as the model charged
  // every engine before draft-passes.ts (A).
  draftExtendsVerified: false,
  source:
    "vLLM 0.6 config.py / arg_utils.py: max_seq_len_to_capture 8192 (eager beyond), graph batch sizes up to 256; host 1.5 ms + 10 us per sequence, kernels 1.1x, assumed (A)",
});
