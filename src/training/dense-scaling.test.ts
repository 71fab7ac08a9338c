// Dense-training mechanisms at scale on their own: the data-parallel group that folds context parallelism in, and the CP exchange a full recompute reruns.
import { describe, expect, it } from "vitest";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import type { TrainingConfig } from "../schema/training.js";
import { estimateTraining } from "./estimate.js";

/** Llama 3 8B from the catalog (arXiv 2407.21783, Table 3). */
const llama8b = resolveModel("llama3-8b");
const run = (extra: Partial<TrainingConfig>): TrainingConfig =>
  ({
    seqLength: 8192,
    microBatchSize: 1,
    tp: 1,
    pp: 1,
    zero: 1,
    precision: "bf16",
    overlap: { tpComm: false, dpComm: false },
    ...extra,
  }) as TrainingConfig;

describe("data-parallel group with context parallelism folded in", () => {
  it("reduces over dp x cp ranks from TP's stride: dp 16 x cp 2 costs what dp 32 does", () => {
    // Both reduce the same 8B gradients over the same 32 ranks, 8 per node, one NIC each.
    const cp = estimateTraining(dgxB200(32), llama8b, run({ dp: 16, cp: 2, globalBatchSize: 16 }));
    const dp = estimateTraining(dgxB200(32), llama8b, run({ dp: 32, cp: 1, globalBatchSize: 32 }));
    expect(cp.breakdownS.dpCommS).toBeGreaterThan(0);
    expect(cp.breakdownS.dpCommS).toBeCloseTo(dp.breakdownS.dpCommS, 6);
  });
  it("counts the CP ranks of a node as members of the group: tp 4 x cp 2 x dp 4 costs what tp 4 x dp 8 does", () => {
    // Both groups hold 8 ranks, 2 per node (stride 4): two NICs per node carry the inter-node traffic.
    const onePerNode = estimateTraining(
      dgxB200(32),
      llama8b,
      run({ tp: 4, dp: 4, cp: 2, globalBatchSize: 4 }),
    );
    const twoPerNode = estimateTraining(
      dgxB200(32),
      llama8b,
      run({ tp: 4, dp: 8, cp: 1, globalBatchSize: 8 }),
    );
    expect(twoPerNode.breakdownS.dpCommS).toBeCloseTo(onePerNode.breakdownS.dpCommS, 6);
  });
});

describe("context-parallel exchange under full recompute", () => {
  it("reruns the forward ring exchange: (2 forward + backward) / (forward + backward) = 4/3 of selective's exposure", () => {
    // On one NVLink node every exchange hides under its attention, so each pass exposes the same share of it.
    const job = (recompute: "full" | "selective") =>
      estimateTraining(
        dgxB200(8),
        llama8b,
        run({ dp: 4, cp: 2, seqLength: 32768, globalBatchSize: 4, recompute }),
      );
    const full = job("full").breakdownS.cpCommS;
    const sel = job("selective").breakdownS.cpCommS;
    expect(sel).toBeGreaterThan(0);
    expect(full / sel).toBeCloseTo(4 / 3, 6);
  });
});
