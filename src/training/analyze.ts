// The analytical core of the training model: per-layer roofline compute, per-collective communication and pipeline assembly.
import { pipelineSchedule } from "../catalog/schedules/index.js";
import type { System } from "../catalog/types.js";
import { collectiveTime, expertAllToAllTime, rankLayout } from "./comm.js";
import type { ResolvedTraining } from "./config.js";
import type { TrainingEfficiency } from "./efficiency.js";
import type { ModelShape } from "./shape.js";
import type { CommOp, RankLayout } from "./types.js";

/** Bytes of an fp32 gradient (Megatron accumulates and reduces main gradients in fp32). */
export const GRAD_REDUCE_BYTES = 4;
/** Bytes per parameter touched by an Adam step: read master, grad, m, v (16), write master, m, v (12), write the bf16 copy (2). */
export const ADAM_BYTES_PER_PARAM = 30;
/** Model-state bytes per parameter under FSDP: bf16 weights, fp32 gradients, fp32 master weights and Adam moments. */
export const FSDP_STATE_BYTES_PER_PARAM = 18;
/**
 * Share of a chip's memory that sharded model states may take for hybrid sharding to be chosen; the
 * rest holds activations, gathered layers and buffers. An assumption (A): a 70B model is not sharded
 * over 8 GPUs of 80 GB (157 GB of states each), PaLM 540B is sharded within a 3,072-chip pod.
 */
export const FSDP_STATE_SHARE = 0.5;
/** Device memory the runtime keeps for itself (CUDA/CANN context, NCCL/HCCL channels, GEMM workspaces), bytes. */
export const RUNTIME_RESERVE_BYTES = 1.5e9;
/**
 * Routed-expert load on the busiest rank over the mean, after load balancing: per-micro-batch routing
 * fluctuation that balancing losses and EPLB do not remove. SGLang (LMSYS, 2025-05-05) and DeepSeek's
 * EPLB report balancedness of about 0.8-0.9; the serving model uses the same 1.15.
 */
export const EXPERT_IMBALANCE = 1.15;
/**
 * Share of the compute units given to communication kernels while all-to-all overlaps compute
 * (DeepSeek-V3 report, 3.2.2: 20 of the H800's 132 SMs drive DualPipe's dispatch/combine).
 */
export const COMM_SM_SHARE = 0.15;

/** Times of one layer kind for one micro-batch on one rank, s. */
export interface LayerCost {
  gemmF: number;
  attnF: number;
  /** Attention core backward, s. */
  attnB: number;
  memF: number;
  /** TP communication of the forward (and of a recompute forward), s. */
  tpF: number;
  tpB: number;
  cpF: number;
  cpB: number;
  epF: number;
  epB: number;
  /** GEMM share of the forward that TP overlap can hide under, s. */
  gemmOverlapF: number;
  /** Model FLOPs (Megatron convention, non-causal attention) forward per rank. */
  modelFlopsF: number;
  /** Attention-core FLOPs forward per rank (model convention), recomputed by selective recompute. */
  attnModelFlopsF: number;
  /** Parameters on this rank: replicated across DP (dense) and expert-parallel (routed experts). */
  denseParams: number;
  expertParams: number;
  /** Activation bytes stored per micro-batch, without and with full recompute. */
  actBytes: number;
  actBytesFull: number;
  /** Message sizes for the plan. */
  tpBytes: number;
  cpBytes: number;
  epDispatchBytes: number;
  epCombineBytes: number;
}

/** Per-stage cost for one micro-batch on one rank, s (exposed communication included). */
export interface StageCost {
  layers: number;
  forwardS: number;
  backwardS: number;
  backwardInputS: number;
  backwardWeightS: number;
  recomputeS: number;
  /** Exposed communication per micro-batch by kind (forward + backward), s. */
  tpS: number;
  cpS: number;
  epS: number;
  ppS: number;
  computeS: number;
  modelFlops: number;
  hardwareFlops: number;
  denseParams: number;
  expertParams: number;
  actBytesPerMicroBatch: number;
  extraActBytes: number;
}

/** Everything the estimate and the plan need, computed once. */
export interface Analysis {
  layout: RankLayout;
  stages: StageCost[];
  /** Index into stages of the bottleneck (slowest per micro-batch). */
  slowest: number;
  microBatchS: number;
  pipelineS: number;
  bubbleS: number;
  dpExposedS: number;
  dpTotalS: number;
  optimizerS: number;
  stepTimeS: number;
  modelFlopsPerStep: number;
  hardwareFlopsPerStep: number;
  /** Memory of the most loaded stage, bytes. */
  memory: { weights: number; gradients: number; optimizer: number; activations: number; buffers: number };
  comm: CommOp[];
  dense: LayerCost;
  moe: LayerCost | undefined;
}

const sat = (x: number, half: number) => x / (x + half);

