// PyTorch-native (torchtitan) mechanisms on their own: eager element-wise chains, repeated GQA heads, op-level selective checkpointing, pipeline defaults.
import { describe, expect, it } from "vitest";
import { llama31_8b as llama8b } from "../../test/fixtures/models.js";
import { resolveModel } from "../catalog/models-resolve.js";
import type { System } from "../catalog/types.js";
import { ZettasimError } from "../core/errors.js";
import type { ModelConfig } from "../schema/model.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { layerCosts } from "./analyze.js";
import { resolveTraining } from "./config.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { frameworkProfile } from "./frameworks.js";
import { modelShape } from "./shape.js";
import {
  denseBlockMatmuls,
  EAGER_RMSNORM,
  EAGER_ROPE,
  OP_SELECTIVE_GEMM_SHARE,
  opSacRecomputedShare,
  pipelineDefaults,
  repeatKvBytesPerToken,
  ringMergeBytes,
} from "./torch-native.js";

const llama405b: ModelConfig = {
  layers: 126,
  hiddenSize: 16384,
  ffnHiddenSize: 53248,
  heads: 128,
  kvHeads: 8,
  vocabSize: 128256,
  gatedMlp: true,
};
const hosts = (chips: number): System =>
  systemFromCaseHardware({
    chip: "h100-sxm",
    chips,
    network: [
      { name: "nvlink", groupSize: 8, bandwidthGBps: 450 },
      { name: "rdma", bandwidthGBps: 50 },
    ],
  });
const fsdp8 = (framework: string, compile: boolean | undefined, extra: Partial<TrainingConfig> = {}) =>
  ({
    seqLength: 8192,
    globalBatchSize: 16,
    microBatchSize: 2,
    dp: 8,
    zero: 3,
    recompute: "selective",
    framework,
    compile,
    ...extra,
  }) as TrainingConfig;

describe("eager element-wise chains (PyTorch-native blocks not compiled)", () => {
  it("counts the eager RMSNorm and rotary chains op by op, and more than a fused kernel moves", () => {
    expect(EAGER_RMSNORM.forwardBytes).toBe(6 + 8 + 4 + 8 + 6 + 4);
    expect(EAGER_RMSNORM.forwardBytes).toBeGreaterThan(4);
    expect(EAGER_RMSNORM.backwardBytes).toBeGreaterThan(EAGER_RMSNORM.forwardBytes);
    expect(EAGER_ROPE.forwardBytes).toBe(6 + 8 + 6);
    expect(EAGER_ROPE.forwardBytes).toBeGreaterThan(4);
  });
  it("a torchtitan step without torch.compile is slower than with it, by no more than the extra bytes at half the HBM rate", () => {
    const sys = hosts(8);
    const eager = estimateTraining(sys, llama8b, fsdp8("torchtitan", false));
    const compiled = estimateTraining(sys, llama8b, fsdp8("torchtitan", true));
    expect(eager.stepTimeS).toBeGreaterThan(compiled.stepTimeS);
    // Extra bytes per layer and micro-batch: 2 norms over h, rotary over q and k heads, forward + backward + the
    // selective rerun of the forward; 32 layers, one micro-batch of 16K tokens.
    const T = 2 * 8192;
    const normExtra = 2 * T * 4096 * (2 * EAGER_RMSNORM.forwardBytes + EAGER_RMSNORM.backwardBytes);
    const ropeExtra = T * (32 + 8) * 128 * (2 * EAGER_ROPE.forwardBytes + EAGER_ROPE.backwardBytes);
    const bound = (32 * (normExtra + ropeExtra)) / (0.5 * sys.chip.memoryBandwidthBytesPerS);
    expect(eager.stepTimeS - compiled.stepTimeS).toBeLessThan(bound);
  });
  it("leaves frameworks with fused kernels alone whatever `compile` says", () => {
    const sys = hosts(8);
    const a = estimateTraining(sys, llama8b, fsdp8("megatron-lm", false));
    const b = estimateTraining(sys, llama8b, fsdp8("megatron-lm", true));
    expect(a.stepTimeS).toBe(b.stepTimeS);
  });
  it("takes the framework's default when `compile` is not published (torchtitan: not compiled)", () => {
    const sys = hosts(8);
    expect(estimateTraining(sys, llama8b, fsdp8("torchtitan", undefined)).stepTimeS).toBe(
      estimateTraining(sys, llama8b, fsdp8("torchtitan", false)).stepTimeS,
    );
  });
  it("grows with the tokens per step (monotone in the sequence)", () => {
    const sys = hosts(8);
    const gap = (seq: number) =>
      estimateTraining(sys, llama8b, fsdp8("torchtitan", false, { seqLength: seq })).stepTimeS -
      estimateTraining(sys, llama8b, fsdp8("torchtitan", true, { seqLength: seq })).stepTimeS;
    expect(gap(8192)).toBeGreaterThan(gap(4096));
    expect(gap(4096)).toBeGreaterThan(0);
  });
});

