// Runs what a scenario's commands say (spec, train, simulate, reliability, serve) into plain data: what crosses a
// Web Worker boundary. scenario-document.ts turns it into a report where it is drawn.
import { ZettasimError } from "../core/errors.js";
import type { Executor } from "../plan/executor.js";
import { planTrain } from "../plan/train.js";
import { PreparedSearch, type TrainChunkResult, type TrainTask } from "../plan/train-search.js";
import type { TrainProblem } from "../plan/train-space.js";
import type { Scenario } from "../scenario/load.js";
import { issuesFromZod } from "../schema/issues.js";
import { planFile } from "../schema/plan.js";
import type { TrainingConfig } from "../schema/training.js";
import { chromeTrace } from "../sim/simulate.js";
import { runTraining, scenarioCommands, type TrainingData } from "./training-results.js";

export { runTraining, scenarioCommands, type TrainingData } from "./training-results.js";

import { deriveSpec, type SystemSpec } from "./derive.js";
import {
  planTrainExtras,
  planTrainJson,
  type ReliabilityJson,
  type ServingJson,
  type SimulationReport,
  servingJson,
  servingRun,
  simulationReport,
  startReliability,
  trainingJob,
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
/** The planner's result: the CLI's JSON, and each listed layout's training section (to load it). */
export interface PlanData {
  json: ReturnType<typeof planTrainJson>;
  training: { top: TrainingConfig[]; bestByChips: TrainingConfig[] };
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
  plan?: PlanData;
  skipped: string[];
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

/** Where a search's chunks run: a pool made for its size (threads > 1 only pays for a large space), or this thread. */
export type PlanExecutorFactory = (
  layouts: number,
) => (Executor<TrainTask, TrainChunkResult> & { close(): void }) | undefined;

/**
 * `plan train` on a scenario (its `plan` section, no flags), the chunks on the executor the factory gives (Web
 * Workers in the page; this thread when none). `progress` gets (done, total) over both phases. Cost: the search's.
 */
export async function runPlan(
  sc: Scenario,
  opts: { executor?: PlanExecutorFactory; progress?: (done: number, total: number) => void } = {},
): Promise<PlanData> {
  const job = trainingJob(sc);
  const r = planFile.safeParse({ ...(sc.file.plan ?? {}) }, { reportInput: true });
  if (!r.success) throw new ZettasimError(issuesFromZod(r.error, ["plan"], planFile), sc.name);
  const problem: TrainProblem = {
    system: job.system,
    model: job.model,
    training: job.training,
    plan: r.data,
  };
  const prepared = new PreparedSearch(problem);
  const pool = opts.executor?.(prepared.space.total);
  const t0 = performance.now();
  try {
    const result = await planTrain(problem, {
      prepared,
      executor: pool,
      onProgress: (p) =>
        p.phase === "bound"
          ? opts.progress?.(p.groupsBounded, p.groups * 2)
          : opts.progress?.(p.groups + Math.round((p.considered / p.total) * p.groups), p.groups * 2),
    });
    return {
      json: planTrainJson({
        name: job.name,
        systemId: job.system.id,
        result,
        wallS: (performance.now() - t0) / 1000,
        threads: pool?.threads ?? 1,
        ...planTrainExtras(job, sc.file, result),
      }),
      training: {
        top: result.top.map((l) => l.training),
        bestByChips: result.bestByChips.map((l) => l.training),
      },
    };
  } finally {
    pool?.close();
  }
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

/**
 * Runs every command the scenario supports. Input errors in one command are recorded in `skipped` (with the
 * CLI's message) and the others still run. Cost: the sum of the commands' costs (seconds for big simulations).
 */
export async function runScenario(
  sc: Scenario,
  file: string,
  log?: (what: string) => void,
  plan?: PlanExecutorFactory,
): Promise<ScenarioResults> {
  const can = scenarioCommands(sc);
  const out: ScenarioResults = {
    name: sc.name,
    file,
    systemName: sc.system.name,
    spec: deriveSpec(sc.system),
    skipped: [],
  };
  const attempt = async (what: string, f: () => void | Promise<void>) => {
    log?.(what);
    try {
      await f();
    } catch (e) {
      if (!(e instanceof ZettasimError)) throw e;
      out.skipped.push(`${what}: ${e.message}`);
    }
  };
  if (can.train)
    await attempt("train", () => {
      out.training = runTraining(sc);
    });
  if (can.plan)
    await attempt("plan train", async () => {
      out.plan = await runPlan(sc, { executor: plan });
    });
  if (can.simulate)
    await attempt("simulate", () => {
      out.simulation = runSimulation(sc);
    });
  if (can.reliability)
    await attempt("reliability", () => {
      out.reliability = runReliability(sc);
    });
  if (can.serve)
    await attempt("serve", () => {
      out.serving = runServing(sc, file);
    });
  return out;
}
