// `plan train`: exact branch-and-bound over a training space, run as chunks on any executor (this thread, worker threads, Web Workers).

import { requireArgument } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import type { ResolvedTraining } from "../training/config.js";
import type { TrainingEstimate } from "../training/estimate.js";
import { type Executor, inProcess } from "./executor.js";
import { BestBy, paretoFront, TopK } from "./rank.js";
import {
  addCounts,
  type Candidate,
  considered,
  type Incumbent,
  PreparedSearch,
  rememberPrepared,
  runTrainTask,
  type SearchTask,
  type TrainChunkResult,
  type TrainCounts,
  type TrainTask,
  zeroCounts,
} from "./train-search.js";
import { type Domains, type TrainProblem, TrainSpace } from "./train-space.js";

/** Progress of a running search. */
export interface TrainProgress {
  phase: "bound" | "search";
  /** Groups whose floors are known, of all groups (the bound phase's progress). */
  groupsBounded: number;
  groups: number;
  /** Layouts settled (the search phase's progress), of all layouts. */
  considered: number;
  total: number;
  evaluated: number;
  /** Best objective value so far (+Infinity before the first feasible layout). */
  bestValue: number;
  bestStepTimeS: number;
}

export interface PlanTrainOptions {
  executor?: Executor<TrainTask, TrainChunkResult>;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Layouts per search chunk (default: a sixteenth of the space per thread, within 20,000-2,000,000). */
  chunkLayouts?: number;
  /** The problem already prepared (its space built), to avoid building it twice. */
  prepared?: PreparedSearch;
}

/** One ranked layout with the training model's full estimate. */
export interface PlannedLayout {
  rank: number;
  /** Canonical index in the space. */
  index: number;
  /** Objective value (unit per the objective: s, USD, J per step, or s to train). */
  value: number;
  /** The scenario training section that reproduces it with `zettasim train`. */
  training: TrainingConfig;
  estimate: TrainingEstimate;
}

/** What a search found and how it got there. */
export interface TrainPlanResult {
  objective: string;
  /** Layouts in the space, groups, and each knob's values. */
  space: { layouts: number; groups: number; domains: Domains };
  counts: TrainCounts;
  /** Layouts settled: evaluated or excluded by a bound or by symmetry. */
  considered: number;
  evaluated: number;
  /** True when the best layout is proven optimal over the whole space. */
  exact: boolean;
  cancelled: boolean;
  /**
   * When not exact: a floor on the objective over the layouts not settled (null when the bound phase did
   * not finish) and the relative gap of the best found to it.
   */
  gap?: { lowerBound: number | null; relative: number | null };
  top: PlannedLayout[];
  /** Best layout per chip count, fewest chips first. */
  bestByChips: PlannedLayout[];
  /** Pareto front over (chips, step time) of the per-chip-count bests. */
  pareto: PlannedLayout[];
}

/**
 * Groups from which a search is worth spreading over threads: below it the bound phase is under a CPU-second
 * (about four evaluations per group), less than starting threads costs.
 */
export const THREADS_MIN_GROUPS = 50_000;

