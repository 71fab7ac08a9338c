// Exact search of a training space, one chunk at a time: group bounds (memory floor, compute floor), then every layout a bound cannot exclude.
import { chipUsableMemoryBytes } from "../catalog/families/index.js";
import { pipelineSchedule } from "../catalog/schedules/index.js";
import { ZettasimError } from "../core/errors.js";
import type { Analysis } from "../training/analyze.js";
import type { ResolvedTraining } from "../training/config.js";
import { analysisMemoryBytes, facilityPowerW, prepareTraining } from "../training/estimate.js";
import { StagedTraining } from "../training/staged.js";
import { BestBy, type Ranked, TopK } from "./rank.js";
import { type Group, type TailConfig, type TrainProblem, TrainSpace } from "./train-space.js";

/** One evaluated layout: canonical index, chips, objective value, step time and memory. */
export interface Candidate extends Ranked {
  chips: number;
  stepTimeS: number;
  memoryBytes: number;
}

/** How the layouts of a chunk were settled; considered = evaluated + every pruned kind. */
export interface TrainCounts {
  evaluated: number;
  /** Evaluated, but over the memory limit or the deadline. */
  infeasible: number;
  /** Excluded by a group's memory floor. */
  prunedMemory: number;
  /** Excluded by a compute lower bound against the incumbent (or the deadline). */
  prunedCompute: number;
  /** Equal to an evaluated layout by symmetry (ZeRO stages where no data-parallel traffic exists). */
  prunedSymmetry: number;
  /** Groups the training model refused (should be none: the space only holds what it accepts). */
  rejectedGroups: number;
}

export const zeroCounts = (): TrainCounts => ({
  evaluated: 0,
  infeasible: 0,
  prunedMemory: 0,
  prunedCompute: 0,
  prunedSymmetry: 0,
  rejectedGroups: 0,
});

export function addCounts(a: TrainCounts, b: TrainCounts): void {
  a.evaluated += b.evaluated;
  a.infeasible += b.infeasible;
  a.prunedMemory += b.prunedMemory;
  a.prunedCompute += b.prunedCompute;
  a.prunedSymmetry += b.prunedSymmetry;
  a.rejectedGroups += b.rejectedGroups;
}

export const considered = (c: TrainCounts): number =>
  c.evaluated + c.prunedMemory + c.prunedCompute + c.prunedSymmetry;

/** The incumbent a chunk starts from: the k-th best objective value so far and the best value per chip count. */
export interface Incumbent {
  kth: number;
  byChips: [number, number][];
}

interface TaskBase {
  problem: TrainProblem;
  /** Same id, same problem: workers keep the prepared space between chunks. */
  problemId: string;
  k: number;
  incumbent: Incumbent;
}

/** Bound phase: groups [start, end) get their floors; their probe layouts are evaluated. */
export interface BoundTask extends TaskBase {
  kind: "train-bound";
  start: number;
  end: number;
}

/** Search phase: the listed groups, with their step-time floors and ZeRO memory masks from the bound phase. */
export interface SearchTask extends TaskBase {
  kind: "train-search";
  groups: number[];
  lbTimeS: number[];
  zeroMask: number[];
}

export type TrainTask = BoundTask | SearchTask;

export interface TrainChunkResult {
  counts: TrainCounts;
  top: Candidate[];
  /** Best layout per chip count found in this chunk. */
  best: Candidate[];
  /** Bound phase: per group of [start, end), a floor on any of its layouts' step time, s (+Infinity: none fits). */
  lbTimeS?: number[];
  /** Bound phase: per group, bit v set when no layout with ZeRO variant v fits in memory. */
  zeroMask?: number[];
}

/** Everything a worker keeps per problem. */
export class PreparedSearch {
  readonly space: TrainSpace;
  readonly staged: StagedTraining;
  /** Memory a layout may use per chip, bytes. */
  readonly capBytes: number;
  /** Objective value per second of step time, by chip count (every objective is linear in step time). */
  readonly perSecond = new Map<number, number>();
  /** Longest step meeting the deadline, s (+Infinity without one). */
  readonly maxStepS: number;
  private readonly probeCache = new Map<string, { zv: number; index: number }[]>();
  private readonly probeMasks = new Map<string, Uint8Array>();
  private readonly probePrefixes = new Map<string, Int32Array>();

