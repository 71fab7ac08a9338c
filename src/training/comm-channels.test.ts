// Channel caps per communicator on their own: the cap, a capped send-recv and ring, and a capped context-parallel ring in a step.
import { describe, expect, it } from "vitest";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import type { TrainingConfig } from "../schema/training.js";
import { collectiveTime } from "./comm.js";
import { channelRateCap } from "./comm-channels.js";
import { estimateTraining } from "./estimate.js";

const llama8b = resolveModel("llama3-8b");

describe("per-channel rate", () => {
  it("is NCCL's cost-model figure: Blackwell twice Hopper's 38.7 GB/s per channel", () => {
    expect(chipFamily("hopper").training.collectiveChannelBytesPerS).toBe(38.7e9);
    expect(chipFamily("blackwell").training.collectiveChannelBytesPerS).toBe(2 * 38.7e9);
  });
  it("caps nothing without a published CTA count or a family figure", () => {
    expect(channelRateCap(undefined, 77.4e9)).toBeUndefined();
    expect(channelRateCap(1, undefined)).toBeUndefined();
    expect(channelRateCap(8, 77.4e9)).toBeCloseTo(8 * 77.4e9, 0);
  });
});

describe("a capped communicator", () => {
  const sys = dgxB200(16);
  it("slows a send-recv to the cap when the links are faster, and not at all when they are slower", () => {
    const free = collectiveTime(sys, "send-recv", 1e8, 2, 1, 0, 0.8);
    const oneCta = collectiveTime(sys, "send-recv", 1e8, 2, 1, 0, 0.8, 77.4e9);
    const latency = collectiveTime(sys, "send-recv", 1, 2, 1, 0, 0.8);
    expect(oneCta - latency).toBeCloseTo(1e8 / 77.4e9, 6);
    expect(oneCta).toBeGreaterThan(free);
    expect(collectiveTime(sys, "send-recv", 1e8, 2, 1, 0, 0.8, 1e15)).toBeCloseTo(free, 12);
  });
  it("bounds a ring's per-rank rate the same way", () => {
    const free = collectiveTime(sys, "reduce-scatter", 1e9, 8, 1, 0, 0.8);
    const capped = collectiveTime(sys, "reduce-scatter", 1e9, 8, 1, 0, 0.8, 2 * 77.4e9);
    expect(capped).toBeGreaterThan(free);
    expect(capped).toBeGreaterThanOrEqual(((7 / 8) * 1e9) / (2 * 77.4e9));
  });
});

describe("a context-parallel ring on one CTA", () => {
  const run = (extra: Partial<TrainingConfig>): TrainingConfig =>
    ({
      seqLength: 8192,
      microBatchSize: 1,
      globalBatchSize: 4,
      tp: 2,
      pp: 1,
      cp: 4,
      dp: 2,
      zero: 1,
      precision: "bf16",
      framework: "nemo",
      ...extra,
    }) as TrainingConfig;
  it("takes longer than the uncapped ring once the exchange outlasts the attention it hides behind", () => {
    const free = estimateTraining(dgxB200(16), llama8b, run({}));
    const one = estimateTraining(dgxB200(16), llama8b, run({ commMaxCtas: { cp: 1 } }));
    expect(one.breakdownS.cpCommS).toBeGreaterThan(free.breakdownS.cpCommS);
    expect(one.stepTimeS).toBeGreaterThan(free.stepTimeS);
    const many = estimateTraining(dgxB200(16), llama8b, run({ commMaxCtas: { cp: 1024 } }));
    expect(many.stepTimeS).toBeCloseTo(free.stepTimeS, 12);
  });
});
