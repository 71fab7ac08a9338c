// Worker entry of the planner: one chunk in, its result out (Node worker threads load this module; Web Workers can wrap it).
import { require_, requireArgument } from "../core/errors.js";
import { runServeCheck, type ServeCheckResult, type ServeCheckTask } from "./serve.js";
import { runTrainTask, type TrainChunkResult, type TrainTask } from "./train-search.js";

export type PlanTask = TrainTask | ServeCheckTask;
export type PlanTaskResult = TrainChunkResult | ServeCheckResult;

/** The planner chunk kinds a worker runs. */
const PLAN_TASK_KINDS: readonly string[] = ["train-bound", "train-search", "serve-check"];

/** Runs one planner chunk: a training bound or search chunk, or a serving re-check. Cost: the chunk's. */
export default function runPlanTask(task: PlanTask): PlanTaskResult {
  requireArgument(task, "task", "object", "a PlanTask {kind, ...}", ["kind"]);
  require_(
    PLAN_TASK_KINDS.includes(task.kind),
    ["task", "kind"],
    "unknown plan task kind",
    task.kind,
    PLAN_TASK_KINDS.join(" | "),
  );
  return task.kind === "serve-check" ? runServeCheck(task) : runTrainTask(task);
}
