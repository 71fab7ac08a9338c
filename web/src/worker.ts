// The Web Worker that runs the zettasim core, so the page never freezes: the same functions the CLI calls. Its start
// compiles only what the first estimate needs (parse, check, train); every other job's code loads as its own chunk
// after the first estimate (worker-jobs.ts). The planner's pool runs further copies of it for its search chunks.

import { config as zodConfig } from "zod";
import { ZettasimError } from "../../src/core/errors.js";
import type { PlanTask } from "../../src/plan/task.js";
import { runTraining, scenarioCommands } from "../../src/report/training-results.js";
import { loadScenarioText, type Scenario } from "../../src/scenario/load.js";
import type { ErrorInfo, Job, Reply, ScenarioSummary } from "./protocol.js";

// The app's Content-Security-Policy has no 'unsafe-eval', so zod cannot compile its parsers with `new Function`;
// saying so spares its probe (a CSP violation report) and the first parse's failed attempt.
zodConfig({ jitless: true });

const post = (r: Reply) => (self as unknown as Worker).postMessage(r);

type Jobs = typeof import("./worker-jobs.js");
let jobsChunk: Promise<Jobs> | undefined;
/** The other jobs' chunk, requested once (by the first job that needs it, or after the first estimate). */
const jobs = (): Promise<Jobs> => {
  jobsChunk ??= import("./worker-jobs.js");
  return jobsChunk;
};

function summary(sc: Scenario): ScenarioSummary {
  const m = sc.file.model;
  return {
    name: sc.name,
    systemId: sc.system.id,
    systemName: sc.system.name,
    systemChips: sc.system.chips,
    modelId: typeof m === "string" ? m : sc.model?.name,
    commands: scenarioCommands(sc),
  };
}

const parsed: { key: string; sc: Scenario }[] = [];

/** Parses and resolves scenario text, remembering the last few: the check and the page's job read the same text. */
function scenarioOf(text: string, file: string): Scenario {
  const key = `${file}\n${text}`;
  const hit = parsed.find((p) => p.key === key);
  if (hit) return hit.sc;
  const sc = loadScenarioText(text, file);
  parsed.unshift({ key, sc });
  parsed.length = Math.min(parsed.length, 4);
  return sc;
}

/** Runs one job. `progress` reports (done, total). Throws ZettasimError for bad input. */
async function run(job: Job, progress: (done: number, total: number) => void): Promise<unknown> {
  if (job.kind === "catalog" || job.kind === "claims-study") return (await jobs()).runStandalone(job);
  const sc = scenarioOf(job.text, job.file);
  if (job.kind === "check") return summary(sc);
  if (job.kind === "train") return runTraining(sc);
  return (await jobs()).runOnScenario(job, sc, progress);
}

function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof ZettasimError)
    return { message: e.message, issues: e.issues, file: e.file, internal: false };
  const err = e as Error;
  return { message: `internal error: ${err?.message ?? String(e)}`, issues: [], internal: true };
}

/**
 * A planner search chunk (plan-pool.ts starts further copies of this worker for them, so the core's code is one
 * download and one set of chunks, not a second bundle): the same task module Node's worker threads run.
 */
function runPlanTaskMessage(id: number, task: PlanTask): void {
  const reply = (r: { id: number; out?: unknown; error?: string }) =>
    (self as unknown as Worker).postMessage(r);
  import("../../src/plan/task.js")
    .then((m) => reply({ id, out: m.default(task) }))
    .catch((e) => reply({ id, error: String((e as Error)?.message ?? e) }));
}

self.onmessage = (ev: MessageEvent<{ id: number; job: Job } | { id: number; task: PlanTask }>) => {
  if ("task" in ev.data) {
    runPlanTaskMessage(ev.data.id, ev.data.task);
    return;
  }
  const { id, job } = ev.data;
  const t0 = performance.now();
  run(job, (done, total) => post({ id, type: "progress", done, total }))
    .then(
      (value) => post({ id, type: "done", value, ms: performance.now() - t0 }),
      (e) => post({ id, type: "error", error: errorInfo(e) }),
    )
    // The rest of the app's code compiles once the first answer is out, so no later page waits for it.
    .finally(() => setTimeout(() => void jobs(), 0));
};
