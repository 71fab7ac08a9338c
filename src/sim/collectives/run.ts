// Runs a collective on a group of ranks: hierarchical decomposition over tiers, the algorithm per tier, chunks pipelined across the phases.
import { requireArgument, ZettasimError } from "../../core/errors.js";
import { NETWORK_KEYS, type Network } from "../network.js";
import { type Fabric, perTier } from "../topology/fabric.js";
import { type PhaseRecord, type PhaseSpec, runPhase } from "./phase.js";
import type { CollectiveOp } from "./types.js";

export type { PhaseRecord } from "./phase.js";

/**
 * Which algorithm a collective runs: "auto" (the cheapest per phase on its routes), "hierarchical" (the
 * same), one flat algorithm id for the whole group (no hierarchy), or one id per tier name ("*" for the
 * rest), each phase of the hierarchy running its tier's.
 */
export type AlgorithmSpec = string | Readonly<Record<string, string>>;

/** What the caller asks for. */
export interface CollectiveRequest {
  op: CollectiveOp;
  /** The group (a representative one when several identical groups run at once). */
  ranks: readonly number[];
  /** Bytes per rank, as in CollectiveCall. */
  bytes: number;
  /** Default "auto". */
  algorithm?: AlgorithmSpec;
  /**
   * Symmetric mode: simulate one representative subgroup per phase (one representative rank where every
   * step is uniform) and count the others as copies on shared links. Off: simulate every subgroup of
   * every group in `allGroups`.
   */
  symmetric: boolean;
  /** Every group running this op at the same time; defaults to [ranks]. A function is called only when needed. */
  allGroups?: readonly (readonly number[])[] | (() => readonly (readonly number[])[]);
  /**
   * How many groups of this op share a member at tier t (other tensor-parallel ranks' data-parallel
   * groups, for example): their messages count as copies on shared links. Default 1.
   */
  peerGroups?: (tier: number) => number;
  /**
   * The op happens this many times back to back (once per layer, say): simulated as one collective of
   * repeat x bytes plus (repeat - 1) x each phase's latency. Default 1.
   */
  repeat?: number;
  /**
   * Pipelining: the buffer splits into this many chunks, each going through the phases in turn, a phase
   * taking one chunk at a time (ASTRA-sim and NCCL pipeline chunks across dimensions). Default 1.
   */
  chunks?: number;
  tag: number;
  /** Ranks that arrive late: chip -> delay, s (see PhaseSpec.late; emptied as the phases meet them). */
  stragglers?: Map<number, number>;
  /** The scenario field the group comes from, for errors (default simulation.collective). */
  where?: (string | number)[];
}

/** Flat algorithms beyond this many ranks across tiers would be brute force: use hierarchical. */
export const MAX_FLAT_RANKS = 4096;

interface Level {
  tier: number;
  /** Ranks per subgroup at this level. */
  n: number;
}

const ordered = new WeakMap<readonly number[], { rs: readonly number[]; d: number }>();

/**
 * The group's ranks in ascending order (a copy only when they are not sorted already) and their common
 * difference when in arithmetic progression (else 0). Cost O(ranks) once per array (remembered).
 */
function ascending(ranks: readonly number[]): { rs: readonly number[]; d: number } {
  const hit = ordered.get(ranks);
  if (hit) return hit;
  let rs = ranks;
  for (let i = 1; i < ranks.length; i++) {
    if (ranks[i] < ranks[i - 1]) {
      rs = Float64Array.from(ranks).sort() as unknown as number[];
      break;
    }
  }
  const out = { rs, d: progression(rs) };
  ordered.set(ranks, out);
  return out;
}

/** The group's ranks in ascending order. */
const sorted = (ranks: readonly number[]) => ascending(ranks).rs;

/** The common difference of ranks in arithmetic progression (ascending), else 0. Cost O(ranks), one subtraction each. */
function progression(ranks: readonly number[]): number {
  const d = ranks.length > 1 ? ranks[1] - ranks[0] : 1;
  if (!(d > 0)) return 0;
  for (let i = 2; i < ranks.length; i++) if (ranks[i] - ranks[i - 1] !== d) return 0;
  return d;
}

/**
 * Runs of equal tier group (of G chips) in the sorted ranks: how many, and their common length (-1 when
 * they differ). For a progression (first, d) it steps block by block. Cost O(runs) for a progression,
 * else O(ranks).
 */
