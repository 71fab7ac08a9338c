// What each command reports, as the object its --json prints: one definition for the CLI, the web app and reports.

import { ZettasimError } from "../core/errors.js";
import { fmtInt } from "../core/units.js";
import { planTrain, type TrainPlanResult } from "../plan/train.js";
import { explainRunnerUp, layoutSummary, plannedScenario } from "../plan/train-report.js";
import {
  checkReliabilityRun,
  estimateReliabilityRun,
  type ReliabilityRunEstimate,
} from "../reliability/estimate.js";
import { type Simulation, startSimulation } from "../reliability/monte-carlo.js";
import { assembleReport, type ReliabilityReport } from "../reliability/report.js";
import { type ReliabilitySetup, reliabilitySetup, type SetupOverrides } from "../reliability/scenario.js";
import { trainingWithFailures } from "../reliability/training.js";
import type { Scenario } from "../scenario/load.js";
import { planFile } from "../schema/plan.js";
import type { ScenarioFile } from "../schema/scenario.js";
import type { SimulationConfig } from "../schema/simulation.js";
import type { TrainingConfig } from "../schema/training.js";
import { type ServingPlan, servingPlan } from "../serving/config.js";
import { estimateServingRun, refuseRunawayServing } from "../serving/estimate.js";
import { runPlan, type ServingResult, type SimulateOptions } from "../serving/simulate.js";
import type { WorkloadSpec } from "../serving/workload.js";
import { type SimulationResult, simulateScenario } from "../sim/simulate.js";
import { estimateTraining } from "../training/estimate.js";

// ---------------------------------------------------------------------------------------------------------------
// train: in training-results.ts (the web app's first estimate loads it without the other commands' code)

export {
  memoryError,
  type StepTimeBand,
  stepTimeBand,
  type TrainingJob,
  type TrainingOverrides,
  type TrainingReport,
  trainingJob,
  trainingReport,
} from "./training-results.js";

import {
  type StepTimeBand,
  stepTimeBand,
  type TrainingJob,
  type TrainingReport,
  trainingJob,
  trainingReport,
} from "./training-results.js";

// ---------------------------------------------------------------------------------------------------------------
// simulate

/** What `simulate --json` prints, less its wall-clock field (which no two runs share). */
export type SimulationReport = Omit<SimulationResult, "trace"> & {
  /**
   * Iterations: the 80% band of the simulated step time, from `train`'s out-of-sample residuals for the
   * chip family and workload class (the simulator shares train's compute model and has no validation
   * cases of its own); absent when no validated class has enough cases.
   */
  uncertainty?: StepTimeBand;
};

/**
 * Simulates a scenario at flow level and splits the result into the report and the trace events (present when
 * `trace` is set). Cost: see simulateScenario.
 */
export function simulationReport(
  sc: Scenario,
  opts: { config?: SimulationConfig; trace?: boolean; onProgress?: (simTimeS: number) => void } = {},
): { report: SimulationReport; result: SimulationResult } {
  const result = simulateScenario(sc, opts);
  const { trace: _t, ...rest } = result;
  const band =
    sc.model && result.jobChips !== undefined
      ? stepTimeBand(
          { system: sc.system, model: sc.model },
          { chips: result.jobChips, stepTimeS: result.stepTimeS },
        )
      : undefined;
  const report: SimulationReport = band ? { ...rest, uncertainty: band } : rest;
  return { report, result };
}

// ---------------------------------------------------------------------------------------------------------------
// reliability

/** What `reliability --json` prints. */
export type ReliabilityJson = { scenario: string; system: string } & ReliabilityReport;

/** A reliability run in progress: step the Monte Carlo in chunks, then `finish()`. */
export interface ReliabilityRun {
  setup: ReliabilitySetup;
  /** What the Monte Carlo will cost (events, wall time, memory), known before it runs. */
  estimate: ReliabilityRunEstimate;
  sim: Simulation;
  finish(): ReliabilityJson;
}

/**
 * Starts a scenario's reliability run (closed form plus Monte Carlo); front ends step `sim` in chunks to show
 * progress. Throws ZettasimError for a missing run length or a job larger than the system. Cost: O(tiers) here;
 * the trials cost O(trials x events per run).
 */
