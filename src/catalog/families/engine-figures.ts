// Withholding an ancestor engine's figures in a chip family's `servingByEngine` (a derived release that does not run the measured kernels).
import type { EngineServingFigures, KernelEfficiency } from "./types.js";

/**
 * An entry of `servingByEngine` that withholds `fields` from an engine although an ancestor of it has them: the
 * engine gets the family's `serving` value of each instead (src/serving/efficiency.ts merges the lineage).
 */
export function withheld(...fields: readonly (keyof KernelEfficiency)[]): EngineServingFigures {
  return Object.freeze(Object.fromEntries(fields.map((f) => [f, null])));
}

/** `withheld` of every field `figures` gives: an engine that keeps none of an ancestor's figures. */
export function withheldAll(figures: EngineServingFigures): EngineServingFigures {
  return withheld(...(Object.keys(figures) as (keyof KernelEfficiency)[]));
}
