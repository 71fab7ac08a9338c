// Decode attention kernels: a call's fixed time beyond the kernel charge, KV reads per KV head, and the matrix-unit rows a query group fills.

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

/**
 * Rows a decode-attention kernel computes for `groupRows` query rows that share one KV head (GQA group or MLA heads on
 * the rank, times the verified tokens): a multiple of the family's `rowTile` where it gives one, else at least the
 * matrix unit's `unitWidth` (rows as they are when neither is known). The attention core's FLOPs scale by
 * `decodeAttentionRows / groupRows`; the KV bytes do not change.
 *
 * TPU (`rowTile` 8): the MXU multiplies a `[8,128]` left-hand block by a `[128,128]` right-hand block every 8 cycles
 * (How to Scale Your Model, tpus.md at jax-ml/scaling-book 0819a7d8, 'Appendix B: How does a systolic array work?'),
 * and a decode kernel puts the query rows on the left and streams the cache as the right-hand side: jax-llm-examples'
 * ragged decode kernel (llama3/llama3_jax/ragged_attention.py at 345dab9e) computes `dot_general(q, k)` per sequence
 * with q `[heads, head_dim]` (the query heads of one KV head) against a `[block_kv, head_dim]` KV tile it loads from
 * HBM, and the same file's `test_main` judges it against the KV bytes over 819e9 B/s ('HBM BW speed'). So 4 query rows
 * cost 8 rows, not the unit's 128, and GQA decode attention stays bound by its KV bytes, as the scaling book's inference
 * chapter says of generation ('we're basically always memory bandwidth-bound during attention', inference.md at
 * 0819a7d8) and as Google's Ragged Paged Attention kernel measures it (up to 86% of HBM bandwidth in decode, Llama 3
 * 8B on TPU7x; Jiang et al., arXiv 2604.15464, abstract). Non-decreasing in `groupRows`, never below it. O(1).
 */
export function decodeAttentionRows(
  groupRows: number,
  unitWidth: number | undefined,
  rowTile: number | undefined,
): number {
  return unitRows(groupRows, unitWidth, rowTile);
}

/**
 * Rows a matrix unit of `unitWidth` rows computes for `rows` rows: at least its width (a part-empty tile costs a full
 * one), `rows` as they are when the width is unknown or there are none. O(1).
 */
export function matrixUnitRows(rows: number, unitWidth: number | undefined): number {
  return unitWidth === undefined || rows <= 0 ? rows : Math.max(rows, unitWidth);
}

/**
 * Rows a matrix unit computes for a matmul of `rows` left-hand rows, O(1): a multiple of the family's left-hand row
 * block `rowTile` where it gives one (TPU: the MXU takes its activations 8 rows at a time against a resident weight
 * tile, and loads the next weight tile without a bubble: How to Scale Your Model, tpus.md at jax-ml/scaling-book
 * 0819a7d8, Appendix B), else `matrixUnitRows` (at least the unit's width). The one rule for decode linears
 * (InstanceCost.rows) and decode attention (`decodeAttentionRows`). Non-decreasing in `rows`, never below it.
 */
export function unitRows(rows: number, unitWidth: number | undefined, rowTile: number | undefined): number {
  if (rows <= 0) return rows;
  if (rowTile !== undefined && rowTile > 0) return Math.ceil(rows / rowTile) * rowTile;
  return matrixUnitRows(rows, unitWidth);
}