function runsOf(rs: readonly number[], G: number, d: number): { runs: number; len: number } {
  let runs = 0;
  let len = -2;
  const n = rs.length;
  if (d > 0) {
    for (let i = 0; i < n; ) {
      const end = Math.min(n, Math.floor(((Math.floor(rs[i] / G) + 1) * G - 1 - rs[0]) / d) + 1);
      len = len === -2 || len === end - i ? end - i : -1;
      runs++;
      i = end;
    }
    return { runs, len };
  }
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i === n || Math.floor(rs[i] / G) !== Math.floor(rs[i - 1] / G)) {
      len = len === -2 || len === i - start ? i - start : -1;
      runs++;
      start = i;
    }
  }
  return { runs, len };
}

/**
 * The tiers a group spans and how many subgroups each joins, innermost first; undefined when the
 * group is not uniform (tier groups holding different numbers of its ranks). Cost O(ranks) to check
 * for a progression, then O(tier groups touched) per tier; O(ranks x tiers) otherwise.
 */
export function levelsOf(fabric: Fabric, ranks: readonly number[]): Level[] | undefined {
  const { rs, d } = ascending(ranks);
  const levels: Level[] = [];
  let prev = rs.length;
  for (let t = 0; t < fabric.groupSize.length; t++) {
    const { runs, len } = runsOf(rs, fabric.groupSize[t], d);
    if (len < 0) return undefined;
    if (runs < prev) {
      if (prev % runs !== 0) return undefined;
      levels.push({ tier: t, n: prev / runs });
    }
    prev = runs;
    if (runs === 1) break;
  }
  return levels;
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

/** One phase of the plan: the op it runs at level j (or flat), and the buffer it sees per byte of the request. */
interface Stage {
  op: CollectiveOp;
  /** Level index, or -1 for a flat run over the whole group. */
  j: number;
  bytesFactor: number;
}

/** Reduce-scatter up the tiers (none for all-gather), the op at the top, all-gather back down (none for reduce-scatter). */
function hierarchicalStages(op: CollectiveOp, levels: Level[]): Stage[] {
  const L = levels.length;
  const stages: Stage[] = [];
  let f = 1;
  const shrink: number[] = [];
  for (let j = 0; j < L - 1; j++) {
    shrink.push(f);
    if (op !== "all-gather") stages.push({ op: "reduce-scatter", j, bytesFactor: f });
    f /= levels[j].n;
  }
  stages.push({ op, j: L - 1, bytesFactor: f });
  if (op !== "reduce-scatter")
    for (let j = L - 2; j >= 0; j--) stages.push({ op: "all-gather", j, bytesFactor: shrink[j] });
  return stages;
}

/** The algorithm asked for at a tier, and the field it came from. */
function askedAt(
  spec: AlgorithmSpec | undefined,
  tierName: string,
): { asked: string; path: (string | number)[] } {
  if (spec === undefined || typeof spec === "string")
    return {
      asked: spec === undefined || spec === "hierarchical" ? "auto" : spec,
      path: ["simulation", "algorithm"],
    };
  const key = Object.hasOwn(spec, tierName) ? tierName : "*";
  return { asked: spec[key] ?? "auto", path: ["simulation", "algorithm", key] };
}

/**
 * Throws a ZettasimError (at `where`) for a group of more than MAX_FLAT_RANKS ranks that spans several
 * tiers unevenly: it cannot run hierarchically and flat it would be brute force. Cost O(ranks x tiers).
 */
export function checkEven(
  fabric: Fabric,
  op: CollectiveOp,
  ranks: readonly number[],
  where: (string | number)[],
  levels = levelsOf(fabric, ranks),
): void {
  const n = ranks.length;
  if (levels || n <= MAX_FLAT_RANKS || fabric.tierOf(ranks[0], ranks[n - 1]) === 0) return;
  throw new ZettasimError([
    {
      path: where,
      message: `a ${op} group of ${n} ranks sits unevenly over the system's tiers (their tier groups hold different numbers of its ranks), so it cannot run hierarchically, and flat it is brute force`,
      value: n,
      expected: `groups that split evenly over the tiers (a parallelism whose groups align with tier groups), or at most ${MAX_FLAT_RANKS} ranks`,
    },
  ]);
}

/**
 * Runs one collective and calls `done(phases)` when every rank has finished. Hierarchical: reduce-scatter
 * inside the innermost tier, then across each tier outward, the op at the top, all-gather back down
 * (all-gather and reduce-scatter use the matching half; all-to-all and send-recv run flat). Each phase
 * runs its tier's algorithm (chosen on its routes when "auto"). With chunks, the buffer's pieces flow
 * through the phases as a pipeline. Symmetric mode simulates one representative per equivalence class
 * (see runPhase); full mode every subgroup of every group. Cost: the phases' events.
 */
export function runCollective(
  net: Network,
  req: CollectiveRequest,
  done: (phases: PhaseRecord[]) => void,
): void {
  requireArgument(net, "net", "object", "a Network (makeNetwork or new FlowNetwork gives one)", NETWORK_KEYS);
  requireArgument(req, "req", "object", "a CollectiveRequest {op, ranks, bytes, ...}", [
    "op",
    "ranks",
    "bytes",
  ]);
  if (req.ranks.length <= 1 || !(req.bytes >= 0)) {
    net.schedule(0, () => done([]));
    return;
  }
  const phases = planCollective(net.topology, req);
  pipeline(net, phases, req.bytes, Math.max(1, Math.floor(req.chunks ?? 1)), done);
}

/** One phase of a collective's plan: its spec, and the share of the request's buffer it sees per rank. */
export interface PlannedPhase {
  spec: PhaseSpec;
  bytesFactor: number;
}

/**
 * The phases a collective runs (see runCollective), in order: flat, or reduce-scatter up the tiers, the
 * op at the top and all-gather back down. Throws ZettasimError for a flat run over too many ranks or an
 * uneven group. Shared by the run and its up-front estimate. Cost O(ranks x tiers).
 */
export function planCollective(fabric: Fabric, req: CollectiveRequest): PlannedPhase[] {
  const n = req.ranks.length;
  const levels = levelsOf(fabric, req.ranks);
  const flatId =
    typeof req.algorithm === "string" && req.algorithm !== "auto" && req.algorithm !== "hierarchical";
  const flat = req.op === "all-to-all" || req.op === "send-recv" || !levels || levels.length <= 1 || flatId;
  if (flat && levels && levels.length > 1 && n > MAX_FLAT_RANKS) {
    throw new ZettasimError([
      {
        path: ["simulation", "algorithm"],
        message: `a flat ${req.op} over ${n} ranks spanning ${levels.length} tiers is brute force`,
        value: req.algorithm,
        expected: `hierarchical, auto or one algorithm per tier for groups over ${MAX_FLAT_RANKS} ranks`,
      },
    ]);
  }
  checkEven(fabric, req.op, req.ranks, req.where ?? ["simulation", "collective"], levels);
  const stages: Stage[] = flat
    ? [{ op: req.op, j: -1, bytesFactor: 1 }]
    : hierarchicalStages(req.op, levels!);
  const all = once(() =>
    typeof req.allGroups === "function" ? req.allGroups() : (req.allGroups ?? [req.ranks]),
  );
  return stages.map((st, s) => ({
    spec: stageSpec(fabric, req, levels ?? [], st, s, all),
    bytesFactor: st.bytesFactor,
  }));
}

/** A function computing `f()` on its first call and returning that value after. */
function once<T>(f: () => T): () => T {
  let v: { x: T } | undefined;
  return () => {
    v ??= { x: f() };
    return v.x;
  };
}

/** Members (at tier t) a subgroup's ranks sit in, sorted. */
function membersAt(fabric: Fabric, g: readonly number[], t: number): number[] {
  const G = fabric.groupSize[t];
  const S = fabric.memberSize[t];
  return [...new Set(g.map((r) => Math.floor((r % G) / S)))].sort((a, b) => a - b);
}

/** Whether every link of tier t serves one member at an end (no link shared by many: a spine, a rail). Cost O(links of a group), cached. */
const everyLinkOwned = perTier((fabric, t): boolean => {
  const net = fabric.tiers[t];
  const ends = new Int32Array(2);
  let ok = net.membersInterchangeable;
  for (let l = 0; l < net.linkCount && ok; l++) {
    net.linkMembers(l, ends);
    ok = ends[0] >= 0 || ends[1] >= 0;
  }
  return ok;
});

/**
 * Whether the other subgroups of a phase's tier group leave the representative's links to its copies:
 * each sits on exactly the representative's members (a copy at another position, counted by copiesAt),
 * or on members disjoint from them on a tier whose every link belongs to one member and whose members
 * are interchangeable (so no message of theirs crosses the representative's links). Otherwise (a torus
 * or mesh, where another group's route can pass through the representative's links; partly shared
 * members) the representative cannot stand for them. Cost O(ranks of the tier group's subgroups).
 */
export function othersAreCopies(
  fabric: Fabric,
  t: number,
  rep: readonly number[],
  others: readonly (readonly number[])[],
): boolean {
  const mine = membersAt(fabric, rep, t);
  const set = new Set(mine);
  let disjoint = false;
  for (const g of others) {
    const ms = membersAt(fabric, g, t);
    if (ms.length === mine.length && ms.every((x, i) => x === mine[i])) continue;
    if (ms.some((x) => set.has(x))) return false;
    disjoint = true;
  }
  return !disjoint || everyLinkOwned(fabric, t);
}

/** The phase spec of one stage: its representative subgroup, the subgroups sharing its links, its copies. */
function stageSpec(
  fabric: Fabric,
  req: CollectiveRequest,
  levels: Level[],
  st: Stage,
  s: number,
  all: () => readonly (readonly number[])[],
): PhaseSpec {
  const subgroups = (g: readonly number[], onlyFirst: boolean) =>
    st.j < 0 ? [g as number[]] : phaseGroups(g, levels, st.j, onlyFirst);
  const rep = subgroups(req.ranks, true)[0];
  const tier = st.j < 0 ? fabric.tierOf(rep[0], rep[rep.length - 1]) : levels[st.j].tier;
  const lower = st.j < 0 ? 1 : levels.slice(0, st.j).reduce((a, l) => a * l.n, 1);
  const peer = req.peerGroups ?? (() => 1);
  const home = Math.floor(rep[0] / fabric.groupSize[tier]);
  const { asked, path } = askedAt(req.algorithm, fabric.system.tiers[tier].name);
  const sameGroup = once(() =>
    all()
      .flatMap((g) => subgroups(g, false))
      .filter((g) => Math.floor(g[0] / fabric.groupSize[tier]) === home),
  );
  return {
    op: st.op,
    tier,
    rep,
    sameGroup,
    // One collective's subgroups of a phase sit on the same members (hierarchical) or are the group
    // itself (flat); other groups of an iteration's op may sit elsewhere.
    copiesExact: () => req.allGroups === undefined || othersAreCopies(fabric, tier, rep, sameGroup()),
    everywhere: () => all().flatMap((g) => subgroups(g, false)),
    // A flat phase's messages cross several tiers; each counts its tier's peers.
    copiesAt: st.j < 0 ? peer : () => lower * peer(tier),
    symmetric: req.symmetric,
    asked,
    askedPath: path,
    repeat: req.repeat ?? 1,
    tag: req.tag * 64 + s,
    late: req.stragglers,
  };
}

/**
 * Runs the stages as a pipeline of `chunks` equal pieces: chunk c enters stage s once it has left stage
 * s-1 and chunk c-1 has left stage s (one chunk per stage at a time, in order). With one chunk, the
 * stages run one after another. Records one phase per stage spanning its chunks.
 */
function pipeline(
  net: Network,
  phases: PlannedPhase[],
  bytes: number,
  chunks: number,
  done: (phases: PhaseRecord[]) => void,
): void {
  const S = phases.length;
  const records: (PhaseRecord | undefined)[] = new Array(S);
  const busy = new Uint8Array(S);
  const queued: number[][] = phases.map(() => []);
  let finished = 0;
  const offer = (s: number, c: number) => {
    if (s === S) {
      if (++finished === chunks) done(records as PhaseRecord[]);
      return;
    }
    queued[s].push(c);
    pump(s);
  };
  const pump = (s: number) => {
    if (busy[s] || queued[s].length === 0) return;
    const c = queued[s].shift()!;
    busy[s] = 1;
    runPhase(net, phases[s].spec, (bytes * phases[s].bytesFactor) / chunks, chunks, (r) => {
      const prev = records[s];
      records[s] = prev ? { ...prev, endS: r.endS } : r;
      busy[s] = 0;
      pump(s);
      offer(s + 1, c);
    });
  };
  for (let c = 0; c < chunks; c++) offer(0, c);
}
