// Entry point of the flow-level simulator: a scenario in, step time, breakdown, tier utilisation, hottest links and a trace out.
import { assertFinite, requireArgument, SCENARIO_ARG, SCENARIO_KEYS, ZettasimError } from "../core/errors.js";
import { EventQueue } from "../engine/queue.js";
import type { Scenario } from "../scenario/load.js";
import type { SimulationConfig } from "../schema/simulation.js";
import {
  estimateTraining,
  planTraining,
  segmentPlacement,
  type TrainingEstimate,
  type TrainingPlan,
} from "../training/index.js";
import { type CollectiveOutcome, runCollectives } from "./collective-run.js";
import type { AlgorithmSpec, PhaseRecord } from "./collectives/run.js";
import { refuseBeyondLimits } from "./estimate.js";
import { type Fault, resolveFaults, scheduleFaults } from "./faults.js";
import { type SimBreakdown, simulateIteration, type TraceEvent } from "./iteration/iteration.js";
import { makeNetwork, type Network } from "./network.js";
import { COUNTER_PID, counterEvents, type HotLink, linkUsage, type TierUsage } from "./report.js";
import { Fabric } from "./topology/fabric.js";

export type { HotLink, TierUsage } from "./report.js";

/** Everything `zettasim simulate` reports. Times in s, bytes in bytes; every number finite. */
export interface SimulationResult {
  scenario: string;
  system: string;
  chips: number;
  run: "iteration" | "collective";
  backend: "flow" | "analytical";
  symmetric: boolean;
  /** Iteration: one optimizer step; collective: the collectives' completion time. */
  stepTimeS: number;
  /** Iteration: exposed time by cause on the stage that finishes last (they sum to stepTimeS); collective: time per tier and phase. */
  breakdownS: SimBreakdown | Record<string, number>;
  /** Iteration: the chips the training job runs on (the system's, or fewer when training.chips says so). */
  jobChips?: number;
  /** Iteration: the pipeline stage that finishes last, whose breakdown is `breakdownS`. */
  slowestStage?: number;
  /**
   * Iteration: the stage with the most compute (the one the analytical model charges: its compute plus
   * the bubble slots at its pace) and its breakdown, s (parts sum to that stage's end time, within
   * the step time). Compare this with `analytical.breakdownS`, like with like.
   */
  busiestStage?: number;
  busiestStageBreakdownS?: SimBreakdown;
  /** Collective runs: the first (or only) collective. */
  collective?: { op: string; bytesPerRank: number; ranks: number };
  /** Collective runs: every collective that ran, with its own time. */
  collectives?: CollectiveOutcome[];
  /** Iterations: the layout simulated, what it assumed (number format, recompute, sharding) and what it changed. */
  layout?: Pick<TrainingEstimate, "degrees" | "schedule" | "microBatches" | "assumed" | "adjustments">;
  /** The analytical model's figures for the same job (iterations only). */
  analytical?: { stepTimeS: number; breakdownS: Record<string, number>; differencePct: number };
  /** Link faults applied during the run. */
  faults?: Omit<Fault, "id">[];
  /** Chips that arrived late at the collectives they take part in (collective runs). */
  stragglers?: { chip: number; delayS: number }[];
  tiers: TierUsage[];
  hottestLinks: HotLink[];
  phases: (PhaseRecord & { name: string })[];
  stats: {
    events: number;
    messages: number;
    settles: number;
    flowUpdates: number;
    collectivesSimulated: number;
    collectivesReplayed: number;
  };
  /** Chrome Trace Event timeline (phases or stages, and per-tier utilisation counters); present when asked for. */
  trace?: TraceEvent[];
}

export interface SimulateOptions {
  /** Overrides of the scenario's simulation section. */
  config?: SimulationConfig;
  /** Keep trace events. */
  trace?: boolean;
  /** Called now and then with simulated time, s. */
  onProgress?: (simTimeS: number) => void;
}

/** What one kind of run produced, before link usage is added. */
type RunPart = Pick<
  SimulationResult,
  | "stepTimeS"
  | "breakdownS"
  | "jobChips"
  | "slowestStage"
  | "busiestStage"
  | "busiestStageBreakdownS"
  | "collective"
  | "collectives"
  | "layout"
  | "analytical"
  | "phases"
  | "trace"
> & { simulated: number; replayed: number };

const cap = (s: string) =>
  s
    .split("-")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");

