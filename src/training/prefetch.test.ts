// FSDP parameter prefetch limited by memory (fsdp.ts: prefetchShare, prefetchLimited) and the TPU family's device memory (families/memory.ts).
import { describe, expect, it } from "vitest";
import { chipUsableMemoryBytes } from "../catalog/families/index.js";
import type { System } from "../catalog/types.js";
import type { ModelConfig } from "../schema/model.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { estimateTraining } from "./estimate.js";
import { type DataParallelCost, prefetchLimited, prefetchShare } from "./fsdp.js";

const GB = 1e9;

describe("prefetchShare", () => {
  it("is 1 when the buffer fits in the room left, 0 when no room is left, and linear between", () => {
    expect(prefetchShare(8 * GB, 4 * GB)).toBe(1);
    expect(prefetchShare(0, 4 * GB)).toBe(0);
    expect(prefetchShare(-2 * GB, 4 * GB)).toBe(0);
    expect(prefetchShare(2 * GB, 4 * GB)).toBeCloseTo(0.5, 12);
  });

  it("never decreases as the room grows, and stays in 0..1", () => {
    let last = -1;
    for (let r = -5; r <= 10; r += 0.5) {
      const s = prefetchShare(r * GB, 4 * GB);
      expect(s).toBeGreaterThanOrEqual(last);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      last = s;
    }
  });

  it("is 1 without a buffer", () => {
    expect(prefetchShare(-1, 0)).toBe(1);
  });
});

const dp = (over: Partial<DataParallelCost>): DataParallelCost => ({
  totalS: 5,
  exposedS: 0.75,
  shard: 256,
  expertShard: 256,
  gatherOncePerStep: false,
  weightParams: 3e9,
  gradParams: 1e9,
  optimizerParams: 1e9,
  dGrad: 0,
  eGrad: 0,
  dPar: 0,
  ePar: 0,
  nDp: 256,
  nEdp: 256,
  replicas: 1,
  prefetchParams: 1e9,
  gatherS: 2.5,
  reduceS: 2.5,
  reduceExposedS: 0.375,
  acrossExposedS: 0,
  gradBuckets: 0,
  gatherShare: 1,
  reduceShare: 1,
  ...over,
});

describe("prefetchLimited", () => {
  // 2.5 s of gathers hidden at 0.15 (0.375 exposed), 2.5 s of reduce-scatters likewise, 0.1 s cross-replica.
  const base = () => dp({ exposedS: 0.85, acrossExposedS: 0.1 });
  it("leaves the cost alone when both buffers fit or overlap is off", () => {
    const d = base();
    expect(prefetchLimited(d, 1, 1, true)).toBe(d);
    expect(prefetchLimited(d, 0, 0, false)).toBe(d);
  });

  it("with no room, gathers and reduce-scatters run in full in the critical path; the cross-replica reduce does not", () => {
    const r = prefetchLimited(base(), 0, 0, true);
    expect(r.exposedS).toBeCloseTo(2.5 + 2.5 + 0.1, 12);
    // The prefetch buffer is not allocated.
    expect(r.weightParams).toBeCloseTo(2e9, 0);
  });

  it("room for the prefetch only: gathers hidden, reduce-scatters exposed", () => {
    const r = prefetchLimited(base(), 1, 0, true);
    expect(r.exposedS).toBeCloseTo(0.375 + 2.5 + 0.1, 12);
    expect(r.weightParams).toBe(3e9);
  });

  it("exposes more as either share falls, never less than with both buffers", () => {
    let last = 0;
    for (let s = 1; s >= 0; s -= 0.1) {
      const e = prefetchLimited(base(), s, s, true).exposedS;
      expect(e).toBeGreaterThanOrEqual(last - 1e-12);
      expect(e).toBeGreaterThanOrEqual(0.85 - 1e-12);
      last = e;
    }
  });
});

describe("TPU device memory", () => {
  it("reads Google's HBM figures as GiB, less XLA:TPU's reserve: 31.25 GiB usable of a 32-GiB v6e", () => {
    const sys = systemFromCaseHardware({
      chip: "tpu-v6e",
      chips: 8,
      network: [{ name: "ici", bandwidthGBps: 400, topology: "torus" }],
    });
    expect(chipUsableMemoryBytes(sys.chip) / 2 ** 30).toBeCloseTo(31.25, 6);
  });
});

/** GPT-3 175B shapes (Brown et al. 2020, Table 2.1), `layers` layers. */
const gpt3 = (layers: number): ModelConfig => ({
  layers,
  hiddenSize: 12288,
  ffnHiddenSize: 49152,
  heads: 96,
  kvHeads: 96,
  vocabSize: 50304,
  gatedMlp: false,
});

const v6e = (chips: number): System =>
  systemFromCaseHardware({
    chip: "tpu-v6e",
    chips,
    network: [{ name: "ici", bandwidthGBps: 400, topology: "torus" }],
  });

const fsdp = (framework: "maxtext" | "other", mbs: number): TrainingConfig => ({
  seqLength: 2048,
  globalBatchSize: 256 * mbs,
  microBatchSize: mbs,
  tp: 1,
  pp: 1,
  dp: 256,
  zero: 3,
  recompute: "full",
  framework,
});

describe("memory-limited prefetch in a step (MaxText on XLA)", () => {
  const eager = (mbs: number) => ({ ...fsdp("other", mbs), overlap: { dpComm: true } });
  it("keeps the prefetch buffer where it fits and drops it where it does not", () => {
    // One 2,048-token sequence per chip leaves room for a 3.6 GB buffer; four do not (three, the tpu-recipes GPT-3
    // layout, leave room for about a third of it).
    const roomy = estimateTraining(v6e(256), gpt3(96), fsdp("maxtext", 1));
    const tight = estimateTraining(v6e(256), gpt3(96), fsdp("maxtext", 4));
    expect(roomy.memoryPerChipBytes).toBeLessThan(chipUsableMemoryBytes(v6e(256).chip));
    // One layer's gathered bf16 weights (12 x 12288^2 parameters, plus its share of the embeddings) fewer.
    const layer = 12 * 12288 ** 2 * 2;
    const dropped = roomy.memoryBreakdownBytes.weightsBytes - tight.memoryBreakdownBytes.weightsBytes;
    expect(dropped / layer).toBeGreaterThan(0.99);
    expect(dropped / layer).toBeLessThan(1.02);
  });

  it("exposes the gathers where the buffer does not fit, unlike a framework that prefetches regardless", () => {
    const mt = estimateTraining(v6e(256), gpt3(96), fsdp("maxtext", 4));
    const other = estimateTraining(v6e(256), gpt3(96), eager(4));
    expect(mt.breakdownS.dpCommS).toBeGreaterThan(2 * other.breakdownS.dpCommS);
  });
});

describe("parameters cast per use (MaxText's fp32-only weights)", () => {
  it("holds no bf16 copy of the ZeRO-3 shard: the gathered layers only", () => {
    const run = (framework: "maxtext" | "other") =>
      estimateTraining(v6e(256), gpt3(96), { ...fsdp(framework, 1), overlap: { dpComm: true } });
    const mt = run("maxtext");
    const other = run("other");
    // The shard of 174.6e9 parameters over 256 chips in bf16.
    const shard = (mt.totalParams / 256) * 2;
    const diff = other.memoryBreakdownBytes.weightsBytes - mt.memoryBreakdownBytes.weightsBytes;
    expect(diff / shard).toBeGreaterThan(0.99);
    expect(diff / shard).toBeLessThan(1.01);
  });
});
