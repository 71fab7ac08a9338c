// The training layout space: every knob's domain, groups of layouts sharing their layer knobs and degrees, and each group's tail.
import { pipelineSchedule, scheduleIds } from "../catalog/schedules/index.js";
import type { System } from "../catalog/types.js";
import { ZettasimError } from "../core/errors.js";
import type { ModelConfig } from "../schema/model.js";
import type { PlanConfig } from "../schema/plan.js";
import type { TrainingConfig } from "../schema/training.js";
import {
  chipSupports,
  type MoeOverlap,
  type OffloadShares,
  type RecomputeMode,
  type ResolvedTraining,
  resolveTraining,
  type TrainingPrecision,
} from "../training/config.js";
import { facilityPowerW } from "../training/estimate.js";
import { frameworkProfile, type MoeDispatcher, type PrecisionRecipe } from "../training/frameworks.js";
import { recipeFor } from "../training/precision.js";
import { type ModelShape, modelShape } from "../training/shape.js";
import type { PipelineSchedule } from "../training/types.js";

/** A training search: the machine, the model, the fixed part of the job, and the plan section. Structured-clonable. */
export interface TrainProblem {
  system: System;
  model: ModelConfig;
  /** seqLength, globalBatchSize, trainTokens, efficiency; its layout knobs are ignored (the search sets them). */
  training: TrainingConfig;
  plan: PlanConfig;
}

/**
 * Layouts sharing chips, precision and its scaling recipe, CUDA graphs, degrees (tp, cp, pp, dp, ep, etp), the
 * MoE dispatcher, micro-batch and sequence parallelism: everything the per-layer costs and launch overheads read.
 */
export interface Group {
  chips: number;
  precision: TrainingPrecision;
  /** Scaling recipe of the low-precision GEMMs (undefined in bf16). */
  recipe: PrecisionRecipe | undefined;
  /** Kernels launched from a captured graph. */
  cudaGraphs: boolean;
  tp: number;
  cp: number;
  pp: number;
  dp: number;
  ep: number;
  etp: number;
  /** How MoE tokens reach their experts (the first of the domain where ep = 1: no exchange). */
  dispatcher: MoeDispatcher;
  mbs: number;
  sp: boolean;
  /** Micro-batches per pipeline per step. */
  microBatches: number;
  /** Whether any data-parallel communication exists (dense or expert replicas): else ZeRO stages coincide. */
  hasDp: boolean;
  /** Index into TrainSpace.tails. */
  tail: number;
  /** Canonical index of the group's first layout in the whole space. */
  offset: number;
}

/** How data parallelism shards model states: a ZeRO stage and, at stage 3 (FSDP), its options. */
export interface ZeroVariant {
  zero: number;
  /** ZeRO 3: parameters freed after the forward (undefined below stage 3: the framework's default, unused). */
  reshard: boolean | undefined;
  /** ZeRO 3: shard group in data-parallel ranks (undefined: hybrid sharding chosen from memory). */
  shard: number | undefined;
}

/** The knobs that vary inside a group. */
export interface TailConfig {
  recompute: RecomputeMode;
  schedule: PipelineSchedule;
  vpp: number;
  /** Position of (schedule, vpp) among the group's pipeline schedules. */
  sched: number;
  /** Position of the recompute mode in the domain. */
  rc: number;
  /** Index of the block sharing (recompute, schedule, TP overlap, EP overlap and scheme): one pipeline time. */
  block: number;
  zero: number;
  reshard: boolean | undefined;
  shard: number | undefined;
  /** Position of (zero, reshard, shard) among the group's ZeRO variants (at most 31). */
  zv: number;
  overlap: { tpComm: boolean; dpComm: boolean; epComm: boolean };
  /** How expert all-to-all is hidden while overlap.epComm is on ("none" when it is off). */
  moeOverlap: MoeOverlap;
  offload: OffloadShares;
  /** Position of the offload shares among the domain's (0: none offloaded when the domain allows). */
  off: number;
  /** Index of the (recompute, schedule, ZeRO variant, offload) combination: one memory figure. */
  mem: number;
}

