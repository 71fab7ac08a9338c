// Choosing a collective algorithm per phase: each candidate costed on the routes its steps really take, and the closed-form link model.
import { ZettasimError } from "../../core/errors.js";
import { copyWeight } from "../../engine/network.js";
import type { Fabric } from "../topology/fabric.js";
import { ALGORITHMS, doubleBinaryTreeEdges } from "./algorithms.js";
import {
  ANALYSIS_BUDGET,
  analyseStep,
  COST_BUDGET,
  type PhaseFlows,
  type StepAnalysis,
  stepVisits,
} from "./symmetry.js";
import type { CollectiveAlgorithm, CollectiveOp, LinkModel, StepPattern } from "./types.js";

/** What a phase asks for: an algorithm id, or "auto" for the cheapest on its routes. */
export type AlgorithmChoice = string;

/** Tree edges sampled when costing the double binary tree, and the link visits they may take. */
const TREE_SAMPLE = 64;
const TREE_VISITS = 50_000;

const analysisCache = new WeakMap<Fabric, Map<string, StepAnalysis>>();

/**
 * The analysis of one step pattern over a phase's flows, cached per fabric by the groups' shape, the
 * copies and the salt (so repeated phases, chunks and layers cost one analysis). Cost: analyseStep's, once.
 */
export function stepAnalysis(
  fabric: Fabric,
  flows: PhaseFlows,
  pattern: StepPattern,
  purpose: "run" | "cost" = "run",
): StepAnalysis {
  let cache = analysisCache.get(fabric);
  if (!cache) {
    cache = new Map();
    analysisCache.set(fabric, cache);
  }
  const g = flows.groups;
  const last = g[g.length - 1];
  const key = `${pattern.id}|${g.length}:${g[0].length}:${g[0][0]}:${g[0][1]}:${g[0][g[0].length - 1]}:${last[0]}:${last[last.length - 1]}|${copiesKey(fabric, flows)}|${fabric.cacheableRoutes ? 0 : flows.salt}|${fabric.faultEpoch}`;
  const hit = cache.get(key);
  // An estimate made for costing does not do for running: run analyses enumerate up to the larger budget.
  if (hit && (purpose === "cost" || !hit.estimated || stepVisits(fabric, flows, pattern) > ANALYSIS_BUDGET))
    return hit;
  const a = analyseStep(fabric, flows, pattern, purpose === "cost" ? COST_BUDGET : ANALYSIS_BUDGET);
  cache.set(key, a);
  return a;
}

/** The copies a phase's messages carry at each tier, as a cache key. */
const copiesKey = (fabric: Fabric, flows: PhaseFlows) =>
  fabric.tiers.map((_, t) => flows.copiesAt(t)).join(",");

/** Payload rate of a lone message from a to b with `copies` copies counted (split over its paths), bytes/s, and its links. */
function loneRate(
  fabric: Fabric,
  a: number,
  b: number,
  copies: number,
): { rate: number; latencyS: number; visits: number; links: number } {
  let rate = 0;
  let latencyS = 0;
  let visits = 0;
  let links = 0;
  for (const r of fabric.freshRoutes(a, b)) {
    visits += r.links.length;
    links = Math.max(links, r.links.length);
    let m = Number.POSITIVE_INFINITY;
    for (const id of r.links)
      m = Math.min(m, fabric.capacityBytesPerS(id) / copyWeight(copies, fabric.shareDegree(id)));
    rate += m;
    latencyS = Math.max(latencyS, r.latencyS);
  }
  return { rate, latencyS, visits, links };
}

/**
 * Per-message figures of the idle fabric for a group, for closed forms: the bandwidth of rank 0's lone
 * flow to rank 1, the bandwidth rank 0 reaches sending to every other rank at once (capped by its port),
 * and the message latency. Cost O(n x paths x hops).
 */
export function linkModel(fabric: Fabric, ranks: readonly number[], copies: number): LinkModel {
  const n = ranks.length;
  if (n < 2) return { pairBytesPerS: 1, injectionBytesPerS: 1, latencyS: 0 };
  const pair = loneRate(fabric, ranks[0], ranks[1], copies);
  const chip = fabric.chipPayloadBytesPerS(fabric.tierOf(ranks[0], ranks[1]));
  let all = 0;
  for (let j = 1; j < n; j++) all += loneRate(fabric, ranks[0], ranks[j], copies).rate;
  return {
    pairBytesPerS: Math.min(pair.rate, chip),
    injectionBytesPerS: Math.min(chip, all),
    latencyS: pair.latencyS,
  };
}

