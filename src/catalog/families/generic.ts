// Generic family: vendor-neutral assumptions for any chip whose family is not modelled (a custom chip's default).
import type { ChipFamily, KernelEfficiency, TrainingEfficiency } from "./types.js";

/** Any other chip: conservative vendor-neutral figures (assumption, A). */
export const GENERIC_TRAINING: TrainingEfficiency = {
  gemm: { bf16: 0.65, fp8: 0.55, fp4: 0.5 },
  gemmHalfDim: 128,
  attention: 0.45,
  attentionScoreBytes: 0,
  memory: 0.75,
  collective: 0.7,
  overlapCost: 0.15,
  source: "assumption (A): vendor-neutral defaults",
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
  training: GENERIC_TRAINING,
  serving: GENERIC_SERVING,
};
