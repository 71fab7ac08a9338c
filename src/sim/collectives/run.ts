// Runs a collective on a group of ranks: hierarchical decomposition over tiers, algorithm choice per phase, symmetry reduction.
import { ZettasimError } from "../../core/errors.js";
import type { Network } from "../engine/network.js";
import type { Fabric } from "../topology/fabric.js";
import { ALGORITHMS } from "./algorithms.js";
import type { CollectiveAlgorithm, CollectiveCall, CollectiveOp, LinkModel } from "./types.js";

/** What the caller asks for. */
export interface CollectiveRequest {
  op: CollectiveOp;
  /** The group (a representative one when several identical groups run at once). */
  ranks: readonly number[];
  /** Bytes per rank, as in CollectiveCall. */
  bytes: number;
  /** "auto" (default), "hierarchical", or a flat algorithm id (ring, direct, halving-doubling, double-binary-tree). */
  algorithm?: string;
  /**
   * Symmetric mode: simulate one representative subgroup per hierarchical phase and count the
   * others as copies on shared links. Off: simulate every subgroup of every group in `allGroups`.
   */
  symmetric: boolean;
  /** Every group running this op at the same time (full mode); defaults to [ranks]. */
  allGroups?: readonly (readonly number[])[];
  /**
   * Symmetric mode: how many groups of this op share a member at tier t (other tensor-parallel ranks'
   * data-parallel groups, for example). Default 1.
   */
  peerGroups?: (tier: number) => number;
  /**
   * The op happens this many times back to back (once per layer, say): simulated as one collective of
   * repeat x bytes plus (repeat - 1) x each phase's latency-only closed form. Default 1.
   */
  repeat?: number;
  tag: number;
}

/** One phase that ran: which tier, which algorithm, how many ranks, how long. */
export interface PhaseRecord {
  tier: number;
  algorithm: string;
  op: CollectiveOp;
  ranks: number;
  bytes: number;
  startS: number;
  endS: number;
}

/** Flat algorithms beyond this many ranks across tiers would be brute force: use hierarchical. */
export const MAX_FLAT_RANKS = 4096;

interface Level {
  tier: number;
  /** Ranks per subgroup at this level. */
  n: number;
}

/** The group's ranks in ascending order (a copy only when they are not sorted already). */
function sorted(ranks: readonly number[]): readonly number[] {
  for (let i = 1; i < ranks.length; i++) {
    if (ranks[i] < ranks[i - 1]) return Float64Array.from(ranks).sort() as unknown as number[];
  }
  return ranks;
}

/**
 * The tiers a group spans and how many subgroups each joins, innermost first; undefined when the
 * group is not uniform (tier groups holding different numbers of its ranks). Cost O(ranks x tiers).
 */
export function levelsOf(fabric: Fabric, ranks: readonly number[]): Level[] | undefined {
  const rs = sorted(ranks);
  const levels: Level[] = [];
  let prev = rs.length;
  for (let t = 0; t < fabric.groupSize.length; t++) {
    const G = fabric.groupSize[t];
    // Runs of equal tier-t group id in the sorted ranks; all must have the same length.
    let runs = 0;
    let runLen = -1;
    let start = 0;
    for (let i = 1; i <= rs.length; i++) {
      if (i === rs.length || Math.floor(rs[i] / G) !== Math.floor(rs[i - 1] / G)) {
        const len = i - start;
        if (runLen >= 0 && len !== runLen) return undefined;
        runLen = len;
        runs++;
        start = i;
      }
    }
    if (runs < prev) {
      if (prev % runs !== 0) return undefined;
      levels.push({ tier: t, n: prev / runs });
    }
    prev = runs;
    if (runs === 1) break;
  }
  return levels;
}

const modelCache = new WeakMap<Fabric, Map<string, LinkModel>>();

/**
 * Per-message figures of the idle fabric for a group, for closed forms and algorithm choice: the
 * bandwidth of one rank's lone flow to its next rank, and the injection bandwidth every rank reaches
 * when all send to all (from the load the all-pairs pattern puts on the most loaded link; 16 sampled
 * senders above 128 ranks). `copies` is the symmetric multiplicity on shared links. Cost O(n^2 hops), cached.
 */
