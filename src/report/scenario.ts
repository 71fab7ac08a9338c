// Runs what a scenario's commands say (spec, train, simulate, reliability, serve) into plain data: what crosses a
// Web Worker boundary. scenario-document.ts turns it into a report where it is drawn.
import { type InputIssue, ZettasimError } from "../core/errors.js";
import type { Expectation } from "../reliability/closed-form.js";
import type { Scenario } from "../scenario/load.js";
import { chromeTrace } from "../sim/simulate.js";
import { deriveSpec, type SystemSpec } from "./derive.js";
import {
  memoryError,
  type ReliabilityJson,
  type ServingJson,
  type SimulationReport,
  servingJson,
  servingRun,
  simulationReport,
  startReliability,
  type TrainingReport,
  trainingJob,
  trainingReport,
} from "./results.js";
import {
  type CdfPoint,
  collectiveSegments,
  latencyCdf,
  type ReliabilityPoint,
  reliabilityVsInterval,
  reliabilityVsScale,
  sweepIntervalsS,
  sweepScales,
  type TimelineSegment,
  timelineSegments,
} from "./series.js";

export interface TrainingData {
  report: TrainingReport;
  failures?: Expectation;
  /** The error `train` prints beside its figures (exit 2) when the job does not fit in memory. */
  notFit?: { message: string; issues: InputIssue[]; internal: false };
}
export interface SimulationData {
  report: SimulationReport;
  segments: TimelineSegment[];
  /** Chrome Trace Event document (open in Perfetto), when asked for. */
  trace?: object;
}
export interface ReliabilityData {
  report: ReliabilityJson;
  scale: ReliabilityPoint[];
  interval: ReliabilityPoint[];
}
export interface ServingData {
  report: ServingJson;
  cdf: { ttft: CdfPoint[]; tpot: CdfPoint[] };
}

/** Everything a scenario's commands report, as plain data; `skipped` says what did not run and why. */
export interface ScenarioResults {
  name: string;
  file: string;
  systemName: string;
  spec: SystemSpec;
  training?: TrainingData;
  simulation?: SimulationData;
  reliability?: ReliabilityData;
  serving?: ServingData;
  skipped: string[];
}

/** `train` on a scenario. Cost: microseconds. */
export function runTraining(sc: Scenario): TrainingData {
  const job = trainingJob(sc);
  const data: TrainingData = trainingReport(job);
  const e = memoryError(job, data.report);
  if (e) data.notFit = { message: e.message, issues: e.issues, internal: false };
  return data;
}

/** `simulate` on a scenario, with the timeline's segments (and the Perfetto trace when `withTrace`). */
export function runSimulation(
  sc: Scenario,
  opts: { withTrace?: boolean; onProgress?: (simTimeS: number) => void } = {},
): SimulationData {
  const { report, result } = simulationReport(sc, { trace: true, onProgress: opts.onProgress });
  const segments =
    report.run === "iteration"
      ? timelineSegments(result.trace ?? [], report.stepTimeS / 1500)
      : collectiveSegments(report.phases);
  return { report, segments, trace: opts.withTrace ? chromeTrace(result) : undefined };
}

/** `reliability` on a scenario, stepped in chunks (`onProgress` gets trials done), with the scale and interval sweeps. */
export function runReliability(
  sc: Scenario,
  onProgress?: (done: number, total: number) => void,
): ReliabilityData {
  const run = startReliability(sc, {}, (done) => onProgress?.(done, run.setup.trials));
  const chunk = Math.max(1, Math.ceil(run.setup.trials / 50));
  while (!run.sim.done()) run.sim.step(chunk);
  const report = run.finish();
  return {
    report,
    scale: reliabilityVsScale(sc, sweepScales(sc.system.chips)),
    interval: reliabilityVsInterval(sc, sweepIntervalsS()),
  };
}

/** `serve` on a scenario, with the TTFT and TPOT distributions. Cost: see runPlan. */
export function runServing(
  sc: Scenario,
  file: string,
  onProgress?: (done: number, total: number) => void,
): ServingData {
  const ttft: number[] = [];
  const tpot: number[] = [];
  const report = servingJson(sc, servingRun(sc, file), {
    onProgress,
    onRequest: (t1, tp) => {
      ttft.push(t1);
      if (tp !== undefined) tpot.push(tp);
    },
  });
  return { report, cdf: { ttft: latencyCdf(ttft), tpot: latencyCdf(tpot) } };
}

/** What the scenario can run: its sections decide (as the CLI's commands would accept it). */
export function scenarioCommands(sc: Scenario): {
  train: boolean;
  simulate: boolean;
  reliability: boolean;
  serve: boolean;
} {
  const f = sc.file;
  const train = sc.model !== undefined && f.training !== undefined;
  return {
    train,
    simulate: f.simulation !== undefined || train,
    reliability: f.reliability !== undefined || (train && f.training?.trainTokens !== undefined),
    serve: f.serving !== undefined,
  };
}

/**
 * Runs every command the scenario supports. Input errors in one command are recorded in `skipped` (with the
 * CLI's message) and the others still run. Cost: the sum of the commands' costs (seconds for big simulations).
 */
export function runScenario(sc: Scenario, file: string, log?: (what: string) => void): ScenarioResults {
  const can = scenarioCommands(sc);
  const out: ScenarioResults = {
    name: sc.name,
    file,
    systemName: sc.system.name,
    spec: deriveSpec(sc.system),
    skipped: [],
  };
  const attempt = (what: string, f: () => void) => {
    log?.(what);
    try {
      f();
    } catch (e) {
      if (!(e instanceof ZettasimError)) throw e;
      out.skipped.push(`${what}: ${e.message}`);
    }
  };
  if (can.train) attempt("train", () => (out.training = runTraining(sc)));
  if (can.simulate) attempt("simulate", () => (out.simulation = runSimulation(sc)));
  if (can.reliability) attempt("reliability", () => (out.reliability = runReliability(sc)));
  if (can.serve) attempt("serve", () => (out.serving = runServing(sc, file)));
  return out;
}
