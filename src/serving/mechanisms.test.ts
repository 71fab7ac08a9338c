// Each step-cost mechanism on its own: kernel floors and eager launches, host time per engine, speculative drafts, engine registry.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  fitFusedMoeStreaming,
  fusedMoeSlopeShare,
  fusedMoeTables,
} from "../../scripts/fit/kernels-fused-moe.js";
import { fitGatherScatter, gatherScatterLineUs } from "../../scripts/fit/kernels-nccl-gather.js";
import { costOptions, deviceOnlyEngine, prefillOnlyLoad } from "../../test/fixtures/serving.js";
import {
  DEEPEP_LL_EP16,
  lowLatencyCallFloorsS,
  lowLatencyScaleOutFloorS,
} from "../catalog/families/hopper.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveChip, resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { scenarioFromValue } from "../scenario/load.js";
import { efficiencyOverride } from "../schema/serving.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { servingPlan } from "./config.js";
import {
  attnParamsPerRank,
  type CostOptions,
  defaultAttentionPrecision,
  dpMoeGatherKernels,
  fusedMoeKernelCount,
  fusedMoeS,
  InstanceCost,
  kernelCounts,
  type RankLoad,
  servingShape,
} from "./cost.js";
import { efficiencyFor, type KernelEfficiency } from "./efficiency.js";
import { engineIds, instanceLayout, servingEngine } from "./engines/index.js";
import type { ServingEngine } from "./engines/types.js";

const llama = resolveModel("llama3-70b");
const dsv3 = resolveModel("deepseek-v3");
const dgx = resolveSystem("dgx-h100-superpod");
const base: CostOptions = costOptions();
const decode = (seqs: number, ctx = 2000, draftTokens = 0): RankLoad => ({
  prefillTokens: 0,
  prefillPairs: 0,
  decodeSeqs: seqs,
  decodeKvTokens: seqs * ctx,
  logitTokens: seqs,
  draftTokens,
});
const cost = (engine: Partial<ServingEngine> = {}, o: Partial<CostOptions> = {}) =>
  new InstanceCost(
    llama,
    dgx,
    { chips: 8, tp: 8, attentionDp: 1, ep: 1 },
    {
      ...base,
      ...o,
      engine: { ...servingEngine("generic"), ...engine },
    },
  );

describe("kernel fixed costs", () => {
  it("a batch-1 decode step is at least the kernels of the model times the device floor", () => {
    const k = kernelCounts(servingShape(llama), "fp8").perStep;
    const step = cost({ hostStepS: 0, hostPerSeqS: 0 }).step(decode(1), 1);
    // Each layer's decode-attention call costs its published latency in place of one floor (decode-attention.ts).
    const h = chipFamily("hopper").serving;
    const attnExtra = llama.layers * ((h.attentionCallFixedS?.gqa ?? h.kernelFloorS) - h.kernelFloorS);
    // The FP8 model's one 16-bit linear, the LM head, pays its measured call cost above the floor (linear-call-fixed.ts,
    // 2026-12-03).
    const head = (h.linearCallFixedS ?? h.kernelFloorS) - h.kernelFloorS;
    expect(step.overheadS).toBeCloseTo(k * h.kernelFloorS + attnExtra + head, 12);
    expect(step.timeS).toBeGreaterThan(step.overheadS + step.computeS);
  });
  it("launching eagerly costs more than replaying a graph, and a batch past the graph size runs eagerly", () => {
    const graphs = cost().step(decode(8), 8).timeS;
    const eager = cost({ decodeGraphs: false }).step(decode(8), 8).timeS;
    expect(eager).toBeGreaterThan(graphs);
    const capped = cost({ graphMaxBatchPerRank: 4 }).step(decode(8), 8).timeS;
    expect(capped).toBeCloseTo(eager, 12);
  });
  it("sequences longer than the engine's graphs cover run eagerly (vLLM V0's max_seq_len_to_capture, 8,192)", () => {
    expect(servingEngine("vllm-v0").graphMaxContextTokens).toBe(8192);
    expect(servingEngine("vllm").graphMaxContextTokens).toBeUndefined();
    const e = { graphMaxContextTokens: servingEngine("vllm-v0").graphMaxContextTokens };
    const eager = cost({ decodeGraphs: false }).step(decode(1, 8193), 1).overheadS;
    expect(cost(e).step(decode(1, 8193), 1).overheadS).toBeCloseTo(eager, 12);
    // At or below the limit the step replays its graph: the floor, not the launch, and no jump in the step.
    const atLimit = cost(e).step(decode(1, 8192), 1);
    expect(atLimit.overheadS).toBeCloseTo(cost().step(decode(1, 8192), 1).overheadS, 12);
    expect(atLimit.overheadS).toBeLessThan(eager);
    // An engine without the limit keeps its graphs however long the context.
    expect(cost().step(decode(1, 100_000), 1).overheadS).toBeCloseTo(atLimit.overheadS, 12);
  });
  it("fused engines launch fewer kernels", () => {
    expect(cost({ kernelFactor: 0.8 }).step(decode(1), 1).timeS).toBeLessThan(
      cost().step(decode(1), 1).timeS,
    );
  });
  it("MLA layers and quantised matmuls launch more kernels", () => {
    const mla = kernelCounts(servingShape(dsv3), "bf16").perLayer;
    const gqa = kernelCounts(servingShape(llama), "bf16").perLayer;
    expect(mla).toBeGreaterThan(gqa);
    expect(kernelCounts(servingShape(llama), "fp8").perStep).toBeGreaterThan(
      kernelCounts(servingShape(llama), "bf16").perStep,
    );
  });
  it("BF16 attention projections take no quantisation kernels in an FP4 run: 2 per GQA layer, 3 per MLA layer fewer", () => {
    const l = servingShape(llama);
    const v = servingShape(dsv3);
    expect(kernelCounts(l, "fp4").perStep - kernelCounts(l, "fp4", "bf16").perStep).toBe(2 * l.layers);
    expect(kernelCounts(v, "fp4").perStep - kernelCounts(v, "fp4", "bf16").perStep).toBe(3 * v.layers);
    // The default is the matmul precision; the MLP and expert quantisations stay.
    expect(kernelCounts(v, "fp4", "fp4").perStep).toBe(kernelCounts(v, "fp4").perStep);
    expect(kernelCounts(v, "fp4", "bf16").perStep).toBeGreaterThan(kernelCounts(v, "bf16").perStep);
  });
});