/** Every value a knob takes, after defaults. */
export interface Domains {
  chips: number[];
  precision: TrainingPrecision[];
  /** Scaling recipes searched for each precision (bf16: none). */
  recipes: Record<TrainingPrecision, (PrecisionRecipe | undefined)[]>;
  cudaGraphs: boolean[];
  /** MoE dispatchers searched where ep > 1. */
  dispatcher: MoeDispatcher[];
  /** Schemes hiding expert all-to-all, searched while EP overlap is on. */
  moeOverlap: Exclude<MoeOverlap, "none">[];
  tp: number[] | undefined;
  pp: number[] | undefined;
  cp: number[] | undefined;
  ep: number[] | undefined;
  etp: (1 | "tp")[];
  vpp: number[] | undefined;
  mbs: number[] | undefined;
  maxMbs: number;
  minTokensPerCpRank: number;
  recompute: RecomputeMode[];
  zero: number[];
  reshard: boolean[];
  shard: (number | "auto")[];
  /** Offload shares to search, the all-zero one first when present. */
  offload: OffloadShares[];
  sp: boolean[];
  schedule: PipelineSchedule[];
  tpComm: boolean[];
  dpComm: boolean[];
  epComm: boolean[];
}

/** Default largest micro-batch searched, sequences (published Megatron/NeMo layouts use 1-4; 16 leaves room). */
export const DEFAULT_MAX_MICRO_BATCH = Number.POSITIVE_INFINITY;
/** Default fewest tokens per context-parallel rank (ring attention below ~1K tokens per rank is latency-bound). */
export const DEFAULT_MIN_TOKENS_PER_CP_RANK = 1;

const divisors = (n: number): number[] => {
  const out: number[] = [];
  for (let i = 1; i * i <= n; i++) {
    if (n % i === 0) {
      out.push(i);
      if (i * i !== n) out.push(n / i);
    }
  }
  return out.sort((a, b) => a - b);
};

const bad = (path: (string | number)[], message: string, value: unknown, expected: string): never => {
  throw new ZettasimError([{ path, message, value, expected }]);
};

/** Chip counts the plan covers: plan.chips (one, a list, or powers of two times the smallest from min to max), else training.chips, else the whole system. */
export function chipCounts(p: TrainProblem): number[] {
  const c = p.plan.chips;
  let out: number[];
  if (c === undefined) out = [p.training.chips ?? p.system.chips];
  else if (typeof c === "number") out = [c];
  else if (Array.isArray(c)) out = [...new Set(c)].sort((a, b) => a - b);
  else {
    if (c.max < c.min) bad(["plan", "chips", "max"], "max is below min", c.max, `at least ${c.min}`);
    out = [];
    for (let x = c.min; x <= c.max; x *= 2) out.push(x);
  }
  for (const x of out) {
    if (x > p.system.chips) {
      bad(
        ["plan", "chips"],
        `${x} chips but ${p.system.name} has ${p.system.chips}`,
        x,
        `at most ${p.system.chips}`,
      );
    }
  }
  const maxMW = p.plan.constraints?.maxPowerMW;
  if (maxMW !== undefined) {
    const within = out.filter((x) => facilityPowerW(p.system, x) <= maxMW * 1e6);
    if (within.length === 0) {
      bad(
        ["plan", "constraints", "maxPowerMW"],
        `even ${out[0]} chips draw ${(facilityPowerW(p.system, out[0]) / 1e6).toFixed(2)} MW`,
        maxMW,
        "a power budget the smallest cluster fits in",
      );
    }
    out = within;
  }
  return out;
}