  constructor(readonly problem: TrainProblem) {
    this.space = new TrainSpace(problem);
    const g = this.space.groups[0];
    if (!g) {
      throw new ZettasimError([
        {
          path: ["plan", "space"],
          message: "no layout of the space divides the chips, batch, heads and layers",
          value: problem.plan.space ?? {},
          expected: "a space with at least one layout the training model accepts",
        },
      ]);
    }
    const first = prepareTraining(
      problem.system,
      this.space.shape,
      this.space.trainingConfig(g, this.space.tails[g.tail][0]),
    );
    this.staged = StagedTraining.of(first);
    this.capBytes =
      chipUsableMemoryBytes(problem.system.chip) * (problem.plan.constraints?.memoryFraction ?? 1);
    const t = problem.training;
    const needTokens = (path: string[], what: string) => {
      if (t.trainTokens === undefined) {
        throw new ZettasimError([
          {
            path,
            message: `${what} needs the tokens to train on`,
            value: path.length > 2 ? problem.plan.constraints?.deadlineDays : problem.plan.objective,
            expected: "training.trainTokens in the scenario (or --tokens)",
          },
        ]);
      }
    };
    if (problem.plan.objective === "timeToTrain")
      needTokens(["plan", "objective"], "the timeToTrain objective");
    if (problem.plan.constraints?.deadlineDays !== undefined) {
      needTokens(["plan", "constraints", "deadlineDays"], "a deadline");
    }
    const tokensPerStep = t.globalBatchSize * t.seqLength;
    const objective = problem.plan.objective ?? "stepTime";
    const price = problem.plan.pricePerChipHourUsd ?? 1;
    for (const chips of this.space.d.chips) {
      let k = 1;
      if (objective === "timeToTrain") k = (t.trainTokens ?? tokensPerStep) / tokensPerStep;
      else if (objective === "cost") k = (chips * price) / 3600;
      else if (objective === "energy") k = facilityPowerW(problem.system, chips);
      this.perSecond.set(chips, k);
    }
    const days = problem.plan.constraints?.deadlineDays;
    this.maxStepS =
      days !== undefined && t.trainTokens !== undefined
        ? (days * 86400 * tokensPerStep) / t.trainTokens
        : Number.POSITIVE_INFINITY;
  }

  /** Cache key of a group's probes: its tail, whether it has data-parallel traffic, and its micro-batches. */
  private probeKey(g: Group): string {
    return `${g.tail}/${g.hasDp ? 1 : 0}/${g.microBatches}`;
  }

  /** probePrefix(g)[i]: probes among the group's first i tail positions. */
  probePrefix(g: Group): Int32Array {
    const key = this.probeKey(g);
    let p = this.probePrefixes.get(key);
    if (!p) {
      const m = this.probeMask(g);
      p = new Int32Array(m.length + 1);
      for (let i = 0; i < m.length; i++) p[i + 1] = p[i] + m[i];
      this.probePrefixes.set(key, p);
    }
    return p;
  }

  /** 1 at the tail positions of a group's probes. */
  probeMask(g: Group): Uint8Array {
    const key = this.probeKey(g);
    let m = this.probeMasks.get(key);
    if (!m) {
      m = new Uint8Array(this.space.tails[g.tail].length);
      for (const p of this.probes(g)) m[p.index] = 1;
      this.probeMasks.set(key, m);
    }
    return m;
  }

  /**
   * ZeRO variants of a group that are searched: all, except that without data-parallel traffic (one dense and
   * one expert data-parallel rank) every variant is one layout and the first stands for the others: each
   * stage's collectives span one rank and cost nothing, and nothing is sharded (a shard of one rank is the
   * whole), so ZeRO 0-3, resharding and shard groups leave time and memory alike (the bounds test checks it).
   */
  searchedVariants(g: Group): number[] {
    const zvs = this.space.zvs[g.tail];
    return g.hasDp ? zvs.map((_, i) => i) : [0];
  }

