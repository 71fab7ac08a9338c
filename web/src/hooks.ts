// Runs worker jobs from components: the latest result stays on screen while a newer one computes.
import { useEffect, useState } from "preact/hooks";
import { Cancelled, JobError, lastMs, runJob } from "./client.js";
import type { ErrorInfo, Job } from "./protocol.js";

export interface JobState<T> {
  status: "idle" | "running" | "done" | "error";
  value?: T;
  error?: ErrorInfo;
  progress?: { done: number; total: number };
  /** Time inside the worker, ms. */
  ms?: number;
  /** Time from request to result in the page, ms. */
  pageMs?: number;
}

/** Runs `job` on `lane` whenever it changes (by value); undefined runs nothing. */
export function useJob<T>(lane: string, job: Job | undefined): JobState<T> {
  const key = job === undefined ? "" : JSON.stringify(job);
  const [state, setState] = useState<JobState<T>>({ status: "idle" });
  useEffect(() => {
    if (job === undefined) {
      setState({ status: "idle" });
      return;
    }
    let live = true;
    const t0 = performance.now();
    setState((s) => ({ ...s, status: "running", progress: undefined }));
    runJob<T>(lane, job, (done, total) => {
      if (live) setState((s) => ({ ...s, progress: { done, total } }));
    }).then(
      (value) => {
        if (live) setState({ status: "done", value, ms: lastMs[job.kind], pageMs: performance.now() - t0 });
      },
      (e) => {
        if (!live || e instanceof Cancelled) return;
        const error: ErrorInfo =
          e instanceof JobError ? e.info : { message: String(e?.message ?? e), issues: [], internal: true };
        setState({ status: "error", error });
      },
    );
    return () => {
      live = false;
    };
  }, [lane, key]);
  return state;
}