/** Resolves each knob's domain from the plan section, checking what the user restricted. Cost O(1). */
export function domains(p: TrainProblem, shape: ModelShape): Domains {
  const s = p.plan.space ?? {};
  const chip = p.system.chip;
  const precision = (s.precision ?? [p.training.precision ?? "bf16"]) as TrainingPrecision[];
  precision.forEach((x, i) => {
    if (!chipSupports(chip, x)) {
      const have = (["bf16", "fp8", "fp4"] as const).filter((q) => chipSupports(chip, q));
      bad(
        ["plan", "space", "precision", i],
        `${chip.name} has no ${x} matrix units`,
        x,
        `one of ${have.join(", ")}`,
      );
    }
  });
  const moe = shape.experts > 0;
  const ov = s.overlap ?? {};
  const t = p.training;
  const fw = frameworkProfile(t.framework, ["training", "framework"]);
  const precisions = [...new Set(precision)];
  const published = t.moeOverlap != null && t.moeOverlap !== "none" ? t.moeOverlap : "dualpipe";
  return {
    chips: chipCounts(p),
    precision: precisions,
    recipes: recipeDomains(precisions, s.precisionRecipe, t.precisionRecipe ?? undefined, fw.fp8Recipe),
    cudaGraphs: s.cudaGraphs ? flags(s.cudaGraphs) : [t.cudaGraphs ?? fw.compiled],
    dispatcher: moe
      ? [...new Set(s.moeDispatcher ?? [t.moeDispatcher ?? fw.moeDispatcher])]
      : [fw.moeDispatcher],
    moeOverlap: [...new Set(s.moeOverlap ?? [published])],
    tp: s.tp,
    pp: s.pp,
    cp: s.cp,
    ep: moe ? s.ep : [1],
    etp: moe ? (s.etp ?? [1, "tp"]) : [1],
    vpp: s.vpp,
    mbs: s.microBatchSize,
    maxMbs: s.maxMicroBatchSize ?? DEFAULT_MAX_MICRO_BATCH,
    minTokensPerCpRank: s.minTokensPerCpRank ?? DEFAULT_MIN_TOKENS_PER_CP_RANK,
    recompute: [...new Set(s.recompute ?? (["none", "selective", "full"] as RecomputeMode[]))],
    zero: [...new Set(s.zero ?? [0, 1, 2, 3])].sort(),
    reshard: flags(s.reshardAfterForward).reverse(),
    shard: [...new Set(s.shardGroupSize ?? ["auto" as const])],
    offload: offloadShares(s.offload),
    sp: flags(s.sequenceParallel),
    schedule: [...new Set(s.schedule ?? scheduleIds)],
    tpComm: flags(ov.tpComm),
    dpComm: flags(ov.dpComm),
    epComm: moe ? flags(ov.epComm) : [false],
  };
}

/**
 * Recipes per precision: those listed that run its matmuls, else the run's own (its published recipe, else the
 * framework's fp8 recipe, nvfp4 for fp4); bf16 has none. A listed recipe whose precision is not searched is an
 * error naming it. Cost O(recipes).
 */
function recipeDomains(
  precisions: TrainingPrecision[],
  listed: PrecisionRecipe[] | undefined,
  published: PrecisionRecipe | undefined,
  frameworkFp8: PrecisionRecipe,
): Record<TrainingPrecision, (PrecisionRecipe | undefined)[]> {
  const runs = (r: PrecisionRecipe, q: TrainingPrecision) =>
    q !== "bf16" && recipeFor(q, r, frameworkFp8).id === r;
  (listed ?? []).forEach((r, i) => {
    if (!precisions.some((q) => runs(r, q))) {
      bad(
        ["plan", "space", "precisionRecipe", i],
        `recipe ${r} runs none of the precisions searched (${precisions.join(", ")})`,
        r,
        "a recipe of a searched precision (fp8: fp8-tensorwise, fp8-delayed, fp8-blockwise, fp8-rowwise, mxfp8; fp4: nvfp4)",
      );
    }
  });
  const out = { bf16: [undefined], fp8: [], fp4: [] } as Record<
    TrainingPrecision,
    (PrecisionRecipe | undefined)[]
  >;
  for (const q of precisions) {
    if (q === "bf16") continue;
    const mine = [...new Set((listed ?? []).filter((r) => runs(r, q)))];
    out[q] = mine.length ? mine : [recipeFor(q, published, frameworkFp8).id as PrecisionRecipe];
  }
  return out;
}

/** Every combination of the offload shares given (default 0 and 1 each), no offload first. */
function offloadShares(o: { optimizer?: number[]; weights?: number[]; activations?: number[] } | undefined) {
  const vals = (x: number[] | undefined) => [...new Set(x ?? [0, 1])].sort((a, b) => a - b);
  const out: OffloadShares[] = [];
  for (const optimizer of vals(o?.optimizer))
    for (const weights of vals(o?.weights))
      for (const activations of vals(o?.activations))
        out.push(Object.freeze({ optimizer, weights, activations }));
  return out;
}