  /**
   * Tail positions of a group's probe layouts, by ZeRO variant (stage, and at stage 3 reshard and shard group):
   * the fewest stored activations (the first of full, selective, none in the domain), the most offload, the
   * first overlap settings (EP overlap off when allowed, else the first scheme), and every least-memory schedule (see
   * `leastMemorySchedules`). The least memory of a variant's probes is a floor for every layout of the group
   * with that variant: overlap changes times, never memory. Cost: O(tail) once per probe key, then O(1).
   */
  probes(g: Group): { zv: number; index: number }[] {
    const key = this.probeKey(g);
    const known = this.probeCache.get(key);
    if (known) return known;
    const tail = this.space.tails[g.tail];
    const d = this.space.d;
    const rc = (["full", "selective", "none"] as const).find((r) => d.recompute.includes(r));
    const scheds = leastMemorySchedules(tail, g.microBatches, g.pp);
    const f = tail[0].overlap;
    const scheme = tail[0].moeOverlap;
    const most = d.offload.length - 1;
    const out: { zv: number; index: number }[] = [];
    for (const zv of this.searchedVariants(g)) {
      for (const sched of scheds) {
        const index = tail.findIndex(
          (c) =>
            c.recompute === rc &&
            c.sched === sched &&
            c.zv === zv &&
            c.off === most &&
            c.overlap.tpComm === f.tpComm &&
            c.overlap.dpComm === f.dpComm &&
            c.overlap.epComm === f.epComm &&
            c.moeOverlap === scheme,
        );
        if (index >= 0) out.push({ zv, index });
      }
    }
    this.probeCache.set(key, out);
    return out;
  }
}

/**
 * Positions (TailConfig.sched) of the schedules a memory floor must probe, for `m` micro-batches over `p`
 * stages. A schedule shapes memory only through what it declares: its weight copies, the micro-batches the
 * first stage holds, and whether a rank holds mirrored stages (which changes the stages themselves). Within
 * the same mirroring, memory grows with both of the others (weights and activations scale by them; nothing
 * else in memory reads the schedule), so a schedule with no more copies and no more in flight than another
 * floors it; the probes are the schedules no other floors (the first of equals). Cost O(schedules^2).
 */
export function leastMemorySchedules(tail: TailConfig[], m: number, p: number): number[] {
  const kinds: { sched: number; mirrors: boolean; copies: number; inflight: number }[] = [];
  for (const c of tail) {
    if (kinds.some((k) => k.sched === c.sched)) continue;
    const s = pipelineSchedule(c.schedule);
    kinds.push({
      sched: c.sched,
      mirrors: s.mirrorsStages && p > 1,
      copies: s.weightCopies,
      inflight: s.inFlightMicroBatches(m, p, c.vpp),
    });
  }
  const floors = (a: (typeof kinds)[number], b: (typeof kinds)[number]) =>
    a.mirrors === b.mirrors && a.copies <= b.copies && a.inflight <= b.inflight;
  return kinds
    .filter((b, j) => kinds.every((a, i) => i === j || !floors(a, b) || (floors(b, a) && j < i)))
    .map((k) => k.sched);
}

/**
 * Step-time floor from one analysis: micro-batches x the most loaded rank's compute (plus recompute when
 * asked), s. The first and last stages count as their mean: a schedule that places them on one rank
 * (DualPipe's mirrored stages) runs that mean, and any other schedule runs at least it, so the floor holds for
 * every schedule of the group.
 */
export function computeFloor(a: Analysis, microBatches: number, withRecompute: boolean): number {
  const st = a.stages;
  const cost = (i: number) => st[i].computeS + (withRecompute ? st[i].recomputeS : 0);
  const n = st.length;
  let worst = n > 1 ? (cost(0) + cost(n - 1)) / 2 : cost(0);
  for (let i = 1; i < n - 1; i++) worst = Math.max(worst, cost(i));
  return microBatches * worst;
}

/** One chunk's search state: counts, local top-k and per-chip bests, and the incumbent it prunes against. */
class ChunkSearch {
  readonly counts = zeroCounts();
  readonly top: TopK<Candidate>;
  readonly best = new BestBy<Candidate>();
  /** Whether the last evaluation changed the top-k or a chip count's best (the cutoff then moves). */
  lastOffered = false;
  private readonly inKth: number;
  private readonly inBest: Map<number, number>;

  constructor(
    readonly ps: PreparedSearch,
    task: TaskBase,
  ) {
    this.top = new TopK(task.k);
    this.inKth = task.incumbent.kth;
    this.inBest = new Map(task.incumbent.byChips);
  }

  /** Whether no layout with objective value >= `v` on `chips` chips can matter (strictly worse than the incumbent). */
  prunable(v: number, chips: number): boolean {
    return v > this.limit(chips);
  }

  /** The objective value a layout on `chips` chips must not exceed to matter: above both the k-th best and the chip count's best. */
  limit(chips: number): number {
    const kth = Math.min(this.inKth, this.top.threshold);
    const best = Math.min(this.inBest.get(chips) ?? Number.POSITIVE_INFINITY, this.best.value(chips));
    return Math.max(kth, best);
  }

