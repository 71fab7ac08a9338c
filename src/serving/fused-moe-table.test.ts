// The fused-MoE layer table: lookup against the data file, envelope, interpolation and clamps, errors, engine scoping, its place in a step.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  costOptions,
  decodeOnlyLoad,
  deviceOnlyEngine,
  prefillOnlyLoad,
} from "../../test/fixtures/serving.js";
import { VLLM_MXFP4_MOE_GFX942 } from "../catalog/families/cdna.js";
import { VLLM_MOE_B200, VLLM_MOE_H200 } from "../catalog/families/vllm-moe-tables.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { InstanceCost } from "./cost.js";
import { efficiencyFor } from "./efficiency.js";
import {
  type FusedMoeCallKey,
  fusedMoeCallFor,
  fusedMoeCallS,
  fusedMoeCallTableFor,
  fusedMoeEnvelope,
  fusedMoeSeriesFor,
} from "./fused-moe-table.js";

interface DataSeries {
  hidden: number;
  inter: number;
  experts: number;
  topK: number;
  moeTp: number;
  moeEp: number;
  format: string;
  us: (number | null)[];
}
const data = JSON.parse(
  readFileSync(new URL("../../data/kernels/vllm-moe-aiconfigurator-2026.json", import.meta.url), "utf8"),
) as { tokens: number[]; tables: Record<string, { versions: string[]; series: DataSeries[] }> };
const TABLES = [
  ["h200/vllm-0.19.0", VLLM_MOE_H200],
  ["b200/vllm-0.19.0", VLLM_MOE_B200],
] as const;

/** MiniMax-M2.5's routed experts (hidden 3,072, 256 experts of 1,536, top 8) at block-scaled FP8, EP 8. */
const MINIMAX_EP8: FusedMoeCallKey = {
  hiddenSize: 3072,
  expertFfnHiddenSize: 1536,
  experts: 256,
  topK: 8,
  moeTp: 1,
  moeEp: 8,
  format: "fp8-block",
};

describe("the vLLM fused-MoE tables", () => {
  it("are the data file's series, NaN where the file has null", () => {
    for (const [key, t] of TABLES) {
      expect(t.tokens).toEqual(data.tokens);
      const file = data.tables[key].series;
      expect(t.series.length).toBe(file.length);
      for (const d of file) {
        const s = fusedMoeSeriesFor(t, {
          hiddenSize: d.hidden,
          expertFfnHiddenSize: d.inter,
          experts: d.experts,
          topK: d.topK,
          moeTp: d.moeTp,
          moeEp: d.moeEp,
          format: d.format as FusedMoeCallKey["format"],
        });
        expect(s?.[7].map((v) => (Number.isNaN(v) ? null : v))).toEqual(d.us);
      }
    }
  });
  it("were measured on vLLM 0.19.0 (the release the `vllm` profile stands for)", () => {
    for (const [key] of TABLES) for (const v of data.tables[key].versions) expect(v).toMatch(/^0\.19\./);
  });
  it("hold aiconfigurator's figures: MiniMax-M2.5 block-FP8 at EP 8 on H200, 42.1 us at one token and 91.7 us at 16", () => {
    const s = fusedMoeSeriesFor(VLLM_MOE_H200, MINIMAX_EP8);
    expect(s).toBeDefined();
    const at = (n: number) => (fusedMoeCallS(VLLM_MOE_H200.tokens, s as NonNullable<typeof s>, n) ?? 0) * 1e6;
    expect(at(1)).toBeCloseTo(42.1, 1);
    expect(at(16)).toBeCloseTo(91.7, 1);
  });
  it("have no series for a shape, layout or format the collector did not measure", () => {
    expect(fusedMoeSeriesFor(VLLM_MOE_H200, { ...MINIMAX_EP8, moeEp: 16 })).toBeUndefined();
    expect(fusedMoeSeriesFor(VLLM_MOE_H200, { ...MINIMAX_EP8, format: "int8" })).toBeUndefined();
    expect(fusedMoeSeriesFor(VLLM_MOE_H200, { ...MINIMAX_EP8, experts: 257 })).toBeUndefined();
  });
});

