// Reliability Monte Carlo trials through the queue: blocks of trials as jobs, merged in trial order into exactly
// the figures a local run of the same scenario, trials and seed gives.
import {
  type SimulationResult,
  summarizeTrials,
  type TrialBlock,
} from "../../src/reliability/monte-carlo.js";
import { idOf } from "../../src/sweep/id.js";
import { reliabilityTrials, type TrialsSpec } from "./jobs.js";
import { Coordinator } from "./queue.js";

/** Trials per job by default: a block of this size takes milliseconds to a second on one core. */
export const DEFAULT_TRIALS_PER_JOB = 250;

/**
 * Runs the Monte Carlo of `spec` on the queue at `url` and returns its result. Cost: the trials, spread over the
 * workers, plus a queue round trip per block.
 */
export async function trialsOnQueue(
  url: string,
  spec: TrialsSpec,
  opts: { trialsPerJob?: number; onProgress?(done: number, total: number): void } = {},
): Promise<SimulationResult> {
  const id = idOf(spec);
  const ctx = reliabilityTrials.prepare(spec, id);
  const per = opts.trialsPerJob ?? DEFAULT_TRIALS_PER_JOB;
  const blocks = new Map<number, TrialBlock>();
  const c = new Coordinator(url);
  try {
    await c.run({
      kind: reliabilityTrials,
      ctx,
      id,
      spec,
      name: spec.name,
      unitsPerJob: per,
      onEntries: (entries) => {
        for (const [k, json] of entries) blocks.set(Number(k.split("-")[0]), JSON.parse(json) as TrialBlock);
      },
      onProgress: (done) => opts.onProgress?.(Math.min(spec.trials, done * per), spec.trials),
    });
  } finally {
    await c.close();
  }
  const ordered = [...blocks.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  return summarizeTrials(ctx.setup.run, ordered, ctx.setup.seed);
}
