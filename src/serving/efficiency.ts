// The serving kernel profile of a chip: its family's (src/catalog/families/), with a scenario's overrides applied.
import { chipFamily } from "../catalog/families/index.js";
import type { KernelEfficiency } from "../catalog/families/types.js";
import type { Chip } from "../catalog/types.js";

export type { KernelEfficiency } from "../catalog/families/types.js";

/** The serving efficiency profile of a chip's family; `override` fields replace the profile's. Cost O(1). */
export function efficiencyFor(chip: Chip, override?: Partial<KernelEfficiency>): KernelEfficiency {
  const base = chipFamily(chip.family).serving;
  return override ? { ...base, ...override } : base;
}
