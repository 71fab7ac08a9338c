// Attention run as separate kernels (Transformer Engine's UnfusedDotProductAttention): what the score matrix costs in HBM traffic, and which runs fall back to it.

import type { XlaBackend } from "../catalog/families/types.js";

/**
 * HBM bytes per attention score element and head in the forward pass of Transformer Engine's
 * UnfusedDotProductAttention in bf16 (transformer_engine/pytorch/attention/dot_product_attention/backends.py,
 * v2.3): `torch.baddbmm` writes the scores (2 B), the fused scale-mask-softmax reads them and writes the
 * probabilities (2 + 2 B), the probabilities-times-V `torch.bmm` reads them (2 B). Attention dropout at p = 0
 * (DeepSeek-V3's `attention_dropout` 0.0) returns its input without a kernel. 8 B, the same traffic the Ampere
 * profile charges its Megatron-era unfused kernels (`attentionScoreBytes`). The backward (two batched GEMMs for
 * each forward one, the softmax gradient reading probabilities and their gradient) is charged twice the forward
 * where the layer costs it (layer.ts).
 */
export const TE_UNFUSED_SCORE_BYTES = 8;

/**
 * Forward-equivalent HBM bytes per attention score element and head of a plain attention (einsum logits, softmax,
 * einsum context) as XLA's GPU backend compiles it, the backward charged twice the forward as for TE's kernels: 14.25,
 * solved from AXLearn's published A100 benchmark of `mha_reference` under jax.jit and jax.grad (causal, fp16;
 * apple/axlearn axlearn/common/flash_attention/gpu_attention_benchmark.py docstring, 6789f847 to d101ad61;
 * data/kernels/axlearn-gpu-attention-a100.json): forward + backward 9.61 ms at batch 2, 32 heads, 2,048 tokens,
 * head dim 64, against 4.9-6.0 ms for TE's 8 B on the same chip; the median over the rows with at least 2^28 score
 * elements, at 1,555 GB/s (the 40GB A100; the 80GB part would give 18.7: a lower bound). XLA keeps more passes over the
 * score matrix than TE's three kernels (the fp32 softmax's reductions and normalisation as separate fusions, the mask).
 * Test: xla-unfused-attention.test.ts recomputes it from the data.
 */
export const XLA_GPU_UNFUSED_SCORE_BYTES = 14.25;

/**
 * Forward HBM bytes per score element and head of unfused attention as the run's software runs it: XLA's fusions where
 * the framework's step is compiled by XLA (`FrameworkProfile.compiler`) on a GPU backend (the family's `xlaBackend`),
 * else Transformer Engine's UnfusedDotProductAttention. TPU keeps TE's count: AXLearn's TPU v4 benchmark of the same
 * `mha_reference` (data/kernels/axlearn-tpu-attention-v4.json, 'ref' columns) puts XLA's TPU fusions at 5.6-6.2 B with
 * a bias read included if the matmuls run at the fused curve's fraction, 7.3-7.8 B if at the GEMM rate: under
 * TE's 8, with the split between the two resting on an assumed matmul rate. Cost O(1).
 */
export function unfusedScoreBytes(compiler: "xla" | undefined, backend: XlaBackend | undefined): number {
  return compiler === "xla" && backend === "gpu" ? XLA_GPU_UNFUSED_SCORE_BYTES : TE_UNFUSED_SCORE_BYTES;
}

/** A software version as [major, minor]. */
export type Version = readonly [number, number];

function atLeast(v: Version, min: Version): boolean {
  return v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
}

/**
 * Whether Transformer Engine's FusedAttention (cuDNN's arbitrary-sequence-length kernel) trains attention with
 * query/key head dim `dQk` and value head dim `dV` on a Blackwell (sm100) GPU, by TE's own backend filter
 * (`nvte_get_fused_attn_backend`, transformer_engine/common/fused_attn/fused_attn.cpp): up to TE 2.4 every sm100
 * shape needs both head dims <= 128 (`!(sm_arch_ >= 100 && (head_dim_qk > 128 || head_dim_v > 128))`); from TE 2.5
 * (pull request 1797, "Add support for head_dim > 128", 2025-06-13) larger head dims train on sm100 only as
 * d_qk = 192, d_v = 128 with cuDNN >= 9.11 ("9.11: d_qk = 192, d_v = 128 + Blackwell + bprop + non-paged").
 * FlashAttention is never a fallback for MLA (TE disables it when d_qk != d_v), so a `false` here means TE runs
 * UnfusedDotProductAttention. Cost O(1).
 */
export function teFusedMlaTrainingOnBlackwell(dQk: number, dV: number, te: Version, cudnn: Version): boolean {
  // Head dims up to 128 are not what this decides (every Blackwell stack's cuDNN trains them).
  if (dQk <= 128 && dV <= 128) return true;
  if (!atLeast(te, [2, 5])) return false;
  return dQk === 192 && dV === 128 && atLeast(cudnn, [9, 11]);
}
