// Training performance model: public entry points (plan an iteration; estimate step time, memory, MFU).

export type { TrainingConfig, TrainingFile } from "../schema/training.js";
export { trainingFile } from "../schema/training.js";
export { collectiveTime, rankLayout, tierBandwidth, tierFor, tierLatency } from "./comm.js";
export type { OverlapSettings, RecomputeMode, ResolvedTraining, TrainingPrecision } from "./config.js";
export { resolveTraining } from "./config.js";
export type { TrainingEfficiency } from "./efficiency.js";
export { trainingEfficiency } from "./efficiency.js";
export type {
  MemoryBreakdown,
  MemoryFix,
  PreparedTraining,
  TrainingBreakdown,
  TrainingEstimate,
} from "./estimate.js";
export {
  estimateTraining,
  evaluateTraining,
  facilityPowerW,
  memoryFixes,
  prepareTraining,
} from "./estimate.js";
export { planTraining } from "./plan.js";
export { segmentPlacement } from "./segment-placement.js";
export type { ModelShape } from "./shape.js";
export { modelShape } from "./shape.js";
export type {
  Collective,
  CommOp,
  ParallelDegrees,
  Parallelism,
  PipelineSchedule,
  RankLayout,
  StagePlan,
  TrainingPlan,
} from "./types.js";
