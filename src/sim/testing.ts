// Small systems and a one-call collective runner shared by the simulator's tests and benchmarks.
import { resolveSystem } from "../catalog/resolve.js";
import type { System } from "../catalog/types.js";
import { EventQueue } from "../engine/queue.js";
import { loadScenarioText } from "../scenario/load.js";
import type { SimulationConfig } from "../schema/simulation.js";
import { type AlgorithmSpec, type PhaseRecord, runCollective } from "./collectives/run.js";
import type { CollectiveOp } from "./collectives/types.js";
import { type BackendId, makeNetwork, type Network } from "./network.js";
import { type SimulationResult, simulateScenario } from "./simulate.js";
import { bfs, buildLinkGraph, edgeSource } from "./topology/csr.js";
import { Fabric, type RoutingOptions } from "./topology/fabric.js";

/** A tier written the scenario-file way, for building test systems. */
export interface TierSpec {
  name?: string;
  topology: string | { kind: string; dims?: number[]; radix?: number };
  groupSize?: number;
  bandwidthGBps: number;
  latencyUs?: number;
  oversubscription?: number;
  protocol?: string | object;
}

/** An ideal protocol (no header, no stack latency) so closed forms are exact. */
export const IDEAL_PROTOCOL = { id: "ideal", name: "ideal", headerEfficiency: 1, staticLatencyUs: 0 };

/** Builds a System from tiers (ideal protocol unless given), on a generic chip. */
export function testSystem(chips: number, tiers: TierSpec[]): System {
  return resolveSystem({
    id: "test",
    name: "test",
    vendor: "test",
    chip: {
      id: "test-chip",
      name: "test chip",
      vendor: "test",
      peakTflops: { bf16: 1000 },
      memoryGB: 100,
      memoryBandwidthTBps: 4,
      scaleUpBandwidthGBps: 100,
      scaleOutBandwidthGBps: 10,
      powerW: 1000,
    },
    chips,
    tiers: tiers.map((t, i) => ({ name: t.name ?? `tier${i}`, protocol: IDEAL_PROTOCOL, ...t })),
  });
}

/** Result of one simulated collective. */
export interface CollectiveRun {
  timeS: number;
  phases: PhaseRecord[];
  events: number;
  net: Network;
}

/**
 * Simulates one collective on a fresh network and returns its time. `ranks` defaults to every chip.
 * Cost: the events of the collective (O(representative flows x steps) in symmetric mode).
 */
export function runOneCollective(
  system: System,
  op: CollectiveOp,
  bytes: number,
  opts: {
    ranks?: readonly number[];
    algorithm?: AlgorithmSpec;
    symmetric?: boolean;
    backend?: BackendId;
    routing?: RoutingOptions;
    allGroups?: readonly (readonly number[])[];
    chunks?: number;
  } = {},
): CollectiveRun {
  const fabric = new Fabric(system, opts.routing);
  const queue = new EventQueue();
  const net = makeNetwork(opts.backend ?? "flow", fabric, queue);
  const ranks = opts.ranks ?? Array.from({ length: system.chips }, (_, i) => i);
  let phases: PhaseRecord[] = [];
  let end = -1;
  runCollective(
    net,
    {
      op,
      ranks,
      bytes,
      algorithm: opts.algorithm,
      symmetric: opts.symmetric ?? true,
      allGroups: opts.allGroups,
      chunks: opts.chunks,
      tag: 1,
    },
    (p) => {
      phases = p;
      end = queue.now;
    },
  );
  const events = queue.run();
  if (end < 0) throw new Error("internal error: collective never finished");
  return { timeS: end, phases, events, net };
}

/** What the cross-check of template routes against BFS on the link graph found for one tier. */
export interface RouteCrossCheck {
  tier: number;
  /** Chip pairs of group 0 whose innermost common tier is this one. */
  pairs: number;
  /** Distinct minimal template routes, summed over pairs (ECMP: the union over `salts` hashes). */
  templatePaths: number;
  /** Shortest paths on the link graph (BFS, parallel links apart), summed over pairs. */
  bfsPaths: number;
  /** Template routes one link longer than the shortest (UB-Mesh all-path detours). */
  detours: number;
  /** Pairs where the template enumerates every shortest path. */
  completePairs: number;
  /** What disagreed, at most 10 lines. */
  mismatches: string[];
}

