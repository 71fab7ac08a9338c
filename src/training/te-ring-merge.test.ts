// Transformer Engine's context-parallel ring merges on their own: bytes per element, growth with the ring, and the step.
import { describe, expect, it } from "vitest";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import type { TrainingConfig } from "../schema/training.js";
import { estimateTraining } from "./estimate.js";
import { teRingMergeBytes } from "./te-ring-merge.js";

const llama8b = resolveModel("llama3-8b");
const base: TrainingConfig = {
  seqLength: 32768,
  globalBatchSize: 8,
  microBatchSize: 1,
  tp: 1,
  pp: 1,
  dp: 2,
  cp: 4,
  recompute: "selective",
  precision: "bf16",
  overlap: { tpComm: false, dpComm: false },
};

describe("teRingMergeBytes", () => {
  it("is nothing without context parallelism", () => {
    expect(teRingMergeBytes(1)).toEqual({
      forwardPerQ: 0,
      forwardPerKv: 0,
      backwardPerQ: 0,
      backwardPerKv: 0,
      kernelsF: 0,
      kernelsB: 0,
    });
  });
  it("counts the first step's write (4 B) and 4.5 B for each later step, averaged over the ranks", () => {
    const r = teRingMergeBytes(4);
    expect(r.forwardPerQ).toBe(4 + 3 * 4.5);
    expect(r.backwardPerQ).toBe(r.forwardPerQ);
    expect(r.backwardPerKv).toBe(4 + r.forwardPerQ);
    // Bounded by a whole-output read-read-write (6 B) every step.
    expect(r.forwardPerQ).toBeLessThanOrEqual(6 * 4);
  });
  it("grows with the ring", () => {
    expect(teRingMergeBytes(8).forwardPerQ).toBeGreaterThan(teRingMergeBytes(4).forwardPerQ);
    expect(teRingMergeBytes(8).kernelsB).toBeGreaterThan(teRingMergeBytes(4).kernelsB);
  });
});

describe("in a step", () => {
  const sys = dgxB200(8);
  it("a Megatron-family framework pays the merges only with CP", () => {
    const run = (framework: "megatron-lm" | "deepspeed", cp: number) =>
      estimateTraining(sys, llama8b, { ...base, framework, cp, dp: 8 / cp }).breakdownS.computeS;
    // Frameworks differ in other ways too; what CP 4 adds to Megatron beyond what it adds to DeepSpeed is the merges.
    const extraCp = run("megatron-lm", 4) - run("deepspeed", 4);
    const extraNoCp = run("megatron-lm", 1) - run("deepspeed", 1);
    expect(extraCp).toBeGreaterThan(extraNoCp + 1e-6);
  });
});
