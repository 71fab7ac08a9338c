// Training estimate: step time, throughput, MFU/HFU, memory per chip and whether it fits, time and energy to train.
import { chipUsableMemoryBytes } from "../catalog/families/index.js";
import type { System } from "../catalog/types.js";
import { type Adjustment, assertFinite, requireArgument, requireSystem } from "../core/errors.js";
import type { ModelConfig } from "../schema/model.js";
import type { TrainingConfig } from "../schema/training.js";
import { type Analysis, analyze, type Inputs, type LayerCosts, layerCosts } from "./analyze.js";
import { type ResolvedTraining, resolveTraining } from "./config.js";
import { type EfficiencyOverride, trainingEfficiency, withOverrides } from "./efficiency.js";
import { type ModelShape, modelShape } from "./shape.js";
import type { ParallelDegrees, PipelineSchedule } from "./types.js";

/** Exposed time per step by cause, s; the parts sum to stepTimeS. */
export interface TrainingBreakdown {
  /** Forward and backward compute of the bottleneck stage (GEMMs, attention, memory-bound ops), excluding recompute. */
  computeS: number;
  recomputeS: number;
  /** Communication left exposed after overlap, per parallelism. */
  tpCommS: number;
  cpCommS: number;
  epCommS: number;
  ppCommS: number;
  dpCommS: number;
  /** Pipeline fill and drain. */
  bubbleS: number;
  optimizerS: number;
  /** Megatron-Core's NaN check of the gradient buckets before their reduce (`checkForNanInGrad`). */
  gradCheckS: number;
  /** Host-link transfers of offloaded state left exposed. */
  offloadS: number;
}

export interface MemoryBreakdown {
  weightsBytes: number;
  gradientsBytes: number;
  optimizerBytes: number;
  activationsBytes: number;
  buffersBytes: number;
}

/** Result of one training evaluation. Every number is finite; units in the names. */
export interface TrainingEstimate {
  chips: number;
  degrees: ParallelDegrees;
  schedule: PipelineSchedule;
  microBatches: number;
  tokensPerStep: number;
  stepTimeS: number;
  tokensPerSecond: number;
  tokensPerSecondPerChip: number;
  /** Model FLOPs utilisation against the dense peak at the training precision (Megatron/PaLM FLOP convention). */
  mfu: number;
  /** Hardware FLOPs utilisation (recompute counted). */
  hfu: number;
  /** Model FLOP/s per chip, in TFLOP/s (10^12). */
  modelTflopsPerChip: number;
  modelFlopsPerStep: number;
  hardwareFlopsPerStep: number;
  totalParams: number;
  activeParams: number;
  memoryPerChipBytes: number;
  memoryCapacityBytes: number;
  fitsInMemory: boolean;
  memoryBreakdownBytes: MemoryBreakdown;
  /** What offload keeps in host memory per chip (not in memoryPerChipBytes), bytes. */
  hostMemoryBytes: number;
  breakdownS: TrainingBreakdown;
  /** Largest part of the breakdown, by name. */
  bottleneck: keyof TrainingBreakdown;
  /** Power of the chips used plus their share of system per-group power, times PUE, W. */
  facilityPowerW: number;
  /** What the estimate assumed where the file was silent or as given: number format, recompute, sharding. */
  assumed: {
    precision: ResolvedTraining["precision"];
    recompute: ResolvedTraining["recompute"];
    /** ZeRO stage: 0 replicated, 1 optimizer state sharded over dp, 2 + gradients, 3 + weights. */
    zero: number;
    sequenceParallel: boolean;
    overlap: ResolvedTraining["overlap"];
  };
  /** Values given in the file that the model replaced, with the reason. */
  adjustments: Adjustment[];
  /** Present when the training section gives trainTokens. */
  timeToTrainS?: number;
  energyToTrainJ?: number;
}

/** A scenario resolved once (model shape, parallel layout, efficiency profile) and evaluated many times. */
export interface PreparedTraining extends Inputs {
  t: ResolvedTraining;
  /**
   * The job's per-layer costs (analyze.ts `layerCosts`: they read only the four inputs), computed once by
   * prepareTraining, with the inputs they were computed for: a copy with another system, shape, job or profile
   * (`{ ...p, t }`) is costed afresh (`preparedLayers`).
   */
  layers?: { for: Inputs; costs: LayerCosts };
}