describe("host time per engine", () => {
  it("an overlapped scheduler hides host time behind the device; a serial one adds it", () => {
    const device = cost({ hostStepS: 0, hostPerSeqS: 0 }).step(decode(64), 64).timeS;
    const small = 0.1 * device;
    expect(cost({ hostStepS: small, hostOverlap: true }).step(decode(64), 64).timeS).toBeCloseTo(
      Math.max(device, small + 64 * 2 * 5e-6),
      12,
    );
    const serial = cost({ hostStepS: small, hostPerSeqS: 0, hostOverlap: false }).step(decode(64), 64).timeS;
    expect(serial).toBeCloseTo(device + small, 12);
    // Host time longer than the device step bounds it even when overlapped.
    expect(cost({ hostStepS: 10 * device, hostPerSeqS: 0 }).step(decode(64), 64).timeS).toBeCloseTo(
      10 * device,
      12,
    );
  });
});

describe("speculative decoding", () => {
  it("each draft token adds a draft pass; n-gram drafts cost only host time", () => {
    const c = cost({ hostStepS: 0, hostPerSeqS: 0 });
    const d = [0, 1, 2, 3].map((k) => c.step(decode(16, 2000, k), 16 * (1 + k)).draftS);
    expect(d[0]).toBe(0);
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThan(d[i - 1]);
    const ngram = cost({ draftHostS: 1e-4 }, { speculativeMethod: "ngram" });
    expect(ngram.step(decode(16, 2000, 2), 48).draftS).toBeCloseTo(2e-4, 12);
  });
  it("verifying drafts costs more than a plain step but less than one step per draft", () => {
    const c = cost({ hostStepS: 0, hostPerSeqS: 0 });
    const plain = c.step(decode(16), 16).timeS;
    const spec = c.step(decode(16, 2000, 3), 64).timeS;
    expect(spec).toBeGreaterThan(plain);
    expect(spec).toBeLessThan(4 * plain);
  });
});

describe("a family's figures under one engine (servingByEngine)", () => {
  it("replace the family's own figures for that engine only, and an override goes over both", () => {
    const mi300x = resolveChip("mi300x");
    const cdna = chipFamily("cdna");
    // V0 withholds the MXFP4 MoE call table CDNA gives the vLLM lineage (s15-decode: V0 predates gpt-oss), so its
    // own figures are the entry less that null.
    const { fusedMoeCallUpcast: withheldUpcast, ...v0 } = cdna.servingByEngine?.["vllm-v0"] ?? {};
    expect(withheldUpcast).toBeNull();
    expect(Object.keys(v0).length).toBeGreaterThan(0);
    // V0 has CDNA's Triton split-KV MLA decode rate in its own entry (s16-mi300r1: vLLM 0.7's ROCm MLA backend was
    // TRITON_MLA); the vLLM entry as it stands does not carry it (aiter's MLA in today's ROCm images).
    expect(v0.mlaDecodeSplitKv).toBeDefined();
    expect(efficiencyFor(mi300x, undefined, "vllm-v0")).toEqual({ ...cdna.serving, ...v0 });
    expect(efficiencyFor(mi300x, undefined, "vllm")).toEqual({
      ...cdna.serving,
      ...cdna.servingByEngine?.vllm,
    });
    expect(efficiencyFor(mi300x, undefined, "vllm").mlaDecodeSplitKv).toBeUndefined();
    // The rate reaches SGLang 0.4.2 (its ROCm Triton MLA decode) and not SGLang as it stands, which has no CDNA entry.
    expect(efficiencyFor(mi300x, undefined, "sglang-0.4.2")).toEqual({
      ...cdna.serving,
      ...cdna.servingByEngine?.["sglang-0.4.2"],
    });
    expect(efficiencyFor(mi300x, undefined, "sglang")).toBe(cdna.serving);
    expect(efficiencyFor(mi300x)).toBe(cdna.serving);
    expect(efficiencyFor(mi300x, { allReduceFixedS: 1e-6 }, "vllm-v0").allReduceFixedS).toBe(1e-6);
    // A family without figures for the engine gives its own (on a chip without its own weight-streaming figure) ...
    expect(efficiencyFor(resolveChip("h20"), undefined, "generic")).toBe(chipFamily("hopper").serving);
    // ... and a chip with its own measured figure (memoryStreamingFraction) streams weights at it.
    expect(efficiencyFor(resolveChip("h100-sxm"), undefined, "generic")).toEqual({
      ...chipFamily("hopper").serving,
      weightStreaming: 0.851,
    });
    // Hopper's figures for vLLM (its measured all-reduce call) reach V0, derived from it, less the MLA module and the
    // fused-MoE call V0's entry withholds; they go over the family's, the chip's own figure over both.
    expect(efficiencyFor(resolveChip("h100-sxm"), undefined, "vllm-v0")).toEqual({
      ...chipFamily("hopper").serving,
      ...chipFamily("hopper").servingByEngine?.vllm,
      mlaDecodeModule: undefined,
      fusedMoeCall: undefined,
      weightStreaming: 0.851,
    });
  });
  it("price upstream vLLM V0's RCCL all-reduces and hipBLASLt GEMVs on MI300X: a TP8 decode step is slower than vLLM V1's", () => {
    const mi = systemFromCaseHardware({
      chip: "mi300x",
      chips: 8,
      network: [{ name: "infinity-fabric", bandwidthGBps: 448, topology: "full-mesh" }],
    });
    const step = (engine: string) =>
      new InstanceCost(
        llama,
        mi,
        { chips: 8, tp: 8, attentionDp: 1, ep: 1 },
        { ...base, precision: "bf16", engine: servingEngine(engine) },
      ).step(decode(1, 100), 1);
    const v0 = step("vllm-v0");
    const v1 = step("vllm");
    const ratio =
      chipFamily("cdna").serving.weightStreaming /
      (chipFamily("cdna").servingByEngine?.["vllm-v0"]?.weightStreaming ?? 1);
    expect(v0.gemmS / v1.gemmS).toBeCloseTo(ratio, 6);
    // Two all-reduces per layer, each dearer by RCCL's latency less the custom kernel's, and the step's logits gather
    // (logits-gather.ts, 2026-12-03), whose fixed cost on a family without a gather line is the all-reduce fixed cost.
    const extra =
      (2 * servingShape(llama).layers + 1) * (53.435e-6 - chipFamily("cdna").serving.allReduceFixedS);
    expect(v0.commS - v1.commS).toBeCloseTo(extra, 9);
  });
});

