// The interface every pipeline schedule implements, read alike by the analytical training model and the flow simulator.

/** Ids of the pipeline schedules zettasim models (scenario files may name them more loosely; see `matches`). */
export type ScheduleId = "1f1b" | "interleaved" | "zero-bubble" | "dualpipe";

/** Per-micro-batch compute of a pipeline stage, s. */
export interface StageTimes {
  forwardS: number;
  backwardS: number;
  /** Backward for input gradients (the part later stages wait for). */
  backwardInputS: number;
  /** Backward for weight gradients (deferrable). */
  backwardWeightS: number;
}

/** One compute task of a stage: forward or backward of micro-batch `mb` on model chunk `chunk`. */
export interface StageTask {
  fwd: boolean;
  mb: number;
  chunk: number;
}

/** A pipeline schedule: what it costs, what it holds in memory, and the order each stage runs its tasks in. */
export interface PipelineScheduleKind {
  id: ScheduleId;
  name: string;
  /** Whether a schedule name from a file (lower case, spaces and underscores as hyphens) means this schedule. */
  matches(name: string): boolean;
  /** The schedule actually run when a file names this one with `vpp` virtual stages per rank. */
  withVirtualStages(vpp: number): ScheduleId;
  /**
   * Idle time per step on the slowest stage, s, for `p` stages and `vpp` virtual stages per rank, given the
   * mean stage's and the slowest stage's per-micro-batch times. Cost O(1).
   */
  bubbleS(p: number, vpp: number, mean: StageTimes, slowest: StageTimes): number;
  /** Micro-batches whose activations the first stage holds at once, of `m` in flight over `p` stages. */
  inFlightMicroBatches(m: number, p: number, vpp: number): number;
  /**
   * The virtual-stage counts a layout search tries with this schedule on `p` stages, given the counts that split
   * the model's layers evenly (`evenSplits`, computed only when asked); empty when the schedule cannot run on `p`
   * stages (DualPipe needs an even count). Cost O(1) plus `evenSplits`.
   */
  searchVirtualStages(p: number, evenSplits: () => number[]): number[];
  /** Copies of its stage's weights each rank holds (DualPipe runs both pipeline directions: 2). */
  weightCopies: number;
  /**
   * Each rank holds stage i and its mirror p - 1 - i and runs half the micro-batches through each (DualPipe's
   * bidirectional placement), so the rank holding the first stage also holds the last: its load per
   * micro-batch is their mean.
   */
  mirrorsStages: boolean;
  /** Expert all-to-all overlapped with another micro-batch's compute unless a file says otherwise. */
  overlapsExpertCommByDefault: boolean;
  /** Backward split into input and weight gradients, the weight part deferred to fill idle slots (simulator). */
  splitsBackward: boolean;
  /** Model chunks per rank the simulator runs for `vpp` virtual stages, `m` micro-batches, `p` stages. */
  chunks(vpp: number, m: number, p: number): number;
  /** The order of compute tasks on `stage` of `stages`, for `micro` micro-batches and `chunks` chunks per rank. */
  order(stage: number, stages: number, micro: number, chunks: number): StageTask[];
}
