// The MLA decode-call table: interpolation, the family tables against the data file, its place in a decode step.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costOptions, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { efficiencyFor } from "./efficiency.js";
import { mlaDecodeCallUs, mlaDecodeGrowthS } from "./mla-decode-table.js";

const data = JSON.parse(
  readFileSync(new URL("../../data/kernels/mla-decode-aiconfigurator-2026.json", import.meta.url), "utf8"),
) as {
  batches: number[];
  steps: number[];
  grids: Record<string, Record<string, Record<string, (number | null)[][]>>>;
};

describe("mlaDecodeCallUs", () => {
  const t = chipFamily("blackwell").servingByEngine?.sglang?.mlaDecodeCall ?? undefined;
  const g = t?.grids.bf16?.[16] ?? [];
  it("returns the measured call at grid points (B200 trtllm_mla, 16 heads, BF16 cache, 64 x 2,047: 44.6 us)", () => {
    expect(t).toBeDefined();
    if (t === undefined) return;
    expect(mlaDecodeCallUs(g, t.batches, t.steps, 64, 2047)).toBeCloseTo(44.6, 9);
    expect(mlaDecodeCallUs(g, t.batches, t.steps, 1, 127)).toBeCloseTo(g[0][0], 9);
  });
  it("lies between its bracketing points and clamps outside the grid", () => {
    if (t === undefined) return;
    const v = mlaDecodeCallUs(g, t.batches, t.steps, 48, 2047);
    expect(v).toBeGreaterThanOrEqual(Math.min(g[5][4], g[6][4]));
    expect(v).toBeLessThanOrEqual(Math.max(g[5][4], g[6][4]));
    expect(mlaDecodeCallUs(g, t.batches, t.steps, 0.5, 10)).toBeCloseTo(g[0][0], 9);
  });
});

describe("the family tables", () => {
  it("are the data file's grids (Blackwell: B200, Hopper: H200), NaN where the file has null", () => {
    for (const [fam, chip] of [
      ["blackwell", "b200"],
      ["hopper", "h200"],
    ] as const) {
      const t = chipFamily(fam).servingByEngine?.sglang?.mlaDecodeCall ?? undefined;
      expect(t?.batches).toEqual(data.batches);
      expect(t?.steps).toEqual(data.steps);
      for (const kv of ["bf16", "fp8"] as const) {
        for (const [h, grid] of Object.entries(data.grids[chip][kv])) {
          const mine = t?.grids[kv]?.[Number(h)];
          expect(mine?.map((r) => r.map((v) => (Number.isNaN(v) ? null : v)))).toEqual(grid);
        }
      }
    }
  });
  it("belong to the sglang engine only", () => {
    const b200 = resolveSystem("gb200-nvl72").chip;
    expect(efficiencyFor(b200, undefined, "sglang").mlaDecodeCall).toBeDefined();
    expect(efficiencyFor(b200, undefined, "trtllm").mlaDecodeCall).toBeUndefined();
    expect(efficiencyFor(b200).mlaDecodeCall).toBeUndefined();
  });
});

describe("mlaDecodeGrowthS", () => {
  const t = chipFamily("blackwell").servingByEngine?.sglang?.mlaDecodeCall ?? undefined;
  it("is the call beyond its zero-KV latency, 0 at the base point, undefined without a grid or sequences", () => {
    if (t === undefined) throw new Error("no table");
    expect(mlaDecodeGrowthS(t, "bf16", 16, 1, 127)).toBe(0);
    const g = t.grids.bf16?.[16] ?? [];
    expect(mlaDecodeGrowthS(t, "bf16", 16, 64, 2047)).toBeCloseTo((44.6 - g[0][0]) * 1e-6, 12);
    expect(mlaDecodeGrowthS(t, "bf16", 24, 64, 2047)).toBeUndefined();
    expect(mlaDecodeGrowthS(t, "bf16", 16, 0, 2047)).toBeUndefined();
  });
  it("grows with the KV a call reads at large sizes (16 heads, 64 sequences: 1K < 4K < 16K)", () => {
    if (t === undefined) return;
    const a = mlaDecodeGrowthS(t, "bf16", 16, 64, 1023) as number;
    const b = mlaDecodeGrowthS(t, "bf16", 16, 64, 4095) as number;
    const c = mlaDecodeGrowthS(t, "bf16", 16, 64, 16383) as number;
    expect(a).toBeLessThan(b);
    expect(b).toBeLessThan(c);
  });
});

describe("in a decode step", () => {
  const dsv3 = resolveModel("deepseek-v3");
  const llama = resolveModel("llama3-70b");
  const sys = resolveSystem("gb200-nvl72");
  const layout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
  const load = (seqs: number, draft = 0): RankLoad => ({
    prefillTokens: 0,
    prefillPairs: 0,
    decodeSeqs: seqs,
    decodeKvTokens: seqs * 2047,
    logitTokens: seqs * (1 + draft),
    draftTokens: draft,
  });
  const sg = costOptions({ engine: deviceOnlyEngine("sglang") });
  const off = { mlaDecodeCall: undefined };
  it("charges an SGLang MLA decode core at least the table's growth per layer (64 x 2K, 16 heads per rank)", () => {
    const a = new InstanceCost(dsv3, sys, layout, sg).step(load(64), 64);
    const b = new InstanceCost(dsv3, sys, layout, sg, off).step(load(64), 64);
    const t = chipFamily("blackwell").servingByEngine?.sglang?.mlaDecodeCall ?? undefined;
    const growth = mlaDecodeGrowthS(t as NonNullable<typeof t>, "bf16", 16, 64, 2047) as number;
    expect(a.attentionCoreS).toBeGreaterThan(b.attentionCoreS);
    expect(a.attentionCoreS).toBeCloseTo(Math.max(b.attentionCoreS, dsv3.layers * growth), 12);
  });
  it("leaves GQA models, other engines and verify passes with drafts at the roofline", () => {
    const gen = costOptions({ engine: deviceOnlyEngine("generic") });
    for (const [m, o, l] of [
      [llama, sg, load(64)],
      [dsv3, gen, load(64)],
      [dsv3, sg, load(8, 2)],
    ] as const) {
      const a = new InstanceCost(m, sys, layout, o).step(l, 64);
      const b = new InstanceCost(m, sys, layout, o, off).step(l, 64);
      expect(a.attentionCoreS).toBe(b.attentionCoreS);
    }
  });
});