describe("engine registry", () => {
  it("answers every engine a case or scenario may name, and names the field for an unknown one", () => {
    for (const id of [
      "generic",
      "sglang",
      "sglang-0.4.2",
      "sglang-jax",
      "trtllm",
      "vllm",
      "vllm-v0",
      "mindie",
      "xdeepserve",
      "other",
    ]) {
      expect(engineIds).toContain(id);
      expect(servingEngine(id).hostStepS).toBeGreaterThanOrEqual(0);
    }
    expect(servingEngine(undefined).id).toBe("generic");
    expect(servingEngine("other").id).toBe("generic");
    expect(() => servingEngine("tgi", ["x", "engine"])).toThrow(ZettasimError);
    try {
      servingEngine("tgi", ["x", "engine"]);
    } catch (e) {
      expect((e as ZettasimError).issues[0].path).toEqual(["x", "engine"]);
    }
  });
});

describe("an engine's default layout", () => {
  it("is its launch default when no layout field is given: tensor parallel for SGLang, vLLM, TensorRT-LLM", () => {
    for (const id of ["sglang", "vllm", "trtllm", "mindie"])
      expect(instanceLayout(servingEngine(id), 8, true, {})).toEqual({
        chips: 8,
        tp: 8,
        attentionDp: 1,
        ep: 1,
      });
    expect(instanceLayout(servingEngine("xdeepserve"), 16, true, {})).toEqual({
      chips: 16,
      tp: 1,
      attentionDp: 16,
      ep: 16,
    });
    expect(instanceLayout(servingEngine("generic"), 16, false, {})).toEqual({
      chips: 16,
      tp: 1,
      attentionDp: 16,
      ep: 1,
    });
  });
  it("fills only the missing fields when some are given, whatever the engine", () => {
    for (const id of engineIds) {
      const e = servingEngine(id);
      expect(instanceLayout(e, 16, true, { ep: 16 })).toEqual({ chips: 16, tp: 1, attentionDp: 16, ep: 16 });
      expect(instanceLayout(e, 16, true, { tp: 4 })).toEqual({ chips: 16, tp: 4, attentionDp: 4, ep: 16 });
    }
  });
  it("changes the step cost as the layout does: TP decode of an MoE model reads every expert's shard", () => {
    const c = (l: { chips: number; tp: number; attentionDp: number; ep: number }) =>
      new InstanceCost(dsv3, dgx, l, { ...base, engine: servingEngine("sglang") }).step(decode(16), 16 * 16)
        .timeS;
    const tpLayout = instanceLayout(servingEngine("sglang"), 16, true, {});
    const epLayout = instanceLayout(servingEngine("generic"), 16, true, {});
    expect(c(tpLayout)).not.toBeCloseTo(c(epLayout), 6);
  });
});

describe("low-latency all-to-all across nodes (DeepEP)", () => {
  // Two-tier H800 machine as DeepEP's benchmark: 8 GPUs per node on NVLink, one 400 Gb/s CX7 NIC per GPU.
  const h800 = (chips: number) =>
    systemFromCaseHardware(
      {
        chip: "h800-sxm",
        chips,
        network: [
          { name: "nvlink", groupSize: 8, bandwidthGBps: 200, topology: "switch" },
          { name: "infiniband-ndr", bandwidthGBps: 50, oversubscription: 1, topology: "fat-tree" },
        ],
      },
      ["hardware"],
    );
  const moeLayers = servingShape(dsv3).moeLayers;
  const perLayerUs = (ep: number, tokens: number, o: Partial<CostOptions> = {}) =>
    (new InstanceCost(dsv3, h800(ep), { chips: ep, tp: 1, attentionDp: ep, ep }, { ...base, ...o }).step(
      decode(tokens),
      tokens * ep,
    ).commS /
      moeLayers) *
    1e6;

  it("the zero-token floor is DeepEP's EP16 latency less its cross-node bytes at line rate (~47 us per call)", () => {
    expect(lowLatencyScaleOutFloorS() * 1e6).toBeCloseTo((43.7 + 50.66) / 2, 0);
    expect(chipFamily("hopper").serving.allToAllScaleOutFixedS).toBe(lowLatencyScaleOutFloorS());
  });
  it("reproduces DeepEP's published dispatch + combine latencies at 128 tokens within 10% for EP16-EP256", () => {
    // deepseek-ai/DeepEP docs/legacy.md, low-latency kernels on H800 + CX7: dispatch + combine, us.
    const published: [number, number][] = [
      [16, 118 + 195],
      [32, 155 + 273],
      [64, 173 + 314],
      [128, 192 + 369],
      [256, 194 + 360],
    ];
    for (const [ep, us] of published) expect(Math.abs(perLayerUs(ep, 128) / us - 1)).toBeLessThan(0.1);
  });
  it("a scenario can override the floor (serving.efficiency.allToAllScaleOutFixedUs)", () => {
    const plan = (efficiency?: { allToAllScaleOutFixedUs: number }) =>
      servingPlan(
        scenarioFromValue({
          system: "dgx-h100-superpod",
          model: "deepseek-v3",
          serving: {
            mode: "disaggregated",
            prefill: { instances: 1, instanceChips: 16, ep: 16 },
            decode: { instances: 1, instanceChips: 16, ep: 16 },
            workload: {
              arrival: { kind: "poisson", ratePerS: 1 },
              requests: 10,
              inputTokens: 100,
              outputTokens: 10,
            },
            efficiency,
          },
        }),
      ).pools.find((p) => p.role === "decode");
    const commS = (efficiency?: { allToAllScaleOutFixedUs: number }) =>
      plan(efficiency)?.cost.step(decode(2), 32).commS ?? Number.NaN;
    const floorS = lowLatencyScaleOutFloorS();
    expect(commS({ allToAllScaleOutFixedUs: 0 })).toBeCloseTo(commS() - 2 * moeLayers * floorS, 9);
  });
  it("a decode step with 2 tokens per rank still pays two floors per MoE layer across nodes, not inside one", () => {
    const floorUs = lowLatencyScaleOutFloorS() * 1e6;
    expect(perLayerUs(16, 2)).toBeGreaterThanOrEqual(2 * floorUs);
    expect(perLayerUs(16, 2)).toBeLessThan(2 * floorUs + 10);
    // Inside one node (EP8) and with throughput ("normal") kernels the family's fixed cost applies instead.
    expect(perLayerUs(8, 2)).toBeLessThan(2 * floorUs);
    expect(perLayerUs(16, 2, { allToAll: "normal" })).toBeLessThan(2 * floorUs);
  });
});

