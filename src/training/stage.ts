// Combines layer costs into one pipeline stage's forward and backward time per micro-batch, with recompute, launch bounds, host syncs and each overlap rule applied.
import type { ResolvedTraining } from "./config.js";
import { blockingPassTime } from "./launch-blocking.js";
import type { LayerCost } from "./layer.js";
import { DISPATCH_SM_SHARE, dispatchSmSlowdown } from "./moe.js";
import { passTime, syncedPassTime } from "./overheads.js";
import { cpLayerPassS, epLayerS, type StageOverlap, tpLayerPassS } from "./pass-overlap.js";
import { modulesActBytes } from "./recompute-modules.js";
import { fullRecomputeFlops, fullRecomputeS, modulesRematFlops, modulesRematS } from "./remat.js";

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
  /** Of `tpS`, the forward's (one forward pass; the backward's collectives differ with sequence parallelism), s. */
  tpForwardS: number;
  cpS: number;
  epS: number;
  /**
   * Of `epS`, the exposed forward exchange a full recompute reruns in the backward, s: checkpointing reruns the whole
   * layer forward, its dispatch and combine with it (Megatron-Core's full recompute through
   * `tensor_parallel.checkpoint`, torch.utils.checkpoint in torchtitan and NeMo AutoModel, MindSpore's cell recompute
   * with `mp_comm_recompute`), as it reruns TP's and CP's collectives; 0 otherwise.
   */
  epRecomputeS: number;
  /** The expert exchange per micro-batch before any overlap (forward + backward), s. */
  epFullS: number;
  ppS: number;
  computeS: number;
  modelFlops: number;
  hardwareFlops: number;
  denseParams: number;
  expertParams: number;
  actBytesPerMicroBatch: number;
  extraActBytes: number;
}

/** What the stage assembly reads besides the layer costs. */
export interface StageEnv {
  t: ResolvedTraining;
  /** Share of overlapped communication that still shows on the step. */
  rho: number;
  /** Host launch cost per kernel, s (eager or CUDA graph). */
  launchS: number;
  /** Host launch cost of kernels no graph can hold (the routed-expert path of a dropless MoE layer), s. */
  dynamicLaunchS: number;
  /** Host time a GEMM call adds to its launch, s: the BLAS host path when eager, 0 from a graph; and for the routed-expert GEMMs. */
  gemmExtraS: number;
  dynamicGemmExtraS: number;
  /** Host time per per-expert GEMM call of an eager grouped linear, s (0 when a graph holds the expert path). */
  expertHostS: number;
  /** Host time per device allocation of the routed path's per-expert quantisation, s (0 when a graph holds it; split-quantize.ts). */
  allocHostS: number;
  /** Host time one eager router and dispatch preprocess forward adds beyond its counted launches, s (router-host.ts). */
  routerHostS: number;
  /** Compute slowdown of the slowest chip of the job. */
  slow: number;
}

/** Extra work of the first or last stage: embedding, logits and loss, MTP modules. */
export interface StageExtra {
  forwardS: number;
  /** Backward of the same work (input and weight gradients), s, and its weight-gradient share. */
  backwardS: number;
  backwardWeightS: number;
  flops: number;
  params: number;
  actBytes: number;
}

/** A stage with no embedding, logits, loss or MTP work (a middle stage). */
export const NO_STAGE_EXTRA: Readonly<StageExtra> = Object.freeze({
  forwardS: 0,
  backwardS: 0,
  backwardWeightS: 0,
  flops: 0,
  params: 0,
  actBytes: 0,
});

/**
 * `n` layers of one kind in a stage, and FSDP2's copies around each one's collectives on the compute stream, one
 * forward and one backward, s (fsdp2-copies.ts; set by the stage assembly, which knows the shard group): not rerun
 * by recompute; absent (0) without ZeRO-3 through FSDP2.
 */
export interface StagePart {
  cost: LayerCost;
  n: number;
  fsdpCopyF?: number;
  fsdpCopyB?: number;
}

/** Parameters per rank of a stage of `parts` and `extra` (dense, routed experts). Cost O(parts). */
export function stageParams(
  parts: readonly StagePart[],
  extra: StageExtra,
): { denseParams: number; expertParams: number } {
  let denseParams = extra.params;
  let expertParams = 0;
  for (const { cost: l, n } of parts) {
    if (n <= 0) continue;
    denseParams += n * l.denseParams;
    expertParams += n * l.expertParams;
  }
  return { denseParams, expertParams };
}

/**
 * One layer of one kind on a stage for one micro-batch, with the stage environment applied (host launch bounds and
 * syncs, the slowest chip, recompute, each overlap rule): what `stageCost` adds `n` times. It does not depend on the
 * stage, so the stage assembly computes it once per layer kind (`LayerPasses`).
 */