describe("lookup", () => {
  const axis = [1, 2, 4, 8];
  const s = [1, 1, 1, 1, 1, 1, "bf16", [10, 30, 20, Number.NaN]] as const;
  it("is the non-decreasing envelope of the series (NaN stays NaN)", () => {
    expect(fusedMoeEnvelope(s[7])).toEqual([10, 30, 30, Number.NaN]);
  });
  it("reads the largest measured point at or below the tokens (the first below it, the last beyond), 0 without tokens", () => {
    const flat = [1, 1, 1, 1, 1, 1, "bf16", [10, 20, 40, 80]] as const;
    expect(fusedMoeCallS(axis, flat, 3)).toBeCloseTo(20e-6, 12);
    expect(fusedMoeCallS(axis, flat, 4)).toBeCloseTo(40e-6, 12);
    expect(fusedMoeCallS(axis, flat, 0.5)).toBeCloseTo(10e-6, 12);
    expect(fusedMoeCallS(axis, flat, 100)).toBeCloseTo(80e-6, 12);
    expect(fusedMoeCallS(axis, flat, 0)).toBe(0);
  });
  it("is undefined where that point is unmeasured", () => {
    expect(fusedMoeCallS(axis, s, 9)).toBeUndefined();
    expect(fusedMoeCallS(axis, s, 6)).toBeCloseTo(30e-6, 12);
  });
  it("is non-decreasing in tokens over every real series", () => {
    for (const [, t] of TABLES)
      for (const series of t.series) {
        let prev = 0;
        for (let n = 1; n <= 4096; n *= 1.5) {
          const v = fusedMoeCallS(t.tokens, series, n);
          if (v === undefined) continue;
          expect(v).toBeGreaterThanOrEqual(prev);
          prev = v;
        }
      }
  });
  it("names the field of a token count that is not a finite number >= 0", () => {
    expect(() => fusedMoeCallS(axis, s, Number.NaN)).toThrow(ZettasimError);
    expect(() => fusedMoeCallS(axis, s, -1)).toThrow(/tokens/);
  });
});

