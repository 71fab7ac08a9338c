// How far another fleet's failure rates may sit from the model's: the 80% band of the failure studies' measured / predicted rate ratios, and a job's goodput and time to train at its two ends.
//
// The model's rates come from one fleet (Llama 3's 16K-H100 job, rates.ts). Seventeen failure studies of other
// fleets (validation/reliability-*.json, all holdout) measured 0.4-4.2x the rate the model predicts for them
// (docs/reliability.md sec. 7.4, 7.7). That scatter is the honest uncertainty of a failure prediction for a machine
// nobody measured: the band is the 10th-90th percentile of those out-of-sample ratios, as the step-time bands of
// training and serving are of their out-of-sample residuals (src/catalog/families/bands.ts). It moves no
// prediction: the central figure stays the Llama 3 rates'. `npm run fit` (scripts/fit/run.ts) writes the band into
// fleet-band.data.ts; its own test is leave-one-study-out (`looCoverage`: each study's cases against the band of
// the other studies), computed there too.

import { ZettasimError } from "../core/errors.js";
import { type Expectation, expectedOutcome, type RunLength } from "./closed-form.js";
import { FLEET_BAND } from "./fleet-band.data.js";
import { type ReliabilityModel, requireReliabilityModel } from "./model.js";

/** One failure study's figure as a rate ratio: measured failure rate / the model's predicted rate. */
export interface RateRatio {
  id: string;
  /** The study (publication) the figure comes from: leave-one-study-out leaves out all of its figures. */
  study: string;
  ratio: number;
}

/** Quantiles of the rate ratios, and how well the band built without a study covers that study. */
export interface FleetBandStats {
  /** Figures (cases) and studies the band rests on. */
  cases: number;
  studies: number;
  /** 10th percentile, median and 90th percentile of measured / predicted failure rate. */
  lowFactor: number;
  medianFactor: number;
  highFactor: number;
  /**
   * Leave-one-study-out: the share of all figures that fall inside the 10th-90th percentile band of the other
   * studies' figures (0.8 would be a calibrated 80% band), and the count behind it.
   */
  looCoverage: number;
  looInside: number;
}

/** A job's expected outcome if its fleet fails at the band's ends (all failure rates x lowFactor / highFactor). */
export interface FleetSpread {
  rateLowFactor: number;
  rateHighFactor: number;
  /** The failure studies' median ratio: they sit above the model on the whole (docs/reliability.md 7.7). */
  rateMedianFactor: number;
  /** Goodput, time to train and unexpected interruptions at the low rates (best case) and high rates (worst). */
  goodputHigh: number;
  goodputLow: number;
  effectiveTimeToTrainLowS: number;
  effectiveTimeToTrainHighS: number;
  interruptionsLow: number;
  interruptionsHigh: number;
  cases: number;
  studies: number;
  looCoverage: number;
  source: string;
}

/** Linear-interpolated quantile `p` in [0, 1] of sorted `xs`. */
function quantile(xs: readonly number[], p: number): number {
  const i = p * (xs.length - 1);
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return xs[lo] + (xs[hi] - xs[lo]) * (i - lo);
}

/** 10th, 50th and 90th percentile of `ratios` (unsorted, non-empty). Cost O(n log n). */
function bandOf(ratios: readonly number[]): { low: number; median: number; high: number } {
  const xs = [...ratios].sort((a, b) => a - b);
  return { low: quantile(xs, 0.1), median: quantile(xs, 0.5), high: quantile(xs, 0.9) };
}

/**
 * The band of `ratios` and its leave-one-study-out coverage. Needs figures from at least three studies (fewer
 * leave a study's complement too thin to have a 10th and 90th percentile of its own). Quantiles are taken on the
 * ratios themselves (no logarithm: the same bits in every JavaScript engine). Cost O(S n log n) for S studies.
 */
export function fleetBandStats(ratios: readonly RateRatio[]): FleetBandStats {
  const studies = [...new Set(ratios.map((r) => r.study))];
  for (const r of ratios)
    if (!(Number.isFinite(r.ratio) && r.ratio > 0))
      throw new ZettasimError([
        {
          path: ["ratios", r.id, "ratio"],
          message: "not a positive finite rate ratio",
          value: r.ratio,
          expected: "> 0",
        },
      ]);
  if (studies.length < 3)
    throw new ZettasimError([
      {
        path: ["ratios"],
        message: `figures from ${studies.length} studies: too few for a band and its leave-one-study-out check`,
        value: studies,
        expected: "figures from at least 3 studies",
      },
    ]);
  const all = bandOf(ratios.map((r) => r.ratio));
  let inside = 0;
  for (const s of studies) {
    const b = bandOf(ratios.filter((r) => r.study !== s).map((r) => r.ratio));
    for (const r of ratios) if (r.study === s && r.ratio >= b.low && r.ratio <= b.high) inside++;
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    cases: ratios.length,
    studies: studies.length,
    lowFactor: r3(all.low),
    medianFactor: r3(all.median),
    highFactor: r3(all.high),
    looCoverage: r3(inside / ratios.length),
    looInside: inside,
  };
}

/**
 * `model` with every failure rate multiplied by `factor` (> 0). The checkpoint interval is kept: it was chosen
 * from the central rates, as a job's is before anyone knows how its fleet will fail. Cost O(classes).
 */
export function withRateFactor(model: ReliabilityModel, factor: number): ReliabilityModel {
  requireReliabilityModel(model);
  if (!(Number.isFinite(factor) && factor > 0))
    throw new ZettasimError([
      { path: ["factor"], message: "not a positive finite rate factor", value: factor, expected: "> 0" },
    ]);
  return { ...model, classes: model.classes.map((c) => ({ ...c, ratePerS: c.ratePerS * factor })) };
}

/**
 * The job's outcome at both ends of the cross-fleet band (`band`, the generated one by default): what `train`
 * and `reliability` show beside the central figure. Cost: two closed forms.
 */
export function fleetSpread(
  model: ReliabilityModel,
  run: RunLength,
  band: FleetBandStats = FLEET_BAND,
): FleetSpread {
  const low: Expectation = expectedOutcome(withRateFactor(model, band.lowFactor), run);
  const high: Expectation = expectedOutcome(withRateFactor(model, band.highFactor), run);
  return {
    rateLowFactor: band.lowFactor,
    rateHighFactor: band.highFactor,
    rateMedianFactor: band.medianFactor,
    goodputHigh: low.goodput,
    goodputLow: high.goodput,
    effectiveTimeToTrainLowS: low.effectiveTimeToTrainS,
    effectiveTimeToTrainHighS: high.effectiveTimeToTrainS,
    interruptionsLow: low.interruptions.unexpected,
    interruptionsHigh: high.interruptions.unexpected,
    cases: band.cases,
    studies: band.studies,
    looCoverage: band.looCoverage,
    source:
      "10th-90th percentile of measured / predicted failure rate over the failure studies in validation/reliability-*.json (docs/reliability.md 7.7)",
  };
}
