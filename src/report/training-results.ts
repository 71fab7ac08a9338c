// What `train` reports, as the object its --json prints (one definition for the CLI, the web app and reports), and
// what a scenario can run. Its own module so the web app's first estimate loads without the other commands' code.
import { predictionBand } from "../catalog/families/bands.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import type { System } from "../catalog/types.js";
import { type InputIssue, ZettasimError } from "../core/errors.js";
import { fmtDuration, fmtMemory } from "../core/units.js";
import type { Expectation } from "../reliability/closed-form.js";
import type { FleetSpread } from "../reliability/fleet-band.js";
import { trainingWithFailures } from "../reliability/training.js";
import type { Scenario } from "../scenario/load.js";
import { issuesFromZod } from "../schema/issues.js";
import type { ModelConfig } from "../schema/model.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import { estimateTraining, memoryFixes, type TrainingEstimate } from "../training/estimate.js";

/** A training job: what `train` estimates. */
export interface TrainingJob {
  system: System;
  model: ModelConfig;
  training: TrainingConfig;
  name: string;
  scenario?: Scenario;
}

/** Values layered over a scenario's training job (the CLI's flags). Degrees and sizes are whole numbers. */
export interface TrainingOverrides {
  system?: string;
  model?: string;
  /** Overrides of `training` fields, already checked as numbers or strings by the caller. */
  training?: Partial<Record<keyof TrainingConfig, unknown>>;
  /** Names of the flags, for errors: system and model. */
  systemPath?: (string | number)[];
  modelPath?: (string | number)[];
}

/**
 * The job to estimate: a scenario's system, model and training section, with overrides layered on top and the
 * result checked against the training schema. Throws ZettasimError naming what is missing. Cost: microseconds.
 */
export function trainingJob(sc: Scenario | undefined, over: TrainingOverrides = {}): TrainingJob {
  let system = sc?.system;
  let model = sc?.model;
  const base: Record<string, unknown> = { ...(sc?.file.training ?? {}) };
  if (over.system !== undefined) system = resolveSystem(over.system, over.systemPath ?? ["--system"]);
  if (over.model !== undefined) model = resolveModel(over.model, over.modelPath ?? ["--model"]);
  if (!system) {
    throw new ZettasimError([
      {
        path: ["--system"],
        message: "no system given",
        expected: "a scenario file or --system <catalog id>",
      },
    ]);
  }
  if (!model) {
    throw new ZettasimError([
      {
        path: ["model"],
        message: "no model given",
        expected: "a `model` in the scenario or --model <catalog id>",
      },
    ]);
  }
  const o = over.training ?? {};
  // When dp is derived, a new chip count replaces the scenario's dp.
  if (o.chips !== undefined && o.dp === undefined) delete base.dp;
  const merged = { seqLength: 4096, globalBatchSize: undefined, ...base, ...o } as Record<string, unknown>;
  if (merged.globalBatchSize === undefined) {
    throw new ZettasimError([
      {
        path: ["training", "globalBatchSize"],
        message: "no global batch size",
        expected: "training.globalBatchSize in the scenario or --gbs <sequences>",
      },
    ]);
  }
  const r = trainingFile.safeParse(merged, { reportInput: true });
  if (!r.success) throw new ZettasimError(issuesFromZod(r.error, ["training"], trainingFile));
  return { system, model, training: r.data, name: sc?.name ?? "flags", scenario: sc };
}

/**
 * The 80% uncertainty band of a training step time: the out-of-sample residuals of its chip family and
 * workload class (src/catalog/families/bands.ts) turned into bounds on the step time.
 */
export interface StepTimeBand {
  stepTimeLowS: number;
  stepTimeHighS: number;
  /** The residual class the bounds come from, e.g. "training/hopper/dense/le1024". */
  classKey: string;
  /** Out-of-sample cases behind it. */
  cases: number;
  residualLowPct: number;
  residualHighPct: number;
}

/** What `train --json` prints. */
export interface TrainingReport extends TrainingEstimate {
  scenario: string;
  system: string;
  /** Single changes that make a job fit that does not, each with its memory and step time. */
  memoryFixes: string[];
  withFailures?: {
    goodput: number;
    effectiveTimeToTrainS: number;
    unexpectedInterruptions: number;
    /** The same job if its fleet fails like the other failure studies' 10th / 90th percentile (fleet-band.ts). */
    fleetSpread: FleetSpread;
  };
  /** How far to trust the step time (absent when no validated class has enough cases). */
  uncertainty?: StepTimeBand;
}