describe("attachment and the step", () => {
  const h100 = resolveSystem("dgx-h100-superpod");
  const gb200 = resolveSystem("gb200-nvl72");
  it("belongs to the measured release line (vllm) only, not older vLLM profiles or other engines", () => {
    expect(efficiencyFor(h100.chip, undefined, "vllm").fusedMoeCall).toBe(VLLM_MOE_H200);
    expect(efficiencyFor(gb200.chip, undefined, "vllm").fusedMoeCall).toBe(VLLM_MOE_B200);
    for (const e of ["vllm-v0", "vllm-0.10", "sglang", "trtllm", "generic"])
      expect(efficiencyFor(h100.chip, undefined, e).fusedMoeCall).toBeUndefined();
  });

  const qwen = resolveModel("qwen3-235b-a22b");
  const off = { fusedMoeCall: undefined };
  const layouts = [
    { chips: 8, tp: 8, attentionDp: 1, ep: 1 },
    { chips: 8, tp: 8, attentionDp: 1, ep: 8 },
    { chips: 4, tp: 4, attentionDp: 1, ep: 1 },
  ];
  it("never lowers a step, and charges each MoE layer at least the measured call", () => {
    for (const sys of [h100, gb200])
      for (const precision of ["bf16", "fp8"] as const) {
        const o = costOptions({ precision, engine: deviceOnlyEngine("vllm") });
        for (const layout of layouts)
          for (const seqs of [1, 4, 16, 64, 256]) {
            const l = decodeOnlyLoad(seqs, 2000);
            const a = new InstanceCost(qwen, sys, layout, o).step(l, seqs);
            const b = new InstanceCost(qwen, sys, layout, o, off).step(l, seqs);
            expect(a.timeS).toBeGreaterThanOrEqual(b.timeS);
            const t = efficiencyFor(sys.chip, undefined, "vllm").fusedMoeCall;
            const series =
              t === undefined
                ? undefined
                : fusedMoeSeriesFor(t, {
                    hiddenSize: 4096,
                    expertFfnHiddenSize: 1536,
                    experts: 128,
                    topK: 8,
                    moeTp: layout.chips / layout.ep,
                    moeEp: layout.ep,
                    format: precision,
                  });
            expect(series).toBeDefined();
            const call = fusedMoeCallS(
              (t as NonNullable<typeof t>).tokens,
              series as NonNullable<typeof series>,
              seqs,
            );
            expect(a.timeS).toBeGreaterThan(qwen.layers * (call ?? 0));
          }
      }
  });
  it("raises a small-batch vLLM MoE decode step on Blackwell where the measured call exceeds the priced one", () => {
    const o = costOptions({ precision: "bf16", engine: deviceOnlyEngine("vllm") });
    const layout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
    const a = new InstanceCost(qwen, gb200, layout, o).step(decodeOnlyLoad(16, 2000), 16);
    const b = new InstanceCost(qwen, gb200, layout, o, off).step(decodeOnlyLoad(16, 2000), 16);
    expect(a.timeS).toBeGreaterThan(b.timeS);
  });
  it("leaves engines without the table, and models whose shape the table lacks, unchanged", () => {
    const layout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
    for (const engine of ["sglang", "vllm-0.10"]) {
      const o = costOptions({ precision: "bf16", engine: deviceOnlyEngine(engine) });
      expect(new InstanceCost(qwen, h100, layout, o).step(decodeOnlyLoad(16, 2000), 16).timeS).toBe(
        new InstanceCost(qwen, h100, layout, o, off).step(decodeOnlyLoad(16, 2000), 16).timeS,
      );
    }
    const dsv3 = resolveModel("deepseek-v3"); // 7168/2048/256/8 is measured, but not with a redundant expert
    const o = costOptions({ precision: "fp8", redundantExperts: 8, engine: deviceOnlyEngine("vllm") });
    expect(new InstanceCost(dsv3, h100, layout, o).step(prefillOnlyLoad(2048), 2048).timeS).toBe(
      new InstanceCost(dsv3, h100, layout, o, off).step(prefillOnlyLoad(2048), 2048).timeS,
    );
  });
});

