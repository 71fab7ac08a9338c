// TensorRT-LLM (PyTorch backend): overlap scheduler on by default, CUDA-graph decode, fused kernels.
import { PYTHON_EAGER_HOST_PER_KERNEL_S } from "../eager-launch.js";
import type { ServingEngine } from "./types.js";

/**
 * TensorRT-LLM. "Overlap Scheduler" (TensorRT-LLM docs, features/overlap-scheduler): at step n the
 * executor launches step n+1 before processing step n's outputs, enabled by default. Decode runs from
 * CUDA graphs. Its kernels fuse more than the unfused count (RMSNorm with quantisation, all-reduce
 * with the residual add and norm, fused MoE routing): 0.8 of the kernels per layer (assumption, A).
 */
export const TRTLLM: ServingEngine = {
  id: "trtllm",
  name: "TensorRT-LLM",
  hostStepS: 1e-3,
  hostPerSeqS: 5e-6,
  hostOverlap: true,
  decodeGraphs: true,
  graphMaxBatchPerRank: 256,
  kernelFactor: 0.8,
  // Eager steps (no graph) issue every op from Python: SGLang PR 1401's eager Llama 3 8B step, 23.1 us per kernel.
  eagerHostPerKernelS: PYTHON_EAGER_HOST_PER_KERNEL_S,
  draftHostS: 0,
  // Block-scaled FP8 linears on Hopper: FP8BlockScalesLinearMethod.apply (tensorrt_llm/_torch/modules/linear.py) quantises
  // 1 x 128 and calls fp8_block_scaling_gemm, whose sm90 kernel (cpp/tensorrt_llm/kernels/cutlass_kernels/
  // fp8_blockscale_gemm, open-sourced in PR 3071, built on DeepGEMM's `deep_gemm` helpers) tiles the weight and loops
  // over K per tile as DeepGEMM does; DeepGEMM's published decode times for these shapes are of the order of the
  // family's `blockScaledGemmKLoop` line (data/kernels/block-fp8-gemm-decode-published.json), taken for it (A).
  blockScaledTileGemm: true,
  // TensorRT-LLM LLM API: enable_attention_dp defaults to false and MoE experts follow tensor parallelism unless moe_expert_parallel_size is set (A).
  defaultLayout: "tensor-parallel",
  source: "TensorRT-LLM docs (overlap scheduler on by default, CUDA graphs); fusion share assumed (A)",
};