describe("repeated GQA heads", () => {
  it("copies K and V to the query heads only when heads are grouped", () => {
    expect(repeatKvBytesPerToken(32, 8, 256)).toBe((32 + 8) * 256 * 2);
    expect(repeatKvBytesPerToken(32, 32, 256)).toBe(0);
  });
  it("context parallel sends the repeated heads under torchtitan: hq / hkv times Megatron's bytes", () => {
    const sys = hosts(8);
    const t = (framework: string) =>
      ({
        seqLength: 131072,
        globalBatchSize: 2,
        dp: 2,
        cp: 4,
        zero: 3,
        recompute: "full",
        framework,
      }) as TrainingConfig;
    const tt = layerCosts(prepareTraining(sys, llama8b, t("torchtitan"))).dense;
    const mc = layerCosts(prepareTraining(sys, llama8b, t("megatron-lm"))).dense;
    expect(tt.cpBytes).toBeCloseTo(4 * mc.cpBytes, 6);
    expect(tt.cpF).toBeGreaterThan(mc.cpF);
  });
});

describe("PyTorch's ring attention merges (context parallel)", () => {
  it("costs nothing without context parallel and grows with the ring", () => {
    expect(ringMergeBytes(1)).toEqual({ forward: 0, backward: 0, kernelsF: 0, kernelsB: 0 });
    for (const cp of [2, 4, 8]) {
      expect(ringMergeBytes(2 * cp).forward).toBeGreaterThan(ringMergeBytes(cp).forward);
      expect(ringMergeBytes(2 * cp).backward).toBeGreaterThan(ringMergeBytes(cp).backward);
    }
  });
  it("adds exactly the merge bytes at the streaming rate to a torchtitan layer with cp 4", () => {
    const sys = hosts(8);
    const t = (cp: number) =>
      ({
        seqLength: 131072,
        globalBatchSize: 2,
        dp: 8 / cp,
        cp,
        zero: 3,
        recompute: "full",
        framework: "torchtitan",
        compile: true,
      }) as TrainingConfig;
    const p4 = prepareTraining(sys, llama8b, t(4));
    const withRing = layerCosts(p4).dense;
    const stream = sys.chip.memoryBandwidthBytesPerS * p4.eff.memory;
    const T = 131072 / 4;
    const r = ringMergeBytes(4);
    // Same layer without the merges: rebuilt from the per-token parts that do not depend on the ring.
    const noRing = layerCosts({
      ...p4,
      t: {
        ...p4.t,
        framework: { ...p4.t.framework, native: { ...p4.t.framework.native!, eagerRingMerge: false } },
      },
    }).dense;
    expect(withRing.memF - noRing.memF).toBeCloseTo((T * 32 * 128 * r.forward) / stream, 9);
    expect(withRing.memB - noRing.memB).toBeCloseTo((T * 32 * 128 * r.backward) / stream, 9);
  });
});

