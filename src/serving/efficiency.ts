// The serving kernel profile of a chip: its family's (src/catalog/families/), with a scenario's overrides applied.

import { chipFamily } from "../catalog/families/index.js";
import type { ChipFamily, KernelEfficiency } from "../catalog/families/types.js";
import type { Chip } from "../catalog/types.js";
import { requireArgument } from "../core/errors.js";
import { engineLineage, type ServingEngine, servingEngine } from "./engines/index.js";

export type { KernelEfficiency } from "../catalog/families/types.js";

/**
 * A family's serving figures under an engine of lineage `lineage` (its id and its ancestors', most specific first,
 * src/serving/engines/lineage.ts): `serving` with the `servingByEngine` entries of the lineage over it, from the most
 * general ancestor to the engine itself, each field replacing the one before and a `null` field restoring `serving`'s
 * (withheld from this engine). The family's own object when no entry applies. Cost O(lineage x fields).
 */
export function familyServing(family: ChipFamily, lineage: readonly string[]): KernelEfficiency {
  const byEngine = family.servingByEngine;
  if (byEngine === undefined) return family.serving;
  let merged: Record<string, unknown> | undefined;
  for (let i = lineage.length - 1; i >= 0; i--) {
    const entry = byEngine[lineage[i] as string];
    if (entry === undefined) continue;
    merged ??= { ...family.serving };
    for (const [field, value] of Object.entries(entry)) {
      if (value !== null) merged[field] = value;
      else if (Object.hasOwn(family.serving, field))
        merged[field] = family.serving[field as keyof KernelEfficiency];
      else delete merged[field];
    }
  }
  return merged === undefined ? family.serving : (merged as unknown as KernelEfficiency);
}

/**
 * The serving efficiency profile of a chip's family: its `serving` figures, with those the family gives for `engine`
 * and the engines it derives from (`servingByEngine`: the kernels and libraries that engine runs on the family) in
 * their place, the chip's own measured `memoryStreamingFraction` (where the catalog has one) as `weightStreaming`, and
 * `override` fields over all. `engine` is a registered engine's id or a profile (a scenario's custom engine names its
 * parent). Cost O(lineage x fields).
 */
export function efficiencyFor(
  chip: Chip,
  override?: Partial<KernelEfficiency>,
  engine?: string | Pick<ServingEngine, "id" | "parent">,
): KernelEfficiency {
  requireArgument(chip, "chip", "object", "a Chip (resolveChip gives one from a catalog id)");
  const family = chipFamily(chip.family);
  const familyEff =
    engine === undefined
      ? family.serving
      : familyServing(family, engineLineage(typeof engine === "string" ? servingEngine(engine) : engine));
  // A chip with its own measured weight-streaming fraction answers for itself (catalog field memoryStreamingFraction).
  const own = chip.memoryStreamingFraction;
  const base = own === undefined ? familyEff : { ...familyEff, weightStreaming: own };
  return override ? { ...base, ...override } : base;
}