export function linkModel(fabric: Fabric, ranks: readonly number[], copies: number): LinkModel {
  const n = ranks.length;
  if (n < 2) return { pairBytesPerS: 1, injectionBytesPerS: 1, latencyS: 0 };
  const key = `${n}:${ranks[0]}:${ranks[1]}:${ranks[n - 1]}:${copies}`;
  let cache = modelCache.get(fabric);
  if (!cache) {
    cache = new Map();
    modelCache.set(fabric, cache);
  }
  const hit = cache.get(key);
  if (hit) return hit;
  const weightedCap = (id: number) => {
    const info = fabric.link(id);
    const w = info.shareDegree > 1 ? Math.min(copies, info.shareDegree) : 1;
    return info.capacityBytesPerS / w;
  };
  const routes = fabric.routes(ranks[0], ranks[1]);
  const tier = routes[0].tier;
  let pair = 0;
  let latency = 0;
  for (const r of routes) {
    let m = Number.POSITIVE_INFINITY;
    for (const id of r.links) m = Math.min(m, weightedCap(id));
    pair += m;
    latency = Math.max(latency, r.latencyS);
  }
  const chip = fabric.chipPayloadBytesPerS(tier);
  pair = Math.min(pair, chip);
  // All-pairs load, one byte per pair, spread over each pair's routes.
  const senders = n <= 128 ? n : 16;
  const scale = n / senders;
  const load = new Map<number, number>();
  for (let s = 0; s < senders; s++) {
    const i = Math.floor((s * n) / senders);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const rs = fabric.routes(ranks[i], ranks[j]);
      for (const r of rs) for (const id of r.links) load.set(id, (load.get(id) ?? 0) + scale / rs.length);
    }
  }
  let worst = 0;
  for (const [id, l] of load) worst = Math.max(worst, l / weightedCap(id));
  const injection = Math.min(chip, worst > 0 ? (n - 1) / worst : chip);
  const model = { pairBytesPerS: pair, injectionBytesPerS: injection, latencyS: latency };
  cache.set(key, model);
  return model;
}

/** The flat algorithm with the smallest closed form for this op, group and fabric. Cost O(algorithms x hops). */
export function chooseAlgorithm(
  op: CollectiveOp,
  n: number,
  bytes: number,
  link: LinkModel,
  forced?: string,
): CollectiveAlgorithm {
  if (forced && forced !== "auto" && forced !== "hierarchical") {
    const a = ALGORITHMS[forced];
    if (!a) {
      throw new ZettasimError([
        {
          path: ["simulation", "algorithm"],
          message: "unknown collective algorithm",
          value: forced,
          expected: `auto, hierarchical or one of ${Object.keys(ALGORITHMS).join(", ")}`,
        },
      ]);
    }
    if (a.supports(op, n)) return a;
  }
  let best: CollectiveAlgorithm | undefined;
  let bestT = Number.POSITIVE_INFINITY;
  for (const a of Object.values(ALGORITHMS)) {
    if (!a.supports(op, n)) continue;
    const t = a.closedFormS(op, n, bytes, link);
    if (t < bestT) {
      bestT = t;
      best = a;
    }
  }
  if (!best) throw new Error(`internal error: no algorithm supports ${op} on ${n} ranks`);
  return best;
}

/** Wraps a network so every message carries the copies its tier calls for. */
function withCopies(net: Network, copiesAt: (tier: number) => number): Network {
  return {
    fabric: net.fabric,
    queue: net.queue,
    now: () => net.now(),
    schedule: (d, fn) => net.schedule(d, fn),
    recv: (s, d, tag, fn) => net.recv(s, d, tag, fn),
    stats: () => net.stats(),
    addLoad: (l) => net.addLoad(l),
    send: (src, dst, bytes, _copies, fn, tag) =>
      net.send(src, dst, bytes, copiesAt(net.fabric.tierOf(src, dst)), fn, tag),
  };
}

/** Runs `calls` at once and calls `done` when all have finished. */
function runAll(net: Network, alg: CollectiveAlgorithm, calls: CollectiveCall[], done: () => void): void {
  let left = calls.length;
  if (left === 0) {
    net.schedule(0, done);
    return;
  }
  for (const c of calls) alg.run(net, c, () => --left === 0 && done());
}

/**
 * Subgroups of phase `j` in a uniform hierarchy: in the sorted ranks, each tier group is a run of
 * n_j x m ranks made of n_j lower runs of m; subgroup (run u, index k) takes the k-th rank of each
 * lower run. Only the first subgroup when `onlyFirst`. Cost O(ranks returned).
 */
function phaseGroups(ranks: readonly number[], levels: Level[], j: number, onlyFirst: boolean): number[][] {
  const rs = sorted(ranks);
  const nj = levels[j].n;
  let m = 1;
  for (let i = 0; i < j; i++) m *= levels[i].n;
  const out: number[][] = [];
  const runs = rs.length / (nj * m);
  for (let u = 0; u < runs; u++) {
    for (let k = 0; k < m; k++) {
      const g: number[] = new Array(nj);
      for (let x = 0; x < nj; x++) g[x] = rs[u * nj * m + x * m + k];
      out.push(g);
      if (onlyFirst) return out;
    }
  }
  return out;
}