/**
 * Resolves and checks a training job once. Throws ZettasimError naming the training field at fault.
 * `efficiency` overrides the chip family's profile. Cost O(tiers) (the per-layer costs), no parsing.
 */
export function prepareTraining(
  system: System,
  model: ModelConfig | ModelShape,
  training: TrainingConfig,
  efficiency?: EfficiencyOverride,
  path: (string | number)[] = ["training"],
): PreparedTraining {
  requireTrainingArguments(system, model, training);
  const shape = "totalParams" in model ? model : modelShape(model);
  const t = resolveTraining(system, shape, training, path);
  const eff = withOverrides(trainingEfficiency(system.chip), efficiency ?? training.efficiency);
  const inputs: Inputs = { system, shape, t, eff };
  return { system, shape, t, eff, layers: { for: inputs, costs: layerCosts(inputs) } };
}

/**
 * The per-layer costs of a prepared job: those prepareTraining computed when they were computed for these very
 * inputs (same system, shape, job and profile objects), else computed now. Cost O(1), or layerCosts' O(tiers).
 */
export function preparedLayers(p: PreparedTraining): LayerCosts {
  const l = p.layers;
  if (l) {
    const x = l.for;
    if (x.system === p.system && x.shape === p.shape && x.t === p.t && x.eff === p.eff) return l.costs;
  }
  return layerCosts(p);
}

/** The kind check of a training job's three arguments, where a public function first receives them. */
function requireTrainingArguments(system: unknown, model: unknown, training: unknown): void {
  requireSystem(system);
  requireArgument(model, "model", "object", "a model config (resolveModel) or a ModelShape (modelShape)");
  requireArgument(training, "training", "object", "a TrainingConfig {chips, tp, pp, ...}");
}

/** Power of the chips a job uses plus their share of every tier's per-group power, times the system's PUE, W. */
export function facilityPowerW(system: System, chips: number): number {
  let w = chips * system.chip.powerW;
  for (const tier of system.tiers) w += (chips / tier.groupSize) * tier.perGroup.powerW;
  return w * system.pue;
}

/** Memory per chip of an analysis (its most loaded stage), bytes: what `memoryPerChipBytes` reports. Cost O(1). */
export function analysisMemoryBytes(a: Analysis): number {
  const mem = a.memory;
  return mem.weights + mem.gradients + mem.optimizer + mem.activations + mem.buffers;
}

/**
 * The largest part of a breakdown, by name; the first in declared order among equals. Named reads, not keyed by a list
 * of names: keyed reads over eleven names took a twentieth of an evaluation. Cost O(parts).
 */
export function bottleneckOf(b: TrainingBreakdown): keyof TrainingBreakdown {
  let name: keyof TrainingBreakdown = "computeS";
  let most = b.computeS;
  if (b.recomputeS > most) {
    name = "recomputeS";
    most = b.recomputeS;
  }
  if (b.tpCommS > most) {
    name = "tpCommS";
    most = b.tpCommS;
  }
  if (b.cpCommS > most) {
    name = "cpCommS";
    most = b.cpCommS;
  }
  if (b.epCommS > most) {
    name = "epCommS";
    most = b.epCommS;
  }
  if (b.ppCommS > most) {
    name = "ppCommS";
    most = b.ppCommS;
  }
  if (b.dpCommS > most) {
    name = "dpCommS";
    most = b.dpCommS;
  }
  if (b.bubbleS > most) {
    name = "bubbleS";
    most = b.bubbleS;
  }
  if (b.optimizerS > most) {
    name = "optimizerS";
    most = b.optimizerS;
  }
  if (b.gradCheckS > most) {
    name = "gradCheckS";
    most = b.gradCheckS;
  }
  if (b.offloadS > most) {
    name = "offloadS";
    most = b.offloadS;
  }
  return name;
}

