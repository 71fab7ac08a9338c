// Up-front estimate of a flow simulation's events, wall time and memory from the scenario alone, and the limits past which it is refused.
import { ZettasimError } from "../core/errors.js";
import type { Scenario } from "../scenario/load.js";
import type { SimulationConfig } from "../schema/simulation.js";
import { planTraining } from "../training/index.js";
import type { CommOp } from "../training/types.js";
import { collectivesOf, ranksOf } from "./collective-run.js";
import { checkEven, levelsOf } from "./collectives/run.js";
import type { CollectiveOp } from "./collectives/types.js";
import { opField, opStride } from "./iteration/comm.js";
import { Fabric } from "./topology/fabric.js";

/**
 * Events per second of wall time on one core, for the time estimate: `bench/sim-scale.ts` measured
 * 150,000-1,000,000 for representative runs and 30,000-200,000 for runs whose flows share one large
 * component, on the shared development machine under load; the low end of the light runs is taken.
 */
export const EVENTS_PER_WALL_S = 150_000;
/** Heap per flow in flight (sub-flow arrays, link sets, the message, its events), bytes. */
const BYTES_PER_FLOW = 400;
/** Heap per cached route (at most 2^20 pairs are cached), bytes. */
const BYTES_PER_ROUTE = 200;
/** Fixed heap of a run (fabric, queue, code), bytes. */
const BASE_BYTES = 64 * 2 ** 20;

/** Runs estimated to take longer than this at EVENTS_PER_WALL_S are refused, s (half an hour). */
export const MAX_WALL_S = 1800;
/** Runs estimated to need more heap than this are refused, bytes (8 GiB). */
export const MAX_MEMORY_BYTES = 8 * 2 ** 30;
/** Runs estimated to take longer than this are announced before they start, s. */
export const ANNOUNCE_WALL_S = 3;