/**
 * Compares a tier's template routes with breadth-first search on the materialised graph of one group:
 * every template route must be a chain of graph links from a to b; the minimal ones must be as short as
 * BFS says and distinct; longer ones only one link longer (detours). Counts how many of the
 * equal-cost paths the templates use. Cost O(pairs x (paths x hops)) plus one BFS per chip of the group.
 */
export function crossCheckRoutes(fabric: Fabric, tier: number, salts = 1): RouteCrossCheck {
  const g = buildLinkGraph(fabric, { tiers: [tier], groups: "first" });
  const G = fabric.groupSize[tier];
  const staticS = fabric.system.tiers[tier].protocol.staticLatencyS;
  const out: RouteCrossCheck = {
    tier,
    pairs: 0,
    templatePaths: 0,
    bfsPaths: 0,
    detours: 0,
    completePairs: 0,
    mismatches: [],
  };
  const bad = (m: string) => out.mismatches.length < 10 && out.mismatches.push(m);
  for (let a = 0; a < G; a++) {
    const { hops, paths } = bfs(g, a);
    for (let b = 0; b < G; b++) {
      if (a === b || fabric.tierOf(a, b) !== tier) continue;
      out.pairs++;
      const seen = new Set<string>();
      for (let salt = 0; salt < salts; salt++) {
        for (const r of fabric.routes(a, b, salt)) {
          let at = a;
          let latS = staticS;
          for (const id of r.links) {
            const e = g.edgeOfLink[id];
            if (e < 0 || edgeSource(g, e) !== at) {
              bad(`tier ${tier}: ${a}->${b} link ${id} does not continue the route at node ${at}`);
              break;
            }
            at = g.target[e];
            latS += g.latencyS[e];
          }
          if (at !== b) bad(`tier ${tier}: ${a}->${b} route ends at node ${at}`);
          if (Math.abs(latS - r.latencyS) > 1e-12 + 1e-9 * r.latencyS)
            bad(`tier ${tier}: ${a}->${b} latency ${r.latencyS} s, links sum to ${latS} s`);
          if (r.links.length === hops[b] + 1) out.detours += salt === 0 ? 1 : 0;
          else if (r.links.length !== hops[b])
            bad(`tier ${tier}: ${a}->${b} route of ${r.links.length} links, BFS ${hops[b]}`);
          else seen.add(r.links.join(","));
        }
      }
      if (seen.size === 0) bad(`tier ${tier}: ${a}->${b} no minimal route`);
      if (seen.size > paths[b])
        bad(`tier ${tier}: ${a}->${b} ${seen.size} routes, only ${paths[b]} shortest`);
      out.templatePaths += seen.size;
      out.bfsPaths += paths[b];
      if (seen.size === paths[b]) out.completePairs++;
    }
  }
  return out;
}

/** Simulates `sim` (a scenario's simulation section) on an inline test system, as `simulate` would. */
export function simulateOn(system: System, sim: SimulationConfig): SimulationResult {
  const sc = loadScenarioText(JSON.stringify({ system: "atlas-950-superpod" }));
  return simulateScenario({ ...sc, system, file: { ...sc.file, simulation: sim } });
}

/** A small system of one topology kind (or two tiers of kinds), with its routing, for conformance suites. */
export interface ConformanceTopology {
  name: string;
  sys: System;
  routing?: RoutingOptions;
  /** Closed forms hold here (one hop to every peer, or a ring on a ring). */
  closedForm?: string[];
}