/** A boolean knob's values, false first (the search relies on it: layouts without EP overlap floor the rest). */
const flags = (given: boolean[] | undefined): boolean[] =>
  [false, true].filter((x) => (given ?? [false, true]).includes(x));

const pick = (all: number[], only: number[] | undefined) =>
  only ? all.filter((x) => only.includes(x)) : all;

/** The whole space of one problem: groups in canonical order, their tails, and the count of layouts. */
export class TrainSpace {
  readonly shape: ModelShape;
  readonly d: Domains;
  readonly groups: Group[] = [];
  readonly tails: TailConfig[][] = [];
  /** ZeRO variants of each tail (index-aligned with tails). */
  readonly zvs: ZeroVariant[][] = [];
  /** Per tail position, where its recompute mode's layouts end and where its block ends (exclusive). */
  readonly ends: { rc: Int32Array; block: Int32Array }[] = [];
  /** Layouts in the space (every knob counted). */
  readonly total: number;
  private readonly tailIndex = new Map<string, number>();

  /** Enumerates the groups. Cost: O(groups), about a microsecond each. Throws ZettasimError for a bad plan section. */
  constructor(readonly problem: TrainProblem) {
    this.shape = modelShape(problem.model);
    this.d = domains(problem, this.shape);
    let offset = 0;
    for (const chips of this.d.chips) {
      for (const precision of this.d.precision) {
        for (const recipe of this.d.recipes[precision]) {
          for (const cudaGraphs of this.d.cudaGraphs) {
            for (const g of this.degrees(chips)) {
              for (const dispatcher of g.ep > 1 ? this.d.dispatcher : this.d.dispatcher.slice(0, 1)) {
                for (const mbs of this.microBatches(g.dp)) {
                  for (const sp of g.tp > 1 ? this.d.sp : [false]) {
                    const nEdp = (g.tp * g.cp * g.dp) / (g.ep * g.etp);
                    const hasDp = g.dp * g.cp > 1 || nEdp > 1;
                    const tail = this.tailFor(g.pp, g.tp > 1, g.ep > 1, hasDp, g.dp * g.cp);
                    this.groups.push({
                      chips,
                      precision,
                      recipe,
                      cudaGraphs,
                      ...g,
                      dispatcher,
                      mbs,
                      sp,
                      microBatches: problem.training.globalBatchSize / (g.dp * mbs),
                      hasDp,
                      tail,
                      offset,
                    });
                    offset += this.tails[tail].length;
                  }
                }
              }
            }
          }
        }
      }
    }
    this.total = offset;
  }

  /** Degrees (tp, cp, pp, dp, ep, etp) the model accepts for `chips`, in canonical order. */
  private *degrees(chips: number) {
    const s = this.shape;
    const t = this.problem.training;
    const tps = pick(divisors(s.heads), this.d.tp).filter(
      (tp) => chips % tp === 0 && (s.kvHeads % tp === 0 || tp % s.kvHeads === 0),
    );
    for (const tp of tps) {
      const cps = pick(divisors(t.seqLength), this.d.cp).filter(
        (cp) => (chips / tp) % cp === 0 && (this.d.cp || t.seqLength / cp >= this.d.minTokensPerCpRank),
      );
      for (const cp of cps) {
        const pps = pick(divisors(chips / (tp * cp)), this.d.pp).filter((pp) => pp <= s.layers);
        for (const pp of pps) {
          const dp = chips / (tp * cp * pp);
          if (t.globalBatchSize % dp !== 0) continue;
          const eps = s.experts > 0 ? pick(divisors(s.experts), this.d.ep) : [1];
          for (const ep of eps) {
            const etps = [...new Set(this.d.etp.map((e) => (e === "tp" ? tp : 1)))];
            for (const etp of etps) {
              if ((tp * cp * dp) % (ep * etp) !== 0) continue;
              yield { tp, cp, pp, dp, ep, etp };
            }
          }
        }
      }
    }
  }

