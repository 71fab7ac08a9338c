// Megatron-Core's once-per-step passes on their own: gradient buffers zeroed, the shard cast and read for the norm, the norm's scalar all-reduce.
import { describe, expect, it } from "vitest";
import { nemoDp16Bf16Job } from "../../test/fixtures/jobs.js";
import { dgxB200, dgxH100, gb200Nvl72 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { tierLatency } from "./comm.js";
import { estimateTraining } from "./estimate.js";
import { frameworkProfile } from "./frameworks.js";
import { MAIN_GRAD_BYTES, type StepPassInputs, scalarAllReduceS, stepPassesS } from "./step-passes.js";

/** 4 TB/s of HBM. */
const mem = (bytes: number) => bytes / 4e12;
const base: StepPassInputs = {
  on: true,
  localParams: 8e9,
  shardParams: 8e9 / 64,
  gradBytes: 2,
  normReductions: 1,
  scalarAllReduceS: 50e-6,
};

describe("stepPassesS", () => {
  it("is nothing when off", () => {
    expect(stepPassesS({ ...base, on: false }, mem)).toBe(0);
  });
  it("zeroes the whole buffer, casts and reads the shard, and reduces the norm once per optimizer", () => {
    const bytes = 8e9 * 2 + (8e9 / 64) * (2 + MAIN_GRAD_BYTES) + (8e9 / 64) * MAIN_GRAD_BYTES;
    expect(stepPassesS(base, mem)).toBeCloseTo(mem(bytes) + 50e-6, 12);
    expect(stepPassesS({ ...base, normReductions: 2 }, mem)).toBeCloseTo(mem(bytes) + 100e-6, 12);
  });
  it("has no cast pass when the buffer is already fp32 (the main gradient is a view)", () => {
    const fp32 = stepPassesS({ ...base, gradBytes: 4 }, mem);
    const bytes = 8e9 * 4 + (8e9 / 64) * MAIN_GRAD_BYTES;
    expect(fp32).toBeCloseTo(mem(bytes) + 50e-6, 12);
  });
  it("grows with the local parameters and the shard", () => {
    const a = stepPassesS(base, mem);
    expect(stepPassesS({ ...base, localParams: 2 * base.localParams }, mem)).toBeGreaterThan(a);
    expect(stepPassesS({ ...base, shardParams: 2 * base.shardParams }, mem)).toBeGreaterThan(a);
  });
  it("refuses a bad count, naming the field, value and expectation", () => {
    try {
      stepPassesS({ ...base, shardParams: Number.NaN }, mem);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      const i = (e as ZettasimError).issues[0];
      expect(i.path).toEqual(["stepPasses", "shardParams"]);
      expect(Number.isNaN(i.value)).toBe(true);
      expect(i.expected).toMatch(/>= 0/);
    }
    expect(() => stepPassesS({ ...base, localParams: -1 }, mem)).toThrow(/localParams/);
  });
});

describe("scalarAllReduceS", () => {
  it("is nothing for one rank", () => {
    expect(scalarAllReduceS(dgxH100(8), 1)).toBe(0);
  });
  it("is a chain inside a node, up and down", () => {
    const sys = dgxH100(8);
    expect(scalarAllReduceS(sys, 8)).toBeCloseTo(2 * 7 * tierLatency(sys, 0), 15);
  });
  it("adds log2 of the nodes at the scale-out latency (NCCL's tree)", () => {
    const sys = dgxH100(8192);
    const want = 2 * (7 * tierLatency(sys, 0) + 10 * tierLatency(sys, 1));
    expect(scalarAllReduceS(sys, 8192)).toBeCloseTo(want, 15);
  });
  it("grows with the rank count, slowly, and stays far below a millisecond at 8,192 GPUs", () => {
    const sys = gb200Nvl72(8208);
    const small = scalarAllReduceS(sys, 144);
    const big = scalarAllReduceS(sys, 8208);
    expect(big).toBeGreaterThan(small);
    expect(big).toBeLessThan(1e-3);
  });
});

describe("in a step", () => {
  const llama8b = resolveModel("llama3-8b");
  const cfg: TrainingConfig = nemoDp16Bf16Job;
  const sys = dgxB200(16);
  it("is on for the Megatron-Core frameworks only", () => {
    expect(frameworkProfile("nemo").gradBufferPasses).toBe(true);
    expect(frameworkProfile("megatron-lm").gradBufferPasses).toBe(true);
    expect(frameworkProfile("mindspeed").gradBufferPasses).toBe(true);
    expect(frameworkProfile("torchtitan").gradBufferPasses).toBeUndefined();
    expect(frameworkProfile("deepspeed").gradBufferPasses).toBeUndefined();
  });
  it("charges at least the zeroing of the rank's bf16 gradient buffer in the optimizer part", () => {
    const e = estimateTraining(sys, llama8b, cfg);
    const hbm = sys.chip.memoryBandwidthBytesPerS;
    const adam = (e.totalParams / 16) * 30;
    expect(e.breakdownS.optimizerS).toBeGreaterThan((e.totalParams * 2 + adam) / hbm);
  });
  it("charges nothing under ZeRO-3 (no DDP gradient buffer)", () => {
    const z1 = estimateTraining(sys, llama8b, cfg);
    const z3 = estimateTraining(sys, llama8b, { ...cfg, zero: 3, shardGroupSize: 16 });
    const hbm = sys.chip.memoryBandwidthBytesPerS;
    // The same optimizer shard (16 ranks) either way: the difference is the passes, at least the zeroing.
    expect(z1.breakdownS.optimizerS - z3.breakdownS.optimizerS).toBeGreaterThan((z1.totalParams * 2) / hbm);
  });
});
