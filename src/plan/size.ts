// `plan size`: the smallest, cheapest or least-power cluster of each system that trains a model by a deadline (failures counted), and the systems side by side at equal power or floor area.
import { resolveSystem } from "../catalog/resolve.js";
import type { System } from "../catalog/types.js";
import { requireArgument, ZettasimError } from "../core/errors.js";
import { DAY, fmtInt } from "../core/units.js";
import { trainingWithFailures } from "../reliability/training.js";
import type { Scenario } from "../scenario/load.js";
import type { ModelConfig } from "../schema/model.js";
import type { PlanConfig } from "../schema/plan.js";
import type { TrainingConfig } from "../schema/training.js";
import { chipSupports, type TrainingPrecision } from "../training/config.js";
import { modelShape } from "../training/shape.js";
import type { Executor } from "./executor.js";
import { type PlannedLayout, planTrain, THREADS_MIN_GROUPS } from "./train.js";
import { PreparedSearch, type TrainChunkResult, type TrainTask } from "./train-search.js";

/** A sizing question: a model, a job (sequence, batch, tokens), systems by reference, a deadline. */
export interface SizeProblem {
  model: ModelConfig;
  /** seqLength, globalBatchSize, trainTokens (required), precision, efficiency. */
  training: TrainingConfig;
  /** Catalog ids or inline/extends references. */
  systems: unknown[];
  plan: PlanConfig;
  /** The source scenario's reliability section, when any (rates, checkpoints, recovery). */
  reliability?: Scenario["file"]["reliability"];
}

/** One cluster size of one system, planned. */
export interface SizedCluster {
  chips: number;
  /** Whole-cluster figures at this size: facility power (W) and floor (m2), from the system's derived spec. */
  facilityPowerW: number;
  floorM2: number;
  /** Best layout (exact over the plan space), or null when none fits. */
  best: PlannedLayout | null;
  exact: boolean;
  /** Failure-free and with failures and checkpoints, s. */
  timeToTrainS?: number;
  effectiveTimeToTrainS?: number;
  goodput?: number;
  energyJ?: number;
  costUsd?: number;
  meetsDeadline: boolean;
  /** Searched for the deadline and no layout meets it even without failures (its fastest not worked out). */
  slowerThanDeadline?: boolean;
  /** Why this size was not searched, when it was not (too few chips even at peak). */
  skipped?: string;
}

export interface SystemSizing {
  system: string;
  name: string;
  precision: TrainingPrecision;
  /** Whether the catalog lets the system grow by chip count (switched outer tier). */
  extensible: boolean;
  maxChips: number;
  /** Chips per unit a buyer orders at each scale (cabinet or rack, then SuperPoD or scalable unit). */
  unitsChips: number[];
  /** Every size planned, by chips. */
  sizes: SizedCluster[];
  /** The chosen cluster for the deadline by the `minimize` rule, or null when no size meets it. */
  choice: SizedCluster | null;
  /** At the budget of the side-by-side table. */
  atBudget: SizedCluster | null;
}

export interface SizePlanResult {
  deadlineDays: number;
  minimize: "chips" | "cost" | "power";
  budget: { by: "power" | "floor"; value: number; unit: "W" | "m2" };
  systems: SystemSizing[];
  searches: number;
  cancelled: boolean;
}

/** Default systems compared when none are named. */
export const DEFAULT_SIZE_SYSTEMS = [
  "atlas-950-supercluster",
  "gb300-nvl72-cluster",
  "vr-nvl144-cluster",
  "tpu-v5p-pod",
];

/** Largest cluster tried for a system that grows by chip count. */
export const MAX_EXTENDED_CHIPS = 2 ** 21;

interface SystemCtx {
  footprint: Footprint;
  ref: unknown;
  base: System;
  extensible: boolean;
  maxChips: number;
  sizes: BuyableSizes;
  precision: TrainingPrecision;
}

/** The system at `chips` chips: itself, or grown by chip count when it can grow. */
function clusterAt(s: SystemCtx, chips: number): System {
  if (chips <= s.base.chips || !s.extensible) return s.base;
  const ref = typeof s.ref === "string" ? { extends: s.ref, chips } : { ...(s.ref as object), chips };
  return resolveSystem(ref, ["plan", "size", "systems"]);
}

