// Up-front estimate of a flow simulation's events, wall time and memory from the scenario alone, and the limits past which it is refused.
import { ZettasimError } from "../core/errors.js";
import { fmtInt } from "../core/units.js";
import type { Scenario } from "../scenario/load.js";
import type { SimulationConfig } from "../schema/simulation.js";
import { planTraining } from "../training/index.js";
import type { CommOp } from "../training/types.js";
import { collectivesOf, ranksOf, stragglersOn } from "./collective-run.js";
import { chooseAlgorithm, stepAnalysis } from "./collectives/choose.js";
import { modeOf } from "./collectives/phase.js";
import { type AlgorithmSpec, type CollectiveRequest, planCollective } from "./collectives/run.js";
import { type PhaseFlows, stepVisits } from "./collectives/symmetry.js";
import type { CollectiveAlgorithm, CollectiveOp } from "./collectives/types.js";
import { opField, StageGroups } from "./iteration/comm.js";
import { Fabric } from "./topology/fabric.js";

/**
 * Events per simulated message: its delivery, and its share of the settles and finish timers (flows that
 * end together share one). Measured 1.0-1.1 on the examples with and without symmetry (the estimate's
 * message counts run high, so this errs high too).
 */
const EVENTS_PER_MESSAGE = 1.5;
/**
 * CPU seconds per simulated message, measured with every rank simulated on the shared development
 * machine: 3.5 us on a 256-NPU ring (each message alone on its link), 14-18 us where messages share
 * ports (direct on a 256-NPU switch, the ASTRA-sim 1D switch and 3D networks, the Clos example;
 * 30,000-690,000 messages), 56 us for UB-Mesh's all-path messages (six sub-flows each). The middle of
 * the range, rounded up.
 */
export const SECONDS_PER_MESSAGE = 2e-5;
/**
 * CPU seconds per extra flow update: where hashing or adaptive routing makes a phase's flows end one by
 * one, each end re-settles every flow still sharing links with it (a 128-chip all-reduce over an ECMP
 * fat tree: 3,840 messages, about 7 million flow updates, 2 s).
 */
const SECONDS_PER_FLOW_UPDATE = 3e-7;
/**
 * Heap per flow in flight (sub-flow arrays, link sets, the message, its paths and callbacks, garbage not
 * yet collected), bytes: 800 MiB over 261,632 flows measured (a direct all-reduce on a 512-NPU switch,
 * every rank simulated).
 */
const BYTES_PER_FLOW = 3000;
/** Events per pipeline task of an iteration (its compute, its ops' sequencing, the send to the next stage, the wait): 4-6 measured on the examples. */
const EVENTS_PER_TASK = 5;
/**
 * CPU seconds per pipeline task of an iteration (its events and the replay of its collectives): 2.05 us per event,
 * about 4 events per task, measured on `examples/ub-mesh-vs-clos-clos.yaml` with the global batch raised from
 * 2^20 to 2^22 sequences (2.1 M to 8.3 M events, 6.7 to 19.4 s of CPU; 2026-12-01), rounded up.
 */
const SECONDS_PER_TASK = 1e-5;
/** Heap per cached route (at most 2^20 pairs are cached), bytes. */
const BYTES_PER_ROUTE = 200;
/** Fixed heap of a run (fabric, queue, code), bytes. */
const BASE_BYTES = 64 * 2 ** 20;
const MiB = 2 ** 20;

/** Runs estimated to take longer than this are refused, s (half an hour). */
export const MAX_WALL_S = 1800;
/** Runs estimated to need more heap than this are refused, bytes (8 GiB). */
export const MAX_MEMORY_BYTES = 8 * 2 ** 30;
/** Runs estimated to take longer than this are announced before they start, s. */
export const ANNOUNCE_WALL_S = 3;

/** What a run will cost before it starts. */
export interface SimulationEstimate {
  /** Messages the run will simulate (representatives count once), approximate. */
  messages: number;
  /** Events, approximate: about one per message. */
  events: number;
  /** Flows in flight at the busiest moment. */
  peakFlows: number;
  /** Peak heap, bytes. */
  memoryBytes: number;
  /** Wall time on one idle core, s: messages at SECONDS_PER_MESSAGE plus flow updates where flows end one by one. */
  wallS: number;
  /** Why it costs what it does, in words (the largest phase simulated rank by rank, say). */
  notes: string[];
  /** The field that sets the size of the costliest phase (a parallel degree, a collective's ranks). */
  worstPath: (string | number)[];
}

/** What part of a run costs: messages, extra flow updates, flows in flight at once, and the costliest phase in words. */
export interface Cost {
  messages: number;
  updates: number;
  peakFlows: number;
  /** Wall seconds of the costliest phase, and what it is. */
  worstS: number;
  worst: string;
}