export function startReliability(
  sc: Scenario,
  over: SetupOverrides = {},
  onProgress?: (done: number) => void,
  flags: { trials?: string; run?: string } = {},
): ReliabilityRun {
  const setup = reliabilitySetup(sc, over);
  const { model, run, trials, seed } = setup;
  // Refused before it starts when past the limits, naming the flag or field to lower.
  const estimate = estimateReliabilityRun(model, run, trials);
  checkReliabilityRun(estimate, {
    trials: flags.trials ? [flags.trials] : ["reliability", "trials"],
    run: flags.run
      ? [flags.run]
      : ["reliability", run.wallS === undefined ? "idealTrainingDays" : "wallDays"],
  });
  const sim = startSimulation(model, run, { trials, seed, onProgress });
  return {
    setup,
    estimate,
    sim,
    finish: () => ({ scenario: sc.name, system: sc.system.id, ...assembleReport(model, run, sim.result()) }),
  };
}

/** Runs a scenario's reliability to the end. Cost: O(trials x events per run). */
export function reliabilityJson(sc: Scenario, over: SetupOverrides = {}): ReliabilityJson {
  const r = startReliability(sc, over);
  while (!r.sim.done()) r.sim.step(1000);
  return r.finish();
}

// ---------------------------------------------------------------------------------------------------------------
// serve

/** Overrides of a serving run (the CLI's flags). `flags` names them in errors. */
export interface ServingOverrides {
  seed?: number;
  requests?: number;
  ratePerS?: number;
  /** Arrival rates for a load sweep, requests/s. */
  sweepRatesPerS?: number[];
  flags?: { rate?: string; sweep?: string };
  /** What the user wrote, for errors. */
  raw?: { rate?: string; sweep?: string };
}

/** A serving run ready to simulate: the plan (with overrides applied), its seed and, for a sweep, its rates. */
export interface ServingRun {
  plan: ServingPlan;
  seed: number;
  rates?: number[];
  /** The arrival rate an override set, and the flag that set it (for errors). */
  ratePerS?: number;
  rateFlag?: string;
  /** The flag that set the request count, when one did (for the runaway refusal); else the scenario field. */
  requestsPath?: string[];
}

/** The plan's workload with a new mean arrival rate; a trace workload cannot take one. */
export function withArrivalRate(
  plan: ServingPlan,
  ratePerS: number,
  flag: string,
  raw: unknown,
): WorkloadSpec {
  const a = plan.workload.arrival;
  if (a.kind === "trace") {
    throw new ZettasimError([
      {
        path: [flag],
        message: "a trace workload has its own arrival times",
        value: raw,
        expected: `no ${flag} with a trace`,
      },
    ]);
  }
  return { ...plan.workload, arrival: { ...a, ratePerS } };
}

/**
 * Builds a scenario's serving plan with overrides. Errors found after loading (layouts, pools that do not fit)
 * name `file`. Cost: O(pools).
 */
export function servingRun(sc: Scenario, file: string, over: ServingOverrides = {}): ServingRun {
  let plan: ServingPlan;
  try {
    plan = servingPlan(sc);
  } catch (e) {
    if (e instanceof ZettasimError && e.file === undefined) throw new ZettasimError(e.issues, file);
    throw e;
  }
  if (over.requests !== undefined) plan.workload = { ...plan.workload, requests: over.requests };
  if (over.ratePerS !== undefined)
    plan.workload = withArrivalRate(plan, over.ratePerS, over.flags?.rate ?? "--rate", over.raw?.rate);
  if (over.sweepRatesPerS !== undefined) {
    // Checked once up front, so a trace workload fails before any run.
    withArrivalRate(plan, over.sweepRatesPerS[0] ?? 1, over.flags?.sweep ?? "--sweep", over.raw?.sweep);
  }
  // Every run this asks for is checked before any starts: the plan itself, or each rate of a load sweep.
  const requestsPath = over.requests !== undefined ? ["--requests"] : undefined;
  const flag = over.flags?.sweep ?? "--sweep";
  for (const r of over.sweepRatesPerS ?? [undefined])
    refuseRunawayServing(
      r === undefined ? plan : { ...plan, workload: withArrivalRate(plan, r, flag, r) },
      requestsPath,
    );
  const rateFlag = over.ratePerS === undefined ? undefined : (over.flags?.rate ?? "--rate");
  const rates = over.sweepRatesPerS;
  return { plan, seed: over.seed ?? sc.seed, rates, ratePerS: over.ratePerS, rateFlag, requestsPath };
}

