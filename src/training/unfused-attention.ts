// Attention run as separate kernels (Transformer Engine's UnfusedDotProductAttention): what the score matrix costs in HBM traffic, and which runs fall back to it.

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
