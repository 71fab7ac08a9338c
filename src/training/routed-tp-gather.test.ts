// Tests of the serial routed-copy gather over expert TP (routed-tp-gather.ts) as MindSpeed's all-to-all dispatcher runs it.
import { describe, expect, it } from "vitest";
import { llama70bTp8Layout } from "../../test/fixtures/jobs.js";
import { resolveModel } from "../catalog/models-resolve.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { analyze, layerCosts } from "./analyze.js";
import { collectiveTime } from "./comm.js";
import { prepareTraining } from "./estimate.js";
import { routedGatherBytes, routedLayoutCopyBytes, routedTpSerialS } from "./routed-tp-gather.js";

/** 16 Ascend 910B in Atlas 800T A2 servers: HCCS full mesh of 8, one 200GE RoCE port per NPU. */
const ascend = systemFromCaseHardware({
  chip: "ascend-910b",
  chips: 16,
  network: [
    { name: "hccs", groupSize: 8, bandwidthGBps: 196, topology: "full-mesh" },
    { name: "roce-200ge", bandwidthGBps: 25, oversubscription: 1, topology: "fat-tree" },
  ],
});
const mixtral = resolveModel("mixtral-8x22b");
const job = (over: Partial<TrainingConfig>): TrainingConfig => ({
  ...llama70bTp8Layout,
  ep: 1,
  sequenceParallel: true,
  recompute: "none",
  precision: "bf16",
  framework: "mindspeed",
  ...over,
});
const moeLayer = (over: Partial<TrainingConfig>) => {
  const l = layerCosts(prepareTraining(ascend, mixtral, job(over))).moe;
  if (!l) throw new Error("no MoE layer");
  return l;
};

describe("routed-copy gather over expert TP", () => {
  it("gathers every top-k copy at full hidden width, and moves the buffer twice per copy pass", () => {
    expect(routedGatherBytes(8192, 2, 4096, 1)).toBe(8192 * 2 * 4096 * 2);
    // Twice the bytes of a sequence-parallel all-gather of the same tokens at top-2.
    expect(routedGatherBytes(8192, 2, 4096, 1)).toBe(2 * 8192 * 4096 * 2);
    expect(routedGatherBytes(8192, 2, 4096, 1.25)).toBeGreaterThan(routedGatherBytes(8192, 2, 4096, 1));
    expect(routedLayoutCopyBytes(100)).toBe(400);
    expect(routedTpSerialS(1, 2, 0.25)).toBe(3.5);
  });

  it("charges MindSpeed's MoE layer at TP 8 its gather, reduce-scatter and two all-to-alls, unhidden", () => {
    const l = moeLayer({});
    const T = 8192;
    const p = prepareTraining(ascend, mixtral, job({}));
    const h = p.shape.hidden;
    const eff = p.eff.collective;
    const ag = collectiveTime(ascend, "all-gather", routedGatherBytes(T, 2, h, 1), 8, 1, 0, eff);
    expect(l.tpSerialF).toBeGreaterThanOrEqual(2 * ag);
    expect(l.tpSerialB).toBe(l.tpSerialF);
    // The layer's own TP pairs are the attention block's alone (one all-gather and one reduce-scatter forward).
    expect(l.tpF).toBeCloseTo(l.tpAgS + l.tpRsS, 12);
    // MC2 pairs the attention projections only.
    expect(l.tpPairBlocks).toBe(1);
    expect(l.tpPairQkvF).toBeGreaterThan(0);
    expect(l.tpPairUpF).toBe(0);
  });

  it("is absent without expert TP (EP 8, TP 1) and grows with the tokens gathered", () => {
    expect(moeLayer({ tp: 1, ep: 8, dp: 16, sequenceParallel: false }).tpSerialF).toBe(0);
    const short = moeLayer({ seqLength: 4096 });
    const long = moeLayer({});
    expect(long.tpSerialF).toBeGreaterThan(1.8 * short.tpSerialF);
  });

  it("lengthens MindSpeed's step against the layer-scope pricing of a framework without the gather", () => {
    const ms = prepareTraining(ascend, mixtral, job({}));
    const withGather = layerCosts(ms).moe;
    const plain = { ...ms, t: { ...ms.t, framework: { ...ms.t.framework, expertTpGather: undefined } } };
    const without = layerCosts(plain).moe;
    if (!withGather || !without) throw new Error("no MoE layer");
    expect(without.tpSerialF).toBe(0);
    expect(withGather.tpSerialF + withGather.tpF).toBeGreaterThan(without.tpF);
    expect(withGather.memF).toBeGreaterThan(without.memF);
  });

  it("lists the routed collectives in the step's plan with the bytes the estimate charges, unhidden", () => {
    const p = prepareTraining(ascend, mixtral, job({}));
    const l = layerCosts(p).moe;
    const ops = analyze(p, true).comm.filter((o) => o.name.startsWith("tp routed"));
    expect(ops.map((o) => o.name)).toContain("tp routed all-gather (forward)");
    expect(ops.map((o) => o.name)).toContain("tp routed all-to-all (backward)");
    const ag = ops.find((o) => o.name === "tp routed all-gather (forward)");
    expect(ag?.bytesPerRank).toBe(l?.tpSerialBytes);
    expect(ag?.overlappable).toBe(false);
    expect(ag?.count).toBe(mixtral.layers);
  });
});