  /**
   * The step time above which a layout of group `g` cannot matter: the deadline's, or the incumbent's limit over
   * the group's objective value per second. Changes only when a layout is offered.
   */
  cutoffS(g: Group): number {
    return Math.min(this.ps.maxStepS, this.limit(g.chips) / (this.ps.perSecond.get(g.chips) ?? 1));
  }

  /** Evaluates one layout; returns its analysis. Counts it and offers it when it fits and meets the deadline. */
  evaluate(g: Group, t: ResolvedTraining, tailIndex: number): Analysis {
    const a = this.ps.staged.analyze(t);
    this.counts.evaluated++;
    this.lastOffered = false;
    const mem = analysisMemoryBytes(a);
    if (mem > this.ps.capBytes || a.stepTimeS > this.ps.maxStepS) {
      this.counts.infeasible++;
      return a;
    }
    const c: Candidate = {
      index: g.offset + tailIndex,
      chips: g.chips,
      value: (this.ps.perSecond.get(g.chips) ?? 1) * a.stepTimeS,
      stepTimeS: a.stepTimeS,
      memoryBytes: mem,
    };
    const kept = this.top.offer(c);
    this.lastOffered = this.best.offer(g.chips, c) || kept;
    return a;
  }

  result(lbTimeS?: number[], zeroMask?: number[]): TrainChunkResult {
    return {
      counts: this.counts,
      top: this.top.items,
      best: [...this.best.best.values()],
      lbTimeS,
      zeroMask,
    };
  }
}

/**
 * Bound phase for groups [start, end): evaluates each group's probes, whose least memory per ZeRO stage floors
 * the memory of every layout with that stage and whose compute floors the group's step time. Settled here
 * (floor +Infinity): a group none of whose stages fits (pruned by memory) and one whose compute floor is
 * already excluded by the incumbent (pruned by compute, often after its first probe). Cost: 1-8 evaluations
 * per group.
 */
export function boundChunk(ps: PreparedSearch, task: BoundTask): TrainChunkResult {
  const s = new ChunkSearch(ps, task);
  const lb: number[] = [];
  const masks: number[] = [];
  for (let gi = task.start; gi < task.end; gi++) {
    const g = ps.space.groups[gi];
    const tail = ps.space.tails[g.tail];
    let base: ResolvedTraining;
    try {
      base = ps.space.resolveGroup(g);
    } catch (e) {
      if (!(e instanceof ZettasimError)) throw e;
      s.counts.rejectedGroups++;
      lb.push(Number.POSITIVE_INFINITY);
      masks.push(0);
      continue;
    }
    const probes = ps.probes(g);
    const floorByZv = new Map<number, number>();
    let timeFloor = 0;
    let done = 0;
    const k = ps.perSecond.get(g.chips) ?? 1;
    for (const { zv, index } of probes) {
      const a = s.evaluate(g, TrainSpace.vary(base, tail[index]), index);
      done++;
      const mem = analysisMemoryBytes(a);
      floorByZv.set(zv, Math.min(floorByZv.get(zv) ?? Number.POSITIVE_INFINITY, mem));
      timeFloor = Math.max(timeFloor, computeFloor(a, g.microBatches, false));
      // The compute floor holds for every layout of the group: once it is out of reach the memory floors of
      // the other probes no longer matter.
      if (timeFloor > ps.maxStepS || s.prunable(k * timeFloor, g.chips)) break;
    }
    if (done < probes.length || timeFloor > ps.maxStepS || s.prunable(k * timeFloor, g.chips)) {
      s.counts.prunedCompute += tail.length - done;
      lb.push(Number.POSITIVE_INFINITY);
      masks.push(0);
      continue;
    }
    let mask = 0;
    for (const [zv, mem] of floorByZv) if (mem > ps.capBytes) mask |= 1 << zv;
    const fits = [...floorByZv.values()].some((mem) => mem <= ps.capBytes);
    if (!fits) {
      s.counts.prunedMemory += tail.length - probes.length;
      lb.push(Number.POSITIVE_INFINITY);
    } else lb.push(timeFloor);
    masks.push(mask);
  }
  return s.result(lb, masks);
}

