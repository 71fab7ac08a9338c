// Training performance model: public entry points (plan an iteration; estimate step time, memory, MFU).
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
