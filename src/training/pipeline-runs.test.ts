// Pipeline schedule runs per step: frameworks that accumulate gradients over several local batches (NeMo AutoModel,
// torchtitan) call the pipeline schedule once per local batch, each run with its own fill and drain.

import { describe, expect, it } from "vitest";
import { dgxH100 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { analyze } from "./analyze.js";
import { scheduleRuns } from "./config.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { planTraining } from "./plan.js";

const h100 = dgxH100(256);
// Kimi K2 (the catalog's) as the NeMo AutoModel performance summary ran it (PP 8 x VP 4, EP 32, FSDP2 over 32 ranks,
// LBS 8, GA 2).
const kimi = resolveModel("kimi-k2");
const run: TrainingConfig = {
  seqLength: 4096,
  globalBatchSize: 512,
  microBatchSize: 1,
  tp: 1,
  pp: 8,
  dp: 32,
  ep: 32,
  vpp: 4,
  sequenceParallel: false,
  zero: 3,
  precision: "bf16",
  moeDispatcher: "deepep",
};
const at = (c: TrainingConfig) => analyze(prepareTraining(h100, kimi, c), false);

describe("pipeline schedule runs per step", () => {
  it("counts the local batches of a data-parallel rank, and refuses a local batch that does not divide it", () => {
    expect(scheduleRuns(undefined, 16, 1, ["training"])).toBe(1);
    expect(scheduleRuns(8, 16, 1, ["training"])).toBe(2);
    expect(scheduleRuns(16, 16, 4, ["training"])).toBe(1);
    for (const [lbs, mbs] of [
      [5, 1],
      [32, 1],
      [6, 4],
    ]) {
      try {
        scheduleRuns(lbs, 16, mbs, ["training"]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ZettasimError);
        expect((e as ZettasimError).issues[0].path).toEqual(["training", "localBatchSize"]);
        expect((e as ZettasimError).issues[0].value).toBe(lbs);
      }
    }
    expect(() => estimateTraining(h100, kimi, { ...run, localBatchSize: 5 })).toThrow(
      /localBatchSize|local batch/,
    );
  });

  it("each run fills and drains the pipeline: the bubble scales with the runs, the per-micro-batch time does not", () => {
    const one = at(run);
    const sameAsOne = at({ ...run, localBatchSize: 16 });
    const two = at({ ...run, localBatchSize: 8 });
    const four = at({ ...run, localBatchSize: 4 });
    expect(sameAsOne.stepTimeS).toBeCloseTo(one.stepTimeS, 12);
    expect(two.microBatchS).toBeCloseTo(one.microBatchS, 12);
    expect(two.bubbleS).toBeCloseTo(2 * one.bubbleS, 9);
    expect(four.bubbleS).toBeCloseTo(4 * one.bubbleS, 9);
    expect(two.stepTimeS).toBeGreaterThan(one.stepTimeS);
    expect(four.stepTimeS).toBeGreaterThan(two.stepTimeS);
    // Fewer micro-batches in flight per run: no more activation memory than one long run.
    expect(four.memory.activations).toBeLessThanOrEqual(one.memory.activations);
  });

  it("parameters gathered once per step are gathered once per run, in the flow simulator's plan too", () => {
    const once = { ...run, reshardAfterForward: false };
    const gathers = (c: TrainingConfig) =>
      planTraining(h100, kimi, c).comm.find((x) => x.name === "fsdp parameter all-gather (once per step)")
        ?.count;
    expect(gathers(once)).toBe(1);
    expect(gathers({ ...once, localBatchSize: 4 })).toBe(4);
  });

  it("no pipeline, no bubble: a data-parallel-only run is unchanged by its local batch", () => {
    const flat = { ...run, pp: 1, vpp: 1, dp: 256, ep: 32, globalBatchSize: 1024 };
    expect(at({ ...flat, localBatchSize: 2 }).stepTimeS).toBeCloseTo(at(flat).stepTimeS, 9);
  });
});
