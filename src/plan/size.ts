// `plan size`: the smallest, cheapest or least-power cluster of each system that trains a model by a deadline (failures counted), and the systems side by side at equal power or floor area.
import { resolveSystem } from "../catalog/resolve.js";
import type { System } from "../catalog/types.js";
import { ZettasimError } from "../core/errors.js";
import { DAY, fmtInt } from "../core/units.js";
import { trainingWithFailures } from "../reliability/training.js";
import { deriveSpec } from "../report/derive.js";
import type { Scenario } from "../scenario/load.js";
import type { ModelConfig } from "../schema/model.js";
import type { PlanConfig } from "../schema/plan.js";
import type { TrainingConfig } from "../schema/training.js";
import { chipSupports, type TrainingPrecision } from "../training/config.js";
import { modelShape } from "../training/shape.js";
import type { Executor } from "./executor.js";
import { type PlannedLayout, planTrain } from "./train.js";
import type { TrainChunkResult, TrainTask } from "./train-search.js";

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
  unit: number;
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
      { footprint, ref, base, extensible: true, maxChips: 0, unit: 1, precision: "bf16" },
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
  return {
    footprint,
    ref,
    base,
    extensible,
    maxChips: extensible ? MAX_EXTENDED_CHIPS : base.chips,
    unit: base.tiers[0].groupSize,
    precision,
  };
}

/** Chip counts tried: the scale-up unit times powers of two up to the largest, plus the system's own size. */
function sizesOf(s: SystemCtx): number[] {
  const out = new Set<number>();
  for (let n = s.unit; n <= s.maxChips; n *= 2) out.add(n);
  if (!s.extensible) out.add(s.base.chips);
  return [...out].sort((a, b) => a - b);
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

/** Plans one size of one system exactly and adds time with failures, energy and cost. */
async function sizeOne(r: Runner, s: SystemCtx, chips: number, skipHopeless = true): Promise<SizedCluster> {
  const t = r.p.training;
  const tokens = t.trainTokens as number;
  const deadlineS = (r.p.plan.size?.deadlineDays ?? 0) * DAY;
  const fp = footprint(s, chips);
  const out: SizedCluster = { chips, ...fp, best: null, exact: true, meetsDeadline: false };
  // At the chip's peak with no overhead at all, 6 x active parameters x tokens: a size that misses the
  // deadline even so is not searched.
  const shape = modelShape(r.p.model);
  const floorS = (6 * shape.activeParams * tokens) / (chips * (s.base.chip.peakFlops[s.precision] ?? 1));
  if (skipHopeless && floorS > deadlineS) {
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
  r.onProgress?.(`${s.base.id}: ${fmtInt(chips)} chips`);
  let res: Awaited<ReturnType<typeof planTrain>>;
  try {
    res = await planTrain(
      { system, model: r.p.model, training, plan },
      { executor: r.executor, signal: r.signal },
    );
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
  if (!best) return out;
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
 * Cluster sizes within the budget, largest first: the scale-up unit times 2^k times 1, 1.25, 1.5 or 1.75 (sizes
 * a power-of-two batch can split: the odd factor goes to the pipeline), valid for the system (within its own
 * size, or a whole number of its second-outermost groups when it grows). Cost: one spec per candidate.
 */
function sizesWithin(s: SystemCtx, b: SizePlanResult["budget"]): number[] {
  const tiers = s.base.tiers;
  const grow = tiers.length > 1 ? tiers[tiers.length - 2].groupSize : s.unit;
  const out = new Set<number>();
  for (let n = s.unit; n <= s.maxChips; n *= 2) {
    for (const m of [1, 1.25, 1.5, 1.75]) {
      const c = n * m;
      if (!Number.isInteger(c) || c % s.unit !== 0 || c > s.maxChips) continue;
      if (c > s.base.chips && (!s.extensible || c % grow !== 0)) continue;
      out.add(c);
    }
  }
  if (!s.extensible) out.add(s.base.chips);
  return [...out]
    .filter((c) => {
      const fp = footprint(s, c);
      return (b.by === "power" ? fp.facilityPowerW : fp.floorM2) <= b.value;
    })
    .sort((a, b2) => b2 - a);
}

/**
 * Sizes every system for the deadline (sizes tried in increasing order until one meets it, then twice and four
 * times that for cost) and plans each at the side-by-side budget. Each size is an exact `planTrain` search
 * run on `executor`. Throws ZettasimError for a problem without tokens or deadline. Cost: one search per size.
 */
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
    const sizes: SizedCluster[] = [];
    let firstMeet = -1;
    for (const n of sizesOf(s)) {
      if (opts.signal?.aborted) break;
      if (firstMeet >= 0 && n > 4 * firstMeet) break;
      const c = await sizeOne(r, s, n);
      sizes.push(c);
      if (c.meetsDeadline && firstMeet < 0) firstMeet = n;
    }
    const meeting = sizes.filter((c) => c.meetsDeadline);
    const key = (c: SizedCluster) =>
      minimize === "cost" ? (c.costUsd ?? c.chips) : minimize === "power" ? c.facilityPowerW : c.chips;
    const choice = meeting.length ? meeting.reduce((a, b) => (key(b) < key(a) ? b : a)) : null;
    // The largest size within the budget that has a layout (at most four tries).
    let atBudget: SizedCluster | null = null;
    for (const n of sizesWithin(s, budget).slice(0, 4)) {
      if (opts.signal?.aborted) break;
      const c = sizes.find((x) => x.chips === n && !x.skipped) ?? (await sizeOne(r, s, n, false));
      if (c.best) {
        atBudget = c;
        break;
      }
    }
    out.push({
      system: s.base.id,
      name: s.base.name,
      precision: s.precision,
      extensible: s.extensible,
      maxChips: s.maxChips,
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