function systemCtx(ref: unknown, i: number, allowed: TrainingPrecision[], footprint: Footprint): SystemCtx {
  const base = resolveSystem(ref, ["plan", "size", "systems", i]);
  let extensible = false;
  try {
    const grown = clusterAt(
      { footprint, ref, base, extensible: true, maxChips: 0, sizes: undefined as never, precision: "bf16" },
      base.chips * 2,
    );
    extensible = grown.chips === base.chips * 2 && grown.tiers.at(-1)?.groupSize === grown.chips;
  } catch (e) {
    if (!(e instanceof ZettasimError)) throw e;
  }
  const precision = allowed.find((p) => chipSupports(base.chip, p)) ?? "bf16";
  if (!chipSupports(base.chip, precision)) {
    throw new ZettasimError([
      {
        path: ["plan", "size", "systems", i],
        message: `${base.chip.name} supports none of ${allowed.join(", ")} nor bf16`,
        value: ref,
        expected: "a system whose chip trains in one of the allowed precisions",
      },
    ]);
  }
  const maxChips = extensible ? MAX_EXTENDED_CHIPS : base.chips;
  return { footprint, ref, base, extensible, maxChips, sizes: new BuyableSizes(base, maxChips), precision };
}

/**
 * The cluster sizes a buyer can order, smallest first: whole units of the system's tiers below the outermost
 * (cabinets or racks, then SuperPoDs or scalable units), each tier's unit used from its own size up to the next
 * tier's (Atlas 950: 64-NPU cabinets up to a SuperPoD, then whole 8,192-NPU SuperPoDs; GB300 NVL72: racks of 72),
 * up to the system's own size, or beyond it in the outermost inner tier's units when the system grows. Indexed
 * without listing them all (a grown cluster has tens of thousands). Cost O(tiers) per call.
 */
export class BuyableSizes {
  /** Chips per unit of each segment, its first size, and the index of its first size. */
  private readonly segs: { unit: number; first: number; last: number; index: number }[] = [];
  readonly count: number;

  constructor(system: System, maxChips: number) {
    const inner = system.tiers.slice(0, -1).map((t) => t.groupSize);
    const units = inner.length ? inner : [system.tiers[0].groupSize];
    let index = 0;
    units.forEach((unit, j) => {
      const next = j + 1 < units.length ? units[j + 1] : Number.POSITIVE_INFINITY;
      const last = Math.floor(Math.min(next - 1, maxChips) / unit) * unit;
      if (last < unit) return;
      this.segs.push({ unit, first: unit, last, index });
      index += last / unit;
    });
    // A fixed system that is not a whole number of units is also sold whole.
    const top = this.segs.at(-1);
    if (top && maxChips > top.last && maxChips === system.chips) {
      this.segs.push({ unit: maxChips - top.last, first: maxChips, last: maxChips, index });
      index++;
    }
    this.count = index;
  }

  /** The i-th size, chips (0 <= i < count). */
  at(i: number): number {
    let k = this.segs.length - 1;
    while (k > 0 && this.segs[k].index > i) k--;
    const sg = this.segs[k];
    return sg.first === sg.last ? sg.first : sg.first + (i - sg.index) * sg.unit;
  }

  /** Index of the smallest size with at least `chips` chips (count when none). */
  indexAtLeast(chips: number): number {
    for (const sg of this.segs) {
      if (chips > sg.last) continue;
      if (chips <= sg.first) return sg.index;
      return sg.index + Math.ceil((chips - sg.first) / sg.unit);
    }
    return this.count;
  }

  /** Chips per unit at each scale (what the buyer orders). */
  get units(): number[] {
    return this.segs.map((sg) => sg.unit);
  }

  /** Whether `chips` is one of the sizes. */
  has(chips: number): boolean {
    const i = this.indexAtLeast(chips);
    return i < this.count && this.at(i) === chips;
  }

