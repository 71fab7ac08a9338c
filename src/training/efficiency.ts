// The training kernel profile of a chip: its family's (src/catalog/families/), read from the chip's `family` field, with a scenario's overrides applied.

import { chipFamily } from "../catalog/families/index.js";
import type { TrainingEfficiency } from "../catalog/families/types.js";
import type { Chip } from "../catalog/types.js";
import { requireArgument } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";

export type { TrainingEfficiency } from "../catalog/families/types.js";

/** A scenario's `training.efficiency`: fractions and figures that replace the family's. */
export type EfficiencyOverride = NonNullable<TrainingConfig["efficiency"]>;

/** The training efficiency profile of a chip's family. Cost O(1). */
export function trainingEfficiency(chip: Chip): TrainingEfficiency {
  requireArgument(chip, "chip", "object", "a Chip (resolveChip gives one from a catalog id)");
  return chipFamily(chip.family).training;
}

/**
 * `base` with a scenario's overrides: `gemm.<precision>` replaces that precision's unbounded-shape fraction of
 * peak, `attention` the fused (and SDPA) attention fraction, the rest the figure of the same name. Returns
 * `base` itself when there is nothing to override. Cost O(1).
 */
export function withOverrides(
  base: TrainingEfficiency,
  o: EfficiencyOverride | undefined,
): TrainingEfficiency {
  if (!o) return base;
  const gemm = { ...base.gemm };
  for (const p of ["bf16", "fp8", "fp4"] as const) {
    const v = o.gemm?.[p];
    if (v !== undefined) gemm[p] = { ...gemm[p], peakFraction: v };
  }
  const attention =
    o.attention === undefined
      ? base.attention
      : {
          fused: { ...base.attention.fused, peakFraction: o.attention },
          ...(base.attention.sdpa ? { sdpa: { ...base.attention.sdpa, peakFraction: o.attention } } : {}),
          ...(base.attention.flashV1
            ? // An overridden rate replaces the per-head-dim kernels' curves too.
              { flashV1: { ...base.attention.flashV1, peakFraction: o.attention, headDimKernels: undefined } }
            : {}),
          ...(base.attention.fused16BitDqAtomics
            ? { fused16BitDqAtomics: { ...base.attention.fused16BitDqAtomics, peakFraction: o.attention } }
            : {}),
        };
  return {
    ...base,
    gemm,
    attention,
    attentionScoreBytes: o.attentionScoreBytes ?? base.attentionScoreBytes,
    memory: o.memory ?? base.memory,
    collective: o.collective ?? base.collective,
    overlapCost: o.overlapCost ?? base.overlapCost,
    expertGemmHostS: o.expertGemmHostS ?? base.expertGemmHostS,
  };
}
