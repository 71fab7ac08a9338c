// Block-scaled FP8 linears at decode: the K-loop call time, the family figures recomputed from the published tables, the per-rank shapes, the charge in a step.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fitBlockScaledKLoop, kStepLineUs } from "../../scripts/fit/kernels-block-fp8.js";
import { costOptions } from "../../test/fixtures/serving.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { servingCase } from "../schema/serving.js";
import { blockScaledCallS, blockScaledLinears } from "./block-fp8-gemm.js";
import { type CostOptions, InstanceCost, type RankLoad } from "./cost.js";
import { servingEngine } from "./engines/index.js";
import { fp8CallsExtraS } from "./fp8-linear-call.js";

interface Row {
  k: number;
  us: number;
}
const data = JSON.parse(
  readFileSync(new URL("../../data/kernels/block-fp8-gemm-decode-published.json", import.meta.url), "utf8"),
) as {
  sections: {
    hopper_triton_decode: { rows: Row[]; derivedLine: { fixedUs: number; perKStepUs: number } };
    cdna_triton_default_decode: { k: number; rows: { us: number }[]; derived: { perKStepUs: number } };
    hopper_sglang_deepgemm_aiconfigurator: {
      rows: Record<string, { n: number; k: number; us: number }[]>;
      derivedLines: Record<string, { fixedUs: number; perKStepUs: number; maxResidualUs: number }>;
    };
  };
};

describe("blockScaledCallS", () => {
  const loop = { fixedS: 8e-6, perKStepS: 0.5e-6 };
  it("is fixed + per-step x ceil(K / 128) and non-decreasing in K", () => {
    expect(blockScaledCallS(7168, loop)).toBeCloseTo(8e-6 + 56 * 0.5e-6, 15);
    expect(blockScaledCallS(129, loop)).toBeCloseTo(8e-6 + 2 * 0.5e-6, 15);
    let prev = 0;
    for (const k of [128, 256, 1536, 2048, 7168, 16384]) {
      const t = blockScaledCallS(k, loop);
      expect(t).toBeGreaterThanOrEqual(prev);
      prev = t;
    }
  });
});

