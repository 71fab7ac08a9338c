// Per-layer cost of one micro-batch on one rank: GEMMs forward and backward by shape, attention, memory-bound and quantisation work, kernel counts, and each parallelism's communication.

import type { System } from "../catalog/types.js";
import { amaxAllReduceS, tpAmaxReductions } from "./amax-reduction.js";
import { collectiveTime } from "./comm.js";
import { channelRateCap } from "./comm-channels.js";
import type { ResolvedTraining } from "./config.js";
import { expertGluExtra } from "./expert-glu.js";
import { downProjectionResidualOnly, extraNormElems } from "./extra-norms.js";
import type { FrameworkProfile } from "./frameworks.js";
import { UNFUSED_GRAD_ACCUM_KERNELS_PER_LAYER, unfusedGradAccumBytes } from "./grad-accum.js";
import { expertPathSyncs } from "./host-sync.js";
import { attentionExpFactor, attentionMatrixUnitFactor, type KernelModel } from "./kernels.js";
import { localExpertSortBytes, localExpertSortCopies } from "./local-expert-sort.js";
import { dispatchEfficiency, dispatchesQuantized, expertExchange, NODE_NVLINK_RANKS } from "./moe.js";
import { bufferTpCollectives, capacityBuffer } from "./moe-buffer.js";
import { expertRowsOverBalanced, routedRowsKnownOnHost } from "./moe-capacity.js";
import { einsumDispatch, expertCapacity } from "./moe-einsum.js";
import { ROUTINGS } from "./moe-routing.js";
import { gradOutputGatherBytes, inputGatherBytes, quantizedGatherBlocksIn } from "./quantized-gather.js";
import type { ModulePieces } from "./recompute-modules.js";
import { BF16_RING_GRADIENTS, ringBackwardSends } from "./ring-grad-rotation.js";
import { routedGatherBytes, routedLayoutCopyBytes, routedTpSerialS } from "./routed-tp-gather.js";
import { tpCollectiveBlocks, tpCollectives } from "./sequence-parallel.js";
import type { ModelShape } from "./shape.js";
import { blockedWindowShare, windowedAttentionFactor } from "./sliding-window.js";
import { splitQuantizeAllocs } from "./split-quantize.js";
import { teRingMergeBytes } from "./te-ring-merge.js";
import {
  denseBlockMatmuls,
  EAGER_RMSNORM,
  EAGER_ROPE,
  opSacRecomputedShare,
  repeatKvBytesPerToken,
  ringMergeBytes,
} from "./torch-native.js";
import { backwardRescale } from "./torchao-rowwise.js";
import type { RankLayout } from "./types.js";

/** Times of one layer kind for one micro-batch on one rank, s; bytes; counts. */
export interface LayerCost {
  /** GEMMs: forward, backward (data and weight gradients), and the weight-gradient part of the backward. */
  gemmF: number;
  gemmB: number;
  wgradB: number;
  /** Attention core forward and backward. */
  attnF: number;
  attnB: number;
  /** Memory-bound kernels (norms, activations, residuals, rotary, routing, permutes, quantisation). */
  memF: number;
  memB: number;
  /** Of `memF`, forward work outside every module selective recompute reruns (an expert bias added per expert). */
  unrecomputedMemF: number;
  /** Kernels launched forward and backward (host launch cost), and host-device syncs per forward. */
  kernelsF: number;
  kernelsB: number;
  /**
   * Of those, the kernels of the routed-expert path (permute, dispatch, expert GEMMs, activation, combine,
   * unpermute): their shapes change with the routing of every micro-batch, so a dropless MoE layer launches
   * them eagerly even when the rest of the layer replays from CUDA graphs (Megatron's partial graphs capture
   * attention, router and preprocess only: DeepSeek-V3 GB200 write-up, sec. 2.3).
   */
  dynamicKernelsF: number;
  dynamicKernelsB: number;
  /** Of the kernels, GEMM calls (each pays the BLAS library's host path when launched eagerly), and of those the routed-expert ones. */
  gemmsF: number;
  gemmsB: number;
  dynamicGemmsF: number;
  dynamicGemmsB: number;
  /** Of the routed-expert GEMMs, those launched one per local expert (each pays the grouped linear's per-expert host work). */
  expertCallsF: number;
  expertCallsB: number;
  /** Device allocations the routed-expert path's per-expert quantisation makes in one forward and one backward (split-quantize.ts). */
  expertAllocsF: number;
  expertAllocsB: number;
  /** Device time of the routed-expert path forward (what follows a host-device sync), s. */
  dynamicDeviceF: number;
  syncsF: number;
  /** Eager forwards of a Megatron-Core router and dispatch preprocess in one layer forward (each pays `routerPreprocessHostS`: router-host.ts). */
  routerPassesF: number;
  /** Tensor-parallel communication of one forward (and of a recompute forward) and one backward, s. */
  tpF: number;
  tpB: number;
  /** Amax all-reduces over the tensor-parallel group of one forward and one backward (never hidden), s. */
  tpAmaxF: number;
  tpAmaxB: number;
  /**
   * TP communication of the routed-expert path that runs on the compute stream with nothing beside it, one forward and
   * one backward, s: the routed copies' all-gather and reduce-scatter and the sequence/hidden all-to-alls of a
   * framework whose dispatcher gathers over expert TP that way (routed-tp-gather.ts); 0 otherwise.
   */
  tpSerialF: number;
  tpSerialB: number;
  cpF: number;
  /** Backward ring exchange, s, of which `cpTailB` waits with no attention work left to hide it (ring-grad-rotation.ts). */
  cpB: number;
  cpTailB: number;
  /** Expert all-to-all (dispatch + combine) of one forward and one backward, s. */
  epF: number;
  epB: number;
  /** Shared-expert GEMM time (forward + backward) a DeepEP-style overlap can hide the exchange behind. */
  sharedExpertS: number;
  /** GEMM time of the forward and of the backward that TP overlap hides under. */
  gemmOverlapF: number;
  gemmOverlapB: number;
  /** Forward times of the four projections a fused matmul + collective (MC2) pairs with TP collectives (fused-tp-overlap.ts), s; 0 where the layer has no such pairing (MLA, MoE). */
  tpPairQkvF: number;
  tpPairOutF: number;
  tpPairUpF: number;
  tpPairDownF: number;
  /** Blocks MC2 pairs (fused-tp-overlap.ts): 2 for a dense layer, 1 for an MoE layer's attention alone. */
  tpPairBlocks: number;
  /** One all-gather and one reduce-scatter of the layer's TP activation, s (0 without sequence parallelism). */
  tpAgS: number;
  tpRsS: number;
  /** Model FLOPs (Megatron convention, non-causal attention) forward per rank. */
  modelFlopsF: number;
  /**
   * Forward time and FLOPs of the matmuls whose output feeds only the residual sum (the MLP down projection of
   * dense layers and shared experts): a compiler-driven remat does not rerun them (remat.ts).
   */
  residualOnlyGemmF: number;
  residualOnlyFlopsF: number;
  /** Attention-core FLOPs forward per rank (model convention). */
  attnModelFlopsF: number;
  /**
   * What selective recompute reruns in the backward, s and FLOPs: the attention core when it is unfused (its
   * s^2 scores are what the recompute saves, Korthikanti et al. 2022); with fused attention, which stores no
   * scores, the memory-bound modules frameworks now recompute instead (norms, activations: Megatron-Core's
   * recompute_modules layernorm / moe_act / mlp-class choices).
   */
  selectiveS: number;
  selectiveFlops: number;
  /** Parameters on this rank: replicated across DP (dense) and expert-parallel (routed experts). */
  denseParams: number;
  expertParams: number;
  /**
   * Activation bytes stored per micro-batch: without recompute, with selective recompute (fused attention: the
   * norm and activation-function outputs are rerun, not kept; unfused: as without) and with full recompute.
   */
  actBytes: number;
  actBytesSelective: number;
  actBytesFull: number;
  /** Per-module forward pieces and activation bytes for a `recomputeModules` list (recompute-modules.ts). */
  modules: ModulePieces;
  /** Message sizes for the plan. */
  tpBytes: number;
  /** The routed-copy buffer gathered and reduce-scattered over expert TP, and one rank's sequence/hidden all-to-all, bytes (routed-tp-gather.ts; 0 without). */
  tpSerialBytes: number;
  tpSerialA2aBytes: number;
  /** The capacity buffer a capacity-buffer dispatch all-reduces over TP once per pass, bytes (moe-buffer.ts; 0 without). */
  tpBufferBytes: number;
  cpBytes: number;
  /** All of one backward pass's ring traffic per rank, bytes (key/value chunks and their gradients). */
  cpBytesB: number;
  epDispatchBytes: number;
  epCombineBytes: number;
  /** One dispatch and one combine, s (for the plan). */
  epDispatchS: number;
  epCombineS: number;
  /**
   * The exchange's library rate over the family's `collective` figure where it is lower (NCCL's all-to-all inside an
   * NVL72 rack, moe.ts `dispatchEfficiency`), else 1: the comm plan hands it to the simulator (CommOp.rateShare).
   */
  epRateShare: number;
}

