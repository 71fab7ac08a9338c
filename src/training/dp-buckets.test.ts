// Data-parallel gradient buckets on their own: Megatron-Core's bucket size and count, the bucket pipeline's exposed time, and what they do to a step.
import { describe, expect, it } from "vitest";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import type { TrainingConfig } from "../schema/training.js";
import {
  bucketCount,
  bucketedExposed,
  bucketParams,
  layerParamTensors,
  MEGATRON_BUCKET_DEFAULT,
} from "./dp-buckets.js";
import { estimateTraining } from "./estimate.js";
import { hidden } from "./moe.js";
import { modelShape } from "./shape.js";

/** Llama 3 8B from the catalog (arXiv 2407.21783, Table 3). */
const llama8b = resolveModel("llama3-8b");

describe("bucket size", () => {
  it("is Megatron-Core's max(40M, 1M x dp x cp) when not published", () => {
    expect(bucketParams(undefined, MEGATRON_BUCKET_DEFAULT, 8)).toBe(40e6);
    expect(bucketParams(undefined, MEGATRON_BUCKET_DEFAULT, 256)).toBe(256e6);
  });
  it("is the published size when there is one, and none for a framework without buckets", () => {
    expect(bucketParams(768e6, MEGATRON_BUCKET_DEFAULT, 256)).toBe(768e6);
    expect(bucketParams(undefined, undefined, 256)).toBeUndefined();
  });
});

describe("bucket count", () => {
  const s = modelShape(llama8b);
  const t = layerParamTensors(s, 1);
  const perLayer = t.reduce((a, x) => a + x, 0);
  it("reads the layer's tensors off the shape: their sum is the layer's parameters", () => {
    expect(perLayer).toBeCloseTo(s.attnParams + s.mlpParams + 2 * s.hidden, -3);
    expect(t).toHaveLength(6);
  });
  it("is one bucket per tensor when the bucket is smaller than any tensor (a 64-parameter bucket)", () => {
    expect(bucketCount(32, t, 1e9, 64)).toBe(32 * 6 + 1);
  });
  it("is one bucket when the bucket holds everything; otherwise each closed bucket holds at least its size and less than its size plus one tensor", () => {
    const total = 32 * perLayer + 1e9;
    expect(bucketCount(32, t, 1e9, 1e12)).toBe(1);
    const n = bucketCount(32, t, 1e9, 256e6);
    expect(n).toBeLessThanOrEqual(Math.floor(total / 256e6) + 1);
    expect(n).toBeGreaterThanOrEqual(total / (256e6 + Math.max(1e9, ...t)));
  });
});

describe("bucket pipeline", () => {
  it("exposes the whole collective with one bucket: it starts when the backward ends", () => {
    expect(bucketedExposed(10, 30, 1, 0.15)).toBeCloseTo(10, 9);
  });
  it("exposes at least the last bucket, and tends to the continuous overlap as buckets grow", () => {
    for (const b of [2, 4, 16]) expect(bucketedExposed(10, 30, b, 0)).toBeCloseTo(10 / b, 9);
    expect(bucketedExposed(10, 30, 1e6, 0.15)).toBeCloseTo(hidden(10, 30, 0.15), 4);
    expect(bucketedExposed(40, 30, 1e6, 0.15)).toBeCloseTo(hidden(40, 30, 0.15), 4);
  });
  it("never exposes less with fewer buckets, never more than the collective, never less than rho of it", () => {
    let prev = Number.POSITIVE_INFINITY;
    for (const b of [1, 2, 3, 6, 16, 64, 256]) {
      const e = bucketedExposed(25, 28, b, 0.15);
      expect(e).toBeLessThanOrEqual(prev + 1e-12);
      expect(e).toBeLessThanOrEqual(25);
      expect(e).toBeGreaterThanOrEqual(0.15 * 25);
      prev = e;
    }
  });
});

describe("buckets in a step", () => {
  // An MLPerf-like Llama 3.1 8B job: 256 data-parallel ranks, one sequence each, the reduce overlapped.
  const run = (extra: Partial<TrainingConfig>): TrainingConfig =>
    ({
      seqLength: 8192,
      microBatchSize: 1,
      globalBatchSize: 256,
      tp: 1,
      pp: 1,
      dp: 256,
      zero: 1,
      precision: "bf16",
      framework: "nemo",
      overlap: { tpComm: false, dpComm: true },
      ...extra,
    }) as TrainingConfig;
  it("a bucket per tensor pays the ring latency per tensor: slower than a few large buckets", () => {
    const small = estimateTraining(dgxB200(256), llama8b, run({ dpBucketParams: 64 }));
    const large = estimateTraining(dgxB200(256), llama8b, run({ dpBucketParams: 768e6 }));
    expect(small.stepTimeS).toBeGreaterThan(large.stepTimeS);
  });
  it("changes nothing when the reduce is not overlapped (Megatron-Core then reduces the buffer at once)", () => {
    const off = { tpComm: false, dpComm: false };
    const a = estimateTraining(dgxB200(256), llama8b, run({ overlap: off, dpBucketParams: 64 }));
    const b = estimateTraining(dgxB200(256), llama8b, run({ overlap: off }));
    expect(a.stepTimeS).toBeCloseTo(b.stepTimeS, 12);
  });
});
