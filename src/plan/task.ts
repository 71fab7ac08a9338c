// Worker entry of the planner: one chunk in, its result out (Node worker threads load this module; Web Workers can wrap it).
import { runTrainTask, type TrainChunkResult, type TrainTask } from "./train-search.js";

/** Runs one planner chunk. Cost: the chunk's, typically tens of milliseconds. */
export default function runPlanTask(task: TrainTask): TrainChunkResult {
  return runTrainTask(task);
}