/** What a layer's cost reads: the kernel model, the model shape, the resolved job and the network. */
export interface LayerEnv {
  k: KernelModel;
  s: ModelShape;
  t: ResolvedTraining;
  system: System;
  layout: RankLayout;
  collEff: number;
  /** Busiest expert rank's routed load over the mean (undefined: balanced routing's statistical spread). */
  moeImbalance: number | undefined;
}

/**
 * Per-token activation terms gathered while a layer is costed: split by TP with SP (`repl`), or always
 * (`split`); `sel*` the part selective recompute does not store when it reruns the memory-bound modules
 * (norm outputs, activation-function outputs: recomputed from the tensors kept before them).
 */
interface Acc {
  c: LayerCost;
  actRepl: number;
  actSplit: number;
  selRepl: number;
  selSplit: number;
}

function zero(): LayerCost {
  return {
    gemmF: 0,
    gemmB: 0,
    wgradB: 0,
    attnF: 0,
    attnB: 0,
    memF: 0,
    memB: 0,
    unrecomputedMemF: 0,
    kernelsF: 0,
    kernelsB: 0,
    dynamicKernelsF: 0,
    dynamicKernelsB: 0,
    gemmsF: 0,
    gemmsB: 0,
    dynamicGemmsF: 0,
    dynamicGemmsB: 0,
    expertCallsF: 0,
    expertCallsB: 0,
    expertAllocsF: 0,
    expertAllocsB: 0,
    dynamicDeviceF: 0,
    syncsF: 0,
    routerPassesF: 0,
    tpF: 0,
    tpB: 0,
    tpAmaxF: 0,
    tpAmaxB: 0,
    tpSerialF: 0,
    tpSerialB: 0,
    cpF: 0,
    cpB: 0,
    cpTailB: 0,
    epF: 0,
    epB: 0,
    sharedExpertS: 0,
    gemmOverlapF: 0,
    gemmOverlapB: 0,
    tpPairQkvF: 0,
    tpPairOutF: 0,
    tpPairUpF: 0,
    tpPairDownF: 0,
    tpPairBlocks: 2,
    tpAgS: 0,
    tpRsS: 0,
    modelFlopsF: 0,
    residualOnlyGemmF: 0,
    residualOnlyFlopsF: 0,
    attnModelFlopsF: 0,
    selectiveS: 0,
    selectiveFlops: 0,
    denseParams: 0,
    expertParams: 0,
    actBytes: 0,
    actBytesSelective: 0,
    actBytesFull: 0,
    // Zeroed per-module pieces (a layer without the module contributes nothing), written out as a literal so that
    // the whole object stays one constant literal, which V8 clones fast on every evaluation.
    modules: {
      coreCoversMem: false,
      scoreBytes: 0,
      normF: 0,
      normBytes: 0,
      mlaUpF: 0,
      mlaUpFlops: 0,
      mlaUpBytes: 0,
      mlpGemmF: 0,
      mlpFlops: 0,
      mlpActF: 0,
      mlpFc1Bytes: 0,
      mlpActBytes: 0,
      mlpResidualOnlyF: 0,
      mlpResidualOnlyFlops: 0,
      sharedGemmF: 0,
      sharedFlops: 0,
      sharedActF: 0,
      sharedFc1Bytes: 0,
      sharedActBytes: 0,
      sharedResidualOnlyF: 0,
      sharedResidualOnlyFlops: 0,
      moeGemmF: 0,
      moeFlops: 0,
      moeActF: 0,
      moeFc1Bytes: 0,
      moeActBytes: 0,
    },
    tpBytes: 0,
    tpSerialBytes: 0,
    tpSerialA2aBytes: 0,
    tpBufferBytes: 0,
    cpBytes: 0,
    cpBytesB: 0,
    epDispatchBytes: 0,
    epCombineBytes: 0,
    epDispatchS: 0,
    epCombineS: 0,
    epRateShare: 1,
  };
}

/**
 * Adds one linear layer, (m x k) . (k x n): forward, data gradient (m x n) . (n x k), weight gradient
 * (k x m) . (m x n), and for a low-precision GEMM the quantisation of its input (unless `fusedInput`: the
 * producing norm or activation writes it quantised, when the framework fuses that) and of its output gradient.
 * Returns the GEMM time forward + backward, s.
 */
function linear(
  env: LayerEnv,
  c: LayerCost,
  m: number,
  n: number,
  k: number,
  low: boolean,
  fusedInput = false,
): number {
  const km = env.k;
  const f = km.gemm(m, n, k, low);
  const dgrad = km.gemm(m, k, n, low);
  const wgrad = km.wgrad(m, n, k, low);
  c.gemmF += f;
  c.gemmB += dgrad + wgrad;
  c.wgradB += wgrad;
  c.kernelsF += 1;
  c.kernelsB += 2;
  c.gemmsF += 1;
  c.gemmsB += 2;
  if (low) {
    const r = env.t.recipe;
    if (!(fusedInput && env.t.framework.fusedQuantization)) {
      c.memF += km.mem(m * k * r.quantBytesPerElement, "cast");
      c.kernelsF += r.quantKernels;
    }
    c.memB += km.mem(m * n * r.quantBytesPerElement, "cast");
    c.kernelsB += r.quantKernels;
    // torchao's row-wise recipe rescales both backward GEMMs' outputs in a pass of their own (torchao-rowwise.ts).
    const rescale = backwardRescale(km, r.backwardRescaleBytes, m, n, k);
    c.memB += rescale.seconds;
    c.kernelsB += rescale.kernels;
  }
  return f + dgrad + wgrad;
}

