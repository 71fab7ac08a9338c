// Fuzz worker thread: runs inputs [start, end) of a seeded run, reporting each start (for the hang watchdog) and each outcome.
import { readlinkSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { runInput } from "./engines.js";
import { fuzzInput, seedCorpus, vocabulary } from "./mutate.js";

/** What the main thread sends: the run's seed, the input range and whether the engines run too. */
export interface WorkerJob {
  seed: number;
  start: number;
  end: number;
  engines: boolean;
  root: string;
}

/** Messages back: `thread` once (its Linux thread id, for the CPU-time watchdog), `begin` before each input, `done` after it (with its wall time), `end` after the range. */
export type WorkerMessage =
  | { type: "thread"; tid: number }
  | { type: "begin"; index: number }
  | { type: "stage"; stage: string }
  | {
      type: "done";
      index: number;
      kind: string;
      stage?: string;
      what?: string;
      ms: number;
      engines?: string[];
    }
  | { type: "end" };

const job = workerData as WorkerJob;
const corpus = seedCorpus(new URL(job.root));
const vocab = vocabulary(corpus);
const post = (m: WorkerMessage) => parentPort?.postMessage(m);

// This thread's id (Linux: /proc/thread-self is "pid/task/tid"), so the watchdog can read its CPU time.
try {
  post({ type: "thread", tid: Number(readlinkSync("/proc/thread-self").split("/").pop()) });
} catch {
  // Not Linux: the watchdog falls back to wall time.
}

for (let i = job.start; i < job.end; i++) {
  post({ type: "begin", index: i });
  const text = fuzzInput(corpus, vocab, job.seed, i);
  const t0 = performance.now();
  const o = runInput(text, job.engines, (stage) => post({ type: "stage", stage }));
  const ms = performance.now() - t0;
  if (o.kind === "bug") post({ type: "done", index: i, kind: o.kind, stage: o.stage, what: o.what, ms });
  else if (o.kind === "input-error") post({ type: "done", index: i, kind: o.kind, stage: o.stage, ms });
  else post({ type: "done", index: i, kind: o.kind, engines: o.engines, ms });
}
post({ type: "end" });