/** Turns an analysis into the public estimate. Cost: O(1). */
export function summarize(p: PreparedTraining, a: Analysis): TrainingEstimate {
  const { t, system, shape } = p;
  const d = t.degrees;
  const sl = a.stages[a.slowest];
  const m = t.microBatches;
  const tokensPerStep = t.globalBatchSize * t.seqLength;
  const step = a.stepTimeS;
  const peak = system.chip.peakFlops[t.precision] ?? 1;
  const breakdownS: TrainingBreakdown = {
    computeS: m * sl.computeS,
    recomputeS: m * sl.recomputeS,
    tpCommS: m * sl.tpS,
    cpCommS: m * sl.cpS,
    epCommS: m * sl.epS,
    ppCommS: m * sl.ppS,
    dpCommS: a.dpExposedS,
    bubbleS: a.bubbleS,
    optimizerS: a.optimizerS,
    gradCheckS: a.gradCheckS,
    offloadS: a.offloadS,
  };
  const bottleneck = bottleneckOf(breakdownS);
  const mem = a.memory;
  const memoryPerChipBytes = analysisMemoryBytes(a);
  const capacity = chipUsableMemoryBytes(system.chip);
  const power = facilityPowerW(system, t.chips);
  const out: TrainingEstimate = {
    chips: t.chips,
    degrees: d,
    schedule: t.schedule,
    microBatches: m,
    tokensPerStep,
    stepTimeS: step,
    tokensPerSecond: tokensPerStep / step,
    tokensPerSecondPerChip: tokensPerStep / step / t.chips,
    mfu: a.modelFlopsPerStep / (step * t.chips * peak),
    hfu: a.hardwareFlopsPerStep / (step * t.chips * peak),
    modelTflopsPerChip: a.modelFlopsPerStep / step / t.chips / 1e12,
    modelFlopsPerStep: a.modelFlopsPerStep,
    hardwareFlopsPerStep: a.hardwareFlopsPerStep,
    totalParams: shape.totalParams,
    activeParams: shape.activeParams,
    memoryPerChipBytes,
    memoryCapacityBytes: capacity,
    fitsInMemory: memoryPerChipBytes <= capacity,
    memoryBreakdownBytes: {
      weightsBytes: mem.weights,
      gradientsBytes: mem.gradients,
      optimizerBytes: mem.optimizer,
      activationsBytes: mem.activations,
      buffersBytes: mem.buffers,
    },
    hostMemoryBytes: mem.host,
    breakdownS,
    bottleneck,
    facilityPowerW: power,
    assumed: {
      precision: t.precision,
      recompute: t.recompute,
      zero: t.zero,
      sequenceParallel: t.sequenceParallel,
      overlap: { ...t.overlap },
    },
    adjustments: t.adjustments,
  };
  if (t.trainTokens !== undefined) {
    out.timeToTrainS = t.trainTokens / out.tokensPerSecond;
    out.energyToTrainJ = out.timeToTrainS * power;
  }
  return out;
}

/** The fields of a PreparedTraining that evaluateTraining reads. */
const PREPARED_KEYS = ["system", "shape", "t", "eff"] as const;

/**
 * Evaluates a prepared job: the pipeline stages, data parallelism, optimizer, offload and memory over the per-layer
 * costs prepareTraining computed. Cost: a few microseconds; allocation-light (no parsing, no per-layer arrays).
 */
export function evaluateTraining(p: PreparedTraining): TrainingEstimate {
  requireArgument(p, "prepared", "object", "a PreparedTraining from prepareTraining", PREPARED_KEYS);
  return evaluatePrepared(p);
}

/** evaluateTraining of a job prepareTraining has just returned (its fields need no check). */
function evaluatePrepared(p: PreparedTraining): TrainingEstimate {
  return summarize(p, analyze(p, false, preparedLayers(p)));
}

/**
 * Estimates one optimizer step of training `model` on `system` as configured by `training`.
 * Throws ZettasimError for infeasible jobs (naming the field); never returns NaN or Infinity.
 * Memory that does not fit is reported (fitsInMemory false), not thrown; see `memoryFixes`.
 */
export function estimateTraining(
  system: System,
  model: ModelConfig | ModelShape,
  training: TrainingConfig,
  efficiency?: EfficiencyOverride,
): TrainingEstimate {
  const r = evaluatePrepared(prepareTraining(system, model, training, efficiency));
  if (!estimateNumbersFinite(r)) assertFinite(r, "training estimate");
  return r;
}