describe("family figures", () => {
  it("are exactly what scripts/fit/kernels-block-fp8.ts (npm run fit) computes", () => {
    const fitted = fitBlockScaledKLoop();
    const h = chipFamily("hopper");
    expect(h.serving.blockScaledGemmKLoop?.fixedS).toBe(fitted["hopper.serving.blockScaledGemmKLoop.fixedS"]);
    expect(h.serving.blockScaledGemmKLoop?.perKStepS).toBe(
      fitted["hopper.serving.blockScaledGemmKLoop.perKStepS"],
    );
    const sg = h.servingByEngine?.sglang?.blockScaledGemmKLoop;
    expect(sg?.fixedS).toBe(fitted["hopper.servingByEngine.sglang.blockScaledGemmKLoop.fixedS"]);
    expect(sg?.perKStepS).toBe(fitted["hopper.servingByEngine.sglang.blockScaledGemmKLoop.perKStepS"]);
    expect(chipFamily("cdna").serving.blockScaledGemmKLoop?.perKStepS).toBe(
      fitted["cdna.serving.blockScaledGemmKLoop.perKStepS"],
    );
  });
  it("Hopper: the least-squares line through the published Triton rows against K steps", () => {
    const rows = data.sections.hopper_triton_decode.rows;
    const xs = rows.map((r) => Math.ceil(r.k / 128));
    const ys = rows.map((r) => r.us);
    const { perKStepUs: slope, fixedUs: fixed } = kStepLineUs(rows);
    const line = data.sections.hopper_triton_decode.derivedLine;
    expect(slope).toBeCloseTo(line.perKStepUs, 3);
    expect(fixed).toBeCloseTo(line.fixedUs, 1);
    const fam = chipFamily("hopper").serving.blockScaledGemmKLoop;
    expect((fam?.perKStepS as number) * 1e6).toBeCloseTo(slope, 3);
    expect((fam?.fixedS as number) * 1e6).toBeCloseTo(fixed, 1);
    // Every row within 8 us of the line (the tables come from different PRs and kernel configurations).
    for (let i = 0; i < xs.length; i++) expect(Math.abs(fixed + slope * xs[i] - ys[i])).toBeLessThan(8);
  });
  it("Hopper under SGLang: the line through aiconfigurator's DeepGEMM rows (SGLang 0.5.6.post2), H100 taken", () => {
    const sec = data.sections.hopper_sglang_deepgemm_aiconfigurator;
    for (const chip of ["h100", "h200"]) {
      const rows = sec.rows[chip];
      const xs = rows.map((r) => Math.ceil(r.k / 128));
      const ys = rows.map((r) => r.us);
      const { perKStepUs: slope, fixedUs: fixed } = kStepLineUs(rows);
      expect(slope).toBeCloseTo(sec.derivedLines[chip].perKStepUs, 3);
      expect(fixed).toBeCloseTo(sec.derivedLines[chip].fixedUs, 1);
      for (let i = 0; i < xs.length; i++) expect(Math.abs(fixed + slope * xs[i] - ys[i])).toBeLessThan(0.5);
    }
    const fam = chipFamily("hopper").servingByEngine?.sglang?.blockScaledGemmKLoop;
    expect((fam?.perKStepS as number) * 1e6).toBeCloseTo(sec.derivedLines.h100.perKStepUs, 3);
    expect((fam?.fixedS as number) * 1e6).toBeCloseTo(sec.derivedLines.h100.fixedUs, 2);
    // DeepGEMM's K loop is several times shorter than SGLang 0.4's Triton kernel's (the family's own figure).
    const triton = chipFamily("hopper").serving.blockScaledGemmKLoop;
    expect((triton?.perKStepS as number) / (fam?.perKStepS as number)).toBeGreaterThan(4);
  });
  it("CDNA: the default-config MI350X rows' mean over their 56 K steps (A for MI300X)", () => {
    const sec = data.sections.cdna_triton_default_decode;
    const mean = sec.rows.reduce((a, r) => a + r.us, 0) / sec.rows.length;
    const per = mean / Math.ceil(sec.k / 128);
    expect(per).toBeCloseTo(sec.derived.perKStepUs, 3);
    const fam = chipFamily("cdna").serving.blockScaledGemmKLoop;
    expect((fam?.perKStepS as number) * 1e6).toBeCloseTo(per, 3);
    expect(fam?.fixedS).toBe(0);
  });
  it("the K-loop call of a DeepSeek TP-8 shape is many times its HBM roofline on H200 (4.8 TB/s)", () => {
    // q_a: 1536 x 7168 FP8 weights, 11 MB, 2.9 us at 0.8 of 4.8 TB/s; the K loop takes about 39 us.
    const loop = chipFamily("hopper").serving.blockScaledGemmKLoop;
    if (!loop) throw new Error("hopper has no block-scaled figure");
    const roof = (1536 * 7168) / (4.8e12 * 0.8);
    expect(blockScaledCallS(7168, loop) / roof).toBeGreaterThan(10);
  });
});

describe("blockScaledLinears", () => {
  it("gives DeepSeek-V3's per-rank shapes at TP 8: replicated q_a / kv_a, sharded q_b / o, dense and shared MLPs", () => {
    const l = blockScaledLinears(resolveModel("deepseek-v3"), 8);
    expect(Array.from(l.attention)).toEqual([
      1536,
      7168,
      (128 * 192) / 8,
      1536,
      576,
      7168,
      7168,
      (128 * 128) / 8,
    ]);
    expect(Array.from(l.denseMlp)).toEqual([(2 * 18432) / 8, 7168, 7168, 18432 / 8]);
    expect(Array.from(l.sharedExperts)).toEqual([(2 * 2048) / 8, 7168, 7168, 2048 / 8]);
  });
  it("gives a GQA model its fused qkv (KV heads over at most kvHeads ranks) and no shared experts", () => {
    const m = resolveModel("llama3-70b");
    const l = blockScaledLinears(m, 16);
    const hd = m.hiddenSize / m.heads;
    expect(l.attention[0]).toBeCloseTo((m.heads * hd) / 16 + (2 * (m.kvHeads ?? m.heads) * hd) / 8, 9);
    expect(l.sharedExperts.length).toBe(0);
  });
});