/**
 * Runs one collective and calls `done(phases)` when every rank has finished. Hierarchical: reduce-scatter
 * inside the innermost tier, then across each tier outward, all-reduce at the top, all-gather back down
 * (all-gather and reduce-scatter use the matching half; all-to-all and send-recv run flat). Each phase
 * picks its flat algorithm by closed form unless one is forced. Symmetric mode simulates one
 * representative subgroup per phase (O(ranks at the tier)); full mode simulates them all.
 */
export function runCollective(
  net: Network,
  req: CollectiveRequest,
  done: (phases: PhaseRecord[]) => void,
): void {
  const fabric = net.fabric;
  const phases: PhaseRecord[] = [];
  const groups = req.symmetric ? [req.ranks] : (req.allGroups ?? [req.ranks]);
  const peer = req.symmetric ? (req.peerGroups ?? (() => 1)) : () => 1;
  const n = req.ranks.length;
  const repeat = req.repeat ?? 1;
  if (n <= 1 || !(req.bytes >= 0)) {
    net.schedule(0, () => done(phases));
    return;
  }
  const levels = levelsOf(fabric, req.ranks);
  const flat =
    req.op === "all-to-all" ||
    req.op === "send-recv" ||
    !levels ||
    levels.length <= 1 ||
    (req.algorithm !== undefined && req.algorithm !== "auto" && req.algorithm !== "hierarchical");
  if (flat) {
    if (levels && levels.length > 1 && n > MAX_FLAT_RANKS) {
      throw new ZettasimError([
        {
          path: ["simulation", "algorithm"],
          message: `a flat ${req.op} over ${n} ranks spanning ${levels.length} tiers is brute force`,
          value: req.algorithm,
          expected: `hierarchical or auto for groups over ${MAX_FLAT_RANKS} ranks`,
        },
      ]);
    }
    const topTier = fabric.tierOf(req.ranks[0], req.ranks[n - 1]);
    const lm = linkModel(fabric, req.ranks, peer(topTier));
    const alg = chooseAlgorithm(req.op, n, req.bytes, lm, req.algorithm);
    const start = net.now();
    const calls = groups.map((g, i) => ({
      op: req.op,
      ranks: g,
      bytes: req.bytes * repeat,
      copies: 1,
      tag: req.tag * 8 + (i % 8),
    }));
    runAll(withCopies(net, peer), alg, calls, () =>
      net.schedule((repeat - 1) * alg.closedFormS(req.op, n, 0, lm), () => {
        phases.push({
          tier: topTier,
          algorithm: alg.id,
          op: req.op,
          ranks: n,
          bytes: req.bytes,
          startS: start,
          endS: net.now(),
        });
        done(phases);
      }),
    );
    return;
  }
  // Hierarchical plan: reduce-scatter up (or nothing for all-gather), the top op, all-gather down.
  // For an all-gather the buffer grows on the way down; for a reduce-scatter it only shrinks.
  const L = levels.length;
  const steps: { j: number; op: CollectiveOp; bytes: number }[] = [];
  let bytes = req.bytes;
  const shrink: number[] = [];
  for (let j = 0; j < L - 1; j++) {
    shrink.push(bytes);
    if (req.op !== "all-gather") steps.push({ j, op: "reduce-scatter", bytes });
    bytes /= levels[j].n;
  }
  steps.push({ j: L - 1, op: req.op, bytes });
  if (req.op !== "reduce-scatter")
    for (let j = L - 2; j >= 0; j--) steps.push({ j, op: "all-gather", bytes: shrink[j] });
  const runStep = (s: number) => {
    if (s === steps.length) return done(phases);
    const { j, op, bytes: b } = steps[s];
    const lower = levels.slice(0, j).reduce((a, l) => a * l.n, 1);
    const subgroups = groups.flatMap((g) => phaseGroups(g, levels, j, req.symmetric));
    const copies = req.symmetric ? lower * peer(levels[j].tier) : 1;
    const nj = levels[j].n;
    const lm = linkModel(fabric, subgroups[0], copies);
    const alg = chooseAlgorithm(op, nj, b, lm, req.algorithm);
    const start = net.now();
    const calls = subgroups.map((g, i) => ({
      op,
      ranks: g,
      bytes: b * repeat,
      copies,
      tag: req.tag * 64 + s * 4 + (i % 4),
    }));
    runAll(net, alg, calls, () =>
      net.schedule((repeat - 1) * alg.closedFormS(op, nj, 0, lm), () => {
        phases.push({
          tier: levels[j].tier,
          algorithm: alg.id,
          op,
          ranks: nj,
          bytes: b,
          startS: start,
          endS: net.now(),
        });
        runStep(s + 1);
      }),
    );
  };
  runStep(0);
}