/** Adds a memory-bound kernel moving `bytes` forward and `backFactor` times as much backward. */
function memOp(
  env: LayerEnv,
  c: LayerCost,
  bytes: number,
  kind: Parameters<KernelModel["mem"]>[1],
  backFactor = 2,
): void {
  const t = env.k.mem(bytes, kind);
  c.memF += t;
  c.memB += backFactor * t;
  c.kernelsF += 1;
  c.kernelsB += backFactor > 0 ? 1 : 0;
}

/**
 * A norm over `elems` bf16 elements: one fused kernel (4 bytes per element forward, twice that backward, at the
 * norm kernels' rate), or, for PyTorch-native code that is not compiled, the eager op chain of
 * `EAGER_RMSNORM` at the streaming rate.
 */
function normOp(env: LayerEnv, c: LayerCost, elems: number): void {
  const nat = env.t.framework.native;
  if (nat?.eagerElementwise && !env.t.compiled) {
    c.memF += env.k.mem(elems * EAGER_RMSNORM.forwardBytes, "stream");
    c.memB += env.k.mem(elems * EAGER_RMSNORM.backwardBytes, "stream");
    c.kernelsF += EAGER_RMSNORM.kernelsF;
    c.kernelsB += EAGER_RMSNORM.kernelsB;
  } else memOp(env, c, elems * 4, "norm");
}

/** A norm (normOp) whose forward time and output bytes (bf16) are tallied for "layernorm" recompute. */
function normTracked(env: LayerEnv, c: LayerCost, elems: number): void {
  const m0 = c.memF;
  normOp(env, c, elems);
  c.modules.normF += c.memF - m0;
  c.modules.normBytes += 2 * elems;
}

/** Attention block: norm, projections (MHA/GQA/MQA or MLA), rotary, attention core, output projection, residual; TP and CP communication. */
function attentionBlock(env: LayerEnv, a: Acc, T: number, tokDiv: number): void {
  const { s, t } = env;
  const c = a.c;
  const tp = t.degrees.tp;
  const h = s.hidden;
  const hq = s.heads / tp;
  const hkv = Math.max(1, s.kvHeads / tp);
  const dqk = s.qkHeadDim;
  const dv = s.vHeadDim;
  const p = c.modules;
  normTracked(env, c, (T / tokDiv) * h);
  if (s.mla) {
    const qIn = s.qLoraRank > 0 ? s.qLoraRank : h;
    if (s.qLoraRank > 0) linear(env, c, T, s.qLoraRank, h, true, true);
    // The q and kv up-projections: what Megatron-Core's "mla_up_proj" reruns; it frees their outputs q, k, v.
    const g0 = c.gemmF;
    linear(env, c, T, hq * dqk, qIn, true, s.qLoraRank > 0);
    const g1 = c.gemmF;
    linear(env, c, T, s.kvLoraRank + s.qkRopeHeadDim, h, true, true);
    const g2 = c.gemmF;
    linear(env, c, T, hq * (dqk - s.qkRopeHeadDim + dv), s.kvLoraRank, true);
    p.mlaUpF = g1 - g0 + c.gemmF - g2;
    p.mlaUpFlops = 2 * T * (hq * dqk * qIn + hq * (dqk - s.qkRopeHeadDim + dv) * s.kvLoraRank);
    p.mlaUpBytes = T * (2 * hq * dqk + 2 * hkv * (dqk + dv));
    a.actRepl += 2 * (s.qLoraRank + s.kvLoraRank + s.qkRopeHeadDim);
  } else {
    const g0 = c.gemmF;
    linear(env, c, T, hq * dqk + hkv * (dqk + dv), h, true, true);
    c.tpPairQkvF = c.gemmF - g0;
  }
  const extra = extraNormElems(s, T, tokDiv, hq, hkv);
  if (extra.queryKey > 0) normTracked(env, c, extra.queryKey);
  c.denseParams += s.attnParams / tp;
  c.modelFlopsF += (2 * T * s.attnParams) / tp;
  // Rotary embedding on q and k (read and write bf16; PyTorch-native code not compiled: the eager complex-multiply
  // chain), then, where the framework expands GQA heads before attention, the copy of K and V to hq heads.
  const nat = t.framework.native;
  if (nat?.eagerElementwise && !t.compiled) {
    const ropeElems = T * (hq + hkv) * dqk;
    c.memF += env.k.mem(ropeElems * EAGER_ROPE.forwardBytes, "stream");
    c.memB += env.k.mem(ropeElems * EAGER_ROPE.backwardBytes, "stream");
    c.kernelsF += 2 * EAGER_ROPE.kernelsPerTensor;
    c.kernelsB += 2 * EAGER_ROPE.kernelsPerTensor;
  } else memOp(env, c, T * 4 * (hq + hkv) * dqk, "stream");
  if (nat?.repeatKv && !s.mla) memOp(env, c, T * repeatKvBytesPerToken(hq, hkv, dqk + dv), "stream", 1);
  // Attention core, causal: flash-style kernels execute half the score matrix; the model convention counts all of it.
  // Sliding-window layers attend to min(position, window) keys: the average layer's pairs shrink by their share.
  const S = t.seqLength;
  const win = s.slidingWindow;
  const winFactor = windowedAttentionFactor(win, s.layers, S);
  const attnFull = 2 * T * S * hq * (dqk + dv);
  const attnModel = attnFull * winFactor;
  c.attnModelFlopsF = attnModel;
  c.modelFlopsF += attnModel;
  const k = env.k;
  // A systolic matrix unit wider than the head dims (TPU v6e's 256-wide MXU against 128) runs part-filled.
  const width = k.chip.matrixUnitWidth;
  const fillF = attentionMatrixUnitFactor(width, dqk, dv, false);
  const fillB = attentionMatrixUnitFactor(width, dqk, dv, true);
  if (k.scoreBytes > 0) {
    // Unfused kernels (the A100-era runs): the full score matrix computed and moved through HBM.
    c.attnF =
      (fillF * attnModel) / (k.peakBf16 * k.attn.peakFraction) +
      (T * S * hq * k.scoreBytes * winFactor) / k.stream;
    c.attnB = 2 * c.attnF;
    c.kernelsF += 4;
    c.kernelsB += 4;
    if (t.recompute === "none") a.actSplit += 5 * hq * S;
  } else {
    // Full layers run at the rate of the whole (per-rank) sequence, windowed ones at that of their window's length.
    const seqRank = S / t.degrees.cp;
    const fullShare = winFactor === 1 ? 1 : 1 - win.windowedLayers / s.layers;
    const fs = k.attn.forwardShare;
    const full = k.attention(0.5 * attnFull * fullShare, seqRank);
    let winF = 0;
    let winB = 0;
    if (fullShare < 1) {
      const w = k.attention(0.5 * (attnModel - attnFull * fullShare), Math.min(seqRank, win.windowTokens));
      winF = fs * w;
      winB = (1 - fs) * w;
      // A block-sparse kernel with blocks wider than the window computes every block the band touches: at least
      // that share of the same layers run as full causal attention.
      const blk = t.attentionBlock;
      if (blk) {
        const asFull = k.attention(0.5 * attnFull * (1 - fullShare), seqRank);
        winF = Math.max(winF, fs * asFull * blockedWindowShare(seqRank, win.windowTokens, blk.forward));
        winB = Math.max(
          winB,
          (1 - fs) * asFull * blockedWindowShare(seqRank, win.windowTokens, blk.backward),
        );
      }
    }
    const rel = k.chip.sfuExpRateRelative;
    const ref = k.attn.expReferenceHeadDims;
    const em = k.attn.expPerMmaD320;
    c.attnF = (fs * full + winF) * attentionExpFactor(rel, dqk + dv, false, ref, em) * fillF;
    c.attnB = ((1 - fs) * full + winB) * attentionExpFactor(rel, dqk + dv, true, ref, em) * fillB;
    c.kernelsF += 1;
    c.kernelsB += 2;
  }
  // Context parallelism's merges between the ring steps, as the framework's ring attention runs them.
  const merge = ringMergeWork(t.framework, t.degrees.cp, T * hq * dv, T * hkv * (dqk + dv));
  if (merge) {
    c.memF += env.k.mem(merge.forwardBytes, "stream");
    c.memB += env.k.mem(merge.backwardBytes, "stream");
    c.kernelsF += merge.kernelsF;
    c.kernelsB += merge.kernelsB;
  }
  const gOut = c.gemmF;
  linear(env, c, T, h, hq * dv, true);
  c.tpPairOutF = s.mla ? 0 : c.gemmF - gOut;
  if (extra.postAttention > 0) normTracked(env, c, extra.postAttention);
  memOp(env, c, (T / tokDiv) * h * 6, "stream");
  // Activations kept for backward, per token (Korthikanti et al. 2022 with flash attention: no s^2 term).
  a.actRepl += 4 * h; // norm input 2h and QKV input 2h (the residual add keeps nothing): split by TP only with SP
  a.selRepl += 2 * h; // the QKV input is the norm's output
  a.actSplit += 2 * hq * dqk + 2 * hkv * (dqk + dv) + 2 * hq * dv;
}