/**
 * Exposed time of `comm` s of communication overlapped with `compute` s of work: the part that does
 * not fit under the compute, plus `rho` of the part that does (overlapCost). Cost O(1).
 */
const hidden = (comm: number, compute: number, rho: number) =>
  comm > compute ? comm - compute + rho * compute : rho * comm;

/** Immutable inputs of one evaluation. */
export interface Inputs {
  system: System;
  shape: ModelShape;
  t: ResolvedTraining;
  eff: TrainingEfficiency;
}

class Ctx {
  readonly peak: number;
  readonly peakBf16: number;
  readonly effG: number;
  readonly half: number;
  readonly memBw: number;
  readonly elem: number;
  readonly attnRate: number;
  readonly fp8: boolean;
  constructor(readonly inp: Inputs) {
    const chip = inp.system.chip;
    const p = inp.t.precision;
    this.peakBf16 = chip.peakFlops.bf16 ?? chip.peakFlops.fp16 ?? chip.peakFlops[p] ?? 1;
    this.peak = chip.peakFlops[p] ?? this.peakBf16;
    this.effG = inp.eff.gemm[p];
    this.half = inp.eff.gemmHalfDim;
    this.memBw = chip.memoryBandwidthBytesPerS * inp.eff.memory;
    this.elem = p === "bf16" ? 2 : p === "fp8" ? 1 : 0.5;
    this.attnRate = this.peakBf16 * inp.eff.attention;
    this.fp8 = p !== "bf16";
  }
  /** Forward time of an (M x K) . (K x N) GEMM: the slower of its FLOPs at size-dependent efficiency and its operand traffic. */
  gemm(m: number, n: number, k: number): number {
    if (m <= 0 || n <= 0 || k <= 0) return 0;
    const h = this.half;
    const eff = this.effG * sat(m, h) * sat(n, h) * sat(k, h);
    const tc = (2 * m * n * k) / (this.peak * eff);
    // Operands at the matmul precision (casts counted separately), output in bf16.
    const tm = ((m * k + k * n) * this.elem + m * n * 2) / this.memBw;
    // Cast of the activation operand to fp8/fp4: read bf16, write low precision.
    const cast = this.fp8 ? (m * k * (2 + this.elem)) / this.memBw : 0;
    return Math.max(tc, tm) + cast;
  }
}

