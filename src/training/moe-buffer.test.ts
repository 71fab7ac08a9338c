// Capacity-buffer MoE dispatch (MindFormers MoEV2): buffer sizes against hand-computed values, monotonicity, what a layer exchanges and reduces over TP, and the error paths.
import { describe, expect, it } from "vitest";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { prepareTraining } from "./estimate.js";
import { bufferCapacity, bufferTpCollectives, capacityBuffer } from "./moe-buffer.js";

describe("bufferCapacity (calculate_expert_capacity_v2)", () => {
  it("matches hand-computed capacities of the two MindFormers configurations", () => {
    // DeepSeek-V2 236B: ceil(6 x 4096 x 2.0 / 160) = ceil(307.2) = 308, rounded up to a multiple of mp 8: 312.
    expect(bufferCapacity(4096, 6, 160, 2.0, 8)).toBe(312);
    // Qwen2-57B-A14B: ceil(8 x 32768 x 1.1 / 64) = ceil(4505.6) = 4506, to a multiple of mp 4: 4508.
    expect(bufferCapacity(32768, 8, 64, 1.1, 4)).toBe(4508);
    // At most the group's tokens (then the mp rounding): 10 tokens, top-8 of 2 experts.
    expect(bufferCapacity(10, 8, 2, 1.0, 1)).toBe(10);
    expect(bufferCapacity(10, 8, 2, 1.0, 4)).toBe(12);
  });
  it("never shrinks with more tokens, a larger capacity factor or top-k", () => {
    let last = 0;
    for (const cf of [0.5, 1, 1.1, 1.25, 2, 4]) {
      const c = bufferCapacity(4096, 6, 160, cf, 8);
      expect(c).toBeGreaterThanOrEqual(last);
      expect(c % 8).toBe(0);
      last = c;
    }
    expect(bufferCapacity(8192, 6, 160, 2, 8)).toBeGreaterThan(bufferCapacity(4096, 6, 160, 2, 8));
    expect(bufferCapacity(4096, 8, 160, 2, 8)).toBeGreaterThan(bufferCapacity(4096, 6, 160, 2, 8));
  });
  it("refuses counts that are not whole and a capacity factor that is not > 0, naming them", () => {
    expect(() => bufferCapacity(4096.5, 6, 160, 2, 8)).toThrow(ZettasimError);
    expect(() => bufferCapacity(4096, 6, 160, 2, 0)).toThrow(/tp/);
    expect(() => bufferCapacity(4096, 6, 160, 0, 8)).toThrow(/moeCapacityFactor/);
    expect(() => bufferCapacity(4096, 6, 160, Number.NaN, 8)).toThrow(/moeCapacityFactor/);
  });
});

describe("capacityBuffer", () => {
  it("sizes DeepSeek-V2's buffer by hand: 160 x 312 slots of 5,120 bf16", () => {
    const b = capacityBuffer(4096, 6, 160, 2.0, 8, 5120, 2);
    expect(b.bufferBytes).toBe(160 * 312 * 5120 * 2);
    expect(b.rowsOverBalanced).toBeCloseTo((160 * 312) / (4096 * 6), 12);
    const tok = 4096 * 5120 * 2;
    expect(b.moveBytesF).toBe(tok + 2 * b.bufferBytes + 4 * 6 * tok + tok);
  });
  it("holds at least the capacity factor's rows over the balanced load", () => {
    for (const cf of [1, 1.1, 1.25, 2])
      expect(capacityBuffer(4096, 8, 64, cf, 4, 2048, 2).rowsOverBalanced).toBeGreaterThanOrEqual(cf);
  });
  it("reduces the buffer over TP once per pass; tokens gather and scatter only with sequence parallelism", () => {
    expect(bufferTpCollectives(false)).toEqual({
      bufferAllReduce: 1,
      tokenAllGatherF: 0,
      tokenReduceScatterB: 0,
    });
    expect(bufferTpCollectives(true)).toEqual({
      bufferAllReduce: 1,
      tokenAllGatherF: 1,
      tokenReduceScatterB: 1,
    });
  });
});

describe("a Qwen3-30B-A3B layer on 16 B200 (TP 2, EP 8) with capacity-buffer dispatch", () => {
  const sys = dgxB200(16);
  const qwen = qwen3MoeA3b(48);
  const run: TrainingConfig = {
    seqLength: 4096,
    globalBatchSize: 64,
    microBatchSize: 1,
    tp: 2,
    ep: 8,
    precision: "bf16",
    recompute: "none",
    moeCapacityFactor: 1.25,
  };
  const moe = (c: TrainingConfig) => {
    const l = layerCosts(prepareTraining(sys, qwen, c)).moe;
    if (!l) throw new Error("no MoE layer");
    return l;
  };
  const buffer = { ...run, moeDispatch: "capacity-buffer" as const };
  it("exchanges the whole padded buffer on every TP rank, where a permute dispatcher sends its TP share", () => {
    const b = capacityBuffer(4096, 8, 128, 1.25, 2, 2048, 2);
    expect(moe(buffer).epDispatchBytes).toBeCloseTo(b.bufferBytes, 0);
    const padded = moe({ ...run, moePadToCapacity: true });
    expect(moe(buffer).epDispatchBytes).toBeGreaterThan(1.9 * padded.epDispatchBytes);
  });
  it("all-reduces the buffer over TP, so the layer's TP time exceeds the permute layer's", () => {
    expect(moe(buffer).tpBufferBytes).toBeCloseTo(
      capacityBuffer(4096, 8, 128, 1.25, 2, 2048, 2).bufferBytes,
      0,
    );
    expect(moe(buffer).tpF).toBeGreaterThan(moe({ ...run, moePadToCapacity: true }).tpF);
    expect(moe({ ...run, moePadToCapacity: true }).tpBufferBytes).toBe(0);
  });
  it("is refused without a capacity factor, naming the field", () => {
    expect(() => prepareTraining(sys, qwen, { ...buffer, moeCapacityFactor: null })).toThrow(
      /moeCapacityFactor/,
    );
  });
});