/** What `serve --json` prints for one run. */
export type ServingJson = { scenario: string; system: string } & ServingResult;
/** One row of `serve --sweep --json`. */
export type SweepRow = { ratePerS: number } & ServingResult;

/**
 * A run that stopped at serving.maxSimulatedS before its requests had arrived would report on fewer requests than
 * asked (none at all when the rate is below one per simulated span): refused, naming the rate (the flag that set
 * it, or the scenario field) and what would let every request in.
 */
function requireArrivals(
  r: ServingResult,
  plan: ServingPlan,
  flag: string | undefined,
  rate?: number,
): ServingResult {
  const asked = estimateServingRun(plan).requests;
  if (r.requests.arrived >= asked) return r;
  const a = plan.workload.arrival;
  const span = fmtInt(plan.maxSimulatedS);
  const meanRate = "ratePerS" in a ? a.ratePerS : undefined;
  throw new ZettasimError([
    {
      path: flag ? [flag] : ["serving", "workload", "arrival", "ratePerS"],
      message:
        r.requests.arrived === 0
          ? `no request arrives within the ${span} s simulated`
          : `only ${fmtInt(r.requests.arrived)} of the ${fmtInt(asked)} requests arrive within the ${span} s simulated`,
      value: rate ?? meanRate,
      expected:
        r.requests.arrived === 0
          ? `a rate well above 1 / serving.maxSimulatedS = ${(1 / plan.maxSimulatedS).toPrecision(3)} requests/s, or a larger serving.maxSimulatedS`
          : `a rate of at least ${(asked / plan.maxSimulatedS).toPrecision(3)} requests/s, fewer requests, or a larger serving.maxSimulatedS`,
    },
  ]);
}

/** Simulates a serving run once. Throws ZettasimError when not every request arrives in time. Cost: see runPlan. */
export function servingJson(sc: Scenario, run: ServingRun, opts: SimulateOptions = {}): ServingJson {
  const r = requireArrivals(runPlan(run.plan, run.seed, opts), run.plan, run.rateFlag, run.ratePerS);
  return { scenario: sc.name, system: sc.system.id, ...r };
}

/** One load-sweep row: the run at another mean arrival rate. Cost: see runPlan. */
export function sweepRow(run: ServingRun, ratePerS: number, opts: SimulateOptions = {}): SweepRow {
  const plan = { ...run.plan, workload: withArrivalRate(run.plan, ratePerS, "--sweep", ratePerS) };
  refuseRunawayServing(plan, run.requestsPath);
  return { ratePerS, ...requireArrivals(runPlan(plan, run.seed, opts), plan, "--sweep", ratePerS) };
}

// ---------------------------------------------------------------------------------------------------------------
// one scenario as it stands (a sweep's point): what each command's --json prints for it with no flags

/** `train --json` for a scenario. Throws ZettasimError naming a missing model or training field. Cost: microseconds. */
export function trainingJson(sc: Scenario): TrainingReport {
  return trainingReport(trainingJob(sc)).report;
}

/** `simulate --json` for a scenario, without wall time or trace, so equal inputs give equal output. Cost: the simulation. */
export function simulationJson(sc: Scenario): SimulationReport {
  return simulationReport(sc).report;
}

/** `serve --json` for a scenario at its own seed, rate and requests. Cost: see runPlan. */
export function servingJsonOf(sc: Scenario): ServingJson {
  return servingJson(sc, servingRun(sc, sc.name));
}