/** The training plan an iteration run simulates and `train`'s closed form of it; refused without a model and a training section. */
function iterationRun(sc: Scenario): IterationRun {
  if (!sc.model || !sc.file.training) {
    throw new ZettasimError([
      {
        path: sc.model ? ["training"] : ["model"],
        message: "simulating an iteration needs a model and a training section",
        expected: 'a `model` and a `training` section, or simulation.run: "collective"',
      },
    ]);
  }
  return {
    plan: planTraining(sc.system, sc.model, sc.file.training),
    est: estimateTraining(sc.system, sc.model, sc.file.training),
  };
}

interface IterationRun {
  plan: TrainingPlan;
  est: TrainingEstimate;
}

/** One training iteration of the scenario, beside `train`'s closed form. */
function iterationPart(
  { plan, est }: IterationRun,
  net: Network,
  cfg: SimulationConfig,
  opts: SimulateOptions,
): RunPart {
  const r = simulateIteration(net, plan, {
    symmetric: cfg.symmetry ?? true,
    algorithm: cfg.algorithm as AlgorithmSpec | undefined,
    chunks: cfg.chunks,
    replay: cfg.replay ?? true,
    traceStages: opts.trace ? (cfg.traceStages ?? 16) : 0,
    onProgress: opts.onProgress,
  });
  const phases: (PhaseRecord & { name: string })[] = [];
  for (const [name, ph] of r.phases) for (const p of ph) phases.push({ name, ...p });
  return {
    stepTimeS: r.stepTimeS,
    breakdownS: r.breakdownS,
    jobChips: plan.chips,
    slowestStage: r.slowestStage,
    busiestStage: r.busiestStage,
    busiestStageBreakdownS: r.stageBreakdownS[r.busiestStage],
    layout: {
      degrees: est.degrees,
      schedule: est.schedule,
      microBatches: est.microBatches,
      assumed: est.assumed,
      adjustments: est.adjustments,
    },
    analytical: {
      stepTimeS: est.stepTimeS,
      breakdownS: { ...est.breakdownS },
      differencePct: (100 * (r.stepTimeS - est.stepTimeS)) / est.stepTimeS,
    },
    phases,
    trace: opts.trace ? r.trace : undefined,
    simulated: r.collectivesSimulated,
    replayed: r.collectivesReplayed,
  };
}

/** The scenario's collective(s): time per tier and phase, and the phases as trace events. */
function collectivePart(net: Network, cfg: SimulationConfig, opts: SimulateOptions): RunPart {
  const r = runCollectives(net, cfg, cfg.symmetry ?? true, opts.onProgress);
  const breakdownS: Record<string, number> = {};
  const several = r.outcomes.length > 1;
  for (const p of r.phases) {
    const job = several ? `${p.name.replace(/^.*\(job (\d+)\)$/, "job$1")}` : "";
    const k = `${job}tier${p.tier}${cap(p.op)}S`;
    breakdownS[k] = (breakdownS[k] ?? 0) + (p.endS - p.startS);
  }
  const first = r.outcomes[0];
  return {
    stepTimeS: r.endS,
    breakdownS,
    collective: { op: first.op, bytesPerRank: first.bytesPerRank, ranks: first.ranks },
    collectives: several ? r.outcomes : undefined,
    phases: r.phases,
    trace: opts.trace
      ? r.phases.map((p) => ({
          name: `${p.name}: ${p.op} over ${p.ranks} ranks (${p.algorithm})`,
          cat: `tier ${p.tier}`,
          ph: "X" as const,
          ts: p.startS * 1e6,
          dur: (p.endS - p.startS) * 1e6,
          pid: 0,
          tid: p.tier,
        }))
      : undefined,
    simulated: r.outcomes.length,
    replayed: 0,
  };
}

/**
 * Refuses a per-tier algorithm choice naming a tier the system lacks (a misspelt tier would otherwise fall
 * back to `*` or auto without a word). Cost O(keys x tiers).
 */
function checkAlgorithmTiers(spec: SimulationConfig["algorithm"], tiers: readonly string[]): void {
  if (spec === undefined || typeof spec === "string") return;
  for (const key of Object.keys(spec)) {
    if (key !== "*" && !tiers.includes(key))
      throw new ZettasimError([
        {
          path: ["simulation", "algorithm", key],
          message: "no tier of this name in the system",
          value: key,
          expected: `one of the system's tiers (${tiers.join(", ")}) or * for the others`,
        },
      ]);
  }
}

/**
 * Simulates a scenario: one training iteration (when it has a model and a training section) or its
 * collectives (the scenario's, or a 1 GiB all-reduce over every chip for a bare system). Refuses runs
 * past the documented limits before starting (see estimateSimulation). Cost: symmetric mode grows with
 * the ranks of one representative group per tier and the pipeline's tasks, not with the chip count.
 * Throws ZettasimError for what the scenario lacks.
 */