  /**
   * Indexes of the round sizes, ascending: the first unit times 2^k or 3 x 2^k (sizes a power-of-two batch
   * splits well: at most a factor 3 left for the pipeline), and the largest size. Cost O(log count).
   */
  rounds(): number[] {
    const out = new Set<number>();
    const u = this.segs[0]?.unit ?? 1;
    const top = this.count > 0 ? this.at(this.count - 1) : 0;
    for (let n = u; n <= top; n *= 2)
      for (const c of [n, 1.5 * n]) if (this.has(c)) out.add(this.indexAtLeast(c));
    if (this.count > 0) out.add(this.count - 1);
    return [...out].sort((a, b) => a - b);
  }
}

/**
 * Whole-system facility power (W) and floor (m2) of a system: its derived spec (switches, optics, cabinets
 * counted). Supplied by the caller (the spec lives in report/, above the planner).
 */
export type Footprint = (system: System) => { facilityPowerW: number; floorM2: number };

/** Facility power and floor of `chips` chips: the grown system's footprint, or a share of a fixed system's. */
function footprint(s: SystemCtx, chips: number): { facilityPowerW: number; floorM2: number } {
  const sys = clusterAt(s, chips);
  const f = s.footprint(sys);
  const share = chips / sys.chips;
  return { facilityPowerW: f.facilityPowerW * share, floorM2: f.floorM2 * share };
}

interface Runner {
  p: SizeProblem;
  executor?: Executor<TrainTask, TrainChunkResult>;
  signal?: AbortSignal;
  onProgress?: (what: string) => void;
  searches: number;
}

/**
 * Plans one size of one system exactly and adds time with failures, energy and cost. `forDeadline`: only the
 * question whether it meets the deadline matters, so a size that cannot even at peak is not searched, and the
 * search prunes every layout slower than the deadline without failures (the fastest layout is the same when one
 * is within it; else the size misses and its fastest layout is not worked out).
 */
async function sizeOne(r: Runner, s: SystemCtx, chips: number, forDeadline = true): Promise<SizedCluster> {
  const t = r.p.training;
  const tokens = t.trainTokens as number;
  const deadlineS = (r.p.plan.size?.deadlineDays ?? 0) * DAY;
  const fp = footprint(s, chips);
  const out: SizedCluster = { chips, ...fp, best: null, exact: true, meetsDeadline: false };
  // At the chip's peak with no overhead at all, 6 x active parameters x tokens: a size that misses the
  // deadline even so is not searched.
  const shape = modelShape(r.p.model);
  const floorS = (6 * shape.activeParams * tokens) / (chips * (s.base.chip.peakFlops[s.precision] ?? 1));
  if (forDeadline && floorS > deadlineS) {
    out.skipped = `even at peak ${(floorS / DAY).toFixed(1)} days`;
    return out;
  }
  const system = clusterAt(s, chips);
  const training: TrainingConfig = { ...t, chips, precision: s.precision };
  const plan: PlanConfig = {
    ...r.p.plan,
    chips,
    objective: "stepTime",
    top: 1,
    size: undefined,
    serve: undefined,
  };
  plan.space = { ...(plan.space ?? {}), precision: [s.precision] };
  if (forDeadline) plan.constraints = { ...(plan.constraints ?? {}), deadlineDays: deadlineS / DAY };
  r.onProgress?.(`${s.base.id}: ${fmtInt(chips)} chips`);
  let res: Awaited<ReturnType<typeof planTrain>>;
  try {
    const problem = { system, model: r.p.model, training, plan };
    const prepared = new PreparedSearch(problem);
    // A small space runs in this thread, as `plan train` runs it: threads would cost more than they save.
    const executor = prepared.space.groups.length >= THREADS_MIN_GROUPS ? r.executor : undefined;
    res = await planTrain(problem, { executor, signal: r.signal, prepared });
  } catch (e) {
    // A size whose chips no layout divides (with this batch, heads and layers) has nothing to plan.
    if (e instanceof ZettasimError && e.issues[0]?.path.join(".") === "plan.space") {
      out.skipped = "no layout divides this many chips";
      return out;
    }
    throw e;
  }
  r.searches++;
  out.exact = res.exact;
  const best = res.top[0];
  if (!best) {
    if (forDeadline) out.slowerThanDeadline = true;
    return out;
  }
  out.best = best;
  const e = best.estimate;
  out.timeToTrainS = e.timeToTrainS;
  const sc: Scenario = {
    file: {
      system: s.ref as Scenario["file"]["system"],
      training: best.training,
      reliability: r.p.reliability,
    },
    system,
    model: r.p.model,
    seed: 1,
    name: system.id,
  };
  const f = trainingWithFailures(sc, e);
  if (f) {
    out.effectiveTimeToTrainS = f.effectiveTimeToTrainS;
    out.goodput = f.goodput;
    out.energyJ = f.effectiveTimeToTrainS * out.facilityPowerW;
    const price = r.p.plan.pricePerChipHourUsd;
    if (price !== undefined) out.costUsd = (chips * price * f.effectiveTimeToTrainS) / 3600;
    out.meetsDeadline = f.effectiveTimeToTrainS <= deadlineS;
  }
  return out;
}