describe("op-level selective checkpointing (torchtitan)", () => {
  it("reruns the even-numbered matmuls of a dense block (wk, wo, w3 of Llama) on top of the element-wise work", () => {
    const sys = hosts(8);
    const tt = layerCosts(prepareTraining(sys, llama8b, fsdp8("torchtitan", true))).dense;
    const share = opSacRecomputedShare(denseBlockMatmuls(modelShape(resolveModel(llama8b))) ?? []);
    // wk 4,096 x 1,024, wo 4,096 x 4,096, w3 4,096 x 14,336 of 218.1M weight elements.
    expect(share).toBeCloseTo((4096 * 1024 + 4096 * 4096 + 4096 * 14336) / 218103808, 12);
    expect(share).toBeGreaterThan(0.36);
    expect(share).toBeLessThan(0.37);
    expect(tt.selectiveS).toBeCloseTo(tt.memF + share * tt.gemmF, 12);
    expect(tt.selectiveS).toBeLessThan(tt.memF + tt.gemmF + tt.attnF);
    const mc = layerCosts(prepareTraining(sys, llama8b, fsdp8("megatron-lm", true))).dense;
    expect(mc.selectiveS).toBeCloseTo(mc.memF, 12);
  });
  it("counts the even-numbered calls of any order, fresh per block; MoE and MLA keep the profile's half", () => {
    expect(opSacRecomputedShare([1, 1])).toBe(0.5);
    expect(opSacRecomputedShare([1, 3, 1])).toBe(0.6);
    expect(opSacRecomputedShare([])).toBe(0);
    expect(OP_SELECTIVE_GEMM_SHARE).toBe(0.5);
    const s = modelShape(resolveModel({ ...llama8b, gatedMlp: false }));
    expect(denseBlockMatmuls(s)).toHaveLength(6);
  });
  it("refuses a bad matmul size naming its index", () => {
    try {
      opSacRecomputedShare([1, -2]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).issues[0].path).toEqual(["matmuls", 1]);
      expect((e as ZettasimError).issues[0].value).toBe(-2);
    }
  });
});

describe("pipeline defaults (torchtitan at 9dec370)", () => {
  const tt = frameworkProfile("torchtitan");
  it("splits the local batch into as many micro-batches as pipeline ranks, 2 stages per rank when interleaved, no reshard", () => {
    expect(pipelineDefaults(tt, 8, 32)).toEqual({
      microBatchSize: 4,
      interleavedStagesPerRank: 2,
      reshardAfterForward: false,
    });
    expect(pipelineDefaults(tt, 8, 12).microBatchSize).toBeUndefined();
    expect(pipelineDefaults(tt, 1, 32).microBatchSize).toBeUndefined();
    expect(pipelineDefaults(frameworkProfile("megatron-lm"), 8, 32).microBatchSize).toBeUndefined();
  });
  const shape = modelShape(resolveModel(llama405b));
  const base = {
    seqLength: 8192,
    globalBatchSize: 256,
    tp: 8,
    pp: 8,
    dp: 8,
    zero: 3,
    recompute: "full",
    framework: "torchtitan",
  } as TrainingConfig;
  it("resolves an unpublished micro-batch size and depth from them; a published one wins", () => {
    const sys = hosts(512);
    const r = resolveTraining(sys, shape, { ...base, schedule: "interleaved" });
    expect(r.microBatchSize).toBe(4);
    expect(r.microBatches).toBe(8);
    expect(r.degrees.vpp).toBe(2);
    expect(r.reshardAfterForward).toBe(false);
    const p = resolveTraining(sys, shape, { ...base, microBatchSize: 1, vpp: 4, reshardAfterForward: true });
    expect(p.microBatchSize).toBe(1);
    expect(p.degrees.vpp).toBe(4);
    expect(p.reshardAfterForward).toBe(true);
  });
  it("keeping gathered parameters across micro-batches lowers the exposed data-parallel time", () => {
    const sys = hosts(512);
    const keep = estimateTraining(sys, llama405b, { ...base, microBatchSize: 1 });
    const regather = estimateTraining(sys, llama405b, {
      ...base,
      microBatchSize: 1,
      reshardAfterForward: true,
    });
    expect(keep.breakdownS.dpCommS).toBeLessThan(regather.breakdownS.dpCommS);
  });
});
