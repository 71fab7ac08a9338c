// FSDP2's copies around its collectives on their own: bytes per gather and reduce-scatter, off where nothing is sharded or the framework does not shard through FSDP2, bad inputs refused.
import { describe, expect, it } from "vitest";
import { llama31_8b as llama8b } from "../../test/fixtures/models.js";
import type { System } from "../catalog/types.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { estimateTraining, evaluateTraining, prepareTraining } from "./estimate.js";
import { FSDP2_COPY, fsdp2CopyBytes } from "./fsdp2-copies.js";
import { StagedTraining } from "./staged.js";

const base = { params: 1e9, shard: 8, gatherBytes: 2, reduceBytes: 4, gathersF: 1, gathersB: 1 };

describe("fsdp2CopyBytes", () => {
  it("counts the gather copy-in (cast + foreach copy of the shard), the copy-out and the reduce-scatter copy-in", () => {
    const b = fsdp2CopyBytes(base);
    const perGather = (1e9 / 8) * (FSDP2_COPY.masterBytes + 2 + 4) + 1e9 * 4;
    expect(b.forwardBytes).toBeCloseTo(perGather, 0);
    expect(b.backwardBytes).toBeCloseTo(perGather + 1e9 * (FSDP2_COPY.gradBytes + 4), 0);
  });
  it("is zero when nothing is sharded", () => {
    expect(fsdp2CopyBytes({ ...base, shard: 1 })).toEqual({ forwardBytes: 0, backwardBytes: 0 });
    expect(fsdp2CopyBytes({ ...base, params: 0 })).toEqual({ forwardBytes: 0, backwardBytes: 0 });
  });
  it("grows with the parameters and the gathers, and shrinks toward the unsharded copies as the shard grows", () => {
    const a = fsdp2CopyBytes(base);
    expect(fsdp2CopyBytes({ ...base, params: 2e9 }).forwardBytes).toBeCloseTo(2 * a.forwardBytes, 0);
    const noReshard = fsdp2CopyBytes({ ...base, gathersB: 0 });
    expect(noReshard.backwardBytes).toBeLessThan(a.backwardBytes);
    expect(noReshard.forwardBytes).toBe(a.forwardBytes);
    const wide = fsdp2CopyBytes({ ...base, shard: 64 });
    expect(wide.forwardBytes).toBeLessThan(a.forwardBytes);
    expect(wide.forwardBytes).toBeGreaterThan(1e9 * 4);
    expect(fsdp2CopyBytes({ ...base, reduceBytes: 2 }).backwardBytes).toBeLessThan(a.backwardBytes);
  });
  it("refuses a bad input naming the field, value and expectation", () => {
    try {
      fsdp2CopyBytes({ ...base, shard: 0 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      const i = (e as ZettasimError).issues[0];
      expect(i.path).toEqual(["shard"]);
      expect(i.value).toBe(0);
      expect(i.expected).toContain(">= 1");
    }
    expect(() => fsdp2CopyBytes({ ...base, params: Number.NaN })).toThrow(ZettasimError);
    expect(() => fsdp2CopyBytes({ ...base, gathersF: -1 })).toThrow(ZettasimError);
  });
});

const node = (chips: number): System =>
  systemFromCaseHardware({
    chip: "h100-sxm",
    chips,
    network: [{ name: "nvlink", groupSize: 8, bandwidthGBps: 450 }],
  });
const run = (extra: Partial<TrainingConfig>): TrainingConfig =>
  ({
    seqLength: 8192,
    globalBatchSize: 8,
    microBatchSize: 1,
    dp: 8,
    zero: 3,
    recompute: "selective",
    framework: "torchtitan",
    compile: true,
    ...extra,
  }) as TrainingConfig;

describe("FSDP2 copies in a training step", () => {
  it("adds about the copies' bytes at the streaming rate to a torchtitan ZeRO-3 step's compute", () => {
    const sys = node(8);
    const z3 = estimateTraining(sys, llama8b, run({})).breakdownS.computeS;
    const z2 = estimateTraining(sys, llama8b, run({ zero: 2 })).breakdownS.computeS;
    // Per layer 218M parameters: two gathers of 4 bytes a parameter (copy-out) plus the shard's 10 / 8, and the
    // reduce-scatter copy-in's 6: 16.5 bytes a parameter, 115 GB over 32 layers; at the H100's 3.35 TB/s between
    // the full rate and half of it.
    const bytes = 32 * 218.1e6 * (2 * (4 + 10 / 8) + 6);
    expect(z3 - z2).toBeGreaterThan(bytes / 3.35e12);
    expect(z3 - z2).toBeLessThan(bytes / (0.5 * 3.35e12));
    // A framework that gathers into its own buffers (Megatron's distributed optimizer) makes no such copies.
    const mz3 = estimateTraining(
      sys,
      llama8b,
      run({ framework: "megatron-lm", compile: undefined }),
    ).breakdownS;
    const mz2 = estimateTraining(
      sys,
      llama8b,
      run({ framework: "megatron-lm", compile: undefined, zero: 2 }),
    ).breakdownS;
    expect(mz3.computeS).toBeCloseTo(mz2.computeS, 9);
  });
  it("is off below ZeRO-3 and on one rank", () => {
    const one = node(1);
    const a = estimateTraining(one, llama8b, run({ dp: 1, globalBatchSize: 1 }));
    const b = estimateTraining(one, llama8b, run({ dp: 1, globalBatchSize: 1, zero: 0 }));
    expect(a.breakdownS.computeS).toBeCloseTo(b.breakdownS.computeS, 9);
  });
  it("copies over the shard group the gathers use, the automatic hybrid one included", () => {
    // Two nodes of eight H100s, dp 16, no published shard group: the 8B model's sharded states fit one node,
    // so the gathers shard over its 8 GPUs (hybrid sharding), and so must the copies (copy-in: shard / 8, not / 16).
    const sys = systemFromCaseHardware({
      chip: "h100-sxm",
      chips: 16,
      network: [
        { name: "nvlink", groupSize: 8, bandwidthGBps: 450 },
        { name: "infiniband-ndr", bandwidthGBps: 50 },
      ],
    });
    const step = (extra: Partial<TrainingConfig>) =>
      estimateTraining(sys, llama8b, run({ dp: 16, globalBatchSize: 16, ...extra })).breakdownS.computeS;
    const auto = step({});
    expect(auto).toBe(step({ shardGroupSize: 8 }));
    expect(auto).toBeGreaterThan(step({ shardGroupSize: 16 }));
  });
  it("are costed per job, not cached with the layer costs of a job at another dp or ZeRO stage", () => {
    const sys = node(8);
    const staged = StagedTraining.of(prepareTraining(sys, llama8b, run({})));
    for (const extra of [{ zero: 2 }, {}, { dp: 4, globalBatchSize: 4 }, { dp: 8, shardGroupSize: 2 }]) {
      const p = prepareTraining(sys, llama8b, run(extra));
      expect(staged.evaluate(p.t)).toStrictEqual(evaluateTraining(p));
    }
    expect(staged.hits).toBeGreaterThan(0);
  });
});