function layerCost(c: Ctx, moe: boolean): LayerCost {
  const { shape: s, t, system } = c.inp;
  const collEff = c.inp.eff.collective;
  const d = t.degrees;
  const tp = d.tp;
  const T = (t.microBatchSize * t.seqLength) / d.cp;
  const h = s.hidden;
  const sp = t.sequenceParallel && tp > 1;
  const tokDiv = sp ? tp : 1;
  const hq = s.heads / tp;
  const hkv = Math.max(1, s.kvHeads / tp);
  const dqk = s.qkHeadDim;
  const dv = s.vHeadDim;
  const up = s.gated ? 2 : 1;
  let gemmF = 0;
  let denseParams = 0;
  let expertParams = 0;
  let modelFlopsF = 0;
  // Attention projections.
  if (s.mla) {
    const qIn = s.qLoraRank > 0 ? s.qLoraRank : h;
    if (s.qLoraRank > 0) gemmF += c.gemm(T, s.qLoraRank, h);
    gemmF += c.gemm(T, hq * dqk, qIn);
    gemmF += c.gemm(T, s.kvLoraRank + s.qkRopeHeadDim, h);
    gemmF += c.gemm(T, hq * (dqk - s.qkRopeHeadDim + dv), s.kvLoraRank);
    gemmF += c.gemm(T, h, hq * dv);
  } else {
    gemmF += c.gemm(T, hq * dqk + hkv * (dqk + dv), h);
    gemmF += c.gemm(T, h, hq * dv);
  }
  denseParams += s.attnParams / tp;
  modelFlopsF += (2 * T * s.attnParams) / tp;
  // Attention core: causal, flash-style; executes half the score matrix, the model convention counts all of it.
  const attnModelFlopsF = 2 * T * t.seqLength * hq * (dqk + dv);
  // Unfused kernels (attentionScoreBytes > 0) compute the full score matrix and move it through HBM.
  const scoreBytes = c.inp.eff.attentionScoreBytes;
  const attnF =
    scoreBytes > 0
      ? attnModelFlopsF / c.attnRate + (T * t.seqLength * hq * scoreBytes) / c.memBw
      : (0.5 * attnModelFlopsF) / c.attnRate;
  const attnB = scoreBytes > 0 ? 2 * attnF : 2.5 * attnF;
  modelFlopsF += attnModelFlopsF;
  // Memory-bound work per token: 2 norms + 2 residual adds on h (split by TP only with sequence parallel), rotary on q and k.
  let memBytes = (T * 20 * h) / tokDiv + T * 4 * (hq * dqk + hkv * dqk);
  const actWord = s.gated ? 6 : 4;
  let epDispatchBytes = 0;
  let epCombineBytes = 0;
  // Activations kept for backward, per token (Korthikanti et al. 2022 with flash attention: no s^2 term).
  let actRepl = 10 * h; // norms 4h, QKV and MLP inputs 4h, dropout masks 2h: split by TP only with SP
  let actSplit = 2 * hq * dqk + 2 * hkv * (dqk + dv) + 2 * hq * dv;
  // Unfused attention without recompute keeps softmax output, dropout mask and output: 5 a s bytes per token.
  if (scoreBytes > 0 && t.recompute === "none") actSplit += 5 * hq * t.seqLength;
  if (s.mla) actRepl += 2 * (s.qLoraRank + s.kvLoraRank + s.qkRopeHeadDim);
  if (!moe) {
    const f = s.ffn / tp;
    gemmF += c.gemm(T, up * f, h) + c.gemm(T, h, f);
    memBytes += T * actWord * f;
    denseParams += s.mlpParams / tp;
    modelFlopsF += (2 * T * s.mlpParams) / tp;
    actSplit += 2 * up * f + 2 * f;
  } else {
    const ef = s.expertFfn;
    const copies = (T * s.topK) / tp; // routed token copies of full-expert work per rank
    gemmF += c.gemm(T / tokDiv, s.experts, h); // router
    if (s.sharedExperts > 0) {
      const f = (s.sharedExperts * ef) / tp;
      gemmF += c.gemm(T, up * f, h) + c.gemm(T, h, f);
      memBytes += T * actWord * f;
      actSplit += 2 * up * f + 2 * f;
    }
    const localExperts = s.experts / d.ep;
    const mPerExpert = (copies * d.etp) / localExperts;
    const fe = ef / d.etp;
    // Each local expert is one grouped-GEMM slice of mPerExpert token rows.
    // The busiest expert rank sets the pace: EXPERT_IMBALANCE more tokens than the mean.
    gemmF += EXPERT_IMBALANCE * localExperts * (c.gemm(mPerExpert, up * fe, h) + c.gemm(mPerExpert, h, fe));
    memBytes += EXPERT_IMBALANCE * copies * (8 * h + actWord * ef);
    actSplit += (s.topK * (2 * h * d.etp + (2 * up + 2) * ef)) / tp;
    denseParams += (s.routerParams + s.sharedExperts * s.expertParams) / tp;
    expertParams += (localExperts * s.expertParams) / d.etp;
    modelFlopsF += 2 * T * (s.routerParams + ((s.sharedExperts + s.topK) * s.expertParams) / tp);
    if (d.ep > 1) {
      const tokensHere = T / tp;
      epDispatchBytes = tokensHere * s.topK * h * (c.fp8 ? 1 : 2);
      epCombineBytes = tokensHere * s.topK * h * 2;
    }
  }
  const memF = memBytes / c.memBw;
  // Tensor-parallel collectives: 2 all-reduces per layer pass, or 2 all-gathers + 2 reduce-scatters with SP.
  const layout = rankLayout(system, d);
  const tpBytes = T * h * 2;
  let tpF = 0;
  if (tp > 1) {
    const ti = layout.tierIndex.tp;
    tpF = sp
      ? 2 * collectiveTime(system, "all-gather", tpBytes, tp, 1, ti, collEff) +
        2 * collectiveTime(system, "reduce-scatter", tpBytes, tp, 1, ti, collEff)
      : 2 * collectiveTime(system, "all-reduce", tpBytes, tp, 1, ti, collEff);
  }
  // Context parallel: ring exchange of K and V (forward) and of K, V and their gradients (backward).
  let cpF = 0;
  let cpB = 0;
  const kvHeadsSent = s.mla ? hq : hkv;
  const cpBytes = T * kvHeadsSent * (dqk + dv) * 2;
  if (d.cp > 1) {
    const one = collectiveTime(
      system,
      "send-recv",
      cpBytes,
      d.cp,
      layout.stride.cp,
      layout.tierIndex.cp,
      collEff,
    );
    cpF = (d.cp - 1) * one;
    cpB = 2 * cpF;
  }
  let epF = 0;
  if (moe && d.ep > 1) {
    const ti = layout.tierIndex.ep;
    const tokensHere = T / tp;
    const a2a = (bytesPerToken: number) =>
      expertAllToAllTime(system, tokensHere, s.topK, bytesPerToken, d.ep, layout.stride.ep, ti, collEff);
    epF = EXPERT_IMBALANCE * (a2a(h * (c.fp8 ? 1 : 2)) + a2a(h * 2));
  }
  const actBytes = (T * actRepl) / tokDiv + T * actSplit;
  return {
    gemmF,
    attnF,
    attnB,
    memF,
    tpF,
    tpB: tpF,
    cpF,
    cpB,
    epF,
    epB: epF,
    gemmOverlapF: gemmF,
    modelFlopsF,
    attnModelFlopsF,
    denseParams,
    expertParams,
    actBytes,
    actBytesFull: (T * 2 * h) / tokDiv,
    tpBytes,
    cpBytes,
    epDispatchBytes,
    epCombineBytes,
  };
}