/** The size of the budget: the first system's whole footprint unless the plan gives one. */
function budgetOf(p: SizeProblem, first: SystemCtx): SizePlanResult["budget"] {
  const o = p.plan.size;
  const by = o?.equalBy ?? "power";
  const f = first.footprint(first.base);
  if (by === "power") return { by, value: (o?.budgetMW ?? f.facilityPowerW / 1e6) * 1e6, unit: "W" };
  return { by, value: o?.budgetM2 ?? f.floorM2, unit: "m2" };
}

/**
 * Sizes to plan at the budget, largest first: the largest buyable size whose facility power (or floor) is within
 * it, found by bisection (footprint grows with chips), and the largest round size below it (`rounds`: one a
 * power-of-two batch splits well, where the largest may split badly). Cost: O(log sizes) footprints.
 */
function sizesWithin(s: SystemCtx, b: SizePlanResult["budget"]): number[] {
  if (b.by === "floor" && !(footprint(s, s.base.chips).floorM2 > 0))
    throw new ZettasimError([
      {
        path: ["plan", "size", "equalBy"],
        message: `${s.base.id} gives no floor area per cabinet, so it cannot be sized to a floor budget`,
        value: "floor",
        expected: "floorM2PerCabinet on the system, or equalBy: power",
      },
    ]);
  const bs = s.sizes;
  const fits = (c: number) => {
    const fp = footprint(s, c);
    return (b.by === "power" ? fp.facilityPowerW : fp.floorM2) <= b.value;
  };
  let lo = -1;
  let hi = bs.count;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(bs.at(mid))) lo = mid;
    else hi = mid;
  }
  if (lo < 0) return [];
  const round = bs.rounds().filter((i) => i < lo);
  return round.length ? [bs.at(lo), bs.at(round[round.length - 1])] : [bs.at(lo)];
}

/** Sizes between the last miss and the first hit planned one by one rather than bisected. */
export const SCAN_SIZES = 8;

/**
 * The smallest buyable size of one system that meets the deadline: the round sizes (`BuyableSizes.rounds`, steps
 * of 1.33x and 1.5x) from the smallest whose peak FLOP/s could (smaller ones cannot) until one meets it, then
 * bisection between the last miss and that one down to SCAN_SIZES sizes, which are all planned. Bisection takes time to train as falling
 * with chips, which divisibility breaks (a prime number of racks splits the batch badly): the sizes it skips are
 * not searched. With `minimize` cost or power, twice and four times the size are planned too. Returns every
 * size planned, by chips.
 */
async function sizeSystem(r: Runner, s: SystemCtx, minimize: string): Promise<SizedCluster[]> {
  const bs = s.sizes;
  const planned = new Map<number, SizedCluster>();
  const plan = async (i: number) => {
    const chips = bs.at(i);
    let c = planned.get(chips);
    if (!c) {
      c = await sizeOne(r, s, chips);
      planned.set(chips, c);
    }
    return c;
  };
  const t = r.p.training;
  const deadlineS = (r.p.plan.size?.deadlineDays ?? 0) * DAY;
  const peak = s.base.chip.peakFlops[s.precision] ?? 1;
  const floorChips = Math.ceil(
    (6 * modelShape(r.p.model).activeParams * (t.trainTokens as number)) / (peak * deadlineS),
  );
  let lo = bs.indexAtLeast(floorChips) - 1;
  let hi = -1;
  for (const i of bs.rounds()) {
    if (i <= lo) continue;
    if (r.signal?.aborted) break;
    if ((await plan(i)).meetsDeadline) {
      hi = i;
      break;
    }
    lo = i;
  }
  while (hi >= 0 && hi - lo - 1 > SCAN_SIZES && !r.signal?.aborted) {
    const mid = (lo + hi) >> 1;
    if ((await plan(mid)).meetsDeadline) hi = mid;
    else lo = mid;
  }
  // The last few sizes one by one: an awkward count (17 nodes) can miss where a rounder smaller one meets.
  for (let i = lo + 1; i < hi && !r.signal?.aborted; i++) {
    if ((await plan(i)).meetsDeadline) hi = i;
  }
  if (hi >= 0 && minimize !== "chips") {
    for (const f of [2, 4]) {
      const i = bs.indexAtLeast(f * bs.at(hi));
      if (i < bs.count && !r.signal?.aborted) await plan(i);
    }
  }
  return [...planned.values()].sort((a, b) => a.chips - b.chips);
}