export function simulateScenario(sc: Scenario, opts: SimulateOptions = {}): SimulationResult {
  requireArgument(sc, "scenario", "object", SCENARIO_ARG, SCENARIO_KEYS);
  const cfg: SimulationConfig = { ...(sc.file.simulation ?? {}), ...(opts.config ?? {}) };
  checkAlgorithmTiers(
    cfg.algorithm,
    sc.system.tiers.map((t) => t.name),
  );
  const run = cfg.run ?? (sc.model && sc.file.training ? "iteration" : "collective");
  if (run === "iteration" && cfg.stragglers?.length)
    throw new ZettasimError([
      {
        path: ["simulation", "stragglers"],
        message:
          "stragglers apply to collective runs: an iteration simulates one rank per pipeline stage, with no per-rank compute to slow down",
        value: cfg.stragglers.length,
        expected: 'no stragglers, or simulation.run: "collective"',
      },
    ]);
  // An iteration's ranks sit where the launcher puts them: each parallel group inside the domain its span fits.
  const it = run === "iteration" ? iterationRun(sc) : undefined;
  const placed = it ? segmentPlacement(sc.system, it.plan.degrees) : sc.system;
  const fabric = new Fabric(placed, cfg.routing ?? {});
  refuseBeyondLimits(sc, cfg, fabric);
  const faults = resolveFaults(fabric, cfg);
  const queue = new EventQueue();
  const backend = cfg.backend ?? "flow";
  const net = makeNetwork(backend, fabric, queue, { tierSamples: opts.trace === true });
  scheduleFaults(net, faults);
  const part = it ? iterationPart(it, net, cfg, opts) : collectivePart(net, cfg, opts);
  const st = net.stats();
  const { simulated, replayed, trace, ...rest } = part;
  const result: SimulationResult = {
    scenario: sc.name,
    system: sc.system.id,
    chips: sc.system.chips,
    run,
    backend,
    symmetric: cfg.symmetry ?? true,
    ...rest,
    faults: faults.length > 0 ? faults.map(({ id: _id, ...f }) => f) : undefined,
    stragglers: cfg.stragglers?.length ? cfg.stragglers.map((x) => ({ ...x })) : undefined,
    ...linkUsage(fabric, st, part.stepTimeS, cfg.hottestLinks ?? 5),
    stats: {
      events: queue.processed,
      messages: st.messages,
      settles: st.settles,
      flowUpdates: st.flowUpdates,
      collectivesSimulated: simulated,
      collectivesReplayed: replayed,
    },
  };
  assertFinite(result, "flow simulation");
  if (trace) result.trace = [...trace, ...counterEvents(fabric, net.tierSamples(), part.stepTimeS)];
  return result;
}

/** A Chrome Trace Event JSON document (open in Perfetto or chrome://tracing). */
export function chromeTrace(result: SimulationResult): object {
  requireArgument(result, "result", "object", "a SimulationResult from simulateScenario", [
    "run",
    "chips",
    "stepTimeS",
  ]);
  const meta = [];
  const events = result.trace ?? [];
  if (result.run === "collective") {
    meta.push({
      name: "process_name",
      ph: "M",
      pid: 0,
      tid: 0,
      args: { name: `${result.system} collective` },
    });
    for (const tid of new Set(events.filter((e) => e.pid === 0).map((e) => e.tid)))
      meta.push({ name: "thread_name", ph: "M", pid: 0, tid, args: { name: `tier ${tid}` } });
  }
  const pids =
    result.run === "iteration"
      ? new Set(events.filter((e) => e.ph === "X").map((e) => e.pid))
      : new Set<number>();
  for (const pid of pids) {
    meta.push({
      name: "process_name",
      ph: "M",
      pid,
      tid: 0,
      args: { name: `stage ${pid} (representative rank)` },
    });
    meta.push({ name: "thread_name", ph: "M", pid, tid: 0, args: { name: "compute" } });
    meta.push({ name: "thread_name", ph: "M", pid, tid: 1, args: { name: "communication" } });
  }
  if (events.some((e) => e.ph === "C"))
    meta.push({
      name: "process_name",
      ph: "M",
      pid: COUNTER_PID,
      tid: 0,
      args: { name: "link utilisation per tier" },
    });
  return {
    traceEvents: [...meta, ...events],
    displayTimeUnit: "ms",
    otherData: { scenario: result.scenario, system: result.system, stepTimeS: result.stepTimeS },
  };
}
