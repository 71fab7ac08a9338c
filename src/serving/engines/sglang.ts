// SGLang: zero-overhead (overlapped) scheduler, CUDA-graph decode, DeepEP/DeepGEMM kernels for large-EP MoE.
import { SGLANG_CUDA_GRAPH_BS, SGLANG_SPECULATIVE_CUDA_GRAPH_BS } from "../cuda-graph-padding.js";
import { PYTHON_EAGER_HOST_PER_KERNEL_S } from "../eager-launch.js";
import type { ServingEngine } from "./types.js";

/**
 * SGLang (v0.4 onwards). The scheduler runs one batch ahead of the GPU, so host work hides behind
 * the device (LMSYS blog 2024-12-04, "Zero-Overhead Batch Scheduler": no idle gap between five
 * consecutive decode batches in Nsight). Decode is captured in CUDA graphs (`--cuda-graph-max-bs`;
 * 256 per rank taken, as the large-EP deployments of LMSYS 2025-05-05 run up to 256 sequences per
 * rank). Kernel count: the unfused layer (fused add-RMSNorm, per-token FP8 quantisation before each
 * FP8 GEMM) as counted in the cost model. Host figures assumed (A).
 */
export const SGLANG: ServingEngine = {
  id: "sglang",
  name: "SGLang",
  hostStepS: 1e-3,
  hostPerSeqS: 5e-6,
  hostOverlap: true,
  decodeGraphs: true,
  graphMaxBatchPerRank: 256,
  kernelFactor: 1,
  // Eager steps (no graph) issue every op from Python: SGLang PR 1401's eager Llama 3 8B step, 23.1 us per kernel.
  eagerHostPerKernelS: PYTHON_EAGER_HOST_PER_KERNEL_S,
  // A decode batch replays the smallest captured graph that holds it, LM head included (CudaGraphRunner.replay pads to
  // `capture_bs[bisect_left(capture_bs, n)]`); target-verify steps use the speculative capture list.
  decodeBatchBuckets: SGLANG_CUDA_GRAPH_BS,
  verifyBatchBuckets: SGLANG_SPECULATIVE_CUDA_GRAPH_BS,
  // SGLang's CustomAllreduce.should_custom_ar refuses a buffer that is not a multiple of 16 bytes, as vLLM's does
  // (python/sglang/srt/distributed/device_communicators/custom_all_reduce.py); the group's NCCL all-reduce takes it.
  customAllReduceAlignBytes: 16,
  draftHostS: 0,
  // EAGLE/MTP drafting re-runs the draft head over the verified window after each verify (draft-passes.ts).
  draftExtendsVerified: true,
  // Block-scaled FP8 linears through tile kernels that loop over K (SGLang 0.4's Triton w8a8_block_fp8_matmul; later
  // releases on Hopper run JIT DeepGEMM, whose K loop Hopper's `servingByEngine.sglang` figure prices from
  // aiconfigurator's SGLang 0.5.6.post2 tables): the chip's `blockScaledGemmKLoop` prices them where a case states a
  // block-scaled checkpoint.
  blockScaledTileGemm: true,
  // SGLang server arguments default to no DP attention (--enable-dp-attention off) and expert parallelism off (--ep-size 1): --tp N shards attention and experts.
  defaultLayout: "tensor-parallel",
  source:
    "LMSYS 2024-12-04 (overlapped scheduler), 2025-05-05 (CUDA-graph decode up to 256/rank); host times assumed (A)",
};
