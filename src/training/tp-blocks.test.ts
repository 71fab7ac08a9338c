// Tensor-parallel collectives of an MoE layer: which blocks gather and reduce over the TP group (Megatron-Core).
import { describe, expect, it } from "vitest";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { gb200Nvl72 } from "../../test/fixtures/systems.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { prepareTraining } from "./estimate.js";
import { planTraining } from "./plan.js";
import { tpCollectiveBlocks } from "./sequence-parallel.js";

const qwen = qwen3MoeA3b(48);
const gb200 = gb200Nvl72(16);
const run: TrainingConfig = {
  seqLength: 4096,
  globalBatchSize: 64,
  microBatchSize: 1,
  tp: 2,
  ep: 8,
  sequenceParallel: true,
  precision: "bf16",
  framework: "nemo",
};
const costs = (c: TrainingConfig) => {
  const l = layerCosts(prepareTraining(gb200, qwen, c));
  if (!l.moe) throw new Error("no MoE layer");
  return { dense: l.dense, moe: l.moe };
};

describe("tensor-parallel collectives per layer", () => {
  it("a dense layer gathers and reduces twice (attention, MLP); an MoE block with expert TP 1 and no shared expert does not", () => {
    expect(tpCollectiveBlocks(false, 0, 1)).toBe(2);
    expect(tpCollectiveBlocks(true, 0, 1)).toBe(1);
    // Shared experts are a tensor-parallel MLP; expert TP above 1 gathers the routed tokens over its group.
    expect(tpCollectiveBlocks(true, 1, 1)).toBe(2);
    expect(tpCollectiveBlocks(true, 0, 2)).toBe(2);
  });

  it("with expert TP 1 an MoE layer pays half a dense layer's TP time and launches half its TP kernels", () => {
    const { dense, moe } = costs({ ...run, etp: 1 });
    expect(dense.tpF).toBeGreaterThan(0);
    expect(moe.tpF).toBeCloseTo(dense.tpF / 2, 12);
    const { moe: moeEtp2 } = costs({ ...run, etp: 2 });
    expect(moeEtp2.tpF).toBeCloseTo(dense.tpF, 12);
    // Without sequence parallelism the same rule holds for the all-reduces.
    const noSp = costs({ ...run, etp: 1, sequenceParallel: false });
    expect(noSp.moe.tpF).toBeCloseTo(noSp.dense.tpF / 2, 12);
  });

  it("the flow simulator's plan counts the MoE layers' own blocks, as the analytical layer does", () => {
    // qwen3 MoE: every layer MoE, no shared expert; expert TP 1: one gathering block a layer, two at expert TP 2.
    const tpGathers = (c: TrainingConfig) =>
      planTraining(gb200, qwen, c).comm.find(
        (x) => x.parallelism === "tp" && x.collective === "all-gather" && x.per === "microbatch-forward",
      )?.count ?? 0;
    expect(tpGathers({ ...run, etp: 1 })).toBe(48);
    expect(tpGathers({ ...run, etp: 2 })).toBe(2 * 48);
  });
});
