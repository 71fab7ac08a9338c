// The chip-family registry: every family zettasim models, by the id chips name in their `family` field.
import { ZettasimError } from "../../core/errors.js";
import type { Chip } from "../types.js";
import { AMPERE } from "./ampere.js";
import { ASCEND_910 } from "./ascend-910.js";
import { ASCEND_950 } from "./ascend-950.js";
import { BLACKWELL } from "./blackwell.js";
import { CDNA } from "./cdna.js";
import { GENERIC } from "./generic.js";
import { HOPPER } from "./hopper.js";
import { usableMemoryBytes } from "./memory.js";
import { RUBIN } from "./rubin.js";
import { TPU } from "./tpu.js";
import type { ChipFamily } from "./types.js";

export type { ChipFamily, KernelEfficiency, TrainingEfficiency } from "./types.js";

const FAMILIES: Readonly<Record<string, ChipFamily>> = Object.freeze(
  Object.assign(
    Object.create(null),
    Object.fromEntries(
      [AMPERE, HOPPER, BLACKWELL, RUBIN, CDNA, TPU, ASCEND_910, ASCEND_950, GENERIC].map((f) => [f.id, f]),
    ),
  ),
);

/** Ids of every modelled chip family, in catalog order. */
export const familyIds: readonly string[] = Object.keys(FAMILIES);

/** The family of a given id, or a ZettasimError naming `path`, the value and the known ids. Cost O(1). */
export function chipFamily(id: string, path: (string | number)[] = ["chip", "family"]): ChipFamily {
  const f = FAMILIES[id];
  if (f === undefined)
    throw new ZettasimError([
      { path, message: `expected one of the chip families ${familyIds.join(", ")}`, value: id },
    ]);
  return f;
}

/** Device memory a process can allocate on `chip`, bytes: its family's reading of the vendor figure, less the driver's reserve. Cost O(1). */
export function chipUsableMemoryBytes(chip: Chip): number {
  return usableMemoryBytes(chip, chipFamily(chip.family).memory);
}
