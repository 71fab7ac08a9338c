// What each command computes for one scenario, as the plain object its `--json` prints: one builder per command, shared
// by the CLI and by sweeps, so a sweep row's `result` is the command's own output for that point.
import { ZettasimError } from "../core/errors.js";
import { fmtDuration } from "../core/units.js";
import type { Expectation } from "../reliability/closed-form.js";
import { simulateReliability } from "../reliability/monte-carlo.js";
import { assembleReport, type ReliabilityReport } from "../reliability/report.js";
import { reliabilitySetup } from "../reliability/scenario.js";
import { trainingWithFailures } from "../reliability/training.js";
import type { Scenario } from "../scenario/load.js";
import type { ModelConfig } from "../scenario/model.js";
import { servingPlan } from "../serving/config.js";
import { runPlan, type ServingResult } from "../serving/simulate.js";
import { type SimulationResult, simulateScenario } from "../sim/simulate.js";
import { estimateTraining, memoryFixes, type TrainingEstimate } from "../training/estimate.js";

const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;

/** `train --json`: the estimate, the memory fixes (when it does not fit) and the closed-form time with failures. */
export type TrainResult = { scenario: string; system: string } & TrainingEstimate & {
    memoryFixes: string[];
    withFailures?: { goodput: number; effectiveTimeToTrainS: number; unexpectedInterruptions: number };
  };

/** The training estimate of a scenario with everything `train` prints about it. */
export interface TrainOutcome {
  estimate: TrainingEstimate;
  /** Single changes that would make it fit, in words (empty when it fits). */
  fixes: string[];
  failures?: Expectation;
  json: TrainResult;
}

/**
 * Estimates the scenario's training job (`system`, `model`, `training`) as `zettasim train` does.
 * Throws ZettasimError naming `model` or `training` when the scenario lacks one. Cost: tens of microseconds.
 */
export function trainOutcome(sc: Scenario): TrainOutcome {
  const model = sc.model as ModelConfig | undefined;
  const training = sc.file.training;
  if (!model)
    throw new ZettasimError([
      { path: ["model"], message: "no model given", expected: "a `model` in the scenario" },
    ]);
  if (!training)
    throw new ZettasimError([
      { path: ["training"], message: "no training section", expected: "a `training:` mapping" },
    ]);
  const estimate = estimateTraining(sc.system, model, training);
  const fixes = estimate.fitsInMemory
    ? []
    : memoryFixes(sc.system, model, training).map(
        (f) => `${f.description}: ${gb(f.memoryPerChipBytes)}, step ${fmtDuration(f.stepTimeS)}`,
      );
  const failures = estimate.fitsInMemory ? trainingWithFailures(sc, estimate) : undefined;
  const withFailures = failures && {
    goodput: failures.goodput,
    effectiveTimeToTrainS: failures.effectiveTimeToTrainS,
    unexpectedInterruptions: failures.interruptions.unexpected,
  };
  const json = { scenario: sc.name, system: sc.system.id, ...estimate, memoryFixes: fixes, withFailures };
  return { estimate, fixes, failures, json };
}

/** `train --json` for a scenario. Cost: tens of microseconds. */
export function trainResult(sc: Scenario): TrainResult {
  return trainOutcome(sc).json;
}

/** `simulate --json` without its wall-clock field and trace (so equal inputs give equal output). Cost: the simulation. */
export function simulateResult(sc: Scenario): Omit<SimulationResult, "trace"> {
  const { trace: _t, ...rest } = simulateScenario(sc, { trace: false });
  return rest;
}

/** `serve --json` for a scenario with a `serving` section, at the scenario's seed. Cost: the request simulation. */
export function serveResult(sc: Scenario): { scenario: string; system: string } & ServingResult {
  return { scenario: sc.name, system: sc.system.id, ...runPlan(servingPlan(sc), sc.seed) };
}

/** `reliability --json` for a scenario: closed form and Monte Carlo at its trials and seed. Cost: O(trials x events). */
export function reliabilityResult(sc: Scenario): { scenario: string; system: string } & ReliabilityReport {
  const s = reliabilitySetup(sc);
  const mc = simulateReliability(s.model, s.run, { trials: s.trials, seed: s.seed });
  return { scenario: sc.name, system: sc.system.id, ...assembleReport(s.model, s.run, mc) };
}
