// Up-front estimate of a flow simulation's events, wall time and memory from the scenario alone, and the limits past which it is refused.
import { ZettasimError } from "../core/errors.js";
import { fmtInt } from "../core/units.js";
import type { Scenario } from "../scenario/load.js";
import type { SimulationConfig } from "../schema/simulation.js";
import { planTraining } from "../training/index.js";
import type { CommOp } from "../training/types.js";
import { collectivesOf, ranksOf, stragglersOn } from "./collective-run.js";
import { checkEven, levelsOf } from "./collectives/run.js";
import type { CollectiveOp } from "./collectives/types.js";
import { opField, opStride } from "./iteration/comm.js";
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
/** Heap per cached route (at most 2^20 pairs are cached), bytes. */
const BYTES_PER_ROUTE = 200;
/** Fixed heap of a run (fabric, queue, code), bytes. */
const BASE_BYTES = 64 * 2 ** 20;

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

/** Steps and messages per rank per step of the algorithm a phase of n ranks will likely run. */
function shapeOf(
  algorithm: string,
  op: string,
  n: number,
  interchangeable: boolean,
): { steps: number; perRank: number } {
  const halves = op === "all-reduce" ? 2 : 1;
  const pow2 = (n & (n - 1)) === 0;
  const ring = { steps: halves * (n - 1), perRank: 1 };
  if (op === "all-to-all") return { steps: 1, perRank: n - 1 };
  if (op === "send-recv") return { steps: 1, perRank: 1 };
  switch (algorithm) {
    case "ring":
      return ring;
    case "bidirectional-ring":
      return { steps: ring.steps, perRank: 2 };
    case "direct":
      return { steps: halves, perRank: n - 1 };
    case "halving-doubling":
      return { steps: halves * Math.round(Math.log2(n)), perRank: 1 };
    case "double-binary-tree":
      return { steps: 2 * 128, perRank: 4 };
    default:
      // auto: rings on grids; on switch-like tiers the fewest messages of what can run.
      if (!interchangeable) return { steps: ring.steps, perRank: 2 };
      if (n <= 512) return { steps: halves, perRank: n - 1 };
      return pow2 ? { steps: halves * Math.round(Math.log2(n)), perRank: 1 } : ring;
  }
}

