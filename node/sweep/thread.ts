// A worker thread's task handler: runs one checked zettasim job (sweep points or Monte Carlo trials) and returns its entries.
import { type Entry, executeJob } from "./jobs.js";

/** One task: the job's kind and payload, and the spec it refers to (parsed JSON). */
export interface ThreadTask {
  name: string;
  data: unknown;
  spec: unknown;
}

/** Runs a task; a refused job or a bad spec throws, and the pool's caller sees the error. */
export default function runTask(task: ThreadTask): Promise<Entry[]> {
  return executeJob(task.name, task.data, () => task.spec);
}