  private microBatches(dp: number): number[] {
    const per = this.problem.training.globalBatchSize / dp;
    return pick(divisors(per), this.d.mbs).filter((m) => this.d.mbs || m <= this.d.maxMbs);
  }

  /** Interleaving depths for `pp` stages: the plan's list, else every depth >= 2 with pp x vpp dividing the layers. */
  vppFor(pp: number): number[] {
    const L = this.shape.layers;
    if (pp === 1) return [];
    if (this.d.vpp) return this.d.vpp.filter((v) => v >= 2 && v <= Math.floor(L / pp));
    const out: number[] = [];
    for (let v = 2; v * pp <= L; v++) if (L % (pp * v) === 0) out.push(v);
    return out;
  }

  /** ZeRO variants for `nDp` data-parallel ranks: stages below 3 once, stage 3 with each reshard and shard group. */
  private zeroVariants(nDp: number): ZeroVariant[] {
    const out: ZeroVariant[] = [];
    for (const zero of this.d.zero) {
      if (zero < 3) {
        out.push({ zero, reshard: undefined, shard: undefined });
        continue;
      }
      for (const shard of this.d.shard) {
        if (shard !== "auto" && (shard > nDp || nDp % shard !== 0)) continue;
        for (const reshard of this.d.reshard)
          out.push({ zero, reshard, shard: shard === "auto" ? undefined : shard });
      }
    }
    if (out.length > 31) {
      bad(
        ["plan", "space", "shardGroupSize"],
        `${out.length} ZeRO variants (stages, reshard settings and shard groups) for ${nDp} data-parallel ranks`,
        this.problem.plan.space?.shardGroupSize,
        "at most 31 together: fewer shard groups",
      );
    }
    return out;
  }

  /** Index of the tail of a group with this pipeline depth and these communication kinds (memoised). */
  private tailFor(pp: number, tp: boolean, ep: boolean, hasDp: boolean, nDp: number): number {
    const zvs = this.zeroVariants(nDp);
    const key = `${pp}/${tp}/${ep}/${hasDp}/${zvs.map((z) => `${z.zero}${z.reshard}${z.shard}`).join(",")}`;
    const known = this.tailIndex.get(key);
    if (known !== undefined) return known;
    const d = this.d;
    const scheds: [PipelineSchedule, number][] = [];
    if (pp === 1) scheds.push(["1f1b", 1]);
    else {
      for (const s of d.schedule)
        for (const v of pipelineSchedule(s).searchVirtualStages(pp, () => this.vppFor(pp)))
          scheds.push([s, v]);
    }
    // EP overlap: off, or on with each scheme searched.
    const epSettings: [boolean, MoeOverlap][] = ep
      ? d.epComm.flatMap((on): [boolean, MoeOverlap][] =>
          on ? d.moeOverlap.map((m): [boolean, MoeOverlap] => [true, m]) : [[false, "none"]],
        )
      : [[false, "none"]];
    // Order: the knobs that shape the pipeline (recompute, schedule, TP and EP overlap) outside the ones that
    // only change data-parallel, optimizer and host-link time (ZeRO variant, DP overlap, offload), so a block
    // of layouts shares one pipeline time; offload innermost, its no-offload twin first.
    const out: TailConfig[] = [];
    let block = 0;
    const nOff = d.offload.length;
    d.recompute.forEach((recompute, rc) => {
      scheds.forEach(([schedule, vpp], sched) => {
        for (const tpComm of tp ? d.tpComm : [false]) {
          for (const [epComm, moeOverlap] of epSettings) {
            zvs.forEach((z, zv) => {
              for (const dpComm of hasDp ? d.dpComm : [false]) {
                const overlap = { tpComm, dpComm, epComm };
                d.offload.forEach((offload, off) => {
                  const mem = ((rc * scheds.length + sched) * zvs.length + zv) * nOff + off;
                  out.push({
                    recompute,
                    schedule,
                    vpp,
                    sched,
                    rc,
                    block,
                    ...z,
                    zv,
                    overlap,
                    moeOverlap,
                    offload,
                    off,
                    mem,
                  });
                });
              }
            });
            block++;
          }
        }
      });
    });
    this.tails.push(out);
    this.zvs.push(zvs);
    const rcEnd = new Int32Array(out.length);
    const blockEnd = new Int32Array(out.length);
    for (let i = out.length - 1; i >= 0; i--) {
      const next = i + 1 < out.length ? out[i + 1] : undefined;
      rcEnd[i] = next && next.rc === out[i].rc ? rcEnd[i + 1] : i + 1;
      blockEnd[i] = next && next.block === out[i].block ? blockEnd[i + 1] : i + 1;
    }
    this.ends.push({ rc: rcEnd, block: blockEnd });
    this.tailIndex.set(key, this.tails.length - 1);
    return this.tails.length - 1;
  }