/**
 * Sizes every system for the deadline (the smallest buyable size that meets it: see `sizeSystem`) and plans the
 * fastest of a few sizes within the side-by-side budget. Each size is an exact `planTrain` search
 * run on `executor`. Throws ZettasimError for a problem without tokens or deadline. Cost: one search per size.
 */
/** The fields of a SizeProblem that planSize reads (reliability is optional). */
const SIZE_PROBLEM_KEYS = ["model", "training", "systems", "plan"] as const;

export async function planSize(
  p: SizeProblem,
  opts: {
    /** Whole-system power and floor (the CLI passes the derived spec's). */
    footprint: Footprint;
    executor?: Executor<TrainTask, TrainChunkResult>;
    signal?: AbortSignal;
    onProgress?: (what: string) => void;
  },
): Promise<SizePlanResult> {
  requireArgument(p, "problem", "object", "a SizeProblem {plan, training, ...}", SIZE_PROBLEM_KEYS);
  const o = p.plan.size;
  if (!o) {
    throw new ZettasimError([
      {
        path: ["plan", "size"],
        message: "no sizing question",
        expected: "plan.size: { deadlineDays, ... } or --deadline-days",
      },
    ]);
  }
  if (p.training.trainTokens === undefined) {
    throw new ZettasimError([
      {
        path: ["training", "trainTokens"],
        message: "sizing needs the tokens to train on",
        expected: "training.trainTokens (or --tokens)",
      },
    ]);
  }
  const allowed = (p.plan.space?.precision ?? [p.training.precision ?? "bf16"]) as TrainingPrecision[];
  const systems = p.systems.map((ref, i) => systemCtx(ref, i, allowed, opts.footprint));
  const budget = budgetOf(p, systems[0]);
  const minimize = o.minimize ?? "chips";
  const r: Runner = { p, ...opts, searches: 0 };
  const out: SystemSizing[] = [];
  for (const s of systems) {
    const sizes = await sizeSystem(r, s, minimize);
    const meeting = sizes.filter((c) => c.meetsDeadline);
    const key = (c: SizedCluster) =>
      minimize === "cost" ? (c.costUsd ?? c.chips) : minimize === "power" ? c.facilityPowerW : c.chips;
    const choice = meeting.length ? meeting.reduce((a, b) => (key(b) < key(a) ? b : a)) : null;
    // The faster (failures counted) of the two sizes planned within the budget.
    let atBudget: SizedCluster | null = null;
    const days = (c: SizedCluster) => c.effectiveTimeToTrainS ?? c.timeToTrainS ?? Number.POSITIVE_INFINITY;
    for (const n of sizesWithin(s, budget)) {
      if (opts.signal?.aborted) break;
      const c = sizes.find((x) => x.chips === n && x.best) ?? (await sizeOne(r, s, n, false));
      if (c.best && (!atBudget || days(c) < days(atBudget))) atBudget = c;
    }
    out.push({
      system: s.base.id,
      name: s.base.name,
      precision: s.precision,
      extensible: s.extensible,
      maxChips: s.maxChips,
      unitsChips: s.sizes.units,
      sizes,
      choice,
      atBudget,
    });
  }
  return {
    deadlineDays: o.deadlineDays,
    minimize,
    budget,
    systems: out,
    searches: r.searches,
    cancelled: opts.signal?.aborted ?? false,
  };
}
