// The across-heads QK norm under tensor parallelism: its kernels and its all-reduce, zero where the model normalises per head or runs on one rank, and its charge in the step.
import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad, prefillOnlyLoad } from "../../test/fixtures/serving.js";
import { HOPPER_VLLM_TP_ALLREDUCE } from "../catalog/families/tp-allreduce-tables.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import type { ModelConfig } from "../schema/model.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { servingEngine } from "./engines/index.js";
import { QK_NORM_BYTES_PER_TOKEN, qkNormAcrossHeadsKernels, qkNormAllReduceS } from "./qk-norm-tp.js";
import { tableAllReduceS } from "./tp-allreduce-table.js";

describe("qkNormAcrossHeadsKernels", () => {
  it("adds nothing for a per-head or absent QK norm", () => {
    for (const tp of [1, 2, 8]) expect(qkNormAcrossHeadsKernels(false, tp)).toBe(0);
  });
  it("is one fused norm on one rank and two kernels split by the all-reduce under TP", () => {
    expect(qkNormAcrossHeadsKernels(true, 1)).toBe(1);
    expect(qkNormAcrossHeadsKernels(true, 2)).toBe(2);
    expect(qkNormAcrossHeadsKernels(true, 8)).toBe(2);
  });
});

describe("qkNormAllReduceS", () => {
  const calls: number[] = [];
  const priced = (bytes: number) => {
    calls.push(bytes);
    return 7e-6 + bytes * 1e-12;
  };
  it("is zero without the norm, without TP or without tokens, and then prices no call", () => {
    calls.length = 0;
    expect(qkNormAllReduceS(false, 4, 8, priced)).toBe(0);
    expect(qkNormAllReduceS(true, 4, 1, priced)).toBe(0);
    expect(qkNormAllReduceS(true, 0, 8, priced)).toBe(0);
    expect(calls).toEqual([]);
  });
  it("is one call of two FP32 values per token, at the caller's price of a TP all-reduce", () => {
    calls.length = 0;
    expect(qkNormAllReduceS(true, 1000, 8, priced)).toBe(priced(1000 * QK_NORM_BYTES_PER_TOKEN));
    expect(calls).toEqual([8000, 8000]);
  });
});

describe("the step charges an across-heads QK norm", () => {
  const base = resolveModel("qwen3-235b-a22b");
  const across: ModelConfig = { ...base, qkNormAcrossHeads: true };
  const system = resolveSystem("dgx-h100-superpod");
  const opts = { ...costOptions(), engine: servingEngine("vllm"), twoBatchOverlap: false };
  const decode = (seqs: number): RankLoad => decodeOnlyLoad(seqs, 2000);
  const layout = (tp: number) => ({ chips: tp, tp, attentionDp: 1, ep: 1 });

  it("adds one all-reduce and two kernel floors per layer at TP 8, on the device step", () => {
    const a = new InstanceCost(across, system, layout(8), opts);
    const b = new InstanceCost(base, system, layout(8), opts);
    const sa = a.step(decode(4), 4);
    const sb = b.step(decode(4), 4);
    const layers = a.shape.layers;
    expect(sa.commS - sb.commS).toBeGreaterThan(layers * a.eff.allReduceFixedS);
    expect(sa.commS - sb.commS).toBeLessThan(layers * 2 * (a.eff.allReduceFixedS + 5e-6));
    // Kernel floors: two more per layer (the engine's fusion factor is 1 for vLLM).
    expect(sa.overheadS - sb.overheadS).toBeCloseTo(2 * layers * a.eff.kernelFloorS, 9);
    expect(sa.timeS).toBeGreaterThan(sb.timeS);
  });
  it("costs one kernel per layer and no communication on one chip", () => {
    const a = new InstanceCost(across, system, layout(1), opts);
    const b = new InstanceCost(base, system, layout(1), opts);
    const sa = a.step(decode(1), 1);
    const sb = b.step(decode(1), 1);
    expect(sa.commS).toBe(0);
    expect(sb.commS).toBe(0);
    expect(sa.overheadS - sb.overheadS).toBeCloseTo(a.shape.layers * a.eff.kernelFloorS, 9);
  });
  it("prices the norm's all-reduce as the engine's measured call where that is longer, as the activation all-reduces are", () => {
    // A 65,536-token prefill chunk: 512 KB of sums of squares, where vLLM's custom all-reduce on 8 H100s takes 11.9 us
    // (aiconfigurator) and the ring formula well under that.
    const tokens = 65536;
    const a = new InstanceCost(across, system, layout(8), opts);
    const b = new InstanceCost(base, system, layout(8), opts);
    const extra =
      a.step(prefillOnlyLoad(tokens), tokens).commS - b.step(prefillOnlyLoad(tokens), tokens).commS;
    const measured = tableAllReduceS(HOPPER_VLLM_TP_ALLREDUCE, 8, tokens * QK_NORM_BYTES_PER_TOKEN) as number;
    expect(a.eff.tpAllReduceCall).toBe(HOPPER_VLLM_TP_ALLREDUCE);
    expect(measured).toBeGreaterThan(a.eff.allReduceFixedS + 2e-6);
    expect(extra / a.shape.layers).toBeCloseTo(measured, 12);
  });
});