/**
 * Time of an algorithm on a phase's flows with the network idle, s: for step-structured algorithms the
 * sum over steps of bytes x seconds-per-byte + latency from the step analyses (exact when every step is
 * uniform); for the double binary tree its closed form with the bandwidth and latency of its tree edges'
 * real routes (sampled). Cost: the analyses (cached) or O(edges sampled).
 */
export function algorithmCostS(
  fabric: Fabric,
  alg: CollectiveAlgorithm,
  op: CollectiveOp,
  flows: PhaseFlows,
  bytes: number,
): number {
  const g = flows.groups[0];
  const n = g.length;
  if (alg.steps) {
    let t = 0;
    for (const run of alg.steps(op, n, bytes)) {
      const a = stepAnalysis(fabric, flows, run.pattern, "cost");
      t += run.repeat * (run.bytes * a.secondsPerByte + a.latencyS);
    }
    return t;
  }
  let pair = Number.POSITIVE_INFINITY;
  let latencyS = 0;
  let visits = 0;
  let perLinkS = 0;
  for (const [c, p] of doubleBinaryTreeEdges(n, TREE_SAMPLE)) {
    // Past the visit budget a far edge (a million-rank ring's root is n/4 hops from its children) is
    // not routed: its latency is its length at the per-link latency of the edges routed so far.
    const hops = visits > 0 ? fabric.distance(g[c], g[p], flows.salt) : 0;
    if (visits + hops > TREE_VISITS) {
      latencyS = Math.max(latencyS, hops * perLinkS);
      continue;
    }
    const lone = loneRate(fabric, g[c], g[p], flows.copiesAt(fabric.tierOf(g[c], g[p])));
    pair = Math.min(pair, lone.rate);
    latencyS = Math.max(latencyS, lone.latencyS);
    perLinkS = Math.max(perLinkS, lone.latencyS / Math.max(1, lone.links));
    visits += lone.visits;
  }
  return alg.closedFormS(op, n, bytes, { pairBytesPerS: pair, injectionBytesPerS: pair, latencyS });
}

/** The algorithm an id names, or a ZettasimError at `path` listing the ids. */
export function algorithmById(id: string, path: (string | number)[]): CollectiveAlgorithm {
  const a = Object.hasOwn(ALGORITHMS, id) ? ALGORITHMS[id] : undefined;
  if (!a)
    throw new ZettasimError([
      {
        path,
        message: "unknown collective algorithm",
        value: id,
        expected: `auto or one of ${Object.keys(ALGORITHMS).join(", ")}`,
      },
    ]);
  return a;
}

/**
 * The algorithm a phase runs and why: the one asked for when it can run this op on n ranks, else
 * (saying so) the cheapest on the phase's routes among those that can, ring first on ties.
 * Cost: one costing per candidate (cached analyses).
 */
export function chooseAlgorithm(
  fabric: Fabric,
  op: CollectiveOp,
  flows: PhaseFlows,
  bytes: number,
  asked: AlgorithmChoice,
  path: (string | number)[],
): { alg: CollectiveAlgorithm; note?: string } {
  const n = flows.groups[0].length;
  let note: string | undefined;
  if (asked !== "auto") {
    const a = algorithmById(asked, path);
    if (a.supports(op, n)) return { alg: a };
    note = `${asked} cannot run ${op} on ${n} ranks`;
  }
  const able = Object.values(ALGORITHMS).filter((a) => a.supports(op, n));
  // Past every able algorithm's auto limit (an all-to-all over more ranks than direct's), the able ones still run:
  // the up-front estimate refuses a phase too large to simulate, naming the setting.
  const withinLimit = able.filter((a) => n <= a.autoMaxRanks);
  let best: CollectiveAlgorithm | undefined;
  let bestT = Number.POSITIVE_INFINITY;
  for (const a of withinLimit.length > 0 ? withinLimit : able) {
    const t = algorithmCostS(fabric, a, op, flows, bytes);
    if (t < bestT) {
      bestT = t;
      best = a;
    }
  }
  if (!best) throw new Error(`internal error: no algorithm supports ${op} on ${n} ranks`);
  return { alg: best, note: note && `${note}: ${best.id} instead` };
}