/** Dense MLP block: norm, up (and gate) projection, activation, down projection, residual. */
function mlpBlock(env: LayerEnv, a: Acc, T: number, ffn: number, countParams: boolean): void {
  const { s, t } = env;
  const c = a.c;
  const h = s.hidden;
  const up = s.gated ? 2 : 1;
  const f = ffn / t.degrees.tp;
  const gUp = c.gemmF;
  linear(env, c, T, up * f, h, true, true);
  c.tpPairUpF = c.gemmF - gUp;
  const m0 = c.memF;
  // A framework that runs a plain MLP's activation in its GEMM epilogues (`mlpActivationInGemm`) launches no kernel for it.
  if (s.gated || !t.framework.mlpActivationInGemm) memOp(env, c, T * (s.gated ? 6 : 4) * f, "activation");
  const actF = c.memF - m0;
  // The down projection: its output only joins the residual sum (remat.ts).
  const before = c.gemmF;
  linear(env, c, T, h, f, true, true);
  c.tpPairDownF = c.gemmF - before;
  const downF = c.gemmF - before;
  const residualOnly = downProjectionResidualOnly(s);
  if (residualOnly) {
    c.residualOnlyGemmF += downF;
    c.residualOnlyFlopsF += 2 * T * h * f;
  }
  a.actSplit += 2 * up * f + 2 * f;
  a.selSplit += 2 * f; // the down projection's input is the activation function's output
  // Recompute pieces: the dense MLP ("mlp") or, without its own parameters, the shared experts ("shared_experts").
  const p = c.modules;
  const gemm = c.gemmF - gUp;
  const flops = 2 * T * h * f * (up + 1);
  if (countParams) {
    p.mlpGemmF += gemm;
    p.mlpActF += actF;
    p.mlpFlops += flops;
    if (residualOnly) {
      p.mlpResidualOnlyF += downF;
      p.mlpResidualOnlyFlops += 2 * T * h * f;
    }
    p.mlpFc1Bytes += T * 2 * up * f;
    p.mlpActBytes += T * 2 * f;
  } else {
    p.sharedGemmF += gemm;
    p.sharedActF += actF;
    p.sharedFlops += flops;
    if (residualOnly) {
      p.sharedResidualOnlyF += downF;
      p.sharedResidualOnlyFlops += 2 * T * h * f;
    }
    p.sharedFc1Bytes += T * 2 * up * f;
    p.sharedActBytes += T * 2 * f;
  }
  if (countParams) {
    c.denseParams += s.mlpParams / t.degrees.tp;
    c.modelFlopsF += (2 * T * s.mlpParams) / t.degrees.tp;
  }
}

/**
 * Memory-bound bytes and kernels of the merges and gradient accumulations between a `cp`-step ring attention's
 * steps on one rank, for `q` attention-output elements and `kv` key/value elements, as the framework's ring
 * attention runs them: PyTorch's eagerly in fp32 (`native.eagerRingMerge`, torch-native.ts `ringMergeBytes`, per
 * output element), Transformer Engine's in bf16 (`teRingMerge`, te-ring-merge.ts); undefined at cp 1 or where the
 * merges run inside the attention kernels. Cost O(1).
 */
function ringMergeWork(
  fw: FrameworkProfile,
  cp: number,
  q: number,
  kv: number,
): { forwardBytes: number; backwardBytes: number; kernelsF: number; kernelsB: number } | undefined {
  if (cp <= 1) return undefined;
  if (fw.native?.eagerRingMerge) {
    const r = ringMergeBytes(cp);
    return {
      forwardBytes: q * r.forward,
      backwardBytes: q * r.backward,
      kernelsF: r.kernelsF,
      kernelsB: r.kernelsB,
    };
  }
  if (fw.teRingMerge) {
    const r = teRingMergeBytes(cp);
    return {
      forwardBytes: q * r.forwardPerQ + kv * r.forwardPerKv,
      backwardBytes: q * r.backwardPerQ + kv * r.backwardPerKv,
      kernelsF: r.kernelsF,
      kernelsB: r.kernelsB,
    };
  }
  return undefined;
}

/**
 * A clamped or biased expert GLU (gpt-oss): the framework's eager clamps and per-expert bias adds over the rank's
 * routed rows (expert-glu.ts); a fused grouped MLP folds them into its epilogues. The bias work is outside the
 * recompute module (`unrecomputedMemF`).
 */