export interface LayerPass {
  /** Forward and backward compute with FSDP2's copies, s; without them (what overlaps the layer's exchanges), s. */
  fwd: number;
  bwd: number;
  layerComputeS: number;
  /** The backward's slowdown from dispatch kernels holding compute units (1 without): it scales the weight gradient. */
  sm: number;
  recompute: number;
  /** Exposed TP of the forward and of the backward pass (amax and serial parts included), s. */
  tpPassF: number;
  tpPassB: number;
  /** Exposed CP ring exchange of the forward and of the backward pass, s. */
  cpPassF: number;
  cpPassB: number;
  /** Exposed expert exchange, forward and backward, s. */
  ep: number;
  modelFlops: number;
  hardwareFlops: number;
  actBytes: number;
}

/** `LayerPass` of layer kind `l` with FSDP2's copies `fsdpCopyF`/`fsdpCopyB` around it, under `env`. Cost O(1). */
export function layerPass(env: StageEnv, l: LayerCost, fsdpCopyF: number, fsdpCopyB: number): LayerPass {
  const {
    t,
    rho,
    launchS,
    dynamicLaunchS,
    gemmExtraS,
    dynamicGemmExtraS,
    expertHostS,
    allocHostS,
    routerHostS,
    slow,
  } = env;
  const full = t.recompute === "full";
  const selective = t.recompute === "selective";
  const mask = t.recomputeMask;
  const scheme = t.overlap.epComm ? t.moeOverlap : "none";
  const overlapEp = scheme !== "none" && l.epF > 0;
  const share = overlapEp ? DISPATCH_SM_SHARE[t.moeDispatcher] : 0;
  const hostF =
    (l.kernelsF - l.dynamicKernelsF) * launchS +
    l.dynamicKernelsF * dynamicLaunchS +
    (l.gemmsF - l.dynamicGemmsF) * gemmExtraS +
    l.dynamicGemmsF * dynamicGemmExtraS +
    l.expertCallsF * expertHostS +
    l.expertAllocsF * allocHostS +
    l.routerPassesF * routerHostS;
  const hostB =
    (l.kernelsB - l.dynamicKernelsB) * launchS +
    l.dynamicKernelsB * dynamicLaunchS +
    (l.gemmsB - l.dynamicGemmsB) * gemmExtraS +
    l.dynamicGemmsB * dynamicGemmExtraS +
    l.expertCallsB * expertHostS +
    l.expertAllocsB * allocHostS;
  const dynamicHostF =
    l.dynamicKernelsF * dynamicLaunchS +
    l.dynamicGemmsF * dynamicGemmExtraS +
    l.expertCallsF * expertHostS +
    l.expertAllocsF * allocHostS;
  // Overlapped exchange kernels hold a share of the compute units only while they run.
  // Blocking launches (launch-blocking.ts): host and device take turns, one completion round trip per kernel.
  const fwd0 = t.launchBlocking
    ? blockingPassTime(l.gemmF + l.attnF + l.memF, hostF, l.kernelsF)
    : syncedPassTime(l.gemmF + l.attnF + l.memF, hostF, l.dynamicDeviceF, dynamicHostF, launchS, l.syncsF);
  const bwd0 = t.launchBlocking
    ? blockingPassTime(l.gemmB + l.attnB + l.memB, hostB, l.kernelsB)
    : passTime(l.gemmB + l.attnB + l.memB, hostB, launchS, 0);
  const fwd = slow * (fwd0 + dispatchSmSlowdown(share, l.epF, fwd0));
  const bwd = slow * (bwd0 + dispatchSmSlowdown(share, l.epB, bwd0));
  const sm = bwd0 > 0 ? bwd / (slow * bwd0) : 1;
  const recompute = full
    ? fullRecomputeS(fwd, l, t.framework, slow)
    : selective
      ? slow * (mask === undefined ? l.selectiveS : modulesRematS(l, mask, t.framework))
      : 0;
  const mf = 3 * l.modelFlopsF;
  const selFlops = mask === undefined ? l.selectiveFlops : modulesRematFlops(l, mask, t.framework);
  const selAct = mask === undefined ? l.actBytesSelective : modulesActBytes(l, mask);
  return {
    // FSDP2's copies around the layer's collectives (fsdp2-copies.ts): on the compute stream, not rerun by recompute.
    fwd: fwd + slow * fsdpCopyF,
    bwd: bwd + slow * fsdpCopyB,
    layerComputeS: fwd + bwd,
    sm,
    recompute,
    // Forward (and the full-recompute rerun) hides under the forward GEMMs, the backward's collectives (with sequence
    // parallelism 1.5x the forward's: sequence-parallel.ts) under the backward's.
    // The amax all-reduces of current scaling sit between an amax kernel and its cast: never hidden (amax-reduction.ts),
    // nor does a dispatcher's serial gather of the routed copies over expert TP (routed-tp-gather.ts).
    // MindSpeed's MC2 fuses each collective into its own matmul: it hides behind that one only (fused-tp-overlap.ts).
    tpPassF: tpLayerPassS(t, l, true, slow, rho, 1) + l.tpAmaxF + l.tpSerialF,
    tpPassB: tpLayerPassS(t, l, false, slow, rho, 1) + l.tpAmaxB + l.tpSerialB,
    // Full recompute reruns the forward ring exchange with the attention it feeds, as it reruns TP's collectives.
    cpPassF: cpLayerPassS(l, true, slow, rho, 1),
    cpPassB: cpLayerPassS(l, false, slow, rho, 1),
    ep: epLayerS(t, l, fwd + bwd, slow, rho, 1),
    modelFlops: mf,
    hardwareFlops: mf + (full ? fullRecomputeFlops(l, t.framework) : selective ? selFlops : 0),
    actBytes: full ? l.actBytesFull : selective ? selAct : l.actBytes,
  };
}

