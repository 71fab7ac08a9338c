// The planner's re-ranking as a sweep: the top layouts of a training search simulated at flow level, one point
// each, on this machine's threads or as jobs on a Redis queue (`plan train --rerank N --queue redis://...`).
import { ZettasimError } from "../../src/core/errors.js";
import type { PlannedLayout } from "../../src/plan/train.js";
import { plannedScenario } from "../../src/plan/train-report.js";
import type { ScenarioFile } from "../../src/schema/scenario.js";
import { prepareSweep, type Sweep } from "../../src/sweep/expand.js";
import { runLocal } from "./local.js";
import { sweepOnQueue } from "./queue.js";
import { RowFile } from "./rows.js";

/** One re-ranked layout: its analytical and simulated step times. */
export interface RerankRow {
  rank: number;
  analyticalStepTimeS: number;
  simulatedStepTimeS: number;
  /** Simulated over analytical, minus one, percent. */
  differencePct: number;
}

/** The scenario references a planned layout runs with (see plannedScenario). */
export type RerankSource = Pick<
  ScenarioFile,
  "system" | "model" | "name" | "seed" | "reliability" | "simulation"
>;

/**
 * The sweep that simulates `layouts`: the first layout's scenario as its base and one axis, `layout`, over their
 * training sections. Same layouts, same sweep id, so a queue run resumes and dedupes like any sweep. Cost: the
 * sweep's up-front checks (one scenario validation per layout).
 */
export function rerankSweep(source: RerankSource, layouts: PlannedLayout[]): Sweep {
  const base = plannedScenario({ ...source, name: `${source.name ?? "plan"} (re-rank)` }, layouts[0]);
  return prepareSweep({
    name: base.name,
    run: "simulate",
    base,
    axes: [{ field: "training", name: "layout", values: layouts.map((l) => l.training) }],
  });
}

/**
 * Simulates the planned `layouts` (one point each; `queue`: as jobs for `zettasim worker`s, else on `threads`
 * local threads) and returns their rows in rank order. A layout the simulator refuses is an error naming it.
 * Cost: one flow simulation per layout (about a second each), spread over the threads or workers.
 */
export async function rerankLayouts(
  source: RerankSource,
  layouts: PlannedLayout[],
  opts: { queue?: string; threads?: number; onProgress?(done: number, total: number): void } = {},
): Promise<RerankRow[]> {
  if (layouts.length === 0) return [];
  const sweep = rerankSweep(source, layouts);
  const rows = RowFile.memory(sweep.id);
  if (opts.queue === undefined) {
    const threads = Math.min(layouts.length, opts.threads ?? layouts.length);
    await runLocal(sweep, rows, { threads, onProgress: opts.onProgress });
  } else await sweepOnQueue(opts.queue, sweep, rows, { onProgress: opts.onProgress });
  return rows.finish().map((row, i) => {
    const l = layouts[i];
    const sim = row.result as { stepTimeS?: number } | undefined;
    if (row.error || sim?.stepTimeS === undefined)
      throw new ZettasimError([
        {
          path: ["--rerank"],
          message: `layout #${l.rank} could not be simulated: ${row.error?.message ?? "no step time"}`,
          value: l.rank,
        },
      ]);
    const a = l.estimate.stepTimeS;
    return {
      rank: l.rank,
      analyticalStepTimeS: a,
      simulatedStepTimeS: sim.stepTimeS,
      differencePct: (100 * (sim.stepTimeS - a)) / a,
    };
  });
}
