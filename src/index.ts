// Public API of the zettasim core: explicit named exports; runs in Node and in the browser.

export { modelIds, resolveModel } from "./catalog/models-resolve.js";
export {
  chipIds,
  protocolIds,
  resolveChip,
  resolveProtocol,
  resolveSystem,
  systemIds,
} from "./catalog/resolve.js";
export type {
  TierNet,
  TierShape,
  TopologyKindModule,
  TopologyTraits,
} from "./catalog/topologies/index.js";
export { topologyFromWord, topologyKind, topologyKinds, topologyTraits } from "./catalog/topologies/index.js";
export type {
  Chip,
  Confidence,
  Precision,
  Protocol,
  SourceRef,
  System,
  Tier,
  Topology,
} from "./catalog/types.js";
export type { InputIssue } from "./core/errors.js";
export { assertFinite, formatIssue, formatPath, ZettasimError } from "./core/errors.js";
export { Rng } from "./core/rng.js";
// Small statistics (fit-serve): percentiles, streaming quantiles, batch-means confidence intervals.
export type { MeanCI } from "./core/stats.js";
export {
  BatchMeans,
  mean,
  QuantileSketch,
  quantileSorted,
  quantiles,
  RateSeries,
  RunningMoments,
  studentT95,
} from "./core/stats.js";
// Planner (plan train | serve | size): searches over the models above; chunks run on any executor.
export type { Executor } from "./plan/executor.js";
export { inProcess } from "./plan/executor.js";
export type { PoolChoice, ServeCandidate, ServePlanResult, ServeProblem } from "./plan/serve.js";
export { planServe } from "./plan/serve.js";
export type { Footprint, SizedCluster, SizePlanResult, SizeProblem, SystemSizing } from "./plan/size.js";
export { DEFAULT_SIZE_SYSTEMS, planSize } from "./plan/size.js";
export type { PlanTask, PlanTaskResult } from "./plan/task.js";
export { default as runPlanTask } from "./plan/task.js";
export type {
  PlannedLayout,
  PlanTrainOptions,
  TrainPlanResult,
  TrainProgress,
} from "./plan/train.js";
export { planTrain } from "./plan/train.js";
export type { LayoutSummary, RunnerUpExplanation } from "./plan/train-report.js";
export { explainRunnerUp, layoutSummary, plannedScenario } from "./plan/train-report.js";
export type { TrainProblem } from "./plan/train-space.js";
export type {
  Effect,
  Expectation,
  FleetBandStats,
  FleetSpread,
  GoodputOptions,
  ReliabilityModel,
  ReliabilityOptions,
  ReliabilityReport,
  RunLength,
  SimulationResult as ReliabilitySimulationResult,
} from "./reliability/index.js";
export {
  availabilityFromMtbf,
  buildModel as buildReliabilityModel,
  DEFAULT_RATES as DEFAULT_FAILURE_RATES,
  expectedGoodput,
  expectedOutcome,
  FLEET_BAND,
  fleetSpread,
  reliabilityReport,
  reliabilitySetup,
  simulateJobReliability,
  simulateReliability,
  withRateFactor,
} from "./reliability/index.js";
export { trainingWithFailures } from "./reliability/training.js";
export type { CompareRow, Comparison } from "./report/compare.js";
export { compareSpecs } from "./report/compare.js";
export type { SystemSpec, TierSpec } from "./report/derive.js";
export { deriveSpec } from "./report/derive.js";
export { DEFAULT_SCENARIO } from "./scenario/default.js";
export type { Scenario } from "./scenario/load.js";
export { loadScenarioText, parseText, scenarioFromValue } from "./scenario/load.js";
export type { ModelConfig, ModelFile } from "./schema/model.js";
export type { PlanConfig, PlanFile } from "./schema/plan.js";
export { planFile } from "./schema/plan.js";
export type { ScenarioFile } from "./schema/scenario.js";
export { scenarioFile, scenarioJsonSchema } from "./schema/scenario.js";
export type { ServingConfig, ServingFile } from "./schema/serving.js";
export type { PoolPlan, ServingPlan } from "./serving/config.js";
export { servingPlan } from "./serving/config.js";
export type {
  CostOptions,
  InstanceLayout,
  KvPrecision,
  MatmulPrecision,
  RankLoad,
  ServingShape,
  StepCost,
} from "./serving/cost.js";
export { InstanceCost, servingShape } from "./serving/cost.js";
export type { KernelEfficiency } from "./serving/efficiency.js";
export { efficiencyFor } from "./serving/efficiency.js";
export type { OfflineRun, OfflineRunStep } from "./serving/offline-run.js";
export { offlineRunS, offlineRunSteps } from "./serving/offline-run.js";
export type { Percentiles, PoolReport, ServingResult, SimulateOptions } from "./serving/simulate.js";
export { runPlan, simulateServing } from "./serving/simulate.js";
export type {
  CollectiveAlgorithm,
  CollectiveOp,
  HotLink,
  LinkGraph,
  LinkGraphOptions,
  Network,
  SimBreakdown,
  SimulationConfig,
  SimulationResult as FlowSimulationResult,
  TierUsage,
  TraceEvent,
} from "./sim/index.js";
export {
  ALGORITHMS,
  AnalyticalNetwork,
  buildFatTreeGraph,
  buildLinkGraph,
  chromeTrace,
  EventQueue,
  Fabric,
  FlowNetwork,
  runCollective,
  ShortestPathRouter,
  simulateIteration,
  simulateScenario,
} from "./sim/index.js";
export type {
  CommOp,
  MemoryBreakdown,
  MemoryFix,
  ModelShape,
  ParallelDegrees,
  PipelineSchedule,
  PreparedTraining,
  RankLayout,
  StagePlan,
  TrainingBreakdown,
  TrainingConfig,
  TrainingEfficiency,
  TrainingEstimate,
  TrainingPlan,
} from "./training/index.js";
export {
  estimateTraining,
  evaluateTraining,
  memoryFixes,
  modelShape,
  planTraining,
  prepareTraining,
  trainingEfficiency,
} from "./training/index.js";
export { StagedTraining } from "./training/staged.js";
export { systemFromCaseHardware } from "./validate/hardware.js";
export type { CaseResult, ValidationReport } from "./validate/run.js";
export { runValidation, validationCases } from "./validate/run.js";
export type { ServingPrediction } from "./validate/serving.js";
export { predictServingCase } from "./validate/serving.js";
export { predictTrainingCase } from "./validate/training.js";