describe("systolic matrix unit width (Chip.matrixUnitWidth) in serving", () => {
  const tpu = resolveSystem("tpu-v5p-pod");
  const withWidth = (w: number | undefined) => ({ ...tpu, chip: { ...tpu.chip, matrixUnitWidth: w } });
  const on = (w: number | undefined, model = llama, tp = 8) =>
    new InstanceCost(model, withWidth(w), { chips: tp, tp, attentionDp: 1, ep: 1 }, base);
  const prefill = prefillOnlyLoad;
  it("the catalog's TPUs carry it and a width of 1 pads nothing", () => {
    expect(tpu.chip.matrixUnitWidth).toBe(128);
    for (const load of [decode(1), decode(64, 8000, 2), prefill(4096)]) {
      expect(on(1).step(load, 8).timeS).toBe(on(undefined).step(load, 8).timeS);
    }
  });
  it("a decode GEMM of fewer rows than the unit costs as many as the unit's width", () => {
    // The width rule is what a family without a linear row block uses; since s16-tpuserve the TPU family gives one (the
    // MXU's 8-row activation block, weight-only-int8.test.ts), so it is taken out here to test the rule itself.
    const noTile = (w: number | undefined) =>
      new InstanceCost(llama, withWidth(w), { chips: 8, tp: 8, attentionDp: 1, ep: 1 }, base, {
        linearRowTile: undefined,
      });
    // An exaggerated width makes the padded GEMMs compute-bound, so the padding shows in the time.
    const w = 2048;
    expect(noTile(w).step(decode(1), 1).gemmS).toBeCloseTo(noTile(w).step(decode(w), w).gemmS, 12);
    expect(noTile(undefined).step(decode(1), 1).gemmS).toBeLessThan(
      noTile(undefined).step(decode(w), w).gemmS,
    );
    expect(noTile(w).step(decode(1), 1).gemmS).toBeGreaterThan(noTile(undefined).step(decode(1), 1).gemmS);
    // With the TPU family's 8-row block the same exaggerated width pads nothing beyond 8 rows.
    expect(on(w).step(decode(1), 1).gemmS).toBeCloseTo(on(undefined).step(decode(8), 8).gemmS, 12);
  });
  it("GQA decode attention slows as the unit widens past the query heads sharing a KV head; MLA's 128 heads fill a 128-wide unit", () => {
    const ctx = 32768;
    // The width rule is what a family without a decode-attention row tile uses; the TPU family now gives one (the
    // MXU's 8-row block, decode-attention-rows.test.ts), so it is taken out here to test the rule itself.
    const noTile = (w: number | undefined, model = llama, tp = 8) =>
      new InstanceCost(model, withWidth(w), { chips: tp, tp, attentionDp: 1, ep: 1 }, base, {
        decodeAttentionRowTile: undefined,
      });
    const attn = (w: number | undefined) => noTile(w).step(decode(8, ctx), 8).attentionCoreS;
    expect(attn(128)).toBeGreaterThanOrEqual(attn(undefined));
    expect(attn(256)).toBeGreaterThan(attn(128));
    expect(attn(1024)).toBeGreaterThan(attn(256));
    const mla = (w: number | undefined) => noTile(w, dsv3, 1).step(decode(8, ctx), 8).attentionCoreS;
    expect(mla(128)).toBe(mla(undefined));
    // With the TPU family's 8-row tile the unit's width no longer pads decode attention.
    const tiled = (w: number | undefined) => on(w).step(decode(8, ctx), 8).attentionCoreS;
    expect(tiled(1024)).toBe(tiled(128));
    expect(tiled(128)).toBeLessThan(attn(128));
  });
  it("prefill attention with 128-wide heads runs at half rate on a 256-wide unit (as the training model charges it)", () => {
    const a = (w: number | undefined) => on(w).step(prefill(16384), 16384).attentionCoreS;
    expect(a(256) / a(undefined)).toBeCloseTo(2, 9);
    expect(a(128)).toBe(a(undefined));
  });
});

