// The Web Worker that runs the zettasim core, so the page never freezes: the same functions the CLI calls.
import { modelIds, resolveModel } from "../../src/catalog/models-resolve.js";
import { resolveSystem, systemIds } from "../../src/catalog/resolve.js";
import { ZettasimError } from "../../src/core/errors.js";
import type { TrainChunkResult, TrainTask } from "../../src/plan/train-search.js";
import { checkClaims } from "../../src/report/claims.js";
import { compareSpecs } from "../../src/report/compare.js";
import { deriveSpec } from "../../src/report/derive.js";
import { servingRun, sweepRow } from "../../src/report/results.js";
import {
  runPlan,
  runReliability,
  runScenario,
  runServing,
  runSimulation,
  runTraining,
  scenarioCommands,
} from "../../src/report/scenario.js";
import { runClaimsStudy } from "../../src/report/study.js";
import { loadScenarioText, type Scenario, scenarioFromValue } from "../../src/scenario/load.js";
import { webWorkerExecutor } from "./plan-pool.js";
import type { CatalogInfo, ErrorInfo, Job, Reply, ScenarioSummary } from "./protocol.js";

/** Workers a report's plan search may use beside this one. */
const PLAN_THREADS = Math.max(1, Math.min(6, (navigator.hardwareConcurrency || 2) - 1));

const post = (r: Reply) => (self as unknown as Worker).postMessage(r);

function catalog(): CatalogInfo {
  return {
    systems: systemIds().map((id) => {
      const s = resolveSystem(id);
      return { id, name: s.name, chips: s.chips };
    }),
    models: modelIds().map((id) => ({ id, name: resolveModel(id).name ?? id })),
  };
}

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
function run(job: Job, progress: (done: number, total: number) => void): unknown {
  switch (job.kind) {
    case "catalog":
      return catalog();
    case "claims-study": {
      const ex = (name: string) => loadScenarioText(job.examples[name] ?? "", `examples/${name}`);
      return runClaimsStudy({
        reliability: {
          uboe: ex("atlas-950-supercluster-reliability-uboe.yaml"),
          roce: ex("atlas-950-supercluster-reliability-roce.yaml"),
        },
        collective: {
          uboe: ex("atlas-950-uboe-vs-roce-uboe.yaml"),
          roce: ex("atlas-950-uboe-vs-roce-roce.yaml"),
        },
      });
    }
  }
  const sc = scenarioOf(job.text, job.file);
  switch (job.kind) {
    case "check":
      return summary(sc);
    case "spec": {
      const specs = job.compare.map((id) => deriveSpec(scenarioFromValue({ system: id }, id).system));
      return {
        spec: deriveSpec(sc.system),
        comparison: specs.length >= 2 ? compareSpecs(specs) : undefined,
        claims: checkClaims(),
      };
    }
    case "train":
      return runTraining(sc);
    case "simulate": {
      let last = 0;
      return runSimulation(sc, {
        withTrace: true,
        onProgress: (t) => {
          if (t - last > 1e-3) progress(Math.round(t * 1e6), 0);
          last = t;
        },
      });
    }
    case "reliability":
      return runReliability(sc, progress);
    case "serve":
      return runServing(sc, job.file, (d, t) => {
        if (d % 200 === 0 || d === t) progress(d, t);
      });
    case "sweep-row":
      return sweepRow(servingRun(sc, job.file), job.ratePerS);
    case "report":
      return runScenario(sc, job.file, undefined, (layouts) =>
        layouts >= 200_000 ? webWorkerExecutor<TrainTask, TrainChunkResult>(PLAN_THREADS) : undefined,
      );
    case "plan-train":
      return runPlan(sc, {
        // As the CLI: workers only for a large space (starting them costs more than a small search saves).
        executor: (layouts) =>
          job.threads > 1 && layouts >= 200_000
            ? webWorkerExecutor<TrainTask, TrainChunkResult>(job.threads)
            : undefined,
        progress,
      });
  }
}

function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof ZettasimError)
    return { message: e.message, issues: e.issues, file: e.file, internal: false };
  const err = e as Error;
  return { message: `internal error: ${err?.message ?? String(e)}`, issues: [], internal: true };
}

self.onmessage = (ev: MessageEvent<{ id: number; job: Job }>) => {
  const { id, job } = ev.data;
  const t0 = performance.now();
  Promise.resolve()
    .then(() => run(job, (done, total) => post({ id, type: "progress", done, total })))
    .then(
      (value) => post({ id, type: "done", value, ms: performance.now() - t0 }),
      (e) => post({ id, type: "error", error: errorInfo(e) }),
    );
};
