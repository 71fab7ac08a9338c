// Megatron-Core's selective recompute by module list (`--recompute-modules`): which forward pieces the backward reruns and which saved activations that frees.

import { RECOMPUTE_MODULES, type RecomputeModule } from "../schema/training.js";
import type { LayerCost } from "./layer.js";

export { RECOMPUTE_MODULES, type RecomputeModule };

/** A module's bit in a mask: 1 << its index in RECOMPUTE_MODULES, so the bits follow the list they name. */
const moduleBit = (name: RecomputeModule): number => 1 << RECOMPUTE_MODULES.indexOf(name);

export const RM_CORE_ATTN = moduleBit("core_attn");
export const RM_MLA_UP_PROJ = moduleBit("mla_up_proj");
export const RM_MOE_ACT = moduleBit("moe_act");
export const RM_LAYERNORM = moduleBit("layernorm");
export const RM_MLP = moduleBit("mlp");
export const RM_MOE = moduleBit("moe");
export const RM_SHARED_EXPERTS = moduleBit("shared_experts");

/** Bit mask of a module list (`moduleBit` of each name). Cost O(list). */
export function recomputeModuleMask(list: readonly RecomputeModule[]): number {
  let m = 0;
  for (const name of list) m |= moduleBit(name);
  return m;
}

/**
 * Per-module forward pieces of one layer for one micro-batch on one rank (filled by layer.ts): forward time (s)
 * split into GEMM and memory-bound parts, forward FLOPs, and the activation bytes the module's recompute frees
 * split the same way (`*ActBytes` are outputs of memory-bound ops — norm outputs, activation-function outputs —
 * which `core_attn` with fused attention already frees, see LayerCost.selectiveS).
 */
export interface ModulePieces {
  /** Fused attention: selective recompute ("core_attn") already reruns every memory-bound module and frees their outputs. */
  coreCoversMem: boolean;
  /** Unfused attention's s^2 score bytes kept when the attention core is not recomputed. */
  scoreBytes: number;
  normF: number;
  normBytes: number;
  mlaUpF: number;
  mlaUpFlops: number;
  mlaUpBytes: number;
  mlpGemmF: number;
  mlpFlops: number;
  mlpActF: number;
  mlpFc1Bytes: number;
  mlpActBytes: number;
  /** The dense MLP's down projection (inside `mlpGemmF`, `mlpFlops`) where its output feeds only the residual sum (remat.ts). */
  mlpResidualOnlyF: number;
  mlpResidualOnlyFlops: number;
  sharedGemmF: number;
  sharedFlops: number;
  sharedActF: number;
  sharedFc1Bytes: number;
  sharedActBytes: number;
  /** The shared experts' down projection where its output feeds only the residual sum (remat.ts). */
  sharedResidualOnlyF: number;
  sharedResidualOnlyFlops: number;
  moeGemmF: number;
  moeFlops: number;
  moeActF: number;
  moeFc1Bytes: number;
  moeActBytes: number;
}

/**
 * Forward time one layer reruns in the backward for the module mask, s (before the slowest-chip factor). The
 * union of the modules' pieces: "core_attn" is the model's selective recompute (LayerCost.selectiveS, exactly);
 * the memory-bound parts of the others count only when core_attn does not already cover them; "moe" reruns the
 * dispatch and combine too (Megatron checkpoints the whole MoE layer). Cost O(1), no allocation.
 */
export function modulesRecomputeS(l: LayerCost, mask: number): number {
  const p = l.modules;
  const core = (mask & RM_CORE_ATTN) !== 0;
  const moe = (mask & RM_MOE) !== 0;
  let s = core ? l.selectiveS : 0;
  if (!(core && p.coreCoversMem)) {
    if (mask & RM_LAYERNORM) s += p.normF;
    if (mask & (RM_MOE_ACT | RM_MOE)) s += p.moeActF;
    if (mask & RM_MLP) s += p.mlpActF;
    if (mask & RM_SHARED_EXPERTS) s += p.sharedActF;
  }
  if (mask & RM_MLA_UP_PROJ) s += p.mlaUpF;
  if (mask & RM_MLP) s += p.mlpGemmF;
  if (mask & RM_SHARED_EXPERTS) s += p.sharedGemmF;
  if (moe) s += p.moeGemmF + l.epF;
  return s;
}

/** Forward FLOPs the backward reruns for the module mask (GEMMs and the attention core; memory-bound ops count none). Cost O(1). */
export function modulesRecomputeFlops(l: LayerCost, mask: number): number {
  const p = l.modules;
  let f = mask & RM_CORE_ATTN ? l.selectiveFlops : 0;
  if (mask & RM_MLA_UP_PROJ) f += p.mlaUpFlops;
  if (mask & RM_MLP) f += p.mlpFlops;
  if (mask & RM_SHARED_EXPERTS) f += p.sharedFlops;
  if (mask & RM_MOE) f += p.moeFlops;
  return f;
}

/**
 * Activation bytes one layer stores per micro-batch under the module mask: those kept without the listed
 * modules' outputs (each module keeps its input, the checkpoint, and frees what it produced inside). Cost O(1).
 */
export function modulesActBytes(l: LayerCost, mask: number): number {
  const p = l.modules;
  const core = (mask & RM_CORE_ATTN) !== 0;
  const covered = core && p.coreCoversMem;
  let b = covered ? l.actBytesSelective : l.actBytes + (core ? 0 : p.scoreBytes);
  if (!covered) {
    if (mask & RM_LAYERNORM) b -= p.normBytes;
    if (mask & (RM_MOE_ACT | RM_MOE)) b -= p.moeActBytes;
    if (mask & RM_MLP) b -= p.mlpActBytes;
    if (mask & RM_SHARED_EXPERTS) b -= p.sharedActBytes;
  }
  if (mask & RM_MLA_UP_PROJ) b -= p.mlaUpBytes;
  if (mask & RM_MLP) b -= p.mlpFc1Bytes;
  if (mask & RM_SHARED_EXPERTS) b -= p.sharedFc1Bytes;
  if (mask & RM_MOE) b -= p.moeFc1Bytes;
  return b;
}