function expertGluWork(
  env: LayerEnv,
  c: LayerCost,
  localExperts: number,
  mPerExpert: number,
  fe: number,
  fusedMlp: boolean,
): void {
  const { s, t, k } = env;
  const ops = fusedMlp ? "fused" : t.framework.expertGluOps;
  const glu = expertGluExtra(
    ops,
    localExperts * mPerExpert,
    fe,
    s.hidden,
    localExperts,
    s.gluClamp,
    s.expertBias,
  );
  if (glu.kernelsF === 0) return;
  const fS = k.mem(glu.fStreamBytes, "stream");
  c.memF += fS;
  c.unrecomputedMemF += fS - k.mem(glu.recomputedFStreamBytes, "stream");
  c.memB += k.mem(glu.bStreamBytes, "stream") + k.mem(glu.bReduceBytes, "norm");
  c.kernelsF += glu.kernelsF;
  c.kernelsB += glu.kernelsB;
}

/** How the routed experts' GEMMs of one layer run (moeBlock): local experts, dispatch, precision, launches. */
interface ExpertGemmRun {
  localExperts: number;
  /** Einsum dispatch fills equal expert buffers: one batched matmul, no per-group tile padding. */
  einsum: boolean;
  low: boolean;
  /** Launches per grouped GEMM (and per quantisation of its operands): one, or one per local expert. */
  launches: number;
  recipe: ResolvedTraining["recipe"];
}

/**
 * One projection of the routed experts, `m` rows per expert of `kk` -> `n`: forward, data-gradient and
 * weight-gradient GEMMs over the local experts (the weight gradient reduces over each expert's tokens: the weight's
 * dims padded, the tokens row-tiled), their launches, and at low precision the operand casts (the input's unless
 * `inputFused`: quantised by its producer or a quantised dispatch) with, split by split, their allocations
 * (split-quantize.ts). Cost O(1).
 */
function expertProjection(
  k: KernelModel,
  c: LayerCost,
  e: ExpertGemmRun,
  m: number,
  n: number,
  kk: number,
  inputFused: boolean,
): void {
  const g = e.localExperts;
  const low = e.low;
  const f = e.einsum ? k.batched(g, m, n, kk, low) : k.grouped(g, m, n, kk, low);
  const dg = e.einsum ? k.batched(g, m, kk, n, low) : k.grouped(g, m, kk, n, low);
  const wg = e.einsum ? k.batchedWgrad(g, m, n, kk, low) : k.groupedWgrad(g, m, n, kk, low);
  const launches = e.launches;
  c.gemmF += f;
  c.gemmB += dg + wg;
  c.wgradB += wg;
  c.kernelsF += launches;
  c.kernelsB += 2 * launches;
  c.gemmsF += launches;
  c.gemmsB += 2 * launches;
  if (launches > 1) {
    c.expertCallsF += launches;
    c.expertCallsB += 2 * launches;
  }
  if (low) {
    const r = e.recipe;
    const allocs = splitQuantizeAllocs(r, launches);
    if (!inputFused) {
      c.memF += k.mem(g * m * kk * r.quantBytesPerElement, "cast");
      c.kernelsF += r.quantKernels * launches;
      c.expertAllocsF += allocs;
    }
    c.memB += k.mem(g * m * n * r.quantBytesPerElement, "cast");
    c.kernelsB += r.quantKernels * launches;
    c.expertAllocsB += allocs;
  }
}

