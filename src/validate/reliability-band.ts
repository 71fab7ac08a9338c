// The failure studies' out-of-sample figures as rate ratios (measured / predicted failure rate): what the cross-fleet band of src/reliability/fleet-band.ts is generated from.

import type { RateRatio } from "../reliability/fleet-band.js";
import type { DeclarationsFile } from "./declarations.js";
import { runValidation } from "./run.js";

/** Metrics that are a time between failures: the rate ratio is predicted / measured (the rate is its inverse). */
const TIME_METRICS = new Set(["mttfHours"]);
/** Metrics that are no failure rate (a goodput): left out of the band. */
const NOT_RATES = new Set(["goodput"]);

/**
 * The publication a case's figure comes from: its source's authors and year, the text before the source's first
 * comma ("Zu et al. 2024", "Kokolis et al. 2024/2025"), else its declared group. The declared group alone can split
 * one paper whose cases were declared on different days (Kokolis et al.'s two job MTTFs, Zu et al.'s TPU v4
 * figures). Cost O(source length).
 */
export function studyOf(c: { group?: string; source?: string; id: string }): string {
  const authors = c.source?.split(",")[0].trim();
  return authors || (c.group ?? c.id);
}

/**
 * One rate ratio per modelled failure study figure, its study being its publication (studyOf),
 * from each figure's out-of-sample error. A goodput is no rate and is left out. Cost: one validation run of the failure studies.
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
  const report = runValidation(studies, { declarations });
  const out: RateRatio[] = [];
  for (const c of report.cases) {
    if (c.kind !== "reliability" || NOT_RATES.has(c.metric)) continue;
    const err = c.inSample ? c.cvErrorPct : c.errorPct;
    if (err === null || err === undefined) continue;
    const predOverMeasured = 1 + err / 100;
    out.push({
      id: c.id,
      study: studyOf(c),
      ratio: TIME_METRICS.has(c.metric) ? predOverMeasured : 1 / predOverMeasured,
    });
  }
  return out;
}
