// The page's side of the worker protocol: lanes of Web Workers, so a long simulation never blocks a quick estimate,
// and a newer request on a busy lane replaces the older one.
import type { ErrorInfo, Job, Reply } from "./protocol.js";

/** A job that failed: an input error carries the CLI's message and issues. */
export class JobError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

/** A job replaced by a newer one on the same lane before it finished. */
export class Cancelled extends Error {}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  progress?: (done: number, total: number) => void;
}

/** Time the last job of each kind took inside the worker, ms (for the status bar and the benchmarks). */
export const lastMs: Record<string, number> = {};

class Lane {
  private worker?: Worker;
  private pending = new Map<number, Pending>();
  constructor(private readonly replaces: boolean) {}

  private spawn(): Worker {
    const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (ev: MessageEvent<Reply & { kind?: string }>) => {
      const r = ev.data;
      const p = this.pending.get(r.id);
      if (!p) return;
      if (r.type === "progress") p.progress?.(r.done, r.total);
      else {
        this.pending.delete(r.id);
        if (r.type === "done") p.resolve(r);
        else p.reject(new JobError(r.error));
      }
    };
    w.onerror = (ev) => {
      for (const p of this.pending.values()) p.reject(new Error(`worker failed: ${ev.message}`));
      this.pending.clear();
      this.worker = undefined;
    };
    return w;
  }

  run(id: number, job: Job, progress?: Pending["progress"]): Promise<unknown> {
    if (this.replaces && this.pending.size > 0) this.stop();
    this.worker ??= this.spawn();
    const w = this.worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      w.postMessage({ id, job });
    });
  }

  start(): void {
    this.worker ??= this.spawn();
  }

  stop(): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new Cancelled("replaced by a newer request"));
    this.pending.clear();
  }
}

const lanes = new Map<string, Lane>();
let nextId = 1;

/**
 * Runs a job on a lane. Lanes named "quick" queue their jobs; any other lane runs one job at a time and a new job
 * cancels the one in flight (its promise rejects with Cancelled).
 */
export async function runJob<T>(
  lane: string,
  job: Job,
  progress?: (done: number, total: number) => void,
): Promise<T> {
  let l = lanes.get(lane);
  if (!l) {
    l = new Lane(lane !== "quick");
    lanes.set(lane, l);
  }
  const r = (await l.run(nextId++, job, progress)) as { value: T; ms: number };
  lastMs[job.kind] = r.ms;
  return r.value;
}

/** Stops a lane's job (if any). */
export function stopLane(lane: string): void {
  lanes.get(lane)?.stop();
}

/** Starts the quick lane's worker before anything asks for it, so its start-up overlaps the page's. */
export function warmUp(): void {
  let l = lanes.get("quick");
  if (!l) {
    l = new Lane(false);
    lanes.set("quick", l);
  }
  l.start();
}
