// The serving kernel profile of a chip: its family's (src/catalog/families/), with a scenario's overrides applied.

import { chipFamily } from "../catalog/families/index.js";
import type { KernelEfficiency } from "../catalog/families/types.js";
import type { Chip } from "../catalog/types.js";
import { requireArgument } from "../core/errors.js";

export type { KernelEfficiency } from "../catalog/families/types.js";

/**
 * The serving efficiency profile of a chip's family: its `serving` figures, with those the family gives for
 * `engineId` (`servingByEngine`: the kernels and libraries that engine runs on the family) in their place, the chip's
 * own measured `memoryStreamingFraction` (where the catalog has one) as `weightStreaming`, and `override` fields over
 * all. Cost O(1).
 */
export function efficiencyFor(
  chip: Chip,
  override?: Partial<KernelEfficiency>,
  engineId?: string,
): KernelEfficiency {
  requireArgument(chip, "chip", "object", "a Chip (resolveChip gives one from a catalog id)");
  const family = chipFamily(chip.family);
  const byEngine = engineId === undefined ? undefined : family.servingByEngine?.[engineId];
  const familyEff = byEngine ? { ...family.serving, ...byEngine } : family.serving;
  // A chip with its own measured weight-streaming fraction answers for itself (catalog field memoryStreamingFraction).
  const own = chip.memoryStreamingFraction;
  const base = own === undefined ? familyEff : { ...familyEff, weightStreaming: own };
  return override ? { ...base, ...override } : base;
}