/** Combines `n` layers' costs into forward/backward times for one micro-batch, with overlap rules applied. */
function stageCost(
  c: Ctx,
  parts: { cost: LayerCost; n: number }[],
  extraF: number,
  extraFlops: number,
  extraParams: number,
  extraAct: number,
): StageCost {
  const { t } = c.inp;
  const rho = c.inp.eff.overlapCost;
  const full = t.recompute === "full";
  const selective = t.recompute === "selective";
  let fwdCompute = 0;
  let bwdCompute = 0;
  let bwdWeight = 0;
  let recompute = 0;
  let tpS = 0;
  let cpS = 0;
  let epS = 0;
  let layers = 0;
  let modelFlops = 0;
  let hwFlops = 0;
  let denseParams = extraParams;
  let expertParams = 0;
  let act = extraAct;
  for (const { cost: l, n } of parts) {
    if (n <= 0) continue;
    layers += n;
    // While all-to-all overlaps compute, its kernels hold COMM_SM_SHARE of the compute units.
    const slow = t.overlap.epComm && l.epF > 0 ? 1 / (1 - COMM_SM_SHARE) : 1;
    const fwd = (l.gemmF + l.attnF + l.memF) * slow;
    fwdCompute += n * fwd;
    // Backward: two GEMMs per forward GEMM (input and weight gradients), attention backward 2.5x (scores recomputed), memory ops 2x.
    bwdCompute += n * (2 * l.gemmF + l.attnB + 2 * l.memF) * slow;
    bwdWeight += n * l.gemmF * slow;
    // Full recompute reruns the whole forward; selective reruns the attention core (Korthikanti et al. 2022).
    const rc = full ? fwd : selective ? l.attnF : 0;
    recompute += n * rc;
    const tpPass = t.overlap.tpComm ? hidden(l.tpF, l.gemmOverlapF, rho) : l.tpF;
    tpS += n * tpPass * (full ? 3 : 2);
    cpS += n * (hidden(l.cpF, l.attnF, rho) + hidden(l.cpB, l.attnB, rho));
    const epPass = l.epF + l.epB;
    epS += n * (t.overlap.epComm ? hidden(epPass, 3 * fwd, rho) : epPass);
    const mf = 3 * l.modelFlopsF;
    modelFlops += n * mf;
    hwFlops += n * (mf + (full ? l.modelFlopsF : selective ? l.attnModelFlopsF : 0));
    denseParams += n * l.denseParams;
    expertParams += n * l.expertParams;
    act += n * (full ? l.actBytesFull : l.actBytes);
  }
  fwdCompute += extraF;
  bwdCompute += 2 * extraF;
  bwdWeight += extraF;
  modelFlops += 3 * extraFlops;
  hwFlops += 3 * extraFlops + (full ? extraFlops : 0);
  const forwardS = fwdCompute + (tpS * 1) / (full ? 3 : 2) + cpS / 3 + epS / 2;
  const backwardS = bwdCompute + recompute + tpS - (tpS * 1) / (full ? 3 : 2) + (2 * cpS) / 3 + epS / 2;
  return {
    layers,
    forwardS,
    backwardS,
    backwardInputS: backwardS - bwdWeight,
    backwardWeightS: bwdWeight,
    recomputeS: recompute,
    tpS,
    cpS,
    epS,
    ppS: 0,
    computeS: fwdCompute + bwdCompute,
    modelFlops,
    hardwareFlops: hwFlops,
    denseParams,
    expertParams,
    actBytesPerMicroBatch: act - extraAct,
    extraActBytes: extraAct,
  };
}

/**
 * Per-layer costs of one job (dense and MoE layer kinds), the part of `analyze` that reads only the layer
 * knobs: tp, cp, ep, etp, micro-batch size, sequence parallel, precision, and whether recompute is "none"
 * (unfused attention keeps its scores then); never pp, dp, vpp, schedule, ZeRO or overlap. A search computes
 * it once per distinct layer knobs and passes it to `analyze` (see staged.ts). Cost: O(tiers), microseconds.
 */
export interface LayerCosts {
  dense: LayerCost;
  moe: LayerCost | undefined;
}

export function layerCosts(inp: Inputs): LayerCosts {
  const c = new Ctx(inp);
  return { dense: layerCost(c, false), moe: inp.shape.moeLayers > 0 ? layerCost(c, true) : undefined };
}