/** MoE block: router, shared experts, permute, dispatch, grouped expert GEMMs, activation, combine, unpermute. */
function moeBlock(env: LayerEnv, a: Acc, T: number, tokDiv: number): void {
  const { s, t, k } = env;
  const c = a.c;
  const d = t.degrees;
  const h = s.hidden;
  const up = s.gated ? 2 : 1;
  const ef = s.expertFfn;
  const cap = t.moeCapacityFactor;
  // Capacity-buffer dispatch (moe-buffer.ts): every TP rank routes and gathers its data-parallel group's whole
  // micro-batch into the padded [experts, capacity, hidden] buffer.
  const buffer =
    t.moeDispatch === "capacity-buffer" && cap !== undefined
      ? capacityBuffer(T, s.topK, s.experts, cap, d.tp, h, 2)
      : undefined;
  const routed = buffer ? T : T / tokDiv; // tokens this rank routes (its sequence-parallel shard, or the whole group)
  const moeG0 = c.gemmF;
  // Router: a bf16 GEMM to the expert logits, then softmax/sigmoid, top-k and the balancing terms over T x E fp32.
  linear(env, c, routed, s.experts, h, false);
  memOp(env, c, routed * s.experts * 4 * 3, "softmax");
  // The router's element-wise chain as the framework launches it; its backward replays about as many autograd
  // nodes (A). Flex dispatchers fuse the dispatch preprocess into the router's tail: 17 kernels for router and
  // preprocess with DeepEP against 31 for the fused router alone (DeepSeek-V3 GB200 write-up, sec. 2.2.1).
  const fw = t.framework;
  const flex = t.moeDispatcher === "deepep" || t.moeDispatcher === "hybridep";
  const routerKernels = flex && fw.routerKernels > 17 ? fw.routerKernels - 14 : fw.routerKernels;
  c.kernelsF += routerKernels;
  c.kernelsB += routerKernels;
  c.routerPassesF += 1;
  if (s.sharedExperts > 0) {
    const before = c.gemmF + c.gemmB;
    mlpBlock(env, a, T, s.sharedExperts * ef, false);
    c.sharedExpertS = c.gemmF + c.gemmB - before;
  }
  const staticF = c.kernelsF;
  const staticB = c.kernelsB;
  const staticGemmsF = c.gemmsF;
  const staticGemmsB = c.gemmsB;
  const staticDeviceF = c.gemmF + c.attnF + c.memF;
  const copies = (T * s.topK) / d.tp; // routed token copies this rank sends
  const localExperts = s.experts / d.ep;
  // Expert rows over the balanced load: routing's spread, capped by a published capacity; einsum dispatch pads
  // every expert buffer to the capacity whatever the routing.
  const routing = ROUTINGS[t.moeRouting];
  const spread = routing.imbalance(copies, d.ep, env.moeImbalance);
  const einsum = t.moeDispatch === "einsum" && cap !== undefined;
  const ib = buffer
    ? buffer.rowsOverBalanced
    : expertRowsOverBalanced(spread, cap, einsum || t.moePadToCapacity);
  const mPerExpert = (copies * d.etp * ib) / localExperts;
  if (routedSerial(env, true)) routedTpGather(env, c, T, ib);
  const fe = ef / d.etp;
  const fusedPermute = t.framework.fusedPermute;
  if (einsum) {
    einsumMoves(env, a, T, cap);
  } else if (buffer) {
    c.tpBufferBytes = d.tp > 1 ? buffer.bufferBytes : 0;
    // The dispatch gather into the buffer and the combine's gather, weighting and sum, on the whole group; each
    // backward is the gradient's scatter-add the other way, as many bytes.
    memOp(env, c, buffer.moveBytesF, "permute", 1);
    c.kernelsF += 3;
    c.kernelsB += 3;
  } else {
    // Permute (gather rows into expert order) and unpermute (weighted sum back to token order): bf16 rows of h.
    const permuteBytes = copies * ib * h * 4;
    memOp(env, c, permuteBytes, "permute", 1);
    memOp(env, c, permuteBytes + (T / tokDiv) * h * 2, fusedPermute ? "permute" : "unpermute", 1);
    if (!fusedPermute) {
      c.kernelsF += 4;
      c.kernelsB += 4;
    }
    // The all-to-all dispatcher's reorder of the received rows by local expert and back (local-expert-sort.ts):
    // one copy each, forward, and each gradient's inverse copy in the backward.
    const sorts = localExpertSortCopies(fw.exchangeLocalSort ?? "none", t.moeDispatcher, d.ep, localExperts);
    if (sorts > 0) {
      memOp(env, c, sorts * localExpertSortBytes(localExperts * mPerExpert, h), "permute", 1);
      c.kernelsF += sorts - 1;
      c.kernelsB += sorts - 1;
    }
  }
  // Expert GEMMs: one grouped kernel per projection over the local experts, forward, dgrad and wgrad.
  const low = t.recipe.matmul !== "bf16";
  const r = t.recipe;
  // Launches per grouped GEMM (and per quantisation of its operands): one, or one per local expert.
  const launches = t.expertMlp === "per-expert" ? localExperts : 1;
  const fusedMlp = t.expertMlp === "fused";
  const run: ExpertGemmRun = { localExperts, einsum, low, launches, recipe: r };
  // Who quantises the experts' inputs: the producer (permute, activation) where the framework fuses it, else the
  // grouped linear split by split; a quantised dispatch or a fused MLP spares the grouped linear (frameworks.ts).
  const byGroupedLinear = fw.groupedLinearQuantizesInputs === true;
  const fc1InputFused = byGroupedLinear ? dispatchesQuantized(t.moeDispatcher, low) : fw.fusedQuantization;
  const fc2InputFused = fusedMlp || (!byGroupedLinear && fw.fusedQuantization);
  expertProjection(k, c, run, mPerExpert, up * fe, h, fc1InputFused);
  // The activation function: its own kernel, or (fused MLP) the first GEMM's epilogue, which also writes the second
  // GEMM's input quantised; its backward is then the second GEMM's data-gradient epilogue.
  const actM0 = c.memF;
  if (!fusedMlp) memOp(env, c, localExperts * mPerExpert * (s.gated ? 6 : 4) * fe, "activation");
  c.modules.moeActF = c.memF - actM0;
  expertGluWork(env, c, localExperts, mPerExpert, fe, fusedMlp);
  expertProjection(k, c, run, mPerExpert, h, fe, fc2InputFused);
  a.actSplit += (s.topK * ib * (2 * h * d.etp + (2 * up + 2) * ef)) / d.tp;
  a.selSplit += (s.topK * ib * 2 * ef) / d.tp;
  // Recompute pieces of "moe" (router and expert GEMMs, the shared experts' excluded) and "moe_act".
  const mp = c.modules;
  mp.moeGemmF = c.gemmF - moeG0 - mp.sharedGemmF;
  mp.moeFlops = 2 * T * (s.routerParams + (s.topK * s.expertParams) / d.tp);
  mp.moeFc1Bytes = (T * s.topK * ib * (2 * h * d.etp + 2 * up * ef)) / d.tp;
  mp.moeActBytes = (T * s.topK * ib * 2 * ef) / d.tp;
  c.denseParams += (s.routerParams + s.sharedExperts * s.expertParams) / d.tp;
  c.expertParams += (localExperts * s.expertParams) / d.etp;
  c.modelFlopsF += 2 * T * (s.routerParams + ((s.sharedExperts + s.topK) * s.expertParams) / d.tp);
  if (d.ep > 1) expertDispatchCombine(env, c, T, ib, buffer !== undefined, low, routing);
  c.dynamicKernelsF = c.kernelsF - staticF;
  c.dynamicKernelsB = c.kernelsB - staticB;
  c.dynamicGemmsF = c.gemmsF - staticGemmsF;
  c.dynamicGemmsB = c.gemmsB - staticGemmsB;
  // The routed path's device-to-host syncs: the dispatcher's, or the per-expert grouped linear's split sizes; none
  // inside a full-iteration graph, which replays without the host (host-sync.ts).
  // A capacity buffer's shapes are static (MindSpore's graph mode compiles them): no count to read back.
  const known = buffer !== undefined || routedRowsKnownOnHost(cap, t.moePadToCapacity);
  c.syncsF += expertPathSyncs(t.moeDispatcher, t.expertMlp, d.ep, t.graphsCoverExperts, known);
  c.dynamicDeviceF = c.gemmF + c.attnF + c.memF - staticDeviceF;
}

/**
 * Dispatch and combine of one MoE layer over the expert-parallel group (ep > 1): bytes and times of each exchange at
 * the dispatcher's rate on the tiers EP spans. `buffered`: a capacity buffer exchanged whole by every TP rank, as one
 * plain all-to-all (MindSpore's redistribution). Cost O(tiers).
 */
function expertDispatchCombine(
  env: LayerEnv,
  c: LayerCost,
  T: number,
  ib: number,
  buffered: boolean,
  low: boolean,
  routing: (typeof ROUTINGS)[keyof typeof ROUTINGS],
): void {
  const { s, t, k } = env;
  const d = t.degrees;
  const h = s.hidden;
  const r = t.recipe;
  const dispatchPerToken = h * (dispatchesQuantized(t.moeDispatcher, low) ? r.operandBytes : 2);
  const dispatcher = buffered ? "alltoall" : t.moeDispatcher;
  const epInNvlink =
    env.layout.tierIndex.ep === 0 && (env.system.tiers[0]?.groupSize ?? 1) > NODE_NVLINK_RANKS;
  const rate = dispatchEfficiency(dispatcher, env.collEff, d.ep, epInNvlink, k.eff.allToAllWideNvlink);
  const x = expertExchange(
    env.system,
    dispatcher,
    buffered ? T * ib : (T / d.tp) * ib,
    s.topK,
    h,
    dispatchPerToken,
    d.ep,
    env.layout.stride.ep,
    env.layout.tierIndex.ep,
    rate,
    (groups) => routing.remoteGroups(groups, s.topK, s.experts, d.ep),
  );
  c.epDispatchBytes = x.dispatchBytes;
  c.epCombineBytes = x.combineBytes;
  c.epDispatchS = x.dispatchS;
  c.epCombineS = x.combineS;
  c.epRateShare = Math.min(1, rate / env.collEff);
  c.epF = x.dispatchS + x.combineS;
  c.epB = c.epF;
  c.kernelsF += 2;
  c.kernelsB += 2;
}

/**
 * One-hot dispatch and combine einsums per sequence instead of index gathers (moe-einsum.ts): their matmuls, the
 * masks' traffic and the masks kept for the backward. `T`: the micro-batch's tokens on this context-parallel rank;
 * `cap`: the capacity factor. Cost O(1).
 */