/** FNV-1a hash of the problem's JSON: workers keep one prepared space per id. Cost O(size). */
export function problemId(p: TrainProblem): string {
  const s = JSON.stringify(p);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${(h >>> 0).toString(16)}-${s.length}`;
}

/** 0..n-1 in bit-reversed order (0, n/2, n/4, 3n/4, ...): a stride that keeps halving. Cost O(n). */
export function bitReversed(n: number): number[] {
  let bits = 0;
  while (1 << bits < n) bits++;
  const out: number[] = [];
  for (let i = 0; i < 1 << bits; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
    if (r < n) out.push(r);
  }
  return out;
}

/** Merges chunk results into the global incumbent and counts. */
class Merger {
  readonly counts = zeroCounts();
  readonly top: TopK<Candidate>;
  readonly best = new BestBy<Candidate>();
  constructor(k: number) {
    this.top = new TopK(k);
  }
  add(r: TrainChunkResult): void {
    addCounts(this.counts, r.counts);
    this.top.offerAll(r.top);
    for (const c of r.best) this.best.offer(c.chips, c);
  }
  incumbent(): Incumbent {
    return { kth: this.top.threshold, byChips: [...this.best.best].map(([k, c]) => [k, c.value]) };
  }
  prunable(v: number, chips: number): boolean {
    return v > this.top.threshold && v > this.best.value(chips);
  }
}

/**
 * Finds the best layouts of `problem` over its whole space, exactly: the returned best is optimal unless the
 * run was cancelled (then `exact` is false and `gap` says how far it may be). Runs a bound phase (each
 * group's memory and compute floors) and a best-first search phase that skips every group a floor excludes.
 * Throws ZettasimError for a bad problem. Cost: see docs/planner.md; seconds for 10^6-10^8 layouts.
 */
export async function planTrain(
  problem: TrainProblem,
  opts: PlanTrainOptions = {},
): Promise<TrainPlanResult> {
  requireArgument(problem, "problem", "object", "a TrainProblem {system, model, training, ...}");
  const ps = opts.prepared ?? new PreparedSearch(problem);
  const space = ps.space;
  const id = problemId(problem);
  rememberPrepared(id, ps);
  const exec = opts.executor ?? inProcess(runTrainTask);
  const k = problem.plan.top ?? 10;
  const m = new Merger(Math.max(k, 2));
  const total = space.total;
  const groups = space.groups;
  let groupsBounded = 0;
  const lb = new Float64Array(groups.length).fill(Number.NaN);
  const zeroMask = new Int32Array(groups.length);
  const progress = (phase: TrainProgress["phase"]) => {
    const b = m.top.items[0];
    opts.onProgress?.({
      phase,
      groupsBounded,
      groups: groups.length,
      considered: considered(m.counts),
      total,
      evaluated: m.counts.evaluated,
      bestValue: b?.value ?? Number.POSITIVE_INFINITY,
      bestStepTimeS: b?.stepTimeS ?? Number.POSITIVE_INFINITY,
    });
  };
  // Bound phase, in ranges visited in bit-reversed order so that the first ones sample the whole space and
  // the incumbent they find lets later ranges settle most groups after one probe.
  const per = Math.min(2048, Math.max(64, Math.ceil(groups.length / (exec.threads * 32))));
  function* bounds(): Generator<TrainTask> {
    for (const r of bitReversed(Math.ceil(groups.length / per))) {
      const s = r * per;
      const end = Math.min(groups.length, s + per);
      yield {
        kind: "train-bound",
        problem,
        problemId: id,
        k: m.top.k,
        incumbent: m.incumbent(),
        start: s,
        end,
      };
    }
  }
  const r1 = await exec.run(
    bounds(),
    (r, _i, input) => {
      m.add(r);
      const t = input as TrainTask & { start: number; end: number };
      r.lbTimeS?.forEach((x, j) => {
        lb[t.start + j] = x;
      });
      r.zeroMask?.forEach((x, j) => {
        zeroMask[t.start + j] = x;
      });
      groupsBounded += t.end - t.start;
      progress("bound");
    },
    opts.signal,
  );
  // Search phase: groups best-first by their floor's objective value; settled groups (no layout fits) skipped.
  const order: number[] = [];
  const value = (gi: number) => (ps.perSecond.get(groups[gi].chips) ?? 1) * lb[gi];
  for (let gi = 0; gi < groups.length; gi++) if (Number.isFinite(lb[gi])) order.push(gi);
  order.sort((a, b) => value(a) - value(b) || a - b);
  const settled = new Uint8Array(groups.length);
  // Chunks of a sixteenth of the space per thread (within 20,000 - 2,000,000 layouts): few enough that a task's
  // fixed cost (cloning the problem, messages) stays small, enough that threads share the work.
  const chunkLayouts =
    opts.chunkLayouts ?? Math.min(2_000_000, Math.max(20_000, Math.ceil(total / (exec.threads * 16))));
  let r2 = { cancelled: false };
  if (!r1.cancelled) {
    let pos = 0;
    function* searches(): Generator<TrainTask> {
      while (pos < order.length) {
        const task: SearchTask = {
          kind: "train-search",
          problem,
          problemId: id,
          k: m.top.k,
          incumbent: m.incumbent(),
          groups: [],
          lbTimeS: [],
          zeroMask: [],
        };
        let layouts = 0;
        while (pos < order.length && layouts < chunkLayouts) {
          const gi = order[pos++];
          const g = groups[gi];
          const rest = space.tails[g.tail].length - ps.probes(g).length;
          if (lb[gi] > ps.maxStepS || m.prunable(value(gi), g.chips)) {
            m.counts.prunedCompute += rest;
            settled[gi] = 1;
            continue;
          }
          task.groups.push(gi);
          task.lbTimeS.push(lb[gi]);
          task.zeroMask.push(zeroMask[gi]);
          layouts += rest;
        }
        if (task.groups.length > 0) yield task;
        else progress("search");
      }
    }
    r2 = await exec.run(
      searches(),
      (r, _i, input) => {
        m.add(r);
        for (const gi of (input as SearchTask).groups) settled[gi] = 1;
        progress("search");
      },
      opts.signal,
    );
  }
  const cancelled = r1.cancelled || r2.cancelled;
  const result = finish(ps, m, k, cancelled);
  if (cancelled) {
    const gap = gapOf(ps, m, lb, settled, r1.cancelled);
    result.gap = gap;
    // Cut short, yet every layout not settled has a floor no better than the best: still proven.
    const best = m.top.items[0]?.value;
    if (best !== undefined && gap?.lowerBound != null && gap.lowerBound >= best) {
      result.exact = true;
    }
  }
  return result;
}

/** Floor over the groups not settled and the best found's distance to it. */
function gapOf(
  ps: PreparedSearch,
  m: Merger,
  lb: Float64Array,
  settled: Uint8Array,
  boundCut: boolean,
): TrainPlanResult["gap"] {
  const best = m.top.items[0]?.value ?? Number.POSITIVE_INFINITY;
  if (boundCut) return { lowerBound: null, relative: null };
  let floor = best;
  ps.space.groups.forEach((g, gi) => {
    // Settled: searched, or excluded by a bound; +Infinity: no layout of the group fits.
    if (settled[gi] || !Number.isFinite(lb[gi])) return;
    floor = Math.min(floor, (ps.perSecond.get(g.chips) ?? 1) * lb[gi]);
  });
  return { lowerBound: floor, relative: Number.isFinite(best) ? (best - floor) / best : null };
}

/** Full estimates for the chosen layouts. */
function finish(ps: PreparedSearch, m: Merger, k: number, cancelled: boolean): TrainPlanResult {
  const space = ps.space;
  const layout = (c: Candidate, rank: number): PlannedLayout => {
    const { group, config } = space.locate(c.index);
    const base: ResolvedTraining = space.resolveGroup(group);
    const estimate = ps.staged.evaluate(TrainSpace.vary(base, config));
    const training = space.trainingConfig(group, config);
    return { rank, index: c.index, value: c.value, training, estimate };
  };
  const top = m.top.items.slice(0, k).map((c, i) => layout(c, i + 1));
  const byChips = [...m.best.best.values()].sort((a, b) => a.chips - b.chips);
  const bestByChips = byChips.map((c) => layout(c, 0));
  const pareto = paretoFront(
    bestByChips,
    (l) => l.estimate.chips,
    (l) => l.estimate.stepTimeS,
  );
  return {
    objective: ps.problem.plan.objective ?? "stepTime",
    space: { layouts: space.total, groups: space.groups.length, domains: space.d },
    counts: m.counts,
    considered: considered(m.counts),
    evaluated: m.counts.evaluated,
    exact: !cancelled,
    cancelled,
    top,
    bestByChips,
    pareto,
  };
}
