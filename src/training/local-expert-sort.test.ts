// Tests of the all-to-all dispatcher's reorder of the received rows by local expert (local-expert-sort.ts).
import { describe, expect, it } from "vitest";
import { qwen3A3bEp8Job } from "../../test/fixtures/jobs.js";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { prepareTraining } from "./estimate.js";
import { localExpertSortBytes, localExpertSortCopies } from "./local-expert-sort.js";
import { routedImbalance } from "./moe.js";

const moeLayer = (over: Partial<TrainingConfig>) => {
  const L = layerCosts(prepareTraining(dgxB200(8), qwen3MoeA3b(4), { ...qwen3A3bEp8Job, ...over }));
  if (!L.moe) throw new Error("no MoE layer");
  return { l: L.moe, k: L.kernels };
};

describe("local-expert reorder of an all-to-all exchange", () => {
  it("sorts and unsorts once each way only where the framework's all-to-all dispatcher reorders", () => {
    expect(localExpertSortCopies("multi-expert", "alltoall", 8, 16)).toBe(2);
    expect(localExpertSortCopies("multi-expert", "alltoall", 64, 1)).toBe(0);
    expect(localExpertSortCopies("always", "alltoall", 64, 1)).toBe(2);
    expect(localExpertSortCopies("none", "alltoall", 8, 16)).toBe(0);
    for (const d of ["allgather", "deepep", "hybridep"] as const)
      expect(localExpertSortCopies("always", d, 8, 16)).toBe(0);
    expect(localExpertSortCopies("always", "alltoall", 1, 128)).toBe(0);
  });

  it("moves every received row read and written once at bf16, linear in rows and width", () => {
    expect(localExpertSortBytes(65536, 2048)).toBe(65536 * 2048 * 4);
    expect(localExpertSortBytes(2 * 65536, 2048)).toBe(2 * localExpertSortBytes(65536, 2048));
    expect(localExpertSortBytes(0, 2048)).toBe(0);
  });

  it("refuses a degree or an expert count that is not a whole number >= 1, naming the field", () => {
    expect(() => localExpertSortCopies("multi-expert", "alltoall", 0.5, 16)).toThrow(ZettasimError);
    try {
      localExpertSortCopies("multi-expert", "alltoall", 8, 0);
      expect.unreachable();
    } catch (e) {
      const i = (e as ZettasimError).issues[0];
      expect(i.path).toEqual(["model", "moe", "experts"]);
      expect(i.value).toBe(0);
      expect(i.expected).toContain(">= 1");
    }
  });

  it("adds two permute-rate copies per pass to a Megatron-Core all-to-all layer and nothing to a flex dispatcher's", () => {
    // Same layer, bf16 (no quantised dispatch): the dispatchers differ in the exchange, not in the layer's copies,
    // except for the reorder. Qwen3-30B-A3B at EP 8: 16 local experts, 4,096 tokens x top-8 received rows.
    const a2a = moeLayer({ moeDispatcher: "alltoall" });
    const flex = moeLayer({ moeDispatcher: "deepep" });
    const rows = 4096 * 8 * routedImbalance(4096 * 8, 8, undefined);
    const copy = a2a.k.mem(2 * localExpertSortBytes(rows, 2048), "permute");
    expect(a2a.l.memF - flex.l.memF).toBeCloseTo(copy, 12);
    expect(a2a.l.memB - flex.l.memB).toBeCloseTo(copy, 12);
    // About 0.09 ms on a B200 at this size: two copies of 32,768 rows x 2,048 bf16, each read and written (537 MB).
    expect(copy).toBeGreaterThan(5e-5);
    expect(copy).toBeLessThan(2e-4);
  });

  it("is off where a rank holds one expert under Megatron-Core's dispatcher", () => {
    const one = moeLayer({ moeDispatcher: "alltoall", ep: 8 });
    const model = qwen3MoeA3b(4);
    const single = layerCosts(
      prepareTraining(dgxB200(8), { ...model, moe: { ...model.moe!, experts: 8 } }, { ...qwen3A3bEp8Job }),
    ).moe;
    const singleFlex = layerCosts(
      prepareTraining(
        dgxB200(8),
        { ...model, moe: { ...model.moe!, experts: 8 } },
        {
          ...qwen3A3bEp8Job,
          moeDispatcher: "deepep",
        },
      ),
    ).moe;
    expect(single?.memF).toBeCloseTo(singleFlex?.memF ?? -1, 12);
    expect(one.l.memF).toBeGreaterThan(single?.memF ?? Infinity);
  });
});
