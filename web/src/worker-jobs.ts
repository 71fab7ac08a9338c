// The worker's jobs beyond the first estimate (pickers' catalog, spec and claims, simulation, reliability, serving,
// planner, report): a chunk of its own, loaded after the first estimate so the worker's start compiles only the core.
import { modelIds, resolveModel } from "../../src/catalog/models-resolve.js";
import { resolveSystem, systemIds } from "../../src/catalog/resolve.js";
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
} from "../../src/report/scenario.js";
import { runClaimsStudy, studyInputs } from "../../src/report/study.js";
import { loadScenarioText, type Scenario, scenarioFromValue } from "../../src/scenario/load.js";
import { webWorkerExecutor } from "./plan-pool.js";
import type { CatalogInfo, Job } from "./protocol.js";

/** Workers a report's plan search may use beside this one. */
const PLAN_THREADS = Math.max(1, Math.min(6, (navigator.hardwareConcurrency || 2) - 1));

function catalog(): CatalogInfo {
  return {
    systems: systemIds().map((id) => {
      const s = resolveSystem(id);
      return { id, name: s.name, chips: s.chips };
    }),
    models: modelIds().map((id) => ({ id, name: resolveModel(id).name ?? id })),
  };
}

/** Jobs that need no scenario. Throws ZettasimError for bad input. */
export function runStandalone(job: Job): unknown {
  if (job.kind === "catalog") return catalog();
  if (job.kind !== "claims-study") throw new Error(`job ${job.kind} needs a scenario`);
  return runClaimsStudy(
    studyInputs((name) => loadScenarioText(job.examples[name] ?? "", `examples/${name}`)),
  );
}

/** A scenario's job other than `check` and `train`. `progress` reports (done, total). Throws ZettasimError for bad input. */
export function runOnScenario(
  job: Job,
  sc: Scenario,
  progress: (done: number, total: number) => void,
): unknown {
  switch (job.kind) {
    case "spec": {
      const specs = job.compare.map((id) => deriveSpec(scenarioFromValue({ system: id }, id).system));
      return {
        spec: deriveSpec(sc.system),
        comparison: specs.length >= 2 ? compareSpecs(specs) : undefined,
        claims: checkClaims(),
      };
    }
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
        layouts >= 200_000
          ? webWorkerExecutor<TrainTask, TrainChunkResult>(PLAN_THREADS, self.location.href)
          : undefined,
      );
    case "plan-train":
      return runPlan(sc, {
        // As the CLI: workers only for a large space (starting them costs more than a small search saves).
        executor: (layouts) =>
          job.threads > 1 && layouts >= 200_000
            ? webWorkerExecutor<TrainTask, TrainChunkResult>(job.threads, self.location.href)
            : undefined,
        progress,
      });
    default:
      throw new Error(`job ${job.kind} is not one of this chunk's`);
  }
}