/**
 * Evaluates one training configuration analytically. Cost: O(tiers + pipeline-stage kinds), a few
 * microseconds, a handful of small allocations; no parsing. Units: seconds, bytes, FLOPs. `layers`: the
 * per-layer costs of a job with the same layer knobs (see `layerCosts`), computed here when not given.
 */
export function analyze(inp: Inputs, withComm = false, layers: LayerCosts = layerCosts(inp)): Analysis {
  const c = new Ctx(inp);
  const { system, shape: s, t } = inp;
  const collEff = inp.eff.collective;
  const rho = inp.eff.overlapCost;
  const d = t.degrees;
  const layout = rankLayout(system, d);
  const { dense, moe } = layers;
  const T = (t.microBatchSize * t.seqLength) / d.cp;
  const h = s.hidden;
  const tokDiv = t.sequenceParallel && d.tp > 1 ? d.tp : 1;
  // Embedding (gather) and output layer (logits GEMM + fused cross-entropy over the vocabulary shard).
  const embedF = (T * h * 2 * 2) / c.memBw;
  const vShard = s.vocab / d.tp;
  const logitsF = c.gemm(T, vShard, h) + (T * vShard * 8) / c.memBw;
  const logitsFlops = 2 * T * vShard * h;
  let mtpF = 0;
  let mtpFlops = 0;
  let mtpParams = 0;
  if (s.mtpDepth > 0) {
    const l = moe ?? dense;
    mtpF = s.mtpDepth * (l.gemmF + l.attnF + l.memF + c.gemm(T, h, 2 * h) + logitsF);
    mtpFlops = s.mtpDepth * (l.modelFlopsF + 2 * T * 2 * h * h + logitsFlops);
    mtpParams = s.mtpDepth * (l.denseParams + (2 * h * h) / d.tp);
  }
  const embedParams = s.embedParams / d.tp;
  const headParams = s.headParams / d.tp;
  const logitsAct = T * vShard * 4 + (T * h * 2) / tokDiv;
  // Layers per stage: the first stages take the remainder; the leading dense layers sit on stage 0.
  const p = d.pp;
  const per = Math.ceil(s.layers / p);
  const lastLayers = p === 1 ? s.layers : Math.max(1, s.layers - (p - 1) * per);
  const parts = (n: number, denseN: number) => [
    { cost: dense, n: Math.min(n, denseN) },
    ...(moe ? [{ cost: moe, n: n - Math.min(n, denseN) }] : []),
  ];
  const stages: StageCost[] = [];
  const denseAll = moe ? s.denseLayers : s.layers;
  if (p === 1) {
    stages.push(
      stageCost(
        c,
        parts(s.layers, denseAll),
        embedF + logitsF + mtpF,
        logitsFlops + mtpFlops,
        embedParams + headParams + mtpParams,
        logitsAct,
      ),
    );
  } else {
    stages.push(stageCost(c, parts(per, denseAll), embedF, 0, embedParams, 0));
    if (p > 2) stages.push(stageCost(c, parts(per, Math.max(0, denseAll - per)), 0, 0, 0, 0));
    const lastDense = Math.max(0, denseAll - (s.layers - lastLayers));
    stages.push(
      stageCost(
        c,
        parts(lastLayers, lastDense),
        logitsF + mtpF,
        logitsFlops + mtpFlops,
        headParams + mtpParams,
        logitsAct,
      ),
    );
  }
  // Pipeline p2p: each micro-batch crosses v chunk boundaries forward and backward. Each TP rank sends
  // 1/tp of the activation and the receivers all-gather it over the scale-up tier (Narayanan et al. 2021, 4.1).
  let ppOne = 0;
  if (p > 1) {
    const bytes = (T * h * 2) / d.tp;
    ppOne = collectiveTime(system, "send-recv", bytes, p, layout.stride.pp, layout.tierIndex.pp, collEff);
    for (const st of stages) {
      st.ppS = 2 * d.vpp * ppOne;
      st.forwardS += d.vpp * ppOne;
      st.backwardS += d.vpp * ppOne;
      st.backwardInputS += d.vpp * ppOne;
    }
  }
  let slowest = 0;
  for (let i = 1; i < stages.length; i++) {
    if (stages[i].forwardS + stages[i].backwardS > stages[slowest].forwardS + stages[slowest].backwardS)
      slowest = i;
  }
  const sl = stages[slowest];
  const tMb = sl.forwardS + sl.backwardS;
  // Fill and drain pass through every stage once: the bubble uses the mean stage time.
  const kindWeights = p === 1 ? [1] : p === 2 ? [1, 1] : [1, p - 2, 1];
  const m = t.microBatches;
  const mean = { forwardS: 0, backwardS: 0, backwardInputS: 0, backwardWeightS: 0 };
  for (let i = 0; i < stages.length; i++) {
    mean.forwardS += (kindWeights[i] * stages[i].forwardS) / p;
    mean.backwardS += (kindWeights[i] * stages[i].backwardS) / p;
  }
  const schedule = pipelineSchedule(t.schedule);
  const bubble = p > 1 ? schedule.bubbleS(p, d.vpp, mean, sl) : 0;
  const pipelineS = m * tMb + bubble;
  // Data-parallel gradient reduction and parameter gathering, per step (ZeRO >= 1 shards the optimizer).
  const nDp = d.dp * d.cp;
  const nEdp = (d.tp * d.cp * d.dp) / (d.ep * d.etp);
  const dpTier = layout.tierIndex.dp;
  const dpStride = d.tp;
  // Most loaded stage for parameters and memory.
  let big = stages[0];
  for (const st of stages)
    if (st.denseParams + st.expertParams > big.denseParams + big.expertParams) big = st;
  const dGrad = big.denseParams * GRAD_REDUCE_BYTES;
  const eGrad = big.expertParams * GRAD_REDUCE_BYTES;
  const dPar = big.denseParams * 2;
  const ePar = big.expertParams * 2;
  const rs = (b: number, n: number) =>
    collectiveTime(system, "reduce-scatter", b, n, dpStride, dpTier, collEff);
  const ag = (b: number, n: number) => collectiveTime(system, "all-gather", b, n, dpStride, dpTier, collEff);
  const ar = (b: number, n: number) => collectiveTime(system, "all-reduce", b, n, dpStride, dpTier, collEff);
  let gradS = 0;
  let paramS = 0;
  let perMbDp = 0;
  let perMbDpTotal = 0;
  let fsdpShard = nDp;
  if (t.zero === 0) gradS = ar(dGrad, nDp) + ar(eGrad, nEdp);
  else if (t.zero <= 2) {
    gradS = rs(dGrad, nDp) + rs(eGrad, nEdp);
    paramS = ag(dPar, nDp) + ag(ePar, nEdp);
  } else {
    // ZeRO-3 / FSDP: gather parameters for each forward and backward, reduce-scatter gradients every
    // micro-batch. Parameters are sharded inside the tier below the DP group's (hybrid sharding, as
    // PaLM, Llama 3 and MegaScale do) when the sharded model states fit there in FSDP_STATE_SHARE of
    // the chip's memory; replicas across slower tiers all-reduce the gradient shard once per step.
    // Otherwise the states are fully sharded over every DP rank (FSDP's FULL_SHARD).
    const inner = dpTier > 0 ? Math.floor(system.tiers[dpTier - 1].groupSize / dpStride) : nDp;
    const statesIfInner =
      (big.denseParams / Math.max(1, inner) + big.expertParams / nEdp) * FSDP_STATE_BYTES_PER_PARAM;
    const innerFits = statesIfInner <= FSDP_STATE_SHARE * system.chip.memoryBytes;
    if (inner >= 2 && inner < nDp && nDp % inner === 0 && innerFits) {
      fsdpShard = inner;
      const shardTier = dpTier - 1;
      const agS = (b: number) => collectiveTime(system, "all-gather", b, inner, dpStride, shardTier, collEff);
      const rsS = (b: number) =>
        collectiveTime(system, "reduce-scatter", b, inner, dpStride, shardTier, collEff);
      gradS = collectiveTime(
        system,
        "all-reduce",
        dGrad / inner,
        nDp / inner,
        dpStride * inner,
        dpTier,
        collEff,
      );
      const mbComm = 2 * (agS(dPar) + ag(ePar, nEdp)) + rsS(dGrad) + rs(eGrad, nEdp);
      perMbDpTotal = mbComm;
      perMbDp = t.overlap.dpComm ? hidden(mbComm, tMb, rho) : mbComm;
    } else {
      const mbComm = 2 * (ag(dPar, nDp) + ag(ePar, nEdp)) + rs(dGrad, nDp) + rs(eGrad, nEdp);
      perMbDpTotal = mbComm;
      perMbDp = t.overlap.dpComm ? hidden(mbComm, tMb, rho) : mbComm;
    }
  }
  const dpTotalS = gradS + paramS + m * perMbDpTotal;
  const dpExposedS = t.overlap.dpComm
    ? hidden(gradS, sl.backwardS, rho) + hidden(paramS, sl.forwardS, rho) + m * perMbDp
    : gradS + paramS + m * perMbDp;
  // Optimizer: Adam over this rank's shard of fp32 master weights.
  const shardD = t.zero >= 1 ? big.denseParams / (t.zero >= 3 ? fsdpShard : nDp) : big.denseParams;
  const shardE = t.zero >= 1 ? big.expertParams / nEdp : big.expertParams;
  const optimizerS = ((shardD + shardE) * ADAM_BYTES_PER_PARAM) / c.memBw;
  const stepTimeS = pipelineS + dpExposedS + optimizerS;
  // FLOPs per step over all chips: every stage kind weighted by how many stages it stands for.
  const weights = kindWeights;
  let mf = 0;
  let hf = 0;
  for (let i = 0; i < stages.length; i++) {
    mf += weights[i] * stages[i].modelFlops;
    hf += weights[i] * stages[i].hardwareFlops;
  }
  const replicas = d.dp * d.cp * d.tp;
  const modelFlopsPerStep = mf * m * replicas;
  const hardwareFlopsPerStep = hf * m * replicas;
  // Memory of the most loaded stage (stage 0 holds the most in-flight micro-batches).
  const localParams = big.denseParams + big.expertParams;
  const shardW = t.zero >= 3 ? shardD + shardE : localParams;
  const shardG = t.zero >= 2 ? shardD + shardE : localParams;
  const weightBytes = shardW * (t.precision === "bf16" ? 2 : 3) * schedule.weightCopies;
  const inflight = schedule.inFlightMicroBatches(m, p, d.vpp);
  const s0 = stages[0];
  const actBytes = s0.actBytesPerMicroBatch * inflight + (p === 1 ? s0.extraActBytes : 0);
  const buffers =
    RUNTIME_RESERVE_BYTES + 2 * dense.tpBytes + (moe ? 2 * (moe.epDispatchBytes + moe.epCombineBytes) : 0);
  const memory = {
    weights: weightBytes,
    gradients: shardG * GRAD_REDUCE_BYTES,
    optimizer: (t.zero >= 1 ? shardD + shardE : localParams) * 12,
    activations: actBytes,
    buffers,
  };
  const comm: CommOp[] = [];
  if (withComm)
    buildComm(comm, inp, layout, dense, moe, ppOne, sl, { dGrad, eGrad, dPar, ePar, nDp, nEdp, fsdpShard });
  return {
    layout,
    stages,
    slowest,
    microBatchS: tMb,
    pipelineS,
    bubbleS: bubble,
    dpExposedS,
    dpTotalS,
    optimizerS,
    stepTimeS,
    modelFlopsPerStep,
    hardwareFlopsPerStep,
    memory,
    comm,
    dense,
    moe,
  };
}