function einsumMoves(env: LayerEnv, a: Acc, T: number, cap: number): void {
  const { s, t, k } = env;
  const c = a.c;
  const d = t.degrees;
  const S = t.seqLength / d.cp;
  const x = einsumDispatch(
    k,
    T / S / d.tp,
    S,
    s.experts,
    expertCapacity(S, s.topK, s.experts, cap),
    s.hidden,
  );
  c.gemmF += x.gemmF;
  c.gemmB += x.gemmB;
  c.memF += x.memF;
  c.memB += x.memB;
  c.kernelsF += x.gemmsF + 2;
  c.kernelsB += x.gemmsB + 1;
  c.gemmsF += x.gemmsF;
  c.gemmsB += x.gemmsB;
  a.actSplit += x.actBytesPerToken / d.tp;
}

/** Whether an MoE layer's expert-TP collectives follow the framework's serial routed-copy gather (frameworks.ts `expertTpGather`). Cost O(1). */
export function routedSerial(env: { t: ResolvedTraining }, moe: boolean): boolean {
  return moe && env.t.degrees.etp > 1 && env.t.framework.expertTpGather === "routed-serial";
}

/**
 * The serial routed-copy gather over expert TP (routed-tp-gather.ts): its collectives into `tpSerialF`/`tpSerialB`
 * and the layout copies around them into the memory-bound time, forward and backward alike. `T`: the micro-batch's
 * tokens on this context-parallel rank; `ib`: expert rows over the balanced load. Cost O(tiers), no allocation.
 */
function routedTpGather(env: LayerEnv, c: LayerCost, T: number, ib: number): void {
  const { s, t, system, layout, collEff, k } = env;
  const d = t.degrees;
  const ti = layout.tierIndex.tp;
  const gathered = routedGatherBytes(T, s.topK, s.hidden, ib);
  const ag = collectiveTime(system, "all-gather", gathered, d.etp, 1, ti, collEff);
  const rs = collectiveTime(system, "reduce-scatter", gathered, d.etp, 1, ti, collEff);
  // sp2hp / hp2sp: each rank sends its sequence shard's hidden states, (tp - 1) / tp of them to its peers.
  c.tpSerialBytes = gathered;
  c.tpSerialA2aBytes = (T / d.tp) * s.hidden * 2;
  const a2a = collectiveTime(system, "all-to-all", c.tpSerialA2aBytes, d.tp, 1, ti, collEff);
  c.tpSerialF = routedTpSerialS(ag, rs, a2a);
  c.tpSerialB = c.tpSerialF;
  const copy = k.mem(routedLayoutCopyBytes(gathered), "stream");
  c.memF += copy;
  c.memB += copy;
  c.kernelsF += 6;
  c.kernelsB += 6;
}

/** One send of `bytes` per rank to the next rank of the context-parallel ring, s. Cost O(tiers). */
function ringSendS(env: LayerEnv, bytes: number): number {
  const { t, system, layout, collEff } = env;
  return collectiveTime(
    system,
    "send-recv",
    bytes,
    t.degrees.cp,
    layout.stride.cp,
    layout.tierIndex.cp,
    collEff,
    channelRateCap(t.commMaxCtas.cp, env.k.eff.collectiveChannelBytesPerS),
  );
}

/** Tensor- and context-parallel communication of one layer. */
function layerComm(env: LayerEnv, c: LayerCost, T: number, sp: boolean, moe: boolean): void {
  const { s, t, system, layout, collEff } = env;
  const d = t.degrees;
  const h = s.hidden;
  c.tpBytes = T * h * 2;
  if (d.tp > 1) {
    const ti = layout.tierIndex.tp;
    // A dispatcher that gathers the routed copies itself (routed-tp-gather.ts) leaves the layer its attention block
    // (and a shared-expert MLP) as the TP pairs priced here.
    // A capacity-buffer dispatch reduces its routed experts apart (moe-buffer.ts), leaving the attention block and
    // a shared-expert MLP as the pairs priced here.
    const bufferMoe = moe && c.tpBufferBytes > 0;
    const blocks = tpCollectiveBlocks(moe, s.sharedExperts, routedSerial(env, moe) || bufferMoe ? 1 : d.etp);
    // With sequence parallelism the backward all-gathers the column-parallel inputs again (sequence-parallel.ts).
    const f = tpCollectives(sp, "forward", blocks);
    const b = tpCollectives(sp, "backward", blocks);
    // Each kind's time once, for both passes (no closure: this runs per layer kind and evaluation).
    const ag =
      f.allGather + b.allGather > 0
        ? collectiveTime(system, "all-gather", c.tpBytes, d.tp, 1, ti, collEff)
        : 0;
    const rs =
      f.reduceScatter + b.reduceScatter > 0
        ? collectiveTime(system, "reduce-scatter", c.tpBytes, d.tp, 1, ti, collEff)
        : 0;
    const ar =
      f.allReduce + b.allReduce > 0
        ? collectiveTime(system, "all-reduce", c.tpBytes, d.tp, 1, ti, collEff)
        : 0;
    // Transformer Engine gathers quantised tensors: each column-parallel input at one layout, each row-parallel output
    // gradient at one or two (quantized-gather.ts); other gathers, and bf16 runs, move bf16.
    const qb = quantizedGatherBlocksIn(t, sp, moe);
    const agIn =
      qb > 0
        ? collectiveTime(system, "all-gather", T * h * inputGatherBytes(t.recipe, true), d.tp, 1, ti, collEff)
        : ag;
    const gradBytes = gradOutputGatherBytes(t.recipe, true, t.overlap.tpComm);
    const agGrad =
      qb > 0 ? collectiveTime(system, "all-gather", T * h * gradBytes, d.tp, 1, ti, collEff) : ag;
    c.tpF = qb * agIn + (f.allGather - qb) * ag + f.reduceScatter * rs + f.allReduce * ar;
    c.tpAgS = ag;
    c.tpRsS = rs;
    c.tpB = qb * (agIn + agGrad) + (b.allGather - 2 * qb) * ag + b.reduceScatter * rs + b.allReduce * ar;
    c.kernelsF += f.allGather + f.reduceScatter + f.allReduce;
    c.kernelsB += b.allGather + b.reduceScatter + b.allReduce;
    if (bufferMoe) {
      const bc = bufferTpCollectives(sp);
      const bar =
        bc.bufferAllReduce * collectiveTime(system, "all-reduce", c.tpBufferBytes, d.tp, 1, ti, collEff);
      const tokAg =
        bc.tokenAllGatherF > 0
          ? ag > 0
            ? ag
            : collectiveTime(system, "all-gather", c.tpBytes, d.tp, 1, ti, collEff)
          : 0;
      const tokRs =
        bc.tokenReduceScatterB > 0
          ? rs > 0
            ? rs
            : collectiveTime(system, "reduce-scatter", c.tpBytes, d.tp, 1, ti, collEff)
          : 0;
      c.tpF += bar + bc.tokenAllGatherF * tokAg;
      c.tpB += bar + bc.tokenReduceScatterB * tokRs;
      c.kernelsF += bc.bufferAllReduce + bc.tokenAllGatherF;
      c.kernelsB += bc.bufferAllReduce + bc.tokenReduceScatterB;
    }
    // Current per-tensor scaling: the amax of each tensor gathered after its cast is all-reduced first (amax-reduction.ts).
    const amax = tpAmaxReductions(t.recipe, sp, blocks);
    if (amax > 0) {
      const one = amaxAllReduceS(collectiveTime(system, "all-reduce", 4, d.tp, 1, ti, collEff));
      c.tpAmaxF = amax * one;
      c.tpAmaxB = amax * one;
      c.kernelsF += amax;
      c.kernelsB += amax;
    }
  }
  // Context parallel: ring exchange of K and V (forward) and of K, V and their gradients (backward).
  const hq = s.heads / d.tp;
  const hkv = Math.max(1, s.kvHeads / d.tp);
  // MLA sends per-head K/V; a framework that repeats GQA heads before attention (torchtitan's repeat_kv) sends
  // the repeated ones: PyTorch's context parallel rotates the tensors SDPA is called with.
  const kvHeadsSent = s.mla || t.framework.native?.repeatKv ? hq : hkv;
  c.cpBytes = T * kvHeadsSent * (s.qkHeadDim + s.vHeadDim) * 2;
  if (d.cp > 1) {
    const one = ringSendS(env, c.cpBytes);
    c.cpF = (d.cp - 1) * one;
    // The backward sends the chunks again and their gradients as the framework's ring returns them.
    const r = ringBackwardSends(t.framework.cpGradRotation ?? BF16_RING_GRADIENTS, d.cp);
    const grad = ringSendS(env, c.cpBytes * r.gradWidth);
    c.cpB = r.kvSends * one + r.gradSends * grad;
    c.cpTailB = r.exposedGradSends * grad;
    c.cpBytesB = c.cpBytes * (r.kvSends + r.gradSends * r.gradWidth);
  }
}

