// The training kernel profile of a chip: its family's (src/catalog/families/), read from the chip's `family` field.
import { chipFamily } from "../catalog/families/index.js";
import type { TrainingEfficiency } from "../catalog/families/types.js";
import type { Chip } from "../catalog/types.js";

export type { TrainingEfficiency } from "../catalog/families/types.js";

/** The training efficiency profile of a chip's family. Cost O(1). */
export function trainingEfficiency(chip: Chip): TrainingEfficiency {
  return chipFamily(chip.family).training;
}
