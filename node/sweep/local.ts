// Runs a sweep on this machine: its points in tasks of many points on a worker-thread pool, rows appended as tasks
// finish, points already in the output skipped.

import type { Sweep } from "../../src/sweep/expand.js";
import { taskModuleUrl, WorkerPool } from "../pool.js";
import { type Entry, sweepPoints } from "./jobs.js";
import type { RowFile } from "./rows.js";
import type { ThreadTask } from "./thread.js";

export interface LocalOptions {
  /** Threads (default: the cores Node reports). */
  threads?: number;
  /** A pool already running (kept open afterwards), instead of one started and closed for this sweep. */
  pool?: WorkerPool<ThreadTask, Entry[]>;
  /** Called as points finish with (points in the file, all points). */
  onProgress?(done: number, total: number): void;
}

/** A pool of threads that run sweep tasks. */
export function localPool(threads?: number): WorkerPool<ThreadTask, Entry[]> {
  return new WorkerPool<ThreadTask, Entry[]>(taskModuleUrl("./thread", import.meta.url), threads);
}

/** The ranges [from, to) of a sweep's tasks that still have a point not in `rows`. */
export function rangesToRun(sweep: Sweep, rows: RowFile): [number, number][] {
  const out: [number, number][] = [];
  for (let from = 0; from < sweep.points; from += sweep.pointsPerTask) {
    const to = Math.min(sweep.points, from + sweep.pointsPerTask);
    if (rows.size === 0 || sweepPoints.keys(sweep, from, to).some((k) => !rows.has(k))) out.push([from, to]);
  }
  return out;
}

/**
 * Runs every point of `sweep` not yet in `rows` and appends its row. A sweep of a single task runs in this thread;
 * more run on the pool. Cost: the points' work divided among the threads, plus a thread start each.
 */
export async function runLocal(sweep: Sweep, rows: RowFile, opts: LocalOptions = {}): Promise<void> {
  const todo = rangesToRun(sweep, rows);
  opts.onProgress?.(rows.size, sweep.points);
  const task = ([from, to]: [number, number]): ThreadTask => ({
    name: sweepPoints.name,
    data: { spec: sweep.id, from, to },
    spec: sweep.spec,
  });
  const take = (entries: Entry[]) => {
    rows.append(entries);
    opts.onProgress?.(rows.size, sweep.points);
  };
  if (todo.length === 1) {
    take(await sweepPoints.run(sweep, todo[0][0], todo[0][1]));
    return;
  }
  if (todo.length === 0) return;
  const pool = opts.pool ?? localPool(opts.threads);
  try {
    await pool.run(todo.map(task), { onResult: take });
  } finally {
    if (!opts.pool) await pool.close();
  }
}
