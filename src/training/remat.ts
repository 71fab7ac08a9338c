// Full recompute as a tracing compiler runs it: JAX's jax.checkpoint (with XLA's dead-code elimination) reruns only the forward ops whose results the backward reads, so a matmul whose output feeds nothing but the residual sum is not rerun.
import type { FrameworkProfile } from "./frameworks.js";
import type { LayerCost } from "./layer.js";
import { modulesRecomputeFlops, modulesRecomputeS, RM_MLP, RM_SHARED_EXPERTS } from "./recompute-modules.js";

/**
 * Forward time one layer reruns in the backward under full recompute, s. `forwardS` is the layer's whole forward
 * pass (what PyTorch's torch.utils.checkpoint reruns: the wrapped function, every op of it); a framework that
 * rematerialises through JAX (`rematDce`) reruns only what the backward needs: JAX's remat recomputes "any
 * residuals consumed on the backward pass ... from those inputs as needed" (JAX docs, "Control autodiff's saved
 * values with jax.checkpoint"), and XLA removes what nothing reads. The MLP's down projection (dense MLP and
 * shared experts) feeds only the residual sum, whose gradient needs no primal value, so it is not rerun
 * (`LayerCost.residualOnlyGemmF`); every other matmul's output is read by the backward (the attention output
 * projection's through the next norm's input, the routed experts' through the router-weighted combine).
 * `slow` scales device time as the stage does. Never below zero. Cost O(1).
 */
export function fullRecomputeS(
  forwardS: number,
  l: LayerCost,
  framework: FrameworkProfile,
  slow: number,
): number {
  if (!framework.rematDce) return forwardS;
  return Math.max(0, forwardS - slow * l.residualOnlyGemmF);
}

/** Hardware FLOPs of that rerun per layer (see fullRecomputeS). Cost O(1). */
export function fullRecomputeFlops(l: LayerCost, framework: FrameworkProfile): number {
  return framework.rematDce ? Math.max(0, l.modelFlopsF - l.residualOnlyFlopsF) : l.modelFlopsF;
}

/**
 * Forward time one layer reruns in the backward for a selective module mask (recompute-modules.ts), s before the
 * slowest-chip factor. A framework that rematerialises through JAX (`rematDce`) does not rerun a listed MLP's (or
 * shared experts') down projection whose output feeds only the residual sum, for the reason `fullRecomputeS` gives:
 * AXLearn's default remat lists the MLP (frameworks.ts) and XLA drops its down projection. Cost O(1).
 */
export function modulesRematS(l: LayerCost, mask: number, framework: FrameworkProfile): number {
  const s = modulesRecomputeS(l, mask);
  if (!framework.rematDce) return s;
  const p = l.modules;
  const drop =
    (mask & RM_MLP ? p.mlpResidualOnlyF : 0) + (mask & RM_SHARED_EXPERTS ? p.sharedResidualOnlyF : 0);
  return Math.max(0, s - drop);
}

/** Hardware FLOPs of that rerun per layer (see modulesRematS). Cost O(1). */
export function modulesRematFlops(l: LayerCost, mask: number, framework: FrameworkProfile): number {
  const f = modulesRecomputeFlops(l, mask);
  if (!framework.rematDce) return f;
  const p = l.modules;
  const drop =
    (mask & RM_MLP ? p.mlpResidualOnlyFlops : 0) + (mask & RM_SHARED_EXPERTS ? p.sharedResidualOnlyFlops : 0);
  return Math.max(0, f - drop);
}
