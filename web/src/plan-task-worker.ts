// A planner worker: runs one search chunk (the same task module Node's worker threads run) and posts its result.
import runPlanTask, { type PlanTask } from "../../src/plan/task.js";

self.onmessage = (ev: MessageEvent<{ id: number; task: PlanTask }>) => {
  try {
    (self as unknown as Worker).postMessage({ id: ev.data.id, out: runPlanTask(ev.data.task) });
  } catch (e) {
    (self as unknown as Worker).postMessage({ id: ev.data.id, error: String((e as Error)?.message ?? e) });
  }
};
