// Builds the TrainingPlan of one optimizer step (per-stage compute and the list of collectives) for the flow simulator.
import type { System } from "../catalog/types.js";
import type { ModelConfig } from "../schema/model.js";
import type { TrainingConfig } from "../schema/training.js";
import { analyze } from "./analyze.js";
import type { EfficiencyOverride } from "./efficiency.js";
import { prepareTraining } from "./estimate.js";
import type { ModelShape } from "./shape.js";
import type { StagePlan, TrainingPlan } from "./types.js";

/**
 * Plans one training iteration: per pipeline stage and per micro-batch the forward and backward
 * compute time (s, communication not included except what the stage cannot overlap), and every
 * collective with its parallelism, bytes per rank, group size, tier, count and overlappability.
 * The flow simulator turns this into a task graph; `estimateTraining` gives the closed-form step time
 * of the same plan. Throws ZettasimError for infeasible jobs. Cost: O(pp + tiers).
 */
export function planTraining(
  system: System,
  model: ModelConfig | ModelShape,
  training: TrainingConfig,
  efficiency?: EfficiencyOverride,
): TrainingPlan {
  const p = prepareTraining(system, model, training, efficiency);
  const a = analyze(p, true);
  const d = p.t.degrees;
  const kinds = a.stages;
  const stages: StagePlan[] = [];
  for (let i = 0; i < d.pp; i++) {
    const ki = i === 0 ? 0 : i === d.pp - 1 ? kinds.length - 1 : 1;
    const k = kinds[ki];
    // Stage compute without the exposed communication folded into the analytical estimate.
    const commF = k.tpForwardS + k.cpS / 3 + (k.epS - k.epRecomputeS) / 2 + k.ppS / 2;
    const commB = k.tpS + k.cpS + k.epS + k.ppS - commF;
    stages.push({
      stage: i,
      layers: k.layers,
      forwardS: Math.max(0, k.forwardS - commF),
      backwardS: Math.max(0, k.backwardS - commB),
      backwardInputS: Math.max(0, k.backwardInputS - commB),
      backwardWeightS: k.backwardWeightS,
      recomputeS: k.recomputeS,
      modelFlops: k.modelFlops,
      hardwareFlops: k.hardwareFlops,
      overlap: a.overlaps[ki],
    });
  }
  return {
    degrees: d,
    layout: a.layout,
    chips: p.t.chips,
    seqLength: p.t.seqLength,
    globalBatchSize: p.t.globalBatchSize,
    microBatchSize: p.t.microBatchSize,
    microBatches: p.t.microBatches,
    pipelineRuns: p.t.pipelineRuns,
    schedule: p.t.schedule,
    precision: p.t.precision,
    stages,
    comm: a.comm,
    optimizerStepS: a.optimizerS,
    gradCheckStepS: a.gradCheckS,
    offloadStepS: a.offloadS,
  };
}