describe("low-latency all-to-all floor across nodes, from the published EP16 tables (data/kernels/ep-low-latency-scaleout.json)", () => {
  interface Row {
    stack: string;
    gpu: string;
    nicGBps: number;
    dispatchUs: number;
    dispatchGBps: number;
    combineUs: number;
    combineGBps: number;
  }
  const rows: Row[] = JSON.parse(
    readFileSync(new URL("../../data/kernels/ep-low-latency-scaleout.json", import.meta.url), "utf8"),
  ).sections.low_latency_ep16.rows;
  const floorUs = (r: Row) =>
    lowLatencyScaleOutFloorS({
      dispatch: { latencyS: r.dispatchUs * 1e-6, logicalBytesPerS: r.dispatchGBps * 1e9 },
      combine: { latencyS: r.combineUs * 1e-6, logicalBytesPerS: r.combineGBps * 1e9 },
      nicBytesPerS: r.nicGBps * 1e9,
      remoteShare: 8 / 16,
    }) * 1e6;
  it("the DeepEP H800 row is the table the Hopper profile carries, and gives its 47 us floor", () => {
    const deepep = rows.find((r) => r.stack.startsWith("DeepEP"));
    expect(deepep?.dispatchUs).toBe(DEEPEP_LL_EP16.dispatch.latencyS * 1e6);
    expect(deepep?.combineUs).toBe(DEEPEP_LL_EP16.combine.latencyS * 1e6);
    expect(floorUs(deepep as Row)).toBeCloseTo(lowLatencyScaleOutFloorS() * 1e6, 9);
    expect(floorUs(deepep as Row)).toBeCloseTo(47.2, 1);
  });
  interface ByEp {
    tokensPerRank: number;
    topK: number;
    dispatchMessageBytes: number;
    combineMessageBytes: number;
    nicGBps: number;
    rows: { ep: number; dispatchUs: number; dispatchGBps: number; combineUs: number; combineGBps: number }[];
  }
  const byEp: ByEp = JSON.parse(
    readFileSync(new URL("../../data/kernels/ep-low-latency-scaleout.json", import.meta.url), "utf8"),
  ).sections.deepep_h800_by_ep;
  const messages = byEp.tokensPerRank * byEp.topK;
  it("the DeepEP table's bandwidths are logical bytes of 128 tokens x top-8 messages over the latency (within 3%)", () => {
    for (const r of byEp.rows) {
      expect(
        Math.abs((messages * byEp.dispatchMessageBytes) / (r.dispatchUs * 1e3) / r.dispatchGBps - 1),
      ).toBeLessThan(0.03);
      expect(
        Math.abs((messages * byEp.combineMessageBytes) / (r.combineUs * 1e3) / r.combineGBps - 1),
      ).toBeLessThan(0.03);
    }
  });
  it("per call, floor + cross-node bytes at line rate reproduces DeepEP's EP16-EP256 rows (5%; combine at EP128/256 13%)", () => {
    const f = lowLatencyCallFloorsS();
    expect(f.dispatchS * 1e6).toBeCloseTo(43.7, 1);
    expect(f.combineS * 1e6).toBeCloseTo(50.66, 1);
    const callUs = (floorS: number, msgBytes: number, ep: number) =>
      (floorS + (messages * msgBytes * ((ep - 8) / ep)) / (byEp.nicGBps * 1e9)) * 1e6;
    for (const r of byEp.rows.filter((x) => x.ep >= 16)) {
      const d = callUs(f.dispatchS, byEp.dispatchMessageBytes, r.ep) / r.dispatchUs - 1;
      const c = callUs(f.combineS, byEp.combineMessageBytes, r.ep) / r.combineUs - 1;
      expect(Math.abs(d)).toBeLessThan(0.05);
      expect(Math.abs(c)).toBeLessThan(r.ep >= 128 ? 0.13 : 0.05);
      // Never above the published latency by more than the 5%: the floor is not padded.
      expect(c).toBeLessThan(0.05);
    }
  });
  it("the cost model's per-call floor is the mean of the two (the same sum per layer)", () => {
    const f = lowLatencyCallFloorsS();
    expect(2 * lowLatencyScaleOutFloorS()).toBeCloseTo(f.dispatchS + f.combineS, 15);
  });
  it("Blackwell takes the InfiniBand floor; CPU-proxied EFA stacks sit about three times higher", () => {
    expect(chipFamily("blackwell").serving.allToAllScaleOutFixedS).toBe(lowLatencyScaleOutFloorS());
    for (const r of rows.filter((x) => x.stack.startsWith("UCCL-EP (CPU proxy)"))) {
      expect(floorUs(r)).toBeGreaterThan(140);
      expect(floorUs(r)).toBeLessThan(180);
    }
  });
});

describe("fused-MoE call minimum at decode token counts (fusedMoeMinS)", () => {
  const gb300 = resolveSystem("gb300-nvl72-cluster");
  // `noMin` removes the family's fused-MoE minimum (the profile override a scenario can give).
  const moeCost = (o: Partial<CostOptions> = {}, noMin = false) =>
    new InstanceCost(
      dsv3,
      gb300,
      { chips: 8, tp: 8, attentionDp: 1, ep: 1 },
      { ...base, ...o, engine: deviceOnlyEngine("sglang") },
      noMin ? { fusedMoeMinS: {} } : undefined,
    );
  it("the Blackwell figures are FlashInfer's published one-token kernel times (data/kernels/fused-moe-small-batch-published.json)", () => {
    const file = JSON.parse(
      readFileSync(
        new URL("../../data/kernels/fused-moe-small-batch-published.json", import.meta.url),
        "utf8",
      ),
    );
    const rows = file.sections.flashinfer_trtllm_b300_one_token.rows as {
      kernel: string;
      kernelUs: number;
    }[];
    const us = (k: string) => rows.find((r) => r.kernel === k)?.kernelUs;
    const min = chipFamily("blackwell").serving.fusedMoeMinS ?? {};
    expect((min.fp4 ?? 0) * 1e6).toBeCloseTo(us("TRTLLM NVFP4") as number, 2);
    expect((min.fp8 ?? 0) * 1e6).toBeCloseTo(us("TRTLLM MXFP8") as number, 2);
    expect((min.bf16 ?? 0) * 1e6).toBeCloseTo(us("TRTLLM BF16") as number, 2);
    // No precision is faster at one token than the narrowest: NVFP4 < MXFP8 < BF16.
    expect(min.fp4 as number).toBeLessThan(min.fp8 as number);
    expect(min.fp8 as number).toBeLessThan(min.bf16 as number);
  });
  it("fusedMoeS is the roofline without a minimum, never below it, non-decreasing, meets the minimum with the floors at one token and keeps the call's fixed part above it", () => {
    const one = 7e-6;
    expect(fusedMoeS(7e-6, one, undefined, 8, 3.25e-6)).toBe(7e-6);
    let prev = 0;
    for (const roof of [one, 10e-6, 14.88e-6, 20e-6, 100e-6]) {
      const t = fusedMoeS(roof, one, 40.88e-6, 8, 3.25e-6);
      expect(t).toBeGreaterThanOrEqual(roof);
      expect(t).toBeGreaterThanOrEqual(prev);
      // The fixed part of the one-token call (published time less floors and one-token roofline) stays.
      expect(t - roof).toBeCloseTo(40.88e-6 - 8 * 3.25e-6 - one, 15);
      prev = t;
    }
    // At one token, roofline plus floors is the published one-token time.
    expect(fusedMoeS(one, one, 40.88e-6, 8, 3.25e-6) + 8 * 3.25e-6).toBeCloseTo(40.88e-6, 15);
    // A one-token roofline above the minimum leaves nothing to add.
    expect(fusedMoeS(100e-6, 30e-6, 40.88e-6, 8, 3.25e-6)).toBe(100e-6);
    expect(fusedMoeKernelCount("fp8")).toBe(8);
    expect(fusedMoeKernelCount("bf16")).toBe(6);
  });
  it("raises a decode step on Blackwell by at most the minimum per MoE layer at any batch", () => {
    const layers = servingShape(dsv3).moeLayers;
    for (const b of [1, 16, 256]) {
      const withMin = moeCost().step(decode(b), b).timeS;
      const without = moeCost({}, true).step(decode(b), b).timeS;
      expect(withMin).toBeGreaterThan(without);
      expect(withMin - without).toBeLessThanOrEqual(layers * 40.88e-6);
    }
  });
  it("keeps the decode step non-decreasing in the batch", () => {
    let prev = 0;
    for (const b of [1, 2, 4, 8, 16, 32, 64]) {
      const t = moeCost().step(decode(b), b).timeS;
      expect(t).toBeGreaterThanOrEqual(prev);
      prev = t;
    }
  });
  it("families without the field (Hopper) are unchanged", () => {
    expect(chipFamily("hopper").serving.fusedMoeMinS).toBeUndefined();
  });
});