/**
 * `plan train --json` for a scenario (its `plan` section, no flags), searched in this thread, without the wall time
 * and thread count, so equal inputs give equal output wherever it runs. Throws ZettasimError naming a missing model
 * or training field. Cost: the search (milliseconds to seconds, see docs/planner.md).
 */
export async function planTrainJsonOf(sc: Scenario) {
  const job = trainingJob(sc);
  const plan = sc.file.plan ?? planFile.parse({});
  const result = await planTrain({ system: job.system, model: job.model, training: job.training, plan });
  const extras = planTrainExtras(job, sc.file, result);
  const {
    wallS: _w,
    threads: _t,
    ...json
  } = planTrainJson({
    name: job.name,
    systemId: job.system.id,
    result,
    wallS: 0,
    threads: 1,
    ...extras,
  });
  return json;
}

// ---------------------------------------------------------------------------------------------------------------
// plan train

/** A finished training search and what surrounds it (for `plan train --json` and the planner page). */
export interface PlanTrainOutcome {
  name: string;
  systemId: string;
  result: TrainPlanResult;
  wallS: number;
  threads: number;
  /** The scenario's own layout, when it names one. */
  own?: { stepTimeS: number; fits: boolean };
  /** The winner's time to train with failures (closed form), when the job has a token count. */
  failures?: { goodput: number; effectiveTimeToTrainS: number };
  rerank?: { rank: number; analyticalStepTimeS: number; simulatedStepTimeS: number; differencePct: number }[];
}

/** Whether a training section names a layout (then it is compared with the plan's). */
export const namesLayout = (t: TrainingConfig) =>
  ["tp", "pp", "dp", "cp", "ep", "vpp", "microBatchSize", "zero", "recompute", "schedule"].some(
    (k) => t[k as keyof TrainingConfig] !== undefined,
  );

/**
 * What surrounds a search's winner: the scenario's own layout (step time, whether it fits) and the winner's time
 * to train with failures, as a scenario file with the winner's layout would give them. Cost: two estimates.
 */
export function planTrainExtras(
  job: TrainingJob,
  src: Pick<ScenarioFile, "system" | "model" | "name" | "seed" | "reliability" | "simulation">,
  result: TrainPlanResult,
): Pick<PlanTrainOutcome, "own" | "failures"> {
  const out: Pick<PlanTrainOutcome, "own" | "failures"> = {};
  const w = result.top[0];
  if (w && namesLayout(job.training)) {
    try {
      const own = estimateTraining(job.system, job.model, job.training);
      out.own = { stepTimeS: own.stepTimeS, fits: own.fitsInMemory };
    } catch (e) {
      if (!(e instanceof ZettasimError)) throw e;
    }
  }
  if (w?.estimate.timeToTrainS !== undefined) {
    const file = plannedScenario(src, w);
    const f = trainingWithFailures(
      { file: file as Scenario["file"], system: job.system, model: job.model, seed: 1, name: job.name },
      w.estimate,
    );
    if (f) out.failures = { goodput: f.goodput, effectiveTimeToTrainS: f.effectiveTimeToTrainS };
  }
  return out;
}

/** What `plan train --json` prints. Cost: O(top k). */
export function planTrainJson(o: PlanTrainOutcome) {
  const r = o.result;
  const w = r.top[0];
  return {
    scenario: o.name,
    system: o.systemId,
    objective: r.objective,
    space: { layouts: r.space.layouts, groups: r.space.groups, domains: r.space.domains },
    considered: r.considered,
    evaluated: r.evaluated,
    counts: r.counts,
    wallS: o.wallS,
    threads: o.threads,
    exact: r.exact,
    cancelled: r.cancelled,
    gap: r.gap ?? null,
    best: w ? { ...layoutSummary(w), training: w.training, estimate: w.estimate } : null,
    runnerUp: w && r.top[1] ? explainRunnerUp(w, r.top[1]) : null,
    top: r.top.map(layoutSummary),
    bestByChips: r.bestByChips.map(layoutSummary),
    pareto: r.pareto.map(layoutSummary),
    ownLayout: o.own ?? null,
    withFailures: o.failures ?? null,
    rerank: o.rerank ?? null,
  };
}
