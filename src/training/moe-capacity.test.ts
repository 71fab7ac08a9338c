// Capacity-padded token dropping (Megatron-Core moe_pad_expert_input_to_capacity): expert rows and the routed path's host syncs.
import { describe, expect, it } from "vitest";
import { qwen3A3bEp8Job } from "../../test/fixtures/jobs.js";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { expertPathSyncs } from "./host-sync.js";
import { expertRowsOverBalanced, routedRowsKnownOnHost } from "./moe-capacity.js";

describe("expertRowsOverBalanced", () => {
  it("is the spread when dropless, capped by the capacity when dropping, the capacity when padded", () => {
    expect(expertRowsOverBalanced(1.3, undefined, false)).toBe(1.3);
    expect(expertRowsOverBalanced(1.3, 1.0, false)).toBe(1.0);
    expect(expertRowsOverBalanced(1.1, 2.0, false)).toBe(1.1);
    // Padding fills every buffer: a capacity above the spread costs its rows in full.
    expect(expertRowsOverBalanced(1.1, 2.0, true)).toBe(2.0);
    expect(expertRowsOverBalanced(1.3, 1.0, true)).toBe(1.0);
  });
  it("never goes below the capacity when padded, never above it when dropping", () => {
    for (const spread of [1, 1.05, 1.2, 1.5, 3])
      for (const cap of [0.5, 1, 1.25, 2, 4]) {
        expect(expertRowsOverBalanced(spread, cap, true)).toBe(cap);
        expect(expertRowsOverBalanced(spread, cap, false)).toBeLessThanOrEqual(cap);
      }
  });
});

describe("routedRowsKnownOnHost", () => {
  it("only a padded capacity fixes the row counts on the host", () => {
    expect(routedRowsKnownOnHost(1.0, true)).toBe(true);
    expect(routedRowsKnownOnHost(1.0, false)).toBe(false);
    expect(routedRowsKnownOnHost(undefined, false)).toBe(false);
    expect(expertPathSyncs("alltoall", "per-expert", 8, false, true)).toBe(0);
    expect(expertPathSyncs("alltoall", "per-expert", 8, false, false)).toBe(1);
  });
});

describe("a padded token-drop Qwen3-30B-A3B layer on a DGX B200, EP 8, all-to-all dispatcher", () => {
  const b200 = dgxB200(8);
  const qwen = qwen3MoeA3b(48);
  const run: TrainingConfig = qwen3A3bEp8Job;
  const moe = (c: TrainingConfig) => {
    const l = layerCosts(prepareTraining(b200, qwen, c)).moe;
    if (!l) throw new Error("no MoE layer");
    return l;
  };
  it("makes no host sync on the routed path; dropping without padding and dropless make one", () => {
    expect(moe(run).syncsF).toBe(1);
    expect(moe({ ...run, moeCapacityFactor: 1 }).syncsF).toBe(1);
    expect(moe({ ...run, moeCapacityFactor: 1, moePadToCapacity: true }).syncsF).toBe(0);
  });
  it("pads the experts' GEMMs to the capacity: a larger capacity costs more rows only when padded", () => {
    const dropped = moe({ ...run, moeCapacityFactor: 2 });
    const padded = moe({ ...run, moeCapacityFactor: 2, moePadToCapacity: true });
    expect(padded.gemmF).toBeGreaterThan(dropped.gemmF);
    // Model FLOPs count routed tokens, not padding.
    expect(padded.modelFlopsF).toBe(dropped.modelFlopsF);
  });
  it("the step does not lengthen when padding at capacity 1.0 removes the sync", () => {
    const a = estimateTraining(b200, qwen, { ...run, moeCapacityFactor: 1 }).stepTimeS;
    const b = estimateTraining(b200, qwen, {
      ...run,
      moeCapacityFactor: 1,
      moePadToCapacity: true,
    }).stepTimeS;
    expect(b).toBeLessThanOrEqual(a);
  });
  it("padding without a capacity is refused, naming the field", () => {
    expect(() => prepareTraining(b200, qwen, { ...run, moePadToCapacity: true })).toThrow(/moePadToCapacity/);
  });
});