const T = (topology: TierSpec["topology"], extra: Partial<TierSpec> = {}): TierSpec => ({
  topology,
  bandwidthGBps: 100,
  latencyUs: 1,
  ...extra,
});
/** Every topology kind, alone and in two tiers, with each routing mode: the systems the conformance suites run on. */
export const CONFORMANCE_TOPOLOGIES: ConformanceTopology[] = [
  {
    name: "switch 16",
    sys: testSystem(16, [T("switch")]),
    closedForm: ["ring", "halving-doubling", "direct", "p2p"],
  },
  { name: "full mesh 8", sys: testSystem(8, [T("full-mesh")]), closedForm: ["direct"] },
  { name: "full mesh 8 all-path", sys: testSystem(8, [T("full-mesh")]), routing: { "*": "all-path" } },
  { name: "2D full mesh 4x4", sys: testSystem(16, [T({ kind: "nd-full-mesh", dims: [4, 4] })]) },
  { name: "fat tree radix 8 (32)", sys: testSystem(32, [T({ kind: "fat-tree", radix: 8 })]) },
  {
    name: "fat tree radix 8 ECMP",
    sys: testSystem(32, [T({ kind: "fat-tree", radix: 8 })]),
    routing: { "*": "ecmp" },
  },
  {
    name: "fat tree radix 8 adaptive",
    sys: testSystem(32, [T({ kind: "fat-tree", radix: 8 })]),
    routing: { "*": "adaptive" },
  },
  {
    // Servers of 8 under an ECMP fat tree (the 16 x 8 case, at 4 x 8): hashed spines break the
    // rails' symmetry, so the cross-server phase runs every rank of its tier group, and must agree exactly.
    name: "switch 8 x fat tree radix 8 ECMP",
    sys: testSystem(32, [
      T("switch", { groupSize: 8, bandwidthGBps: 400 }),
      T({ kind: "fat-tree", radix: 8 }),
    ]),
    routing: { "*": "ecmp" },
  },
  {
    name: "switch 8 x fat tree radix 8 adaptive",
    sys: testSystem(32, [
      T("switch", { groupSize: 8, bandwidthGBps: 400 }),
      T({ kind: "fat-tree", radix: 8 }),
    ]),
    routing: { "*": "adaptive" },
  },
  {
    name: "2D full mesh 4x4 x 2D full mesh 2x2, all-path",
    sys: testSystem(64, [
      T({ kind: "nd-full-mesh", dims: [4, 4] }, { groupSize: 16, bandwidthGBps: 400 }),
      T({ kind: "nd-full-mesh", dims: [2, 2] }),
    ]),
    routing: { "*": "all-path" },
  },
  {
    name: "torus 1D 16",
    sys: testSystem(16, [T({ kind: "torus", dims: [16] })]),
    closedForm: ["ring", "bidirectional-ring"],
  },
  { name: "torus 2D 4x4", sys: testSystem(16, [T({ kind: "torus", dims: [4, 4] })]) },
  { name: "torus 3D 4x2x2", sys: testSystem(16, [T({ kind: "torus", dims: [4, 2, 2] })]) },
  {
    name: "switch 8 x rail 4",
    sys: testSystem(32, [T("switch", { groupSize: 8, bandwidthGBps: 400 }), T("rail-optimized")]),
  },
  {
    name: "full mesh 4 x fat tree 4:1 x 4",
    sys: testSystem(16, [
      T("full-mesh", { groupSize: 4, bandwidthGBps: 300 }),
      T("fat-tree", { oversubscription: 4 }),
    ]),
  },
  {
    name: "torus 4 x torus 4 (hubs)",
    sys: testSystem(16, [T({ kind: "torus", dims: [4] }, { groupSize: 4 }), T({ kind: "torus", dims: [4] })]),
  },
];

/** Per-chip injection bandwidth over every tier a group of the first n chips spans, bytes/s. */
export function injection(fabric: Fabric, n: number): number {
  let b = 0;
  for (let t = 0; t < fabric.tiers.length; t++)
    if (t === 0 || fabric.groupSize[t - 1] < n) b += fabric.chipPayloadBytesPerS(t);
  return b;
}

/** The fastest message latency from rank 0 to any other of the first n chips, s. */
export function fastestLatency(fabric: Fabric, n: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let j = 1; j < n; j++) for (const r of fabric.routes(0, j)) best = Math.min(best, r.latencyS);
  return best;
}
