// Entry point of the flow-level simulator: a scenario in, step time, breakdown, tier utilisation, hottest links and a trace out.
import { assertFinite, ZettasimError } from "../core/errors.js";

const MiB = 2 ** 20;

import { EventQueue } from "../engine/queue.js";
import type { Scenario } from "../scenario/load.js";
import type { SimulationConfig } from "../schema/simulation.js";
import { estimateTraining, planTraining } from "../training/index.js";
import { type PhaseRecord, runCollective } from "./collectives/run.js";
import { type SimBreakdown, simulateIteration, type TraceEvent } from "./iteration/iteration.js";
import { makeNetwork } from "./network.js";
import { Fabric } from "./topology/fabric.js";

/** Load on one tier: links touched, bytes carried (symmetric copies counted) and utilisation over the run. */
export interface TierUsage {
  tier: string;
  kind: string;
  linksUsed: number;
  bytesCarried: number;
  /** Mean over the links used of bytes / (capacity x run time). */
  meanUtilisation: number;
  peakUtilisation: number;
}

export interface HotLink {
  link: string;
  tier: string;
  utilisation: number;
  bytesCarried: number;
}

/** Everything `zettasim simulate` reports. Times in s, bytes in bytes; every number finite. */
export interface SimulationResult {
  scenario: string;
  system: string;
  chips: number;
  run: "iteration" | "collective";
  backend: "flow" | "analytical";
  symmetric: boolean;
  /** Iteration: one optimizer step; collective: the collective's completion time. */
  stepTimeS: number;
  /** Iteration: exposed time by cause on the stage that finishes last (they sum to stepTimeS); collective: time per tier and phase. */
  breakdownS: SimBreakdown | Record<string, number>;
  /** Iteration: the pipeline stage that finishes last, whose breakdown is `breakdownS`. */
  slowestStage?: number;
  /**
   * Iteration: the stage with the most compute (the one the analytical model charges: its compute plus
   * the bubble slots at its pace) and its breakdown, s (parts sum to that stage's end time, within
   * the step time). Compare this with `analytical.breakdownS`, like with like.
   */
  busiestStage?: number;
  busiestStageBreakdownS?: SimBreakdown;
  /** Collective runs: what ran. */
  collective?: { op: string; bytesPerRank: number; ranks: number };
  /** The analytical model's figures for the same job (iterations only). */
  analytical?: { stepTimeS: number; breakdownS: Record<string, number>; differencePct: number };
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
  /** Chrome Trace Event timeline; present when asked for. */
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

/**
 * Simulates a scenario: one training iteration (when it has a model and a training section) or one
 * collective (the scenario's, or a 1 GiB all-reduce over every chip for a bare system). Cost: symmetric mode grows with the ranks of one representative group per tier and the
 * pipeline's tasks, not with the chip count. Throws ZettasimError for what the scenario lacks.
 */
export function simulateScenario(sc: Scenario, opts: SimulateOptions = {}): SimulationResult {
  const cfg: SimulationConfig = { ...(sc.file.simulation ?? {}), ...(opts.config ?? {}) };
  const run = cfg.run ?? (sc.model && sc.file.training ? "iteration" : "collective");
  const fabric = new Fabric(sc.system, cfg.routing ?? {});
  const queue = new EventQueue();
  const backend = cfg.backend ?? "flow";
  const net = makeNetwork(backend, fabric, queue);
  const symmetric = cfg.symmetry ?? true;
  let stepTimeS: number;
  let breakdownS: SimBreakdown | Record<string, number>;
  let analytical: SimulationResult["analytical"];
  const phases: (PhaseRecord & { name: string })[] = [];
  let simulated = 1;
  let replayed = 0;
  let trace: TraceEvent[] | undefined;
  let slowestStage: number | undefined;
  let busiestStage: number | undefined;
  let busiestStageBreakdownS: SimBreakdown | undefined;
  let collective: SimulationResult["collective"];

  if (run === "iteration") {
    if (!sc.model || !sc.file.training) {
      throw new ZettasimError([
        {
          path: sc.model ? ["training"] : ["model"],
          message: "simulating an iteration needs a model and a training section",
          expected: 'a `model` and a `training` section, or simulation.run: "collective"',
        },
      ]);
    }
    const plan = planTraining(sc.system, sc.model, sc.file.training);
    const est = estimateTraining(sc.system, sc.model, sc.file.training);
    const r = simulateIteration(net, plan, {
      symmetric,
      algorithm: cfg.algorithm,
      replay: cfg.replay ?? true,
      traceStages: opts.trace ? (cfg.traceStages ?? 16) : 0,
      onProgress: opts.onProgress,
    });
    stepTimeS = r.stepTimeS;
    breakdownS = r.breakdownS;
    slowestStage = r.slowestStage;
    busiestStage = r.busiestStage;
    busiestStageBreakdownS = r.stageBreakdownS[r.busiestStage];
    simulated = r.collectivesSimulated;
    replayed = r.collectivesReplayed;
    for (const [name, ph] of r.phases) for (const p of ph) phases.push({ name, ...p });
    analytical = {
      stepTimeS: est.stepTimeS,
      breakdownS: { ...est.breakdownS },
      differencePct: (100 * (r.stepTimeS - est.stepTimeS)) / est.stepTimeS,
    };
    if (opts.trace) trace = r.trace;
  } else {
    // A bare system (no model, no simulation section) gets a 1 GiB all-reduce over every chip.
    const c =
      cfg.collective ?? (cfg.run === undefined ? { op: "all-reduce" as const, sizeMiB: 1024 } : undefined);
    if (!c) {
      throw new ZettasimError([
        {
          path: ["simulation", "collective"],
          message: "a collective run needs the collective to run",
          expected: "{ op: all-reduce, sizeMiB: 1024 } or a model and training section",
        },
      ]);
    }
    const n = c.ranks ?? sc.system.chips;
    if (n > sc.system.chips) {
      throw new ZettasimError([
        {
          path: ["simulation", "collective", "ranks"],
          message: "more ranks than the system has chips",
          value: n,
          expected: `at most ${sc.system.chips}`,
        },
      ]);
    }
    if (c.op === "send-recv" && n !== 2) {
      throw new ZettasimError([
        {
          path: ["simulation", "collective", "ranks"],
          message: "send-recv takes two ranks",
          value: n,
          expected: "2",
        },
      ]);
    }
    const ranks = c.op === "send-recv" ? [0, sc.system.chips - 1] : Array.from({ length: n }, (_, i) => i);
    collective = { op: c.op, bytesPerRank: c.sizeMiB * MiB, ranks: ranks.length };
    let end = -1;
    runCollective(
      net,
      { op: c.op, ranks, bytes: c.sizeMiB * MiB, algorithm: cfg.algorithm, symmetric, tag: 1 },
      (ph) => {
        end = queue.now;
        for (const p of ph) phases.push({ name: c.op, ...p });
      },
    );
    queue.run(Number.POSITIVE_INFINITY, opts.onProgress);
    stepTimeS = Math.max(0, end);
    if (opts.trace) {
      trace = phases.map((p) => ({
        name: `${p.op} over ${p.ranks} ranks (${p.algorithm})`,
        cat: `tier ${p.tier}`,
        ph: "X" as const,
        ts: p.startS * 1e6,
        dur: (p.endS - p.startS) * 1e6,
        pid: 0,
        tid: p.tier,
      }));
    }
    breakdownS = {};
    for (const p of phases) {
      const k = `tier${p.tier}${cap(p.op)}S`;
      breakdownS[k] = (breakdownS[k] ?? 0) + (p.endS - p.startS);
    }
  }

  const st = net.stats();
  const T = stepTimeS > 0 ? stepTimeS : 1;
  const perTier = sc.system.tiers.map((t, i) => ({
    tier: t.name,
    kind: t.topology.kind,
    linksUsed: 0,
    bytesCarried: 0,
    sumU: 0,
    peakUtilisation: 0,
    index: i,
  }));
  const hot: HotLink[] = [];
  const keep = cfg.hottestLinks ?? 5;
  const ranked = st.links
    .map((l) => ({ l, u: l.bytes / (l.capacityBytesPerS * T) }))
    .sort((a, b) => b.u - a.u || a.l.id - b.l.id);
  for (const { l, u } of ranked) {
    const info = fabric.link(l.id);
    const pt = perTier[info.tier];
    pt.linksUsed++;
    pt.bytesCarried += l.bytes;
    pt.sumU += u;
    pt.peakUtilisation = Math.max(pt.peakUtilisation, u);
    if (hot.length < keep)
      hot.push({ link: info.name, tier: pt.tier, utilisation: u, bytesCarried: l.bytes });
  }
  const tiers: TierUsage[] = perTier.map((p) => ({
    tier: p.tier,
    kind: p.kind,
    linksUsed: p.linksUsed,
    bytesCarried: p.bytesCarried,
    meanUtilisation: p.linksUsed > 0 ? p.sumU / p.linksUsed : 0,
    peakUtilisation: p.peakUtilisation,
  }));
  const result: SimulationResult = {
    scenario: sc.name,
    system: sc.system.id,
    chips: sc.system.chips,
    run,
    backend,
    symmetric,
    stepTimeS,
    breakdownS,
    slowestStage,
    busiestStage,
    busiestStageBreakdownS,
    collective,
    analytical,
    tiers,
    hottestLinks: hot,
    phases,
    stats: {
      events: queue.processed,
      messages: st.messages,
      settles: st.settles,
      flowUpdates: st.flowUpdates,
      collectivesSimulated: simulated,
      collectivesReplayed: replayed,
    },
  };
  assertFinite({ ...result, trace: undefined }, "flow simulation");
  if (trace) result.trace = trace;
  return result;
}

const cap = (s: string) =>
  s
    .split("-")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");

/** A Chrome Trace Event JSON document (open in Perfetto or chrome://tracing). */
export function chromeTrace(result: SimulationResult): object {
  const meta = [];
  if (result.run === "collective") {
    meta.push({
      name: "process_name",
      ph: "M",
      pid: 0,
      tid: 0,
      args: { name: `${result.system} collective` },
    });
    for (const tid of new Set((result.trace ?? []).map((e) => e.tid)))
      meta.push({ name: "thread_name", ph: "M", pid: 0, tid, args: { name: `tier ${tid}` } });
  }
  const pids =
    result.run === "iteration" ? new Set((result.trace ?? []).map((e) => e.pid)) : new Set<number>();
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
  return {
    traceEvents: [...meta, ...(result.trace ?? [])],
    displayTimeUnit: "ms",
    otherData: { scenario: result.scenario, system: result.system, stepTimeS: result.stepTimeS },
  };
}