/**
 * Search phase: every layout of the listed groups that no bound excludes is evaluated. Skipped whole: a group
 * whose step-time floor, as an objective value, exceeds both the k-th best value and the best for its chip
 * count; layouts of a ZeRO variant whose memory floor is over the limit; a recompute mode whose floor (compute
 * plus recompute) is excluded; a block sharing one pipeline (same recompute, schedule, TP and EP overlap)
 * whose pipeline time alone is excluded; a (recompute, schedule, ZeRO variant, offload) seen over the memory
 * limit; offload variants whose no-offload twin is excluded.
 * Probe layouts (evaluated in the bound phase) are skipped. Cost: a few microseconds per evaluated layout.
 */
export function searchChunk(ps: PreparedSearch, task: SearchTask): TrainChunkResult {
  const s = new ChunkSearch(ps, task);
  const d = ps.space.d;
  const epFloors = d.epComm.includes(false);
  for (let n = 0; n < task.groups.length; n++) {
    const g = ps.space.groups[task.groups[n]];
    const tail = ps.space.tails[g.tail];
    const probes = ps.probes(g);
    const k = ps.perSecond.get(g.chips) ?? 1;
    const floor = task.lbTimeS[n];
    if (floor > ps.maxStepS || s.prunable(k * floor, g.chips)) {
      s.counts.prunedCompute += tail.length - probes.length;
      continue;
    }
    const mask = task.zeroMask[n];
    const isProbe = ps.probeMask(g);
    const searched = new Uint8Array(32);
    for (const v of ps.searchedVariants(g)) searched[v] = 1;
    const base = ps.space.resolveGroup(g);
    const last = tail[tail.length - 1];
    const ends = ps.space.ends[g.tail];
    const probesUpTo = ps.probePrefix(g);
    /** Counts layouts [i, end) as pruned by the compute bound (probes among them were settled before). */
    const skip = (i: number, end: number) => {
      s.counts.prunedCompute += end - i - (probesUpTo[end] - probesUpTo[i]);
      return end - 1;
    };
    const rFloor = new Float64Array(d.recompute.length).fill(Number.NaN);
    const overMemory = new Uint8Array(last.mem + 1);
    const blockFloor = new Float64Array(last.block + 1).fill(Number.NaN);
    let twinStep = Number.NaN;
    let cut = s.cutoffS(g);
    for (let i = 0; i < tail.length; i++) {
      const c = tail[i];
      if (c.off === 0) twinStep = Number.NaN;
      // Compute floors first: a recompute mode or a block beyond the cutoff is skipped whole.
      if (rFloor[c.rc] > cut) {
        i = skip(i, ends.rc[i]);
        continue;
      }
      if (blockFloor[c.block] > cut) {
        i = skip(i, ends.block[i]);
        continue;
      }
      if (isProbe[i]) continue;
      if (!searched[c.zv]) {
        s.counts.prunedSymmetry++;
        continue;
      }
      if (mask & (1 << c.zv) || overMemory[c.mem]) {
        s.counts.prunedMemory++;
        continue;
      }
      // Offload only adds host-link time: the layout without it (same other knobs, just before) floors it.
      if (c.off > 0 && twinStep > cut) {
        s.counts.prunedCompute++;
        continue;
      }
      const a = s.evaluate(g, TrainSpace.vary(base, c), i);
      if (s.lastOffered) cut = s.cutoffS(g);
      if (analysisMemoryBytes(a) > ps.capBytes) overMemory[c.mem] = 1;
      if (c.off === 0) twinStep = a.stepTimeS;
      // ZeRO, DP overlap and offload leave the pipeline unchanged: its time floors the rest of the block.
      if (Number.isNaN(blockFloor[c.block])) blockFloor[c.block] = a.pipelineS;
      // With EP overlap, communication kernels slow the compute: only a layout without it floors them all.
      if (Number.isNaN(rFloor[c.rc]) && (g.ep === 1 || !epFloors || !c.overlap.epComm)) {
        rFloor[c.rc] = computeFloor(a, g.microBatches, true);
      }
    }
  }
  return s.result();
}

const prepared = new Map<string, PreparedSearch>();

/** Keeps `ps` as the prepared problem of `id` in this thread (an in-process search then reuses it). */
export function rememberPrepared(id: string, ps: PreparedSearch): void {
  prepared.clear();
  prepared.set(id, ps);
}

/** Runs one chunk of either phase, keeping the prepared problem for the next chunk with the same id. */
export function runTrainTask(task: TrainTask): TrainChunkResult {
  let ps = prepared.get(task.problemId);
  if (!ps) {
    prepared.clear();
    ps = new PreparedSearch(task.problem);
    prepared.set(task.problemId, ps);
  }
  return task.kind === "train-bound" ? boundChunk(ps, task) : searchChunk(ps, task);
}
