// The failure studies of a set of validation files as rate ratios (measured / predicted failure rate): what `npm run fit` generates the cross-fleet band of src/reliability/fleet-band.ts from.

import type { RateRatio } from "../reliability/fleet-band.js";
import type { DeclarationsFile } from "./declarations.js";
import { rateRatiosOf } from "./rate-ratios.js";
import { runValidation } from "./run.js";

export { studyOf } from "./rate-ratios.js";

/**
 * One rate ratio per modelled failure-study figure of `files` (rateRatiosOf), its study being its publication.
 * Cost: one validation run of the failure studies.
 */
export function reliabilityRateRatios(
  files: { name: string; value: unknown }[],
  declarations: DeclarationsFile | undefined,
): RateRatio[] {
  // Only the failure studies: the training and serving cases (and their cross-validation refits) play no part.
  const studies = files
    .map((f) => {
      const v = f.value as { cases?: unknown };
      const cases = Array.isArray(v?.cases)
        ? v.cases.filter((c) => (c as { kind?: unknown })?.kind === "reliability")
        : [];
      return { name: f.name, value: { ...(f.value as object), cases } };
    })
    .filter((f) => f.value.cases.length > 0);
  return rateRatiosOf(runValidation(studies, { declarations }).cases);
}