/**
 * The 80% band of a step time `r.stepTimeS` of `job` on `r.chips` chips (a training estimate, or a simulated
 * iteration, which shares its compute model), undefined when no validated class has enough cases. Cost O(1).
 */
export function stepTimeBand(
  job: Pick<TrainingJob, "system" | "model">,
  r: { chips: number; stepTimeS: number },
): StepTimeBand | undefined {
  const b = predictionBand({
    family: job.system.chip.family,
    kind: "training",
    moe: job.model.moe != null,
    chips: r.chips,
  });
  return (
    b && {
      stepTimeLowS: r.stepTimeS * b.lowFactor,
      stepTimeHighS: r.stepTimeS * b.highFactor,
      classKey: b.classKey,
      cases: b.n,
      residualLowPct: b.lowPct,
      residualHighPct: b.highPct,
    }
  );
}

/**
 * Estimates a training job: step time, MFU, memory, time and energy to train, and (with training.trainTokens) the
 * closed-form time to train with failures. Also returns the full failure expectation for renderers. Cost:
 * microseconds (plus one estimate per memory fix when the job does not fit).
 */
export function trainingReport(job: TrainingJob): { report: TrainingReport; failures?: Expectation } {
  const r = estimateTraining(job.system, job.model, job.training);
  const fixes = r.fitsInMemory
    ? []
    : memoryFixes(job.system, job.model, job.training).map(
        (f) => `${f.description}: ${fmtMemory(f.memoryPerChipBytes)}, step ${fmtDuration(f.stepTimeS)}`,
      );
  const sc: Scenario = job.scenario
    ? {
        ...job.scenario,
        system: job.system,
        model: job.model,
        file: { ...job.scenario.file, training: job.training },
      }
    : {
        file: { system: job.system.id, training: job.training },
        system: job.system,
        model: job.model,
        seed: 1,
        name: job.name,
      };
  const failures = r.fitsInMemory ? trainingWithFailures(sc, r) : undefined;
  const withFailures = failures && {
    goodput: failures.goodput,
    effectiveTimeToTrainS: failures.effectiveTimeToTrainS,
    unexpectedInterruptions: failures.interruptions.unexpected,
    fleetSpread: failures.fleetSpread,
  };
  return {
    report: {
      scenario: job.name,
      system: job.system.id,
      ...r,
      uncertainty: stepTimeBand(job, r),
      memoryFixes: fixes,
      withFailures,
    },
    failures,
  };
}

/** The error `train` reports (exit 2) beside its figures when the job does not fit in memory; else undefined. */
export function memoryError(job: TrainingJob, report: TrainingReport): ZettasimError | undefined {
  if (report.fitsInMemory) return undefined;
  const fixes = report.memoryFixes;
  return new ZettasimError([
    {
      path: ["training"],
      message: `needs ${fmtMemory(report.memoryPerChipBytes)} per chip but ${job.system.chip.name} has ${fmtMemory(report.memoryCapacityBytes)}${fixes.length ? `; fits with ${fixes[0]}` : ""}`,
      value: {
        tp: report.degrees.tp,
        pp: report.degrees.pp,
        zero: job.training.zero ?? 1,
        recompute: job.training.recompute ?? "selective",
      },
      expected: "more tp/pp, full recompute or a higher ZeRO stage",
    },
  ]);
}

export interface TrainingData {
  report: TrainingReport;
  failures?: Expectation;
  /** The error `train` prints beside its figures (exit 2) when the job does not fit in memory. */
  notFit?: { message: string; issues: InputIssue[]; internal: false };
}

/** `train` on a scenario. Cost: microseconds. */
export function runTraining(sc: Scenario): TrainingData {
  const job = trainingJob(sc);
  const data: TrainingData = trainingReport(job);
  const e = memoryError(job, data.report);
  if (e) data.notFit = { message: e.message, issues: e.issues, internal: false };
  return data;
}

/** What the scenario can run: its sections decide (as the CLI's commands would accept it). */
export function scenarioCommands(sc: Scenario): {
  train: boolean;
  simulate: boolean;
  reliability: boolean;
  serve: boolean;
  plan: boolean;
} {
  const f = sc.file;
  const train = sc.model !== undefined && f.training !== undefined;
  return {
    train,
    simulate: f.simulation !== undefined || train,
    reliability: f.reliability !== undefined || (train && f.training?.trainTokens !== undefined),
    serve: f.serving !== undefined,
    plan: train && f.plan !== undefined,
  };
}