/** What part of a run costs: messages, extra flow updates, flows in flight at once, and the costliest phase in words. */
interface Cost {
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

/**
 * One collective's messages, flow updates and peak flows: its phases (one per tier it spans, down and
 * up), each by its mode. A group that sits unevenly over the tiers runs flat, every rank of it (no
 * representative stands for the others), whatever the symmetry setting; so does a phase on a tier that
 * hashes or adapts its paths, over every group of the representative's tier group, its flows ending
 * one by one.
 */
function collectiveCost(
  fabric: Fabric,
  op: string,
  ranks: readonly number[],
  algorithm: string,
  symmetric: boolean,
  groups: number,
  late: readonly number[] = [],
): Cost {
  const n = ranks.length;
  const levels = n > 1 ? levelsOf(fabric, ranks) : [];
  const flat =
    op === "all-to-all" || op === "send-recv" || !["auto", "hierarchical"].includes(algorithm) || !levels;
  const uneven = !levels && fabric.tierOf(ranks[0], ranks[n - 1]) > 0;
  const phases = flat
    ? [{ tier: fabric.tierOf(ranks[0], ranks[n - 1]), n }]
    : (levels ?? []).map((l) => ({ tier: l.tier, n: l.n }));
  const cost: Cost = { messages: 0, updates: 0, peakFlows: 0, worstS: -1, worst: "" };
  phases.forEach((ph, k) => {
    if (ph.n <= 1) return;
    const net = fabric.tiers[ph.tier];
    const interchangeable = net.membersInterchangeable && !uneven;
    const s = shapeOf(flat ? algorithm : "auto", op, ph.n, interchangeable);
    const passes = flat || op !== "all-reduce" || k === phases.length - 1 ? 1 : 2;
    const everyRank = (n / ph.n) * groups;
    const oneByOne = !net.positionInvariant || net.choosesRoute;
    const inTierGroup = Math.max(ph.n, Math.min(n * groups, fabric.groupSize[ph.tier]));
    // A straggler's first phase runs every rank of the tier groups holding one (see runWithStragglers).
    const hit =
      symmetric && k === 0 ? new Set(late.map((c) => Math.floor(c / fabric.groupSize[ph.tier]))).size : 0;
    const simulatedRanks =
      (!symmetric ? ph.n * everyRank : oneByOne ? inTierGroup : uneven ? ph.n : 1) +
      hit * Math.min(n, fabric.groupSize[ph.tier]);
    const m = passes * s.steps * s.perRank * simulatedRanks;
    const flows = s.perRank * simulatedRanks;
    const u = oneByOne ? m * flows : 0;
    cost.messages += m;
    cost.updates += u;
    cost.peakFlows = Math.max(cost.peakFlows, flows);
    if (secondsOf(m, u) > cost.worstS) {
      cost.worstS = secondsOf(m, u);
      const how = !symmetric
        ? ` x ${everyRank} groups, every rank`
        : uneven
          ? ", every rank (uneven over the tiers)"
          : oneByOne
            ? `, every rank of ${simulatedRanks} (paths hashed or adaptive)`
            : "";
      cost.worst = `${op} over ${ph.n} ranks at ${fabric.system.tiers[ph.tier].name}${how}`;
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
  const algorithm = typeof cfg.algorithm === "string" ? cfg.algorithm : "auto";
  const chunks = cfg.chunks ?? 1;
  const total: Cost = { messages: 0, updates: 0, peakFlows: 0, worstS: -1, worst: "" };
  let worstPath: (string | number)[] = ["training"];
  const perStage = plan.chips / P;
  const times = (op: CommOp) =>
    replay ? 1 : op.per === "step" ? 1 : plan.microBatches * Math.max(1, plan.degrees.vpp);
  for (const op of plan.comm) {
    const pp = op.parallelism === "pp" || op.collective === "send-recv";
    const st = op.parallelism === "pp" ? plan.layout.stride.pp : opStride(plan, op);
    const ranks = Array.from({ length: pp ? 2 : op.groupSize }, (_, i) => i * st);
    if (!pp) checkEven(fabric, op.collective as CollectiveOp, ranks, opField(op));
    const groups = op.parallelism === "pp" ? perStage : perStage / Math.max(1, op.groupSize);
    const c = collectiveCost(fabric, op.collective, ranks, algorithm, symmetric, groups);
    // Replayed, an op runs once for the stages whose groups sit alike (the first and last often differ).
    const k = (replay ? Math.min(P, 2) : P) * times(op) * chunks;
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
  return { ...total, tasks, notes, worstPath };
}

/**
 * Estimates a simulation's messages, events, peak flows, memory and wall time from the scenario and the
 * training plan alone: phases by the algorithm they will likely run, representatives counting once in
 * symmetric mode and every rank otherwise. An estimate, good to about an order of magnitude; cheap
 * (no simulation, no routes; the fabric's templates only): O(tiers x ops).
 */
export function estimateSimulation(sc: Scenario, cfg: SimulationConfig): SimulationEstimate {
  const run = cfg.run ?? (sc.model && sc.file.training ? "iteration" : "collective");
  const fabric = new Fabric(sc.system, cfg.routing ?? {});
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
    const chunks = cfg.chunks ?? 1;
    for (const [i, c] of list.entries()) {
      const at = several ? [...path, i] : path;
      const ranks = ranksOf(c, sc.system.chips, at);
      const algorithm = typeof cfg.algorithm === "string" ? cfg.algorithm : "auto";
      const late = [...(stragglersOn(cfg, ranks, sc.system.chips)?.keys() ?? [])];
      const k = collectiveCost(fabric, c.op, ranks, algorithm, (cfg.symmetry ?? true) && !several, 1, late);
      total.messages += k.messages * chunks;
      total.updates += k.updates * chunks;
      // Jobs side by side: their flows are in flight together.
      total.peakFlows += k.peakFlows;
      if (k.worst) notes.push(`costliest${several ? ` of job ${i}` : ""}: ${k.worst}`);
      if (k.worstS * chunks > total.worstS) {
        total.worstS = k.worstS * chunks;
        worstPath = [...at, "ranks"];
      }
    }
  }
  const { messages, updates, peakFlows } = total;
  const events = Math.ceil(messages * EVENTS_PER_MESSAGE + tasks * EVENTS_PER_TASK);
  const memoryBytes = BASE_BYTES + peakFlows * BYTES_PER_FLOW + Math.min(messages, 2 ** 20) * BYTES_PER_ROUTE;
  return { messages, events, peakFlows, memoryBytes, wallS: secondsOf(messages, updates), notes, worstPath };
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
    if (set && withinLimits(estimateSimulation(sc, { ...cfg, ...fix })))
      return { path: ["simulation", field], expected };
  const others = tries.filter((t) => t[0]).map((t) => `${t[1]}: ${t[3]}`);
  return {
    path: e.worstPath,
    expected: `a smaller value or fewer chips${others.length ? `, and ${others.join("; ")}` : ""}`,
  };
}

/**
 * Throws a ZettasimError when the run's estimate is past the documented limits, naming the setting to
 * change (see fixFor). Cost: one estimate, up to six more when refusing.
 */
export function refuseBeyondLimits(
  sc: Scenario,
  cfg: SimulationConfig,
  e: SimulationEstimate = estimateSimulation(sc, cfg),
): void {
  if (withinLimits(e)) return;
  const fix = fixFor(sc, cfg, e);
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
