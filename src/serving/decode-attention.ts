// Attention call latency: the fixed time of one paged attention call (decode, verify or draft pass) beyond the kernel charge it already pays.

import type { KernelEfficiency } from "../catalog/families/types.js";

/**
 * The zero-KV latency of one attention call for a model's cache form (`attentionCallFixedS.mla` for a latent cache
 * replicated across TP ranks, `.gqa` otherwise), s; undefined when the profile gives none for that form. O(1).
 */
export function attentionCallFixedFor(
  eff: Pick<KernelEfficiency, "attentionCallFixedS">,
  latentCache: boolean,
): number | undefined {
  const f = eff.attentionCallFixedS;
  return latentCache ? f?.mla : f?.gqa;
}

/**
 * Extra device time of one attention call beyond the per-kernel charge `kernelChargeS` that the step already pays
 * for it (the graph kernel floor, or the eager launch), s: max(0, `fixedS` - `kernelChargeS`).
 *
 * A decode step runs one attention call per layer: the backend's forward_decode writes the new token's K/V into the
 * paged pool and runs the split-KV decode kernel (and, where the kernel splits the KV, its combine). Its time is
 * about `fixedS + KV bytes / bandwidth`. Published per-call tables under graph replay: NVIDIA's aiconfigurator
 * tables of SGLang 0.5.10's call give 10.3 us on H200 (FlashAttention-3) and 10.4 us on B200 (TRT-LLM-gen) at KV
 * reads under 2 MB, where the bytes term is under half a microsecond
 * (data/kernels/decode-attention-aiconfigurator-2026.json), three times the 3.25 us kernel floor; CANN's
 * FusedInferAttentionScore, which SGLang on Ascend runs for decode, verify and draft passes, takes 22.1 us at one KV
 * token on an A3 die (vllm-project/vllm-ascend PR 15526; data/kernels/ascend-fia-published.json). The bytes term
 * stays with the attention core's roofline (cost.ts, `core`). `fixedS` undefined (a profile without a published
 * figure): 0, the kernel floor alone. Non-increasing in `kernelChargeS`, never negative. Cost O(1).
 */
export function attentionCallExtraS(fixedS: number | undefined, kernelChargeS: number): number {
  if (fixedS === undefined) return 0;
  return Math.max(0, fixedS - kernelChargeS);
}

/**
 * The decode-attention calls of one step of `layers` layers with `decodeSeqs` decoding sequences, in micro-batches
 * `microBatches` (two under two-batch overlap, each running its own calls), and their extra time at `extraS` per
 * call (attentionCallExtraS), s: zero when no sequence decodes (a prefill-only step runs the prefill kernel,
 * priced by its own roofline). Cost O(1).
 */
export function decodeAttentionCallsS(
  layers: number,
  decodeSeqs: number,
  microBatches: number,
  extraS: number,
): number {
  return decodeSeqs > 0 ? layers * microBatches * extraS : 0;
}

/**
 * Times each stored KV head's cache is streamed from memory in one decode-attention call, for `groupHeadsOnRank`
 * query heads sharing one KV head on the rank: 1 when the kernel loads a KV tile once for the whole group (XQA,
 * FlashInfer, FlashAttention decode: the group's queries fill the rows of one tile), or the group size when the
 * engine's kernel gives every query head its own thread block that reads its KV head independently
 * (`perQueryHead`, TensorRT-LLM's masked multi-head attention kernel of v0.5-v0.7: grid (heads, batch), each block
 * mapping its head to `head / (heads / kvHeads)` and loading that head's K and V for every past token; the XQA
 * kernel that shares the load across the group arrived in v0.8, 2024, TensorRT-LLM docs/source/blogs/XQA-kernel.md).
 * An MHA model (group 1) reads once either way. No credit for L2 hits between the group's blocks: upper bound on the
 * traffic. At least 1, non-decreasing in the group. Cost O(1).
 */
export function decodeKvReadsPerKvHead(groupHeadsOnRank: number, perQueryHead: boolean | undefined): number {
  return perQueryHead === true ? Math.max(1, groupHeadsOnRank) : 1;
}
