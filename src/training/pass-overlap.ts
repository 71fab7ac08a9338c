// How much of a pipeline stage's overlappable TP, CP and expert communication stays exposed per micro-batch pass: the overlap mechanisms of stage.ts as functions of the collectives' time, shared by the analytical model and the flow simulator.
import type { ResolvedTraining } from "./config.js";
import { fusedTpBackwardS, fusedTpForwardS } from "./fused-tp-overlap.js";
import type { LayerCost } from "./layer.js";
import { exposedExpertComm, hidden } from "./moe.js";

/**
 * Exposed TP time of one layer's forward (`fwd`) or backward pass, amax reductions excluded, s, with the layer's TP
 * collectives taking `scale` times their analytical time (1 in the analytical model; the simulated over the analytical
 * time in the flow simulator). MindSpeed's MC2 fuses each collective into its own matmul and hides it behind that one
 * only (fused-tp-overlap.ts); otherwise overlapped TP hides behind the layer's GEMMs (`gemmOverlapF/B`); not overlapped,
 * it all shows. `slow`: the slowest chip's compute factor; `rho`: the overlap cost (moe.ts `hidden`). Cost O(1).
 */
export function tpLayerPassS(
  t: ResolvedTraining,
  l: LayerCost,
  fwd: boolean,
  slow: number,
  rho: number,
  scale: number,
): number {
  const fused = t.overlap.tpComm && t.framework.tpOverlapScope === "fused-per-gemm" && l.tpPairQkvF > 0;
  if (fused)
    return fwd
      ? fusedTpForwardS(l, scale * l.tpAgS, scale * l.tpRsS, slow, rho)
      : fusedTpBackwardS(l, scale * l.tpAgS, scale * l.tpRsS, slow, rho);
  const comm = scale * (fwd ? l.tpF : l.tpB);
  if (!t.overlap.tpComm) return comm;
  return hidden(comm, slow * (fwd ? l.gemmOverlapF : l.gemmOverlapB), rho);
}

/**
 * Exposed CP ring exchange of one layer's forward or backward pass, s: hidden behind the attention core it feeds,
 * except the backward's tail (`cpTailB`, ring-grad-rotation.ts). Cost O(1).
 */
export function cpLayerPassS(l: LayerCost, fwd: boolean, slow: number, rho: number, scale: number): number {
  if (fwd) return hidden(scale * l.cpF, slow * l.attnF, rho);
  // The gradient send waited for after the ring's last step has no attention left to hide behind.
  const tail = scale * l.cpTailB;
  return hidden(scale * l.cpB - tail, slow * l.attnB, rho) + tail;
}

/**
 * Exposed expert dispatch and combine of one layer, forward and backward together, s, by the run's overlap scheme
 * (moe.ts `exposedExpertComm`); `layerComputeS`: the layer's forward + backward compute. Cost O(1).
 */
export function epLayerS(
  t: ResolvedTraining,
  l: LayerCost,
  layerComputeS: number,
  slow: number,
  rho: number,
  scale: number,
): number {
  const scheme = t.overlap.epComm ? t.moeOverlap : "none";
  return exposedExpertComm(scheme, scale * (l.epF + l.epB), slow * l.sharedExpertS, layerComputeS, rho);
}

/** One layer kind of a stage: its cost, how many, and its forward + backward compute on the stage, s. */
export interface OverlapPart {
  cost: LayerCost;
  n: number;
  layerComputeS: number;
}

/**
 * A stage's overlap mechanisms for the flow simulator: the exposed TP, CP and expert time of one micro-batch's forward
 * or backward pass (all of the stage's layers; a full recompute's backward reruns the forward's TP, CP and expert exchange) when its
 * collectives of that kind take `scale` times their analytical time. At scale 1 it gives the analytical model's
 * figures (stage.ts calls the same layer functions). Cost O(layer kinds), no allocation.
 */
export class StageOverlap {
  readonly parts: OverlapPart[] = [];
  constructor(
    private t: ResolvedTraining,
    private slow: number,
    private rho: number,
  ) {}

  /**
   * What overlapped data-parallel traffic (FSDP's per-micro-batch gathers and reduce-scatters) costs a pass beyond the
   * network's own excess over the compute, s: the overlap cost `rho` of the part the compute hides, so a pass shows
   * moe.ts `hidden(commS, computeS, rho)` in all, as fsdp.ts charges it. Cost O(1).
   */
  dpHiddenCostS(commS: number, computeS: number): number {
    return this.rho * Math.max(0, Math.min(commS, computeS));
  }

  /** Exposed TP per pass, s (amax reductions excluded: they are separate, never-hidden ops). */
  tpS(fwd: boolean, scale: number): number {
    const rerun = !fwd && this.t.recompute === "full";
    let s = 0;
    for (const p of this.parts) {
      if (p.n <= 0) continue;
      const f = rerun ? tpLayerPassS(this.t, p.cost, true, this.slow, this.rho, scale) : 0;
      s += p.n * (f + tpLayerPassS(this.t, p.cost, fwd, this.slow, this.rho, scale));
    }
    return s;
  }

  /** Exposed CP ring exchange per pass, s. */
  cpS(fwd: boolean, scale: number): number {
    const rerun = !fwd && this.t.recompute === "full";
    let s = 0;
    for (const p of this.parts) {
      if (p.n <= 0) continue;
      const f = rerun ? cpLayerPassS(p.cost, true, this.slow, this.rho, scale) : 0;
      s += p.n * (f + cpLayerPassS(p.cost, fwd, this.slow, this.rho, scale));
    }
    return s;
  }

  /**
   * Exposed expert exchange per pass, s: half the layers' forward + backward figure, as the stage charges it; a full
   * recompute's backward reruns the forward's.
   */
  epS(fwd: boolean, scale: number): number {
    let s = 0;
    for (const p of this.parts)
      if (p.n > 0) s += p.n * epLayerS(this.t, p.cost, p.layerComputeS, this.slow, this.rho, scale);
    return (s / 2) * (!fwd && this.t.recompute === "full" ? 2 : 1);
  }
}