describe("fp8CallsExtraS with the K loop alone", () => {
  const loop = { fixedS: 8e-6, perKStepS: 0.56e-6 };
  const lin = Float64Array.from([1536, 7168, 7168, 2048]);
  const blockScaledExtraS = (
    l: Float64Array,
    rows: number,
    bpp: number,
    flops: number,
    bps: number,
    kLoop: typeof loop,
    floor: number,
  ) => fp8CallsExtraS(l, rows, bpp, flops, bps, { kLoop, kernelFloorS: floor, lineKernelsS: 0 });
  it("is the calls' time beyond the kernel floor and the roofline, never negative, non-increasing in rows", () => {
    const at1 = blockScaledExtraS(lin, 1, 1, 1e15, 4e12, loop, 3.25e-6);
    const roof = (n: number, k: number) => (n * k) / 4e12;
    const expect1 =
      blockScaledCallS(7168, loop) -
      3.25e-6 -
      roof(1536, 7168) +
      blockScaledCallS(2048, loop) -
      3.25e-6 -
      roof(7168, 2048);
    expect(at1).toBeCloseTo(expect1, 12);
    let prev = Number.POSITIVE_INFINITY;
    for (const rows of [1, 16, 256, 4096, 65536]) {
      const v = blockScaledExtraS(lin, rows, 1, 1e15, 4e12, loop, 3.25e-6);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(prev);
      prev = v;
    }
    expect(prev).toBe(0); // prefill token counts: compute-bound, the K loop is hidden
  });
});

describe("in a decode step", () => {
  const dsv3 = resolveModel("deepseek-v3");
  const dgx = resolveSystem("dgx-h100-superpod");
  const layout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
  const opts = (engine: string, quantization?: "block-fp8"): CostOptions =>
    costOptions({ quantization, engine: servingEngine(engine) });
  const load: RankLoad = {
    prefillTokens: 0,
    prefillPairs: 0,
    decodeSeqs: 4,
    decodeKvTokens: 4 * 3600,
    logitTokens: 4,
  };
  it("charges block-scaled checkpoints under engines that run K-looping tile kernels, and only them", () => {
    // The engines' measured FP8 call lines (fp8-linear-call.ts) are left out: the K loop alone.
    const noLine = { fp8LinearCall: undefined };
    const plain = new InstanceCost(dsv3, dgx, layout, opts("vllm-v0"), noLine).step(load, 4);
    const block = new InstanceCost(dsv3, dgx, layout, opts("vllm-v0", "block-fp8"), noLine).step(load, 4);
    // An engine without the flag (generic) adds nothing for a block-scaled checkpoint.
    const gen = new InstanceCost(dsv3, dgx, layout, opts("generic", "block-fp8")).step(load, 4);
    const genPlain = new InstanceCost(dsv3, dgx, layout, opts("generic")).step(load, 4);
    // TensorRT-LLM's Hopper fp8_block_scaling_gemm (DeepGEMM's kernel) is charged too; its profile also gives its
    // fused-MoE figures by format (fp8-block differs from fp8: grouped-moe.ts), left out here.
    const noFormats = {
      groupedGemmByFormat: undefined,
      groupedWeightStreamingByFormat: undefined,
      fp8LinearCall: undefined,
    };
    const trt = new InstanceCost(dsv3, dgx, layout, opts("trtllm", "block-fp8"), noFormats).step(load, 4);
    const trtPlain = new InstanceCost(dsv3, dgx, layout, opts("trtllm"), noFormats).step(load, 4);
    // 61 layers x (4 attention linears) + 3 dense x 2 + 58 MoE x 2 shared: several ms on Hopper at 4 sequences.
    expect(block.timeS - plain.timeS).toBeGreaterThan(5e-3);
    expect(block.gemmS - plain.gemmS).toBeCloseTo(block.timeS - plain.timeS, 9);
    expect(gen.timeS).toBe(genPlain.timeS);
    expect(trt.gemmS - trtPlain.gemmS).toBeGreaterThan(5e-3);
  });
});

describe("the case field", () => {
  const base = {
    phase: "decode",
    precision: "fp8",
    instanceChips: 8,
    engine: "vllm-v0",
    batchPerChip: 1,
    contextTokens: 3600,
  };
  it("accepts block-fp8, reads null as not stated, rejects other values", () => {
    const a = servingCase.safeParse({ ...base, quantization: "block-fp8" });
    expect(a.success && a.data.quantization).toBe("block-fp8");
    const b = servingCase.safeParse({ ...base, quantization: null });
    expect(b.success && b.data.quantization).toBeUndefined();
    expect(servingCase.safeParse({ ...base, quantization: "awq" }).success).toBe(false);
  });
});