  /** The scenario `training` section of one layout, every knob explicit (what --emit writes). */
  trainingConfig(g: Group, c: TailConfig): TrainingConfig {
    const t = this.problem.training;
    const out: TrainingConfig = {
      seqLength: t.seqLength,
      globalBatchSize: t.globalBatchSize,
      microBatchSize: g.mbs,
      chips: g.chips,
      tp: g.tp,
      pp: g.pp,
      dp: g.dp,
      cp: g.cp,
      ep: g.ep,
      etp: g.etp,
      vpp: c.vpp,
      sequenceParallel: g.sp,
      recompute: c.recompute,
      zero: c.zero,
      precision: g.precision,
      schedule: c.schedule,
      overlap: { ...c.overlap },
      cudaGraphs: g.cudaGraphs,
    };
    if (g.recipe !== undefined) out.precisionRecipe = g.recipe;
    if (g.ep > 1) out.moeDispatcher = g.dispatcher;
    if (c.overlap.epComm) out.moeOverlap = c.moeOverlap;
    // What the run is built with, which the search does not vary.
    if (t.framework != null) out.framework = t.framework;
    if (t.moeImbalance != null) out.moeImbalance = t.moeImbalance;
    if (t.compile != null) out.compile = t.compile;
    if (c.reshard !== undefined) out.reshardAfterForward = c.reshard;
    if (c.shard !== undefined) out.shardGroupSize = c.shard;
    const o = c.offload;
    if (o.optimizer > 0 || o.weights > 0 || o.activations > 0) out.offload = { ...o };
    if (t.trainTokens !== undefined) out.trainTokens = t.trainTokens;
    if (t.efficiency !== undefined) out.efficiency = t.efficiency;
    return out;
  }

  /** The group's job resolved by the training model (defaults, checks), with the tail's first layout. Cost: ~1 us. */
  resolveGroup(g: Group): ResolvedTraining {
    // Without the FSDP options and offload: the base keeps the framework's defaults, which `vary` falls back on.
    const cfg = this.trainingConfig(g, this.tails[g.tail][0]);
    delete cfg.reshardAfterForward;
    delete cfg.shardGroupSize;
    delete cfg.offload;
    return resolveTraining(this.problem.system, this.shape, cfg);
  }

  /** `base` (a resolved layout of group g) changed to tail layout c: the fields resolveTraining sets from them. Cost O(1). */
  static vary(base: ResolvedTraining, c: TailConfig): ResolvedTraining {
    return {
      ...base,
      degrees: base.degrees.vpp === c.vpp ? base.degrees : { ...base.degrees, vpp: c.vpp },
      recompute: c.recompute,
      zero: c.zero,
      schedule: c.schedule,
      overlap: c.overlap,
      moeOverlap: c.overlap.epComm ? c.moeOverlap : base.moeOverlap,
      reshardAfterForward: c.reshard ?? base.reshardAfterForward,
      shardGroupSize: c.shard,
      offload: c.offload,
    };
  }

  /** Group and tail layout of a canonical layout index. Cost O(log groups). */
  locate(index: number): { group: Group; config: TailConfig } {
    let lo = 0;
    let hi = this.groups.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.groups[mid].offset <= index) lo = mid;
      else hi = mid - 1;
    }
    const group = this.groups[lo];
    return { group, config: this.tails[group.tail][index - group.offset] };
  }
}
