// Block-scaled FP8 linears at decode token counts: each output tile walks the whole K in 128-wide steps, so a call lasts at least a K-loop latency.

import type { ModelConfig } from "../schema/model.js";
import { modelShape } from "../training/shape.js";

/**
 * Weight-scaling of a checkpoint, where a case or scenario states it: "block-fp8" = 128 x 128 weight blocks, 1 x 128
 * activation groups; "torchao-rowwise-fp8" = a torchao checkpoint with one scale per weight row and per activation
 * row, whose linears run torch._scaled_mm (src/serving/torchao-rowwise-fp8.ts); "torchao-nvfp4" = a torchao NVFP4
 * checkpoint with dynamic activation quantisation (src/serving/torchao-nvfp4.ts); "int8-weight-only" = int8 weights
 * with 16-bit activations, the matmul at the 16-bit rate (src/serving/weight-only-int8.ts).
 */
export type WeightQuantization = "block-fp8" | "torchao-rowwise-fp8" | "torchao-nvfp4" | "int8-weight-only";

/** K step of the block-scaled kernels: one 128-wide scale group per step (DeepSeek's 128 x 128 weight blocks). */
export const BLOCK_SCALED_K_STEP = 128;

/** Latency of one block-scaled FP8 GEMM call whose output tiles each fit in one wave: fixed + per K step, s. */
export interface BlockScaledKLoop {
  fixedS: number;
  perKStepS: number;
}

/**
 * Time one block-scaled FP8 GEMM call with inner dimension `k` takes at decode token counts, s:
 * `fixedS + perKStepS x ceil(k / 128)`.
 *
 * The kernels early-2025 engines ran for block-scaled checkpoints (vLLM's and SGLang's Triton
 * `w8a8_block_fp8_matmul`, vLLM's CUTLASS sm90 blockwise kernel) give every output tile one thread block that loops
 * over all of K in 128-wide steps, loading a weight block and its scale and rescaling the partial sum at each step;
 * no split-K in the Triton kernel. At decode M the per-rank shapes of DeepSeek at TP 8 have 5-224 such tiles (N / 32
 * to N / 128), one wave, so the call lasts as long as one tile's serial K loop, not its bytes at HBM bandwidth.
 * Published kernel tables show exactly that: flat in M from 1 to 128 tokens, growing with K, hardly with N
 * (data/kernels/block-fp8-gemm-decode-published.json). Non-decreasing in k. O(1).
 */
export function blockScaledCallS(k: number, loop: BlockScaledKLoop): number {
  return loop.fixedS + loop.perKStepS * Math.ceil(k / BLOCK_SCALED_K_STEP);
}

/**
 * The linears one tensor-parallel rank applies per layer, as flat [n0, k0, n1, k1, ...] (output, inner): the shapes the
 * block-scaled K loop and the FP8 call line (fp8-linear-call.ts) are charged per call.
 */
export interface BlockScaledLinears {
  /** Attention projections (MLA: q_a, q_b or q, kv_a, o; GQA: qkv, o). The router gate runs unquantised. */
  attention: Float64Array;
  /** A dense layer's MLP (gate-up, down). */
  denseMlp: Float64Array;
  /** The shared experts of an MoE layer (gate-up, down); empty without shared experts. */
  sharedExperts: Float64Array;
}

/**
 * Per-rank linear shapes of `model` at tensor parallelism `tp`, as vLLM 0.7 and SGLang 0.4 build them for DeepSeek
 * (models/deepseek_v2.py): MLA's down-projections (q_a, kv_a with the rope key) replicated on every rank and run as two
 * GEMMs, q_b and the output projection sharded; GQA's fused qkv (key and value heads over at most kvHeads ranks) and
 * output projection; MLPs as merged gate-up and down. The absorbed MLA matmuls are bf16 batched matmuls, not block-FP8
 * linears. O(1), allocates (call once per instance).
 */
export function blockScaledLinears(model: ModelConfig, tp: number): BlockScaledLinears {
  const sh = modelShape(model);
  const h = sh.hidden;
  const att = model.attention;
  const attn: number[] = [];
  if (att && att.type === "mla") {
    const qk = att.qkNopeHeadDim + att.qkRopeHeadDim;
    const qLora = att.qLoraRank ?? 0;
    if (qLora > 0) attn.push(qLora, h, (sh.heads * qk) / tp, qLora);
    else attn.push((sh.heads * qk) / tp, h);
    attn.push(att.kvLoraRank + att.qkRopeHeadDim, h, h, (sh.heads * att.vHeadDim) / tp);
  } else {
    const hd = sh.qkHeadDim;
    const kvShard = Math.min(tp, Math.max(1, sh.kvHeads));
    attn.push((sh.heads * hd) / tp + (2 * sh.kvHeads * hd) / kvShard, h, h, (sh.heads * hd) / tp);
  }
  const up = sh.gated ? 2 : 1;
  const dense = [(up * model.ffnHiddenSize) / tp, h, h, model.ffnHiddenSize / tp];
  const sharedFfn = (model.moe?.sharedExperts ?? 0) * (model.moe?.expertFfnHiddenSize ?? 0);
  const shared = sharedFfn > 0 ? [(up * sharedFfn) / tp, h, h, sharedFfn / tp] : [];
  return {
    attention: Float64Array.from(attn),
    denseMlp: Float64Array.from(dense),
    sharedExperts: Float64Array.from(shared),
  };
}
