// Generic family: vendor-neutral assumptions for any chip whose family is not modelled (a custom chip's default).
import { HOPPER_TRAINING } from "./hopper.js";
import { DECIMAL_MEMORY } from "./memory.js";
import type { ChipFamily, KernelEfficiency, TrainingEfficiency } from "./types.js";

const shape = (peakFraction: number) => ({ ...HOPPER_TRAINING.gemm.bf16, peakFraction });
const scale = 0.8 / HOPPER_TRAINING.memory;

/**
 * Any other chip: the Hopper kernel shapes at conservative, vendor-neutral levels (assumption, A): GEMMs at
 * 0.65 / 0.55 / 0.5 of the bf16 / fp8 / fp4 peak for unbounded shapes, fused attention at 0.45 of the bf16
 * peak (with Hopper's dependence on sequence length), 0.8 of HBM bandwidth for streams and memory-bound
 * kernels at Hopper's ratios to it, 0.7 of payload bandwidth for collectives.
 */
export const GENERIC_TRAINING: TrainingEfficiency = {
  gemm: { bf16: shape(0.65), fp8: shape(0.55), fp4: shape(0.5) },
  groupedGemm: HOPPER_TRAINING.groupedGemm,
  // Hopper's curve shape, without its head-dim exponential share (a property of Hopper's SFU-to-MMA ratio).
  attention: {
    fused: {
      peakFraction: 0.45,
      halfSeq: HOPPER_TRAINING.attention.fused.halfSeq,
      forwardShare: HOPPER_TRAINING.attention.fused.forwardShare,
    },
  },
  attentionScoreBytes: 0,
  memory: 0.8,
  memoryOps: Object.fromEntries(
    Object.entries(HOPPER_TRAINING.memoryOps).map(([k, v]) => [k, Math.min(1, v * scale)]),
  ) as unknown as TrainingEfficiency["memoryOps"],
  collective: 0.7,
  overlapCost: 0.15,
  launchS: HOPPER_TRAINING.launchS,
  source: "assumption (A): vendor-neutral levels on the Hopper kernel shapes",
};

/** Everything else: conservative, vendor-neutral figures (assumption, A). */
export const GENERIC_SERVING: KernelEfficiency = {
  gemm: 0.6,
  groupedGemm: 0.5,
  attentionCompute: 0.5,
  memory: 0.85,
  allToAll: 0.7,
  allToAllFixedS: 30e-6,
  weightStreaming: 0.8,
  kernelFloorS: 4e-6,
  launchEagerS: 6e-6,
  allReduceFixedS: 10e-6,
  overlapNormal: 0.5,
  overlapLowLatency: 0.5,
  source: "assumption (A): typical achieved fractions of peak for tuned serving kernels",
};

export const GENERIC: ChipFamily = {
  id: "generic",
  name: "Generic accelerator",
  memory: DECIMAL_MEMORY,
  training: GENERIC_TRAINING,
  serving: GENERIC_SERVING,
  fits: [],
};