/**
 * The `LayerPass` of each layer kind of one stage assembly, computed on first use: the stage kinds (first, middle,
 * last) share their layer kinds. Cost O(layer kinds) per lookup.
 */
export class LayerPasses {
  private readonly parts: StagePart[] = [];
  private readonly passes: LayerPass[] = [];
  constructor(private readonly env: StageEnv) {}

  of(part: StagePart): LayerPass {
    const f = part.fsdpCopyF ?? 0;
    const b = part.fsdpCopyB ?? 0;
    for (let i = 0; i < this.parts.length; i++) {
      const x = this.parts[i];
      if (x.cost === part.cost && (x.fsdpCopyF ?? 0) === f && (x.fsdpCopyB ?? 0) === b) return this.passes[i];
    }
    const p = layerPass(this.env, part.cost, f, b);
    this.parts.push(part);
    this.passes.push(p);
    return p;
  }
}

/**
 * Combines `n` layers of each kind into forward/backward times for one micro-batch: host launch bounds and
 * syncs per pass, the slowest chip, recompute (full reruns the forward and its TP collectives; selective the
 * attention core when unfused, memory-bound modules otherwise: see LayerCost.selectiveS), TP communication hidden behind the layer's GEMMs when overlapped,
 * CP behind the attention core (its forward exchange rerun with a full recompute), expert all-to-all by the run's overlap scheme (its kernels then hold a share of
 * the compute units): each layer kind's `LayerPass`, from `passes` when given (the stage assembly's, shared by its
 * stage kinds). Cost O(parts).
 */
export function stageCost(
  env: StageEnv,
  parts: StagePart[],
  extra: StageExtra,
  overlap?: StageOverlap,
  passes?: LayerPasses,
): StageCost {
  const { t, slow } = env;
  const full = t.recompute === "full";
  let fwdCompute = 0;
  let bwdCompute = 0;
  let bwdWeight = 0;
  let recompute = 0;
  let tpS = 0;
  let tpFwdS = 0;
  let cpS = 0;
  let cpFwd = 0;
  let epS = 0;
  let epRerun = 0;
  let epFull = 0;
  let layers = 0;
  let modelFlops = 0;
  let hwFlops = 0;
  let act = extra.actBytes;
  for (const part of parts) {
    const { cost: l, n } = part;
    if (n <= 0) continue;
    layers += n;
    const x = passes ? passes.of(part) : layerPass(env, l, part.fsdpCopyF ?? 0, part.fsdpCopyB ?? 0);
    fwdCompute += n * x.fwd;
    bwdCompute += n * x.bwd;
    bwdWeight += n * slow * x.sm * l.wgradB;
    recompute += n * x.recompute;
    tpS += n * (x.tpPassF * (full ? 2 : 1) + x.tpPassB);
    tpFwdS += n * x.tpPassF;
    cpFwd += n * x.cpPassF;
    cpS += n * ((full ? 2 : 1) * x.cpPassF + x.cpPassB);
    epS += n * x.ep;
    // Full recompute reruns the forward's expert dispatch and combine with the layer (half the exposed figure).
    if (full) epRerun += (n * x.ep) / 2;
    overlap?.parts.push({ cost: l, n, layerComputeS: x.layerComputeS });
    epFull += n * (l.epF + l.epB);
    modelFlops += n * x.modelFlops;
    hwFlops += n * x.hardwareFlops;
    act += n * x.actBytes;
  }
  fwdCompute += slow * extra.forwardS;
  bwdCompute += slow * extra.backwardS;
  bwdWeight += slow * extra.backwardWeightS;
  modelFlops += 3 * extra.flops;
  hwFlops += 3 * extra.flops + (full ? extra.flops : 0);
  const { denseParams, expertParams } = stageParams(parts, extra);
  const forwardS = fwdCompute + tpFwdS + cpFwd + epS / 2;
  const backwardS = bwdCompute + recompute + tpS - tpFwdS + cpS - cpFwd + epS / 2 + epRerun;
  return {
    layers,
    forwardS,
    backwardS,
    backwardInputS: backwardS - bwdWeight,
    backwardWeightS: bwdWeight,
    recomputeS: recompute,
    tpS,
    tpForwardS: tpFwdS,
    cpS,
    epS: epS + epRerun,
    epRecomputeS: epRerun,
    epFullS: epFull,
    ppS: 0,
    computeS: fwdCompute + bwdCompute,
    modelFlops,
    hardwareFlops: hwFlops,
    denseParams,
    expertParams,
    actBytesPerMicroBatch: act - extra.actBytes,
    extraActBytes: extra.actBytes,
  };
}