/** Wall time of messages and extra flow updates, s. */
const secondsOf = (messages: number, updates: number) =>
  messages * SECONDS_PER_MESSAGE + updates * SECONDS_PER_FLOW_UPDATE;

/** Most link visits the estimate spends on one step's full analysis (about 50 ms); past it a step counts as not uniform. */
const ESTIMATE_ANALYSIS_VISITS = 2_000_000;

/**
 * Whether every step of an algorithm on a phase's flows is uniform, so one representative rank stands
 * for the rest, as the run decides it: the costing analysis the chooser made (cached) when it was exact,
 * else the run's full analysis (cached per fabric, so a run handed the estimate's fabric does not repeat
 * it) up to ESTIMATE_ANALYSIS_VISITS; a larger step counts as not uniform (every rank: the estimate errs
 * high). Cost: at most ESTIMATE_ANALYSIS_VISITS link visits per distinct step.
 */
function uniformSteps(
  fabric: Fabric,
  alg: CollectiveAlgorithm,
  op: CollectiveOp,
  flows: PhaseFlows,
  bytes: number,
): boolean {
  const n = flows.groups[0].length;
  return (alg.steps?.(op, n, bytes) ?? []).every((r) => {
    const cost = stepAnalysis(fabric, flows, r.pattern, "cost");
    if (!cost.estimated) return cost.uniform;
    if (stepVisits(fabric, flows, r.pattern) > ESTIMATE_ANALYSIS_VISITS) return false;
    return stepAnalysis(fabric, flows, r.pattern).uniform;
  });
}

/**
 * One collective's messages, flow updates and peak flows: the phases the run will plan (planCollective),
 * each running the algorithm the run will choose (chooseAlgorithm on the same representative), counted
 * by the messages that algorithm declares (its MessageShape) over the ranks the run simulates: one
 * representative rank when the algorithm reduces by symmetry and its steps are uniform; the
 * representative's whole group otherwise (a double binary tree runs every rank of it); every group of the
 * tier group when the others are not the representative's copies (a torus or mesh, paths hashed or
 * adaptive); every rank of every group (`everyRank` ranks) with symmetry off. A straggler's first phase
 * adds every rank of the tier groups holding one (see runWithStragglers). Hashed or adaptive paths make
 * flows end one by one, each end re-settling the flows in flight. Cost: the chooser's costings (cached
 * analyses) per phase.
 */
export function collectiveCost(
  fabric: Fabric,
  req: CollectiveRequest,
  everyRank: number,
  late: readonly number[] = [],
): Cost {
  const cost: Cost = { messages: 0, updates: 0, peakFlows: 0, worstS: -1, worst: "" };
  if (req.ranks.length <= 1) return cost;
  const chunks = Math.max(1, Math.floor(req.chunks ?? 1));
  const alone = chunks === 1 && late.length === 0 && req.allGroups === undefined;
  planCollective(fabric, req).forEach(({ spec, bytesFactor }, k) => {
    const n = spec.rep.length;
    if (n <= 1) return;
    const bytes = (req.bytes * bytesFactor) / chunks;
    const flows: PhaseFlows = { groups: [spec.rep], copiesAt: spec.copiesAt, salt: spec.tag };
    const { alg } = chooseAlgorithm(fabric, spec.op, flows, bytes, spec.asked, spec.askedPath);
    const shape = alg.shape(spec.op, n, bytes * spec.repeat);
    const net = fabric.tiers[spec.tier];
    const G = fabric.groupSize[spec.tier];
    let ranks = everyRank;
    let how = `every rank of ${fmtInt(everyRank)}`;
    let lockstep = false;
    if (req.symmetric) {
      const mode = modeOf(fabric, spec);
      lockstep = alg.reducesBySymmetry && uniformSteps(fabric, alg, spec.op, mode.flows, bytes);
      ranks = lockstep ? 1 : mode.flows.groups.reduce((a, g) => a + g.length, 0);
      how = lockstep
        ? "one representative rank"
        : mode.simulated === "representative"
          ? `every rank of one group of ${fmtInt(n)}`
          : `every rank of ${fmtInt(ranks)} in the tier group (others share its links)`;
    }
    const hit = req.symmetric && k === 0 ? new Set(late.map((c) => Math.floor(c / G))).size : 0;
    ranks += hit * Math.min(req.ranks.length, G);
    // A lone representative on an idle network adds identical repeats of a step by arithmetic.
    const steps = lockstep && alone ? shape.distinctSteps : shape.steps;
    const m = (chunks * steps * shape.messagesPerStep * ranks) / n;
    const flowsInFlight = (shape.messagesPerStep * ranks) / n;
    const u = !net.positionInvariant || net.choosesRoute ? m * flowsInFlight : 0;
    cost.messages += m;
    cost.updates += u;
    cost.peakFlows = Math.max(cost.peakFlows, flowsInFlight);
    if (secondsOf(m, u) > cost.worstS) {
      cost.worstS = secondsOf(m, u);
      cost.worst = `${spec.op} over ${fmtInt(n)} ranks at ${fabric.system.tiers[spec.tier].name} by ${alg.id}, ${how}: ${fmtInt(Math.round(m))} messages`;
    }
  });
  return cost;
}