/** Lists the step's collectives for the flow simulator (not needed by the closed-form estimate). */
function buildComm(
  out: CommOp[],
  inp: Inputs,
  layout: RankLayout,
  dense: LayerCost,
  moe: LayerCost | undefined,
  ppOne: number,
  sl: StageCost,
  dp: {
    dGrad: number;
    eGrad: number;
    dPar: number;
    ePar: number;
    nDp: number;
    nEdp: number;
    fsdpShard: number;
  },
): void {
  const { system, t, shape: s } = inp;
  const collEff = inp.eff.collective;
  const d = t.degrees;
  const sp = t.sequenceParallel && d.tp > 1;
  const full = t.recompute === "full";
  const layers = sl.layers;
  const ct = (k: CommOp["collective"], b: number, n: number, st: number, ti: number) =>
    collectiveTime(system, k, b, n, st, ti, collEff);
  if (d.tp > 1) {
    const ti = layout.tierIndex.tp;
    const kinds: CommOp["collective"][] = sp ? ["all-gather", "reduce-scatter"] : ["all-reduce"];
    for (const per of ["microbatch-forward", "microbatch-backward"] as const) {
      for (const k of kinds) {
        out.push({
          name: `tp ${k} (${per === "microbatch-forward" ? "forward" : "backward"})`,
          parallelism: "tp",
          collective: k,
          bytesPerRank: dense.tpBytes,
          groupSize: d.tp,
          stride: 1,
          tierIndex: ti,
          per,
          count: 2 * layers * (per === "microbatch-backward" && full ? 2 : 1),
          overlappable: t.overlap.tpComm,
          timeS: ct(k, dense.tpBytes, d.tp, 1, ti),
        });
      }
    }
  }
  if (d.cp > 1) {
    const ti = layout.tierIndex.cp;
    for (const [per, mult] of [
      ["microbatch-forward", 1],
      ["microbatch-backward", 2],
    ] as const) {
      out.push({
        name: `cp ring K/V exchange (${per === "microbatch-forward" ? "forward" : "backward"})`,
        parallelism: "cp",
        collective: "send-recv",
        bytesPerRank: dense.cpBytes * mult,
        groupSize: d.cp,
        stride: layout.stride.cp,
        tierIndex: ti,
        per,
        count: (d.cp - 1) * layers,
        overlappable: true,
        timeS: ct("send-recv", dense.cpBytes * mult, d.cp, layout.stride.cp, ti),
      });
    }
  }
  if (moe && d.ep > 1) {
    const ti = layout.tierIndex.ep;
    const moeLayers = Math.min(layers, s.moeLayers);
    for (const per of ["microbatch-forward", "microbatch-backward"] as const) {
      for (const [what, b] of [
        ["dispatch", moe.epDispatchBytes],
        ["combine", moe.epCombineBytes],
      ] as const) {
        out.push({
          name: `ep all-to-all ${what} (${per === "microbatch-forward" ? "forward" : "backward"})`,
          parallelism: "ep",
          collective: "all-to-all",
          bytesPerRank: b,
          groupSize: d.ep,
          stride: layout.stride.ep,
          tierIndex: ti,
          per,
          count: moeLayers,
          overlappable: t.overlap.epComm,
          timeS: ct("all-to-all", b, d.ep, layout.stride.ep, ti),
        });
      }
    }
  }
  if (d.pp > 1) {
    const ti = layout.tierIndex.pp;
    const T = (t.microBatchSize * t.seqLength) / d.cp;
    const bytes = (T * s.hidden * 2) / d.tp;
    for (const per of ["microbatch-forward", "microbatch-backward"] as const) {
      out.push({
        name: `pp activation ${per === "microbatch-forward" ? "send" : "gradient send"}`,
        parallelism: "pp",
        collective: "send-recv",
        bytesPerRank: bytes,
        groupSize: 2,
        stride: layout.stride.pp,
        tierIndex: ti,
        per,
        count: d.vpp,
        overlappable: false,
        timeS: ppOne,
      });
    }
  }
  const nDpAny = dp.nDp > 1 || dp.nEdp > 1;
  if (nDpAny) {
    const ti = layout.tierIndex.dp;
    const add = (
      name: string,
      k: CommOp["collective"],
      b: number,
      n: number,
      per: CommOp["per"],
      count: number,
    ) => {
      // Expert replicas share the expert-parallel index: neighbours are etp x ep ranks apart.
      const stride = name.startsWith("expert") || name.startsWith("fsdp expert") ? d.etp * d.ep : d.tp;
      if (n > 1 && b > 0)
        out.push({
          name,
          parallelism: "dp",
          collective: k,
          bytesPerRank: b,
          groupSize: n,
          stride,
          tierIndex: ti,
          per,
          count,
          overlappable: t.overlap.dpComm,
          timeS: ct(k, b, n, stride, ti),
        });
    };
    if (t.zero === 0) {
      add("dp gradient all-reduce", "all-reduce", dp.dGrad, dp.nDp, "step", 1);
      add("expert-dp gradient all-reduce", "all-reduce", dp.eGrad, dp.nEdp, "step", 1);
    } else if (t.zero <= 2) {
      add("dp gradient reduce-scatter", "reduce-scatter", dp.dGrad, dp.nDp, "step", 1);
      add("expert-dp gradient reduce-scatter", "reduce-scatter", dp.eGrad, dp.nEdp, "step", 1);
      add("dp parameter all-gather", "all-gather", dp.dPar, dp.nDp, "step", 1);
      add("expert-dp parameter all-gather", "all-gather", dp.ePar, dp.nEdp, "step", 1);
    } else {
      const n = dp.fsdpShard;
      const hybrid = n < dp.nDp;
      const tier = hybrid ? ti - 1 : ti;
      const addAt = (name: string, k: CommOp["collective"], b: number, per: CommOp["per"]) =>
        out.push({
          name,
          parallelism: "dp",
          collective: k,
          bytesPerRank: b,
          groupSize: n,
          stride: d.tp,
          tierIndex: tier,
          per,
          count: 1,
          overlappable: t.overlap.dpComm,
          timeS: ct(k, b, n, d.tp, tier),
        });
      addAt("fsdp parameter all-gather (forward)", "all-gather", dp.dPar, "microbatch-forward");
      addAt("fsdp parameter all-gather (backward)", "all-gather", dp.dPar, "microbatch-backward");
      addAt("fsdp gradient reduce-scatter", "reduce-scatter", dp.dGrad, "microbatch-backward");
      if (hybrid) {
        out.push({
          name: "hsdp gradient-shard all-reduce across replicas",
          parallelism: "dp",
          collective: "all-reduce",
          bytesPerRank: dp.dGrad / n,
          groupSize: dp.nDp / n,
          stride: d.tp * n,
          tierIndex: ti,
          per: "step",
          count: 1,
          overlappable: t.overlap.dpComm,
          timeS: ct("all-reduce", dp.dGrad / n, dp.nDp / n, d.tp * n, ti),
        });
      }
      add(
        "fsdp expert parameter all-gather (forward)",
        "all-gather",
        dp.ePar,
        dp.nEdp,
        "microbatch-forward",
        1,
      );
      add(
        "fsdp expert parameter all-gather (backward)",
        "all-gather",
        dp.ePar,
        dp.nEdp,
        "microbatch-backward",
        1,
      );
      add(
        "fsdp expert gradient reduce-scatter",
        "reduce-scatter",
        dp.eGrad,
        dp.nEdp,
        "microbatch-backward",
        1,
      );
    }
  }
}