describe("grouped weight streaming of fused-MoE calls (groupedWeightStreaming)", () => {
  // Least squares of kernel time on touched-expert bytes (scripts/fit/kernels-fused-moe.ts, as npm run fit runs it).
  const fits = fusedMoeTables();
  it("the data file's slopes are reproduced from its tables", () => {
    for (const f of fits) expect(fusedMoeSlopeShare(f)).toBeCloseTo(f.slopeShareOfHbm, 3);
  });
  it("the Blackwell and Hopper figures are the means of their chips' published slopes, below the dense rate", () => {
    const mean = (chips: string[]) => {
      const v = fits.filter((f) => chips.includes(f.chip)).map((f) => f.slopeShareOfHbm);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    const bw = chipFamily("blackwell").serving;
    const hp = chipFamily("hopper").serving;
    expect(bw.groupedWeightStreaming as number).toBeCloseTo(mean(["B200"]), 2);
    expect(hp.groupedWeightStreaming as number).toBeCloseTo(mean(["H200", "H100 SXM"]), 2);
    const fitted = fitFusedMoeStreaming();
    expect(bw.groupedWeightStreaming).toBe(fitted["blackwell.serving.groupedWeightStreaming"]);
    expect(hp.groupedWeightStreaming).toBe(fitted["hopper.serving.groupedWeightStreaming"]);
    expect(bw.groupedWeightStreaming as number).toBeLessThan(bw.weightStreaming);
    expect(hp.groupedWeightStreaming as number).toBeLessThan(hp.weightStreaming);
  });
  it("slows only the routed experts' weight streaming: a dense model's decode step is unchanged", () => {
    const cost = (m: typeof dsv3, o?: Partial<KernelEfficiency>) =>
      new InstanceCost(m, dgx, { chips: 8, tp: 8, attentionDp: 1, ep: 1 }, base, o);
    const moeSlow = cost(dsv3).step(decode(16), 16).timeS;
    const moeFast = cost(dsv3, { groupedWeightStreaming: 0.8 }).step(decode(16), 16).timeS;
    expect(moeSlow).toBeGreaterThan(moeFast);
    expect(cost(llama).step(decode(16), 16).timeS).toBe(
      cost(llama, { groupedWeightStreaming: 0.8 }).step(decode(16), 16).timeS,
    );
  });
  it("the schema refuses a streaming efficiency of 0, which the roofline divides by", () => {
    for (const key of ["groupedWeightStreaming", "weightStreaming"]) {
      const r = efficiencyOverride.safeParse({ [key]: 0 });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0].path).toEqual([key]);
    }
    expect(efficiencyOverride.safeParse({ groupedWeightStreaming: 1e-4 }).success).toBe(true);
  });
});