/** The iteration's collectives: each op once per stage (replayed after) or every occurrence, as the plan lays them out. */
function iterationCost(
  sc: Scenario,
  fabric: Fabric,
  cfg: SimulationConfig,
): Cost & { tasks: number; notes: string[]; worstPath: (string | number)[] } {
  const plan = planTraining(sc.system, sc.model!, sc.file.training!);
  const P = plan.degrees.pp;
  const symmetric = cfg.symmetry ?? true;
  const replay = cfg.replay ?? true;
  const total: Cost = { messages: 0, updates: 0, peakFlows: 0, worstS: -1, worst: "" };
  let worstPath: (string | number)[] = ["training"];
  const perStage = plan.chips / P;
  const groups = new StageGroups(fabric, plan);
  const times = (op: CommOp) =>
    replay ? 1 : op.per === "step" ? 1 : plan.microBatches * Math.max(1, plan.degrees.vpp);
  for (const op of plan.comm) {
    const req: CollectiveRequest = {
      ...groups.request(0, op),
      algorithm: cfg.algorithm as AlgorithmSpec | undefined,
      symmetric,
      chunks: cfg.chunks,
      tag: 1,
    };
    // Every group of the stage, every rank: pairs for pipeline and ring sends, else the stage's ranks.
    const everyRank = req.ranks.length === 2 && op.collective === "send-recv" ? 2 * perStage : perStage;
    const c = collectiveCost(fabric, req, everyRank);
    // Replayed, an op runs once for the stages whose groups sit alike (the first and last often differ).
    const k = (replay ? Math.min(P, 2) : P) * times(op);
    total.messages += k * c.messages;
    total.updates += k * c.updates;
    total.peakFlows = Math.max(total.peakFlows, c.peakFlows);
    if (k * c.worstS > total.worstS) {
      total.worstS = k * c.worstS;
      total.worst = `${op.name}: ${c.worst}`;
      worstPath = opField(op);
    }
  }
  const notes = [
    `${P} stages x ${plan.comm.length} ops, ${replay ? "repeats replayed" : "every repeat simulated"}`,
  ];
  if (total.worst) notes.push(`costliest: ${total.worst}`);
  // Forward and backward tasks of every micro-batch and model chunk on every stage.
  const tasks = 2 * P * plan.microBatches * Math.max(1, plan.degrees.vpp);
  // Tasks costlier than every message: the batch (micro-batches per step) is what to change.
  if (tasks * SECONDS_PER_TASK > secondsOf(total.messages, total.updates)) {
    worstPath = ["training", "globalBatchSize"];
    notes.push(`${fmtInt(tasks)} pipeline tasks (forward and backward of every micro-batch on every stage)`);
  }
  return { ...total, tasks, notes, worstPath };
}

/**
 * Estimates a simulation's messages, events, peak flows, memory and wall time from the scenario and the
 * training plan alone: phases by the algorithm they will likely run, representatives counting once in
 * symmetric mode and every rank otherwise. An estimate, good to about an order of magnitude; cheap
 * (no simulation, no routes; the fabric's templates only): O(tiers x ops).
 */
export function estimateSimulation(
  sc: Scenario,
  cfg: SimulationConfig,
  fabric = new Fabric(sc.system, cfg.routing ?? {}),
): SimulationEstimate {
  const run = cfg.run ?? (sc.model && sc.file.training ? "iteration" : "collective");
  let total: Cost = { messages: 0, updates: 0, peakFlows: 0, worstS: -1, worst: "" };
  let tasks = 0;
  let worstPath: (string | number)[] = ["simulation"];
  const notes: string[] = [];
  if (run === "iteration" && sc.model && sc.file.training) {
    const c = iterationCost(sc, fabric, cfg);
    total = c;
    tasks = c.tasks;
    worstPath = c.worstPath;
    notes.push(...c.notes);
  } else if (run === "collective") {
    const { list, path } = collectivesOf(cfg);
    const several = list.length > 1;
    for (const [i, c] of list.entries()) {
      const at = several ? [...path, i] : path;
      const ranks = ranksOf(c, sc.system.chips, at);
      const late = [...(stragglersOn(cfg, ranks, sc.system.chips)?.keys() ?? [])];
      const req: CollectiveRequest = {
        op: c.op,
        ranks,
        bytes: c.sizeMiB * MiB,
        algorithm: cfg.algorithm as AlgorithmSpec | undefined,
        symmetric: (cfg.symmetry ?? true) && !several,
        chunks: cfg.chunks,
        tag: i + 1,
      };
      const k = collectiveCost(fabric, req, ranks.length, late);
      total.messages += k.messages;
      total.updates += k.updates;
      // Jobs side by side: their flows are in flight together.
      total.peakFlows += k.peakFlows;
      if (k.worst) notes.push(`costliest${several ? ` of job ${i}` : ""}: ${k.worst}`);
      if (k.worstS > total.worstS) {
        total.worstS = k.worstS;
        worstPath = [...at, "ranks"];
      }
    }
  }
  const { messages, updates, peakFlows } = total;
  const events = Math.ceil(messages * EVENTS_PER_MESSAGE + tasks * EVENTS_PER_TASK);
  const memoryBytes = BASE_BYTES + peakFlows * BYTES_PER_FLOW + Math.min(messages, 2 ** 20) * BYTES_PER_ROUTE;
  return {
    messages,
    events,
    peakFlows,
    memoryBytes,
    wallS: secondsOf(messages, updates) + tasks * SECONDS_PER_TASK,
    notes,
    worstPath,
  };
}

