// The fixed cost of a 16-bit decode linear call: the family figures recomputed from the published GEMV rows, the call count, bounds and its place in a step.

import { describe, expect, it } from "vitest";
import { fitLinearCallFixed, gemvInterceptS, gemvTables } from "../../scripts/fit/kernels-linear-call.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { type CostOptions, InstanceCost, servingShape } from "./cost.js";
import { servingEngine } from "./engines/index.js";
import { linearCallExtraS, sixteenBitLinearCallsPerStep } from "./linear-call-fixed.js";

const tables = gemvTables();
/** A table's least-squares intercept in us, as scripts/fit/kernels-linear-call.ts computes it. */
const intercept = (t: (typeof tables)[number]) => gemvInterceptS(t) * 1e6;
/** What scripts/fit/kernels-linear-call.ts (run by `npm run fit`) computes from the data file now. */
const fitted = fitLinearCallFixed();
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

describe("the published BF16 GEMV calls (aiconfigurator, M = 1, 2 MiB-2 GiB)", () => {
  it("each table's recorded intercept is its rows' least-squares line: 3.8-5.0 us on H100/H200/B200, 7.2-8.1 us on A100", () => {
    expect(tables.length).toBe(12);
    for (const t of tables) {
      expect(intercept(t)).toBeCloseTo(t.interceptUs, 2);
      const [lo, hi] = t.chip === "a100-sxm-80gb" ? [7.2, 8.1] : [3.8, 5];
      expect(t.interceptUs).toBeGreaterThan(lo);
      expect(t.interceptUs).toBeLessThan(hi);
    }
  });
  it("Hopper's figure is the median over the H100 and H200 tables, Blackwell's over B200's, Ampere's over A100's; all above the floor", () => {
    const of = (chips: string[]) => median(tables.filter((t) => chips.includes(t.chip)).map(intercept));
    const hopper = chipFamily("hopper").serving;
    const blackwell = chipFamily("blackwell").serving;
    expect((hopper.linearCallFixedS ?? 0) * 1e6).toBeCloseTo(of(["h100-sxm", "h200-sxm"]), 1);
    expect((blackwell.linearCallFixedS ?? 0) * 1e6).toBeCloseTo(of(["b200"]), 1);
    expect(hopper.linearCallFixedS ?? 0).toBeGreaterThan(hopper.kernelFloorS);
    expect(blackwell.linearCallFixedS ?? 0).toBeGreaterThan(blackwell.kernelFloorS);
    const ampere = chipFamily("ampere").serving;
    expect((ampere.linearCallFixedS ?? 0) * 1e6).toBeCloseTo(of(["a100-sxm-80gb"]), 1);
    expect(ampere.linearCallFixedS ?? 0).toBeGreaterThan(ampere.kernelFloorS);
    // the script npm run fit checks gives each family's value exactly
    for (const f of ["hopper", "blackwell", "ampere"])
      expect(chipFamily(f).serving.linearCallFixedS, f).toBe(fitted[`${f}.serving.linearCallFixedS`]);
  });
});

describe("sixteenBitLinearCallsPerStep", () => {
  it("counts QKV and O per GQA layer, gate-up and down per dense layer, and the LM head", () => {
    const s = servingShape(resolveModel("llama3-8b"));
    expect(sixteenBitLinearCallsPerStep(s, "bf16", "bf16")).toBe(32 * 4 + 1);
    // An FP8 checkpoint quantises every linear: only the 16-bit LM head is left.
    expect(sixteenBitLinearCallsPerStep(s, "fp8", "fp8")).toBe(1);
  });
  it("counts MLA's three projections, the router and the shared experts of an MoE model", () => {
    const s = servingShape(resolveModel("deepseek-v3"));
    // 61 layers x 3 MLA projections; 3 dense layers x 2; 58 MoE layers x (router + 2 shared-expert linears); head.
    expect(sixteenBitLinearCallsPerStep(s, "bf16", "bf16")).toBe(61 * 3 + 3 * 2 + 58 * 3 + 1);
    // FP4 experts and MLPs with BF16 attention: the projections, the routers and the head.
    expect(sixteenBitLinearCallsPerStep(s, "fp4", "bf16")).toBe(61 * 3 + 58 + 1);
  });
});

describe("linearCallExtraS", () => {
  it("charges each call its fixed cost less the kernel charge, never below 0, and nothing without a figure", () => {
    expect(linearCallExtraS(100, 4.2e-6, 3.25e-6)).toBeCloseTo(100 * 0.95e-6, 15);
    // An eager step already pays the 5.6 us launch per kernel, above the call's fixed cost.
    expect(linearCallExtraS(100, 4.2e-6, 5.6e-6)).toBe(0);
    expect(linearCallExtraS(100, undefined, 3.25e-6)).toBe(0);
    expect(linearCallExtraS(0, 4.2e-6, 3.25e-6)).toBe(0);
    expect(linearCallExtraS(200, 4.2e-6, 3.25e-6)).toBeGreaterThan(linearCallExtraS(100, 4.2e-6, 3.25e-6));
  });
});

describe("in a batch-1 decode step of Llama 3 8B BF16 on one H100", () => {
  const model = resolveModel("llama3-8b");
  const system = resolveSystem("dgx-h100-superpod");
  const opts: CostOptions = {
    precision: "bf16",
    kvCache: "bf16",
    twoBatchOverlap: false,
    expertImbalance: 1,
    redundantExperts: 0,
    allToAll: "low-latency",
    memoryUtilization: 0.9,
    engine: servingEngine("sglang"),
  };
  const step = (eff?: { linearCallFixedS?: number }) =>
    new InstanceCost(model, system, { chips: 1, tp: 1, attentionDp: 1, ep: 1 }, opts, eff).step(
      { prefillTokens: 0, prefillPairs: 0, decodeSeqs: 1, decodeKvTokens: 1000, logitTokens: 1 },
      1,
    );
  it("adds 129 calls x (4.21 - 3.25) us to the graph-replayed step, as fixed cost", () => {
    const with_ = step();
    const without = step({ linearCallFixedS: undefined });
    const hopper = chipFamily("hopper").serving;
    const extra = 129 * ((hopper.linearCallFixedS ?? 0) - hopper.kernelFloorS);
    expect(with_.timeS - without.timeS).toBeCloseTo(extra, 12);
    expect(with_.overheadS - without.overheadS).toBeCloseTo(extra, 12);
    expect(with_.gemmS).toBe(without.gemmS);
  });
});
