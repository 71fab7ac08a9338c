// A failure study's figure as a rate ratio (measured / predicted failure rate) and the study it belongs to: the pieces of the cross-fleet band (src/reliability/fleet-band.ts) that validate and `npm run fit` share.

import type { RateRatio } from "../reliability/fleet-band.js";

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

/** The fields of a validated case a rate ratio reads. */
export interface RatioCase {
  id: string;
  kind: string;
  metric: string;
  source?: string;
  group?: string;
  errorPct: number | null;
  inSample?: boolean;
  cvErrorPct?: number | null;
}

/**
 * One rate ratio per modelled failure-study figure of `cases` (a validation run's), from each figure's
 * out-of-sample error (its cross-validated one if a fit has seen it). A goodput is no rate and is left out.
 * Cost O(cases).
 */
export function rateRatiosOf(cases: readonly RatioCase[]): RateRatio[] {
  const out: RateRatio[] = [];
  for (const c of cases) {
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
