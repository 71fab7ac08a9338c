// Worker entry of the planner: one chunk in, its result out (Node worker threads load this module; Web Workers can wrap it).
import { require_, requireArgument } from "../core/errors.js";
import { runServeCheck, type ServeCheckResult, type ServeCheckTask } from "./serve.js";
import { runTrainTask, type TrainChunkResult, type TrainTask } from "./train-search.js";

export type PlanTask = TrainTask | ServeCheckTask;
export type PlanTaskResult = TrainChunkResult | ServeCheckResult;

/** The planner chunk kinds a worker runs: keyed by PlanTask's kind union, so the compiler keeps the two equal. */
const PLAN_TASK_KINDS: Record<PlanTask["kind"], true> = {
  "train-bound": true,
  "train-search": true,
  "serve-check": true,
};

/** Runs one planner chunk: a training bound or search chunk, or a serving re-check. Cost: the chunk's. */
export default function runPlanTask(task: PlanTask): PlanTaskResult {
  requireArgument(task, "task", "object", "a PlanTask {kind, ...}", ["kind"]);
  require_(
    Object.hasOwn(PLAN_TASK_KINDS, task.kind),
    ["task", "kind"],
    "unknown plan task kind",
    task.kind,
    Object.keys(PLAN_TASK_KINDS).join(" | "),
  );
  return task.kind === "serve-check" ? runServeCheck(task) : runTrainTask(task);
}