describe("precision of the attention projections (attentionPrecision)", () => {
  const gb300 = resolveSystem("gb300-nvl72-cluster");
  const at = (o: Partial<CostOptions>) =>
    new InstanceCost(
      dsv3,
      gb300,
      { chips: 8, tp: 8, attentionDp: 1, ep: 1 },
      { ...base, ...o, engine: deviceOnlyEngine("sglang") },
    );
  const prefill: RankLoad = {
    prefillTokens: 16384,
    prefillPairs: 8 * ((2048 * 2049) / 2),
    decodeSeqs: 0,
    decodeKvTokens: 0,
    logitTokens: 8,
  };
  it("defaults to BF16 under FP4 (released FP4 checkpoints quantise the MoE and MLP only) and to the matmul precision otherwise", () => {
    expect(defaultAttentionPrecision("fp4")).toBe("bf16");
    for (const p of ["fp8", "int8", "bf16", "fp16"] as const) expect(defaultAttentionPrecision(p)).toBe(p);
    const dflt = at({ precision: "fp4" }).step(prefill, 16384).timeS;
    expect(dflt).toBeCloseTo(
      at({ precision: "fp4", attentionPrecision: "bf16" }).step(prefill, 16384).timeS,
      12,
    );
  });
  it("a wider attention precision is slower, in prefill (FLOPs) and in decode (weight bytes), and holds more weight memory", () => {
    // Kernel fixed costs left out: BF16 attention also saves its quantisation kernels (kernelCounts), and FP8 attention
    // pays SGLang's measured FP8 call line (fp8-linear-call.ts), a per-call fixed cost as well (added with it).
    const noFloors = (o: Partial<CostOptions>) =>
      new InstanceCost(
        dsv3,
        gb300,
        { chips: 8, tp: 8, attentionDp: 1, ep: 1 },
        { ...base, ...o, engine: deviceOnlyEngine("sglang") },
        { kernelFloorS: 0, launchEagerS: 0, fusedMoeMinS: {}, fp8LinearCall: undefined },
      );
    const order = ["fp4", "fp8", "bf16"] as const;
    let prevPrefill = 0;
    let prevDecode = 0;
    let prevWeights = 0;
    for (const a of order) {
      const c = noFloors({ precision: "fp4", attentionPrecision: a });
      const p = c.step(prefill, 16384).timeS;
      const d = c.step(decode(64), 64).timeS;
      expect(p).toBeGreaterThan(prevPrefill);
      expect(d).toBeGreaterThan(prevDecode);
      expect(c.weightBytesPerChip()).toBeGreaterThan(prevWeights);
      prevPrefill = p;
      prevDecode = d;
      prevWeights = c.weightBytesPerChip();
    }
  });
  it("the attention weight bytes differ by the format sizes alone: BF16 less FP4 attention = a rank's attention params x (2 - 0.53125)", () => {
    const s = servingShape(dsv3);
    const diff =
      at({ precision: "fp4", attentionPrecision: "bf16" }).weightBytesPerChip() -
      at({ precision: "fp4", attentionPrecision: "fp4" }).weightBytesPerChip();
    expect(diff).toBeCloseTo(s.layers * attnParamsPerRank(s, 8) * (2 - (0.5 + 1 / 32)), -3);
  });
  it("names the field when the chip has no peak for it", () => {
    // A chip with FP4 and FP8 peaks only: BF16 attention projections have no rate to run at.
    const narrow = { ...gb300, chip: { ...gb300.chip, peakFlops: { fp4: 1e16, fp8: 5e15 } } };
    expect(
      () =>
        new InstanceCost(
          dsv3,
          narrow,
          { chips: 8, tp: 8, attentionDp: 1, ep: 1 },
          { ...base, precision: "fp4", kvCache: "fp8", attentionPrecision: "bf16" },
        ),
    ).toThrow(/serving\.attentionPrecision: chip gb300 has no peak FLOP\/s for bf16/);
  });
});

describe("DP attention with tensor-parallel experts: tokens gathered to the MoE and scattered back", () => {
  const sys = resolveSystem("dgx-h100-superpod");
  const commS = (layout: { chips: number; tp: number; attentionDp: number; ep: number }, seqs: number) =>
    new InstanceCost(dsv3, sys, layout, base).step(decode(seqs), seqs * layout.attentionDp).commS;
  const dp = { chips: 8, tp: 2, attentionDp: 4, ep: 1 };
  const alone = { chips: 2, tp: 2, attentionDp: 1, ep: 1 };
  it("adds two collectives over the instance per MoE layer, each at least the fixed cost of a small all-reduce", () => {
    const extra = commS(dp, 1) - commS(alone, 1);
    const s = servingShape(dsv3);
    expect(extra).toBeGreaterThanOrEqual(s.moeLayers * 2 * chipFamily("hopper").serving.allReduceFixedS);
  });
  it("grows with the tokens gathered", () => {
    let prev = 0;
    for (const b of [1, 8, 64, 256]) {
      const extra = commS(dp, b) - commS(alone, b);
      expect(extra).toBeGreaterThan(prev);
      prev = extra;
    }
  });
  it("launches 3 more kernels per MoE layer (zero-fill and copy before, copy after), only in that layout", () => {
    expect(dpMoeGatherKernels(dp)).toBe(3);
    expect(dpMoeGatherKernels(alone)).toBe(0);
    expect(dpMoeGatherKernels({ chips: 8, tp: 1, attentionDp: 8, ep: 8 })).toBe(0);
    const overhead = (layout: typeof dp) =>
      new InstanceCost(dsv3, sys, layout, {
        ...base,
        engine: deviceOnlyEngine("sglang"),
      }).step(decode(1), layout.attentionDp).overheadS;
    const s = servingShape(dsv3);
    expect(overhead(dp) - overhead(alone)).toBeCloseTo(
      s.moeLayers * 3 * chipFamily("hopper").serving.kernelFloorS,
      12,
    );
  });
});