/** What a run will cost before it starts. */
export interface SimulationEstimate {
  /** Messages the run will simulate (representatives count once), approximate. */
  messages: number;
  /** Events, approximate: about four per message, more when many flows share links. */
  events: number;
  /** Flows in flight at the busiest moment. */
  peakFlows: number;
  /** Peak heap, bytes. */
  memoryBytes: number;
  /** Wall time at EVENTS_PER_WALL_S, s. */
  wallS: number;
  /** Why it costs what it does, in words (the largest phase simulated rank by rank, say). */
  notes: string[];
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

/**
 * One collective's messages and peak flows: its phases (one per tier it spans, down and up), each by its
 * mode. A group that sits unevenly over the tiers runs flat, every rank of it (no representative stands
 * for the others), whatever the symmetry setting.
 */
function collectiveCost(
  fabric: Fabric,
  op: string,
  ranks: readonly number[],
  algorithm: string,
  symmetric: boolean,
  groups: number,
): { messages: number; peakFlows: number; widest: string } {
  const n = ranks.length;
  const levels = n > 1 ? levelsOf(fabric, ranks) : [];
  const flat =
    op === "all-to-all" || op === "send-recv" || !["auto", "hierarchical"].includes(algorithm) || !levels;
  const uneven = !levels && fabric.tierOf(ranks[0], ranks[n - 1]) > 0;
  const phases = flat
    ? [{ tier: fabric.tierOf(ranks[0], ranks[n - 1]), n }]
    : (levels ?? []).map((l) => ({ tier: l.tier, n: l.n }));
  let messages = 0;
  let peakFlows = 0;
  let widest = "";
  phases.forEach((ph, k) => {
    if (ph.n <= 1) return;
    const interchangeable = fabric.tiers[ph.tier].membersInterchangeable && !uneven;
    const s = shapeOf(flat ? algorithm : "auto", op, ph.n, interchangeable);
    const passes = flat || op !== "all-reduce" || k === phases.length - 1 ? 1 : 2;
    const everyRank = (n / ph.n) * groups;
    const simulatedRanks = symmetric ? (uneven ? ph.n : 1) : ph.n * everyRank;
    messages += passes * s.steps * s.perRank * simulatedRanks;
    const flows = s.perRank * simulatedRanks;
    if (flows > peakFlows) {
      peakFlows = flows;
      const how = !symmetric
        ? ` x ${everyRank} groups, every rank`
        : uneven
          ? ", every rank (uneven over the tiers)"
          : "";
      widest = `${op} over ${ph.n} ranks at ${fabric.system.tiers[ph.tier].name}${how}`;
    }
  });
  return { messages, peakFlows, widest };
}

/** The iteration's collectives: each op once per stage (replayed after) or every occurrence, as the plan lays them out. */
function iterationCost(
  sc: Scenario,
  fabric: Fabric,
  cfg: SimulationConfig,
): { messages: number; peakFlows: number; notes: string[] } {
  const plan = planTraining(sc.system, sc.model!, sc.file.training!);
  const P = plan.degrees.pp;
  const symmetric = cfg.symmetry ?? true;
  const replay = cfg.replay ?? true;
  const algorithm = typeof cfg.algorithm === "string" ? cfg.algorithm : "auto";
  let messages = 0;
  let peakFlows = 0;
  let widest = "";
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
    messages += (replay ? Math.min(P, 2) : P) * times(op) * c.messages;
    if (c.peakFlows > peakFlows) {
      peakFlows = c.peakFlows;
      widest = `${op.name}: ${c.widest}`;
    }
  }
  const notes = [
    `${P} stages x ${plan.comm.length} ops, ${replay ? "repeats replayed" : "every repeat simulated"}`,
  ];
  if (widest) notes.push(`widest: ${widest}`);
  return { messages, peakFlows, notes };
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
  let messages = 0;
  let peakFlows = 0;
  const notes: string[] = [];
  if (run === "iteration" && sc.model && sc.file.training) {
    const c = iterationCost(sc, fabric, cfg);
    messages = c.messages;
    peakFlows = c.peakFlows;
    notes.push(...c.notes);
  } else if (run === "collective") {
    const { list, path } = collectivesOf(cfg);
    const several = list.length > 1;
    for (const [i, c] of list.entries()) {
      const ranks = ranksOf(c, sc.system.chips, several ? [...path, i] : path);
      const algorithm = typeof cfg.algorithm === "string" ? cfg.algorithm : "auto";
      const k = collectiveCost(fabric, c.op, ranks, algorithm, (cfg.symmetry ?? true) && !several, 1);
      messages += k.messages * (cfg.chunks ?? 1);
      peakFlows += k.peakFlows;
      if (k.widest) notes.push(`widest: ${k.widest}`);
    }
  }
  // Each message: a send, a settle, a finish, a delivery; flows that share links add settles per finish.
  const sharing = Math.min(peakFlows, 64);
  const events = Math.ceil(messages * (4 + sharing / 4));
  const memoryBytes = BASE_BYTES + peakFlows * BYTES_PER_FLOW + Math.min(messages, 2 ** 20) * BYTES_PER_ROUTE;
  return { messages, events, peakFlows, memoryBytes, wallS: events / EVENTS_PER_WALL_S, notes };
}

/** Throws a ZettasimError naming what to change when an estimate is past the documented limits. */
export function refuseBeyondLimits(e: SimulationEstimate): void {
  if (e.wallS <= MAX_WALL_S && e.memoryBytes <= MAX_MEMORY_BYTES) return;
  const what =
    e.wallS > MAX_WALL_S
      ? `about ${Math.round(e.wallS / 60).toLocaleString("en-US")} minutes (${e.events.toExponential(1)} events)`
      : `about ${(e.memoryBytes / 2 ** 30).toFixed(0)} GiB`;
  throw new ZettasimError([
    {
      path: ["simulation", "symmetry"],
      message: `this simulation would take ${what}; the limit is ${MAX_WALL_S / 60} minutes and ${MAX_MEMORY_BYTES / 2 ** 30} GiB (${e.notes.join("; ")})`,
      expected: "symmetry on (the default), fewer ranks or chips, replay on, or hierarchical algorithms",
    },
  ]);
}
