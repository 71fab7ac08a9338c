// A sweep of cheap analytical training points shared by the queue tests and the sweep benchmark.
import { prepareSweep, type Sweep } from "../../src/sweep/expand.js";

/**
 * 4 x n training points of Llama 3 70B on 1,024 H100 (tp x pp x n training-token counts, 1e9 apart). `seed` is a
 * one-value axis that gives sweeps of equal size distinct ids. Cost: the sweep's up-front checks (milliseconds).
 */
export function tokensSweep(n: number, opts: { name: string; seed?: number; pointsPerTask?: number }): Sweep {
  return prepareSweep({
    name: opts.name,
    run: "train",
    pointsPerTask: opts.pointsPerTask,
    base: {
      system: "dgx-h100-superpod",
      model: "llama3-70b",
      training: { chips: 1024, seqLength: 8192, globalBatchSize: 1024, tp: 8, pp: 4 },
    },
    axes: [
      { field: "training.tp", values: [8, 4] },
      { field: "training.pp", values: [4, 8] },
      { field: "training.trainTokens", range: { from: 1e12, to: 1e12 + (n - 1) * 1e9, step: 1e9 } },
      { field: "seed", values: [opts.seed ?? 1] },
    ],
  });
}