describe("DP-attention gather and scatter as NCCL ring collectives (gatherScatter, data/kernels/nccl-small-gather-published.json)", () => {
  const gb300 = resolveSystem("gb300-nvl72-cluster");
  const dp = { chips: 8, tp: 2, attentionDp: 4, ep: 1 };
  const alone = { chips: 2, tp: 2, attentionDp: 1, ep: 1 };
  const commS = (
    layout: { chips: number; tp: number; attentionDp: number; ep: number },
    seqs: number,
    eff?: Partial<KernelEfficiency>,
  ) => new InstanceCost(dsv3, gb300, layout, base, eff).step(decode(seqs), seqs * layout.attentionDp).commS;
  const sections = JSON.parse(
    readFileSync(new URL("../../data/kernels/nccl-small-gather-published.json", import.meta.url), "utf8"),
  ).sections;
  type Row = { op: string; ranks: number; messageSize: number; us: number };
  const median = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  it("the family lines are the least-squares lines of the published NCCL medians, which they reproduce within 2%", () => {
    for (const [fam, key] of [
      ["blackwell", "nccl_ring_gather_scatter_b200"],
      ["hopper", "nccl_ring_gather_scatter_h200"],
    ] as const) {
      const l = gatherScatterLineUs(key);
      const g = chipFamily(fam).serving.gatherScatter;
      expect(g?.fixedS ?? 0).toBeCloseTo(l.fixedUs * 1e-6, 8);
      expect(g?.perPeerS ?? 0).toBeCloseTo(l.perPeerUs * 1e-6, 8);
      // exactly what scripts/fit/kernels-nccl-gather.ts (npm run fit) computes
      expect(g?.fixedS).toBe(fitGatherScatter()[`${fam}.serving.gatherScatter.fixedS`]);
      expect(g?.perPeerS).toBe(fitGatherScatter()[`${fam}.serving.gatherScatter.perPeerS`]);
      for (const [peers, us] of l.points)
        expect(Math.abs(l.fixedUs + l.perPeerUs * peers - us) / us).toBeLessThan(0.02);
    }
  });
  it("the 8-GPU Blackwell figure agrees with the two decode traces (~20 us) within 15%, and is twice the one-shot all-reduce's", () => {
    const g = chipFamily("blackwell").serving.gatherScatter;
    const at8 = (g?.fixedS ?? 0) + (g?.perPeerS ?? 0) * 7;
    for (const r of sections.nccl_ring_all_gather_decode_traces.rows as { ncclRingUs: number }[])
      expect(Math.abs(at8 - r.ncclRingUs * 1e-6) / (r.ncclRingUs * 1e-6)).toBeLessThan(0.15);
    expect(at8).toBeGreaterThan(2 * chipFamily("blackwell").serving.allReduceFixedS);
  });
  it("each MoE layer pays one all-gather and one reduce-scatter over the instance at the line's cost plus (here negligible) bytes", () => {
    const s = servingShape(dsv3);
    const g = chipFamily("blackwell").serving.gatherScatter;
    const fixed = (g?.fixedS ?? 0) + (g?.perPeerS ?? 0) * (dp.chips - 1);
    const extra = commS(dp, 1) - commS(alone, 1);
    expect(extra).toBeGreaterThanOrEqual(s.moeLayers * 2 * fixed);
    expect(extra).toBeLessThan(s.moeLayers * 2 * (fixed + 1e-6));
  });
  it("Hopper's all-reduce fixed cost is the published SGLang custom all-reduce median over 8 H200 less the NVLink tier latency; Blackwell's 8 us is within 0.5 us of B200's", () => {
    const rows = sections.sglang_custom_allreduce_graph as Record<
      "b200" | "h200",
      { ranks: number; us: number }[]
    >;
    const at8 = (k: "b200" | "h200") => median(rows[k].filter((r) => r.ranks === 8).map((r) => r.us));
    const nvlinkUs = 0.5;
    // Rounded to 0.1 us: 5.649 - 0.5 = 5.149 us -> 5.1 us.
    expect(
      Math.abs(chipFamily("hopper").serving.allReduceFixedS - (at8("h200") - nvlinkUs) * 1e-6),
    ).toBeLessThan(0.05e-6);
    expect(
      Math.abs(chipFamily("blackwell").serving.allReduceFixedS - (at8("b200") - nvlinkUs) * 1e-6),
    ).toBeLessThan(0.5e-6);
  });
  it("grows with the peers; a family without the line keeps the all-reduce fixed cost and tier latency; other layouts never pay it", () => {
    const big = { fixedS: 8e-6, perPeerS: 1e-3 };
    expect(commS(dp, 1, { gatherScatter: big })).toBeGreaterThan(
      commS(dp, 1, { gatherScatter: { ...big, perPeerS: 1e-6 } }),
    );
    expect(commS(dp, 1, { gatherScatter: undefined })).toBeLessThan(commS(dp, 1));
    // A TP-only layout pays no DP gather; the line reaches it only through the step's logits gather over its tp ranks
    // (logits-gather.ts, 2026-12-03: added with that gather), whose fixed cost is the line at tp - 1 peers.
    const g = chipFamily("blackwell").serving.gatherScatter;
    const lineAt = (l: { fixedS: number; perPeerS: number }, peers: number) => l.fixedS + l.perPeerS * peers;
    expect(commS(alone, 1, { gatherScatter: big }) - commS(alone, 1)).toBeCloseTo(
      lineAt(big, alone.tp - 1) - lineAt(g ?? { fixedS: 0, perPeerS: 0 }, alone.tp - 1),
      12,
    );
    const ep = { chips: 8, tp: 1, attentionDp: 8, ep: 8 };
    expect(commS(ep, 1, { gatherScatter: big })).toBe(commS(ep, 1));
  });
});

describe("attention projections replicated across tensor-parallel ranks (attnParamsPerRank)", () => {
  const v3 = servingShape(dsv3);
  const l70 = servingShape(llama);
  it("MLA's down-projections and the router gate are the replicated part (DeepSeek-V3: 7168 x (1536 + 512 + 64) + 7168 x 256 x 58/61)", () => {
    expect(v3.attnReplicatedParams).toBeCloseTo(7168 * (1536 + 512 + 64) + (7168 * 256 * 58) / 61, 0);
    expect(v3.attnKvProjParams).toBe(0);
    // Dense GQA model: no replicated part, K/V projections 2 x 8192 x 8 x 128.
    expect(l70.attnReplicatedParams).toBe(0);
    expect(l70.attnKvProjParams).toBe(2 * 8192 * 8 * 128);
  });
  it("equals attnParams at tp 1, never falls below the replicated part, and is non-increasing in tp", () => {
    for (const s of [v3, l70]) {
      expect(attnParamsPerRank(s, 1)).toBeCloseTo(s.attnParams, 6);
      let prev = Number.POSITIVE_INFINITY;
      for (const tp of [1, 2, 4, 8, 16, 32]) {
        const p = attnParamsPerRank(s, tp);
        expect(p).toBeLessThanOrEqual(prev);
        expect(p).toBeGreaterThanOrEqual(s.attnReplicatedParams);
        prev = p;
      }
    }
    // Past kvHeads (8 for Llama 3 70B) a rank keeps a whole KV head: K/V weights stop shrinking.
    const kv = l70.attnKvProjParams;
    expect(attnParamsPerRank(l70, 16) - attnParamsPerRank(l70, 8)).toBeCloseTo(
      -(l70.attnParams - kv) / 16,
      6,
    );
  });
  it("a TP 8 rank of an MLA model holds the replicated projections in full", () => {
    const fp8 = 1 + 4 / 128;
    const evenShare = ((v3.layers * v3.attnParams) / 8) * fp8;
    const replicatedExtra = v3.layers * v3.attnReplicatedParams * (1 - 1 / 8) * fp8;
    expect(v3.layers * attnParamsPerRank(v3, 8) * fp8).toBeCloseTo(evenShare + replicatedExtra, -2);
    // The instance's weight bytes per chip count them so.
    const tp8 = new InstanceCost(dsv3, dgx, { chips: 8, tp: 8, attentionDp: 1, ep: 1 }, base);
    expect(tp8.weightBytesPerChip()).toBeGreaterThan(evenShare + replicatedExtra);
  });
});