describe("vLLM's Triton MXFP4 MoE on a CDNA chip without FP4 units (gfx942)", () => {
  const file = JSON.parse(
    readFileSync(new URL("../../data/kernels/cdna-mxfp4-moe-decode-published.json", import.meta.url), "utf8"),
  ) as {
    sections: Record<
      string,
      {
        shape: {
          hiddenSize: number;
          expertFfnHiddenSize: number;
          experts: number;
          topK: number;
          tokens: number;
        };
        rows: { usPerCall: number; used: boolean }[];
      }
    >;
  };
  const sec = file.sections.mi300x_matmul_ogs_mxfp4_stage1_decode;
  const gptOss = resolveModel("gpt-oss-20b");
  const one = { chips: 1, tp: 1, attentionDp: 1, ep: 1 };
  const mi300x = resolveSystem("mi300x-cluster");
  const mi355x = resolveSystem("mi355x-cluster");
  const h100 = resolveSystem("dgx-h100-superpod");
  it("is the data file's one used row, at its shape (gpt-oss-20b unpadded), one token, FP4, expert TP 1 and EP 1", () => {
    const used = sec.rows.filter((r) => r.used);
    expect(used.length).toBe(1);
    expect(VLLM_MXFP4_MOE_GFX942.tokens).toEqual([sec.shape.tokens]);
    const s = fusedMoeCallFor(VLLM_MXFP4_MOE_GFX942, gptOss, one, "fp4", 0);
    expect(s?.series[7]).toEqual([used[0].usPerCall]);
    expect([
      gptOss.hiddenSize,
      gptOss.moe?.expertFfnHiddenSize,
      gptOss.moe?.experts,
      gptOss.moe?.topK,
    ]).toEqual([sec.shape.hiddenSize, sec.shape.expertFfnHiddenSize, sec.shape.experts, sec.shape.topK]);
    // Slower than the chip's HBM by an order of magnitude: 4 experts of 6,144 x 3,072 MXFP4 weights (4.25 bits).
    const bytes = 4 * 6144 * 3072 * (0.5 + 1 / 32);
    expect(
      bytes / (used[0].usPerCall * 1e-6) / (mi300x.chip.memoryBandwidthBytesPerS as number),
    ).toBeLessThan(0.1);
  });
  it("replaces the family's table only on a chip without the weight format's matrix instructions", () => {
    const eff = { fusedMoeCall: VLLM_MOE_H200, fusedMoeCallUpcast: VLLM_MXFP4_MOE_GFX942 };
    expect(fusedMoeCallTableFor(eff, ["fp8", "bf16"], "fp4")).toBe(VLLM_MXFP4_MOE_GFX942);
    expect(fusedMoeCallTableFor(eff, ["fp4", "fp8", "bf16"], "fp4")).toBe(VLLM_MOE_H200);
    expect(fusedMoeCallTableFor(eff, ["fp8", "bf16"], "fp8-block")).toBe(VLLM_MOE_H200);
    expect(fusedMoeCallTableFor({ fusedMoeCall: VLLM_MOE_H200 }, ["bf16"], "fp4")).toBe(VLLM_MOE_H200);
  });
  it("belongs to CDNA's vLLM lineage (vllm, vllm-0.10), not V0, SGLang or other families", () => {
    for (const e of ["vllm", "vllm-0.10"])
      expect(efficiencyFor(mi300x.chip, undefined, e).fusedMoeCallUpcast).toBe(VLLM_MXFP4_MOE_GFX942);
    for (const e of ["vllm-v0", "sglang", "generic"])
      expect(efficiencyFor(mi300x.chip, undefined, e).fusedMoeCallUpcast).toBeUndefined();
    expect(efficiencyFor(h100.chip, undefined, "vllm-0.10").fusedMoeCallUpcast).toBeUndefined();
  });
  const o = costOptions({ precision: "fp4", engine: deviceOnlyEngine("vllm-0.10") });
  const off = { fusedMoeCallUpcast: undefined };
  it("charges each of gpt-oss-20b's MoE layers on an MI300X at least the measured call, at every batch, never lowering a step", () => {
    for (const seqs of [1, 2, 4, 8, 16, 64]) {
      const l = decodeOnlyLoad(seqs, 1500);
      const a = new InstanceCost(gptOss, mi300x, one, o).step(l, seqs);
      const b = new InstanceCost(gptOss, mi300x, one, o, off).step(l, seqs);
      expect(a.timeS).toBeGreaterThanOrEqual(b.timeS);
      expect(a.timeS).toBeGreaterThan(gptOss.layers * 82.28e-6);
    }
    // At one sequence the priced call was shorter than the measured one: the step grows.
    const l1 = decodeOnlyLoad(1, 1500);
    expect(new InstanceCost(gptOss, mi300x, one, o).step(l1, 1).timeS).toBeGreaterThan(
      new InstanceCost(gptOss, mi300x, one, o, off).step(l1, 1).timeS,
    );
  });
  it("leaves the MI355X (FP4 units), other precisions and other expert shapes unchanged", () => {
    const l = decodeOnlyLoad(1, 1500);
    const same = (sys: typeof mi300x, model: typeof gptOss, opts: typeof o) =>
      expect(new InstanceCost(model, sys, one, opts).step(l, 1).timeS).toBe(
        new InstanceCost(model, sys, one, opts, off).step(l, 1).timeS,
      );
    same(mi355x, gptOss, o);
    same(mi300x, gptOss, costOptions({ precision: "fp8", engine: deviceOnlyEngine("vllm-0.10") }));
    same(mi300x, resolveModel("gpt-oss-120b"), o);
  });
});