/**
 * Share of the layer's forward GEMM time that op-level selective checkpointing reruns (torch-native.ts): none for a
 * framework without it; for a dense GQA/MHA layer the even-numbered matmuls of its forward order
 * (`opSacRecomputedShare`); for MoE and MLA layers, whose order is not modelled, the profile's share. Cost O(1).
 */
function opSacGemmShare(env: LayerEnv, moe: boolean): number {
  const share = env.t.framework.native?.selectiveGemmShare ?? 0;
  if (share === 0 || moe) return share;
  const order = denseBlockMatmuls(env.s);
  return order ? opSacRecomputedShare(order) : share;
}

/**
 * Cost of one dense (`moe` false) or MoE layer for one micro-batch on one rank. Reads only the layer knobs
 * (tp, cp, ep, etp, micro-batch size, sequence, sequence parallelism, precision and recipe, recompute = none,
 * framework, dispatcher). Cost O(tiers), allocation: one object.
 */
export function layerCost(env: LayerEnv, moe: boolean): LayerCost {
  const { s, t } = env;
  const d = t.degrees;
  const T = (t.microBatchSize * t.seqLength) / d.cp;
  const sp = t.sequenceParallel && d.tp > 1;
  const tokDiv = sp ? d.tp : 1;
  const a: Acc = { c: zero(), actRepl: 0, actSplit: 0, selRepl: 0, selSplit: 0 };
  attentionBlock(env, a, T, tokDiv);
  if (moe) {
    normTracked(env, a.c, (T / tokDiv) * s.hidden);
    moeBlock(env, a, T, tokDiv);
    memOp(env, a.c, (T / tokDiv) * s.hidden * 6, "stream");
    a.actRepl += 4 * s.hidden;
    a.selRepl += 2 * s.hidden;
  } else {
    normTracked(env, a.c, (T / tokDiv) * s.hidden);
    mlpBlock(env, a, T, s.ffn, true);
    const post = extraNormElems(s, T, tokDiv, 0, 0).postMlp;
    if (post > 0) normTracked(env, a.c, post);
    memOp(env, a.c, (T / tokDiv) * s.hidden * 6, "stream");
    a.actRepl += 4 * s.hidden;
    a.selRepl += 2 * s.hidden;
  }
  layerComm(env, a.c, T, sp, moe);
  // MC2's projection pairing (fused-tp-overlap.ts) is a GQA/MHA layer's with sequence parallelism; MindSpeed leaves the
  // MoE MLP unfused, so an MoE layer pairs its attention alone when its routed path's TP traffic is charged apart
  // (routed-tp-gather.ts) and nothing else gathers over TP; an MLA layer has more projections: those keep the
  // whole-layer overlap.
  const attnOnly = moe && routedSerial(env, moe) && env.s.sharedExperts === 0;
  if ((moe && !attnOnly) || env.s.mla || !sp)
    a.c.tpPairQkvF = a.c.tpPairOutF = a.c.tpPairUpF = a.c.tpPairDownF = 0;
  if (attnOnly) {
    a.c.tpPairUpF = a.c.tpPairDownF = 0;
    a.c.tpPairBlocks = 1;
  }
  a.c.gemmOverlapF = a.c.gemmF;
  a.c.gemmOverlapB = a.c.gemmB;
  // Without gradient-accumulation fusion the backward adds each weight gradient into the fp32 main gradient (grad-accum.ts).
  if (!t.gradAccumFusion) {
    a.c.memB += env.k.mem(unfusedGradAccumBytes(a.c.denseParams + a.c.expertParams, false), "stream");
    a.c.kernelsB += UNFUSED_GRAD_ACCUM_KERNELS_PER_LAYER;
  }
  const unfused = env.k.scoreBytes > 0;
  // Op-level selective checkpointing (torchtitan) also reruns a share of the forward matmuls.
  const gemmShare = opSacGemmShare(env, moe);
  // An op policy whose save list leaves the fused attention op out reruns its forward as well (op-sac-attention.ts).
  const attnRerun = unfused || (gemmShare > 0 && t.opSacRecomputesAttention);
  a.c.selectiveS =
    (unfused ? a.c.attnF : a.c.memF - a.c.unrecomputedMemF) +
    (attnRerun && !unfused ? a.c.attnF : 0) +
    gemmShare * a.c.gemmF;
  a.c.selectiveFlops =
    (attnRerun ? a.c.attnModelFlopsF : 0) + gemmShare * (a.c.modelFlopsF - a.c.attnModelFlopsF);
  a.c.actBytes = (T * a.actRepl) / tokDiv + T * a.actSplit;
  // Selective recompute with fused attention reruns the norms and activation functions: their outputs are not kept.
  a.c.actBytesSelective = unfused ? a.c.actBytes : a.c.actBytes - ((T * a.selRepl) / tokDiv + T * a.selSplit);
  a.c.actBytesFull = (T * 2 * s.hidden) / tokDiv;
  a.c.modules.coreCoversMem = !unfused;
  a.c.modules.scoreBytes = unfused ? T * 5 * (s.heads / d.tp) * t.seqLength : 0;
  return a.c;
}