/**
 * Whether every number of a training estimate is finite, read field by field (x * 0 is 0 for finite x, NaN for NaN
 * or an infinity); false whenever it carries adjustments (their values may be of any kind). `assertFinite`'s generic
 * walk, which reads every field of every nested object by key, took about a tenth of an estimate (CPU profile,
 * 2026-12-03); it still runs, to name the field, when this says no. training.test.ts sets each number of an estimate
 * to NaN in turn and requires this to see it, so a field added to TrainingEstimate must be added here. Cost O(1).
 */
export function estimateNumbersFinite(r: TrainingEstimate): boolean {
  if (r.adjustments.length > 0) return false;
  const d = r.degrees;
  const b = r.breakdownS;
  const m = r.memoryBreakdownBytes;
  const zeros =
    (r.chips + r.microBatches + r.tokensPerStep) * 0 +
    (r.stepTimeS + r.tokensPerSecond + r.tokensPerSecondPerChip) * 0 +
    (r.mfu + r.hfu + r.modelTflopsPerChip + r.modelFlopsPerStep + r.hardwareFlopsPerStep) * 0 +
    (r.totalParams + r.activeParams + r.memoryPerChipBytes + r.memoryCapacityBytes + r.hostMemoryBytes) * 0 +
    (r.facilityPowerW + r.assumed.zero + (r.timeToTrainS ?? 0) + (r.energyToTrainJ ?? 0)) * 0 +
    (d.tp + d.cp + d.pp + d.dp + d.ep + d.etp + d.vpp) * 0 +
    (b.computeS + b.recomputeS + b.tpCommS + b.cpCommS + b.epCommS + b.ppCommS + b.dpCommS) * 0 +
    (b.bubbleS + b.optimizerS + b.gradCheckS + b.offloadS) * 0 +
    (m.weightsBytes + m.gradientsBytes + m.optimizerBytes + m.activationsBytes + m.buffersBytes) * 0;
  return zeros === 0;
}

/** One change to a job that makes it fit in memory, with the memory it would then need. */
export interface MemoryFix {
  change: Partial<TrainingConfig>;
  description: string;
  memoryPerChipBytes: number;
  stepTimeS: number;
}

/**
 * For a job that does not fit, tries single changes (full recompute, ZeRO 1-3, doubling tp or pp at
 * fixed chips) and returns those that fit, fastest first. Cost: up to ~8 evaluations.
 */
export function memoryFixes(
  system: System,
  model: ModelConfig | ModelShape,
  training: TrainingConfig,
): MemoryFix[] {
  requireTrainingArguments(system, model, training);
  const shape = "totalParams" in model ? model : modelShape(model);
  const base = resolveTraining(system, shape, training);
  const d = base.degrees;
  const tries: [Partial<TrainingConfig>, string][] = [];
  if (base.recompute !== "full")
    tries.push([{ recompute: "full" }, "recompute: full (store only layer inputs)"]);
  for (let z = base.zero + 1; z <= 3; z++) tries.push([{ zero: z }, `zero: ${z}`]);
  if (d.dp % 2 === 0) {
    tries.push([{ tp: d.tp * 2, dp: d.dp / 2 }, `tp: ${d.tp * 2} with dp: ${d.dp / 2}`]);
    tries.push([{ pp: d.pp * 2, dp: d.dp / 2 }, `pp: ${d.pp * 2} with dp: ${d.dp / 2}`]);
  }
  if (base.microBatchSize > 1) tries.push([{ microBatchSize: 1 }, "microBatchSize: 1"]);
  const out: MemoryFix[] = [];
  for (const [change, description] of tries) {
    try {
      const r = estimateTraining(system, shape, {
        ...training,
        dp: undefined,
        ...change,
        ...(change.dp ? {} : { dp: d.dp }),
      });
      if (r.fitsInMemory)
        out.push({ change, description, memoryPerChipBytes: r.memoryPerChipBytes, stepTimeS: r.stepTimeS });
    } catch {
      // an infeasible variant is simply not offered
    }
  }
  return out.sort((a, b) => a.stepTimeS - b.stepTimeS);
}