/** Whether an estimate is within the documented limits. */
const withinLimits = (e: SimulationEstimate) => e.wallS <= MAX_WALL_S && e.memoryBytes <= MAX_MEMORY_BYTES;

/**
 * The setting to change for a run past the limits: the first of symmetry off, replay off, a flat
 * algorithm, chunks and hashed or adaptive routing whose default alone brings the run within them, else
 * the field that sizes the costliest phase. Cost: up to six more estimates.
 */
function fixFor(
  sc: Scenario,
  cfg: SimulationConfig,
  e: SimulationEstimate,
  fabric: Fabric,
): { path: (string | number)[]; expected: string } {
  const flat =
    typeof cfg.algorithm === "string" && cfg.algorithm !== "auto" && cfg.algorithm !== "hierarchical";
  const hashed = Object.values(cfg.routing ?? {}).some((r) => r === "ecmp" || r === "adaptive");
  const tries: [boolean, keyof SimulationConfig, SimulationConfig, string][] = [
    [cfg.symmetry === false, "symmetry", { symmetry: true }, "symmetry on (the default)"],
    [cfg.replay === false, "replay", { replay: true }, "replay on (the default)"],
    [
      flat,
      "algorithm",
      { algorithm: "auto" },
      "auto or hierarchical (a flat algorithm over many ranks is brute force)",
    ],
    [(cfg.chunks ?? 1) > 1, "chunks", { chunks: 1 }, "fewer chunks"],
    [
      (cfg.stragglers?.length ?? 0) > 0,
      "stragglers",
      { stragglers: [] },
      "no stragglers (a straggler's first phase runs every rank of its tier group)",
    ],
    [
      hashed,
      "routing",
      { routing: {} },
      "spray, the default (with ECMP or adaptive paths no representative stands for the other ranks: every rank of a tier group runs)",
    ],
  ];
  for (const [set, field, fix, expected] of tries)
    if (set && withinLimits(estimateSimulation(sc, { ...cfg, ...fix }, fix.routing ? undefined : fabric)))
      return { path: ["simulation", field], expected };
  const others = tries.filter((t) => t[0]).map((t) => `${t[1]}: ${t[3]}`);
  return {
    path: e.worstPath,
    expected: `a smaller value or fewer chips${others.length ? `, and ${others.join("; ")}` : ""}`,
  };
}

/**
 * Throws a ZettasimError when the run's estimate is past the documented limits, naming the setting to
 * change (see fixFor). Pass the run's fabric so the algorithm choices analysed here serve the run (the
 * analyses are cached per fabric). Cost: one estimate, up to six more when refusing.
 */
export function refuseBeyondLimits(
  sc: Scenario,
  cfg: SimulationConfig,
  fabric = new Fabric(sc.system, cfg.routing ?? {}),
  e: SimulationEstimate = estimateSimulation(sc, cfg, fabric),
): void {
  if (withinLimits(e)) return;
  const fix = fixFor(sc, cfg, e, fabric);
  const minutes =
    e.wallS / 60 >= 1 ? `${fmtInt(Math.round(e.wallS / 60))} minutes` : `${Math.ceil(e.wallS)} s`;
  const gib = e.memoryBytes / 2 ** 30;
  throw new ZettasimError([
    {
      path: fix.path,
      message: `this simulation would take about ${minutes} (${e.events.toExponential(1)} events) and need about ${gib >= 1 ? gib.toFixed(0) : gib.toFixed(1)} GiB; the limit is ${MAX_WALL_S / 60} minutes and ${MAX_MEMORY_BYTES / 2 ** 30} GiB (${e.notes.join("; ")})`,
      expected: fix.expected,
    },
  ]);
}
