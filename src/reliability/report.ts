// One report of a job's reliability: Monte Carlo spread beside the closed form, per-kind breakdown, inventory.
import type { System } from "../catalog/types.js";
import { assertFinite } from "../core/errors.js";
import {
  type EffectCounts,
  type Expectation,
  expectedOutcome,
  type KindSummary,
  kindSummaries,
  meanTimesBetween,
  type RunLength,
} from "./closed-form.js";
import { type FleetSpread, fleetSpread } from "./fleet-band.js";
import {
  type AppliedLemonNodes,
  buildModel,
  type ReliabilityModel,
  type ReliabilityOptions,
  requireReliabilityModel,
} from "./model.js";
import { type SimulationResult, type Spread, simulateReliability } from "./monte-carlo.js";

export interface ReliabilityReport {
  jobChips: number;
  run: { idealTrainingS: number; wallS?: number };
  /** Monte Carlo mean: useful work / wall time. */
  goodput: number;
  /** Monte Carlo mean: ideal time to train / goodput, s. */
  effectiveTimeToTrainS: number;
  /** Monte Carlo mean: fraction of wall time the job is not down for recovery. */
  availability: number;
  interruptions: {
    /** Events that stop the job, per run. */
    unexpected: Spread;
    /** Mean per run by effect; `degrade` events do not stop the job. */
    byEffect: EffectCounts;
  };
  spread: { goodput: Spread; effectiveTimeToTrainS: Spread; availability: Spread; wallS: Spread };
  /** Mean up-time between failures of any kind / between interruptions, s. */
  mtbfS: number;
  mtbiS: number;
  /** Mean up-time between full restarts (spare migrations and elastic shrinks excluded), s. */
  mtbRestartS: number;
  checkpoint: ReliabilityModel["checkpoint"];
  recovery: ReliabilityModel["recovery"];
  perKind: KindSummary[];
  closedForm: Expectation;
  /**
   * The closed form again with every failure rate at the 10th and 90th percentile of what other fleets' failure
   * studies measured against the model (fleet-band.ts): how far an unmeasured fleet may sit from the central figure.
   */
  fleetSpread: FleetSpread;
  monteCarlo: {
    trials: number;
    seed: number;
    events: number;
    lostWorkS: number;
    downtimeS: number;
    degradedS: number;
  };
  inventory: {
    accelerators: number;
    hosts: number;
    nics: number;
    tiers: { tier: string; mesh: boolean; switches: number; opticalModules: number }[];
    assumptions: string[];
  };
  /** Lemon nodes in service (scenario `reliability.lemonNodes`); absent when the scenario has none. */
  lemonNodes?: AppliedLemonNodes;
}

export interface ReportOptions {
  trials: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

/** Runs the closed form and the Monte Carlo for a built model. Cost: O(trials x events per run). */
export function reliabilityReport(
  model: ReliabilityModel,
  run: RunLength,
  opts: ReportOptions,
): ReliabilityReport {
  requireReliabilityModel(model);
  return assembleReport(model, run, simulateReliability(model, run, opts));
}

/** Puts a finished Monte Carlo beside the closed form (for front ends that run the simulation in chunks). Cost: O(classes). */
export function assembleReport(
  model: ReliabilityModel,
  run: RunLength,
  mc: SimulationResult,
): ReliabilityReport {
  const cf = expectedOutcome(model, run);
  const { mtbfS, mtbiS, mtbRestartS } = meanTimesBetween(model);
  const inv = model.inventory;
  const report: ReliabilityReport = {
    jobChips: inv.jobChips,
    run: run.wallS === undefined ? { idealTrainingS: run.idealTrainingS } : { ...run },
    goodput: mc.goodput.mean,
    effectiveTimeToTrainS: mc.effectiveTimeToTrainS.mean,
    availability: mc.availability.mean,
    interruptions: { unexpected: mc.unexpectedInterruptions, byEffect: mc.byEffect },
    spread: {
      goodput: mc.goodput,
      effectiveTimeToTrainS: mc.effectiveTimeToTrainS,
      availability: mc.availability,
      wallS: mc.wallS,
    },
    mtbfS,
    mtbiS,
    mtbRestartS,
    checkpoint: { ...model.checkpoint },
    recovery: { ...model.recovery },
    perKind: kindSummaries(model, cf.wallS - cf.downtimeS - cf.degradedS),
    closedForm: cf,
    fleetSpread: fleetSpread(model, run),
    monteCarlo: {
      trials: mc.trials,
      seed: mc.seed,
      events: mc.events,
      lostWorkS: mc.meanLostWorkS,
      downtimeS: mc.meanDowntimeS,
      degradedS: mc.meanDegradedS,
    },
    inventory: {
      accelerators: inv.accelerators,
      hosts: inv.hosts,
      nics: inv.nics,
      tiers: inv.tiers.map((t) => ({
        tier: t.tier,
        mesh: t.mesh,
        switches: t.switches,
        opticalModules: t.opticalModules,
      })),
      assumptions: inv.assumptions,
    },
  };
  if (model.lemonNodes) report.lemonNodes = { ...model.lemonNodes };
  assertFinite(report, "reliability report");
  return report;
}

export type GoodputOptions = Omit<ReliabilityOptions, "jobChips"> & RunLength;

/**
 * Closed-form expected goodput of a job of `jobChips` chips on `system` (the entry point `train` uses to turn an
 * ideal time to train into one with failures). Cost: O(kinds x tiers), microseconds.
 */
export function expectedGoodput(system: System, jobChips: number, opts: GoodputOptions): Expectation {
  const model = buildModel(system, { ...opts, jobChips });
  const out = expectedOutcome(model, { idealTrainingS: opts.idealTrainingS, wallS: opts.wallS });
  assertFinite(out, "expectedGoodput");
  return out;
}

/** Monte Carlo and closed form for a job of `jobChips` chips on `system`. Cost: O(trials x events per run). */
export function simulateJobReliability(
  system: System,
  jobChips: number,
  opts: GoodputOptions & ReportOptions,
): ReliabilityReport {
  const model = buildModel(system, { ...opts, jobChips });
  return reliabilityReport(model, { idealTrainingS: opts.idealTrainingS, wallS: opts.wallS }, opts);
}
