// The MLA attention-module table: lookup against the data file, envelope, clamping, errors, its place in a decode step.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import {
  MLA_MODULE_B200_TRTLLM,
  MLA_MODULE_B200_VLLM,
  MLA_MODULE_H200_TRTLLM,
  MLA_MODULE_H200_VLLM,
} from "../catalog/families/mla-module-tables.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { efficiencyFor } from "./efficiency.js";
import { mlaModuleEnvelope, mlaModuleFitsModel, mlaModuleS } from "./mla-module-table.js";

type Grid = (number | null)[][];
const data = JSON.parse(
  readFileSync(new URL("../../data/kernels/mla-module-aiconfigurator-2026.json", import.meta.url), "utf8"),
) as {
  batches: number[];
  steps: number[];
  tables: Record<string, { version: string; grids: Record<string, Record<string, Record<string, Grid>>> }>;
};
const TABLES = [
  ["h200/vllm-0.19.0", MLA_MODULE_H200_VLLM],
  ["b200/vllm-0.19.0", MLA_MODULE_B200_VLLM],
  ["h200/trtllm-1.3.0rc10", MLA_MODULE_H200_TRTLLM],
  ["b200/trtllm-1.3.0rc10", MLA_MODULE_B200_TRTLLM],
] as const;

describe("the module tables", () => {
  it("are the data file's grids, NaN where the file has null", () => {
    for (const [key, t] of TABLES) {
      expect(t.batches).toEqual(data.batches);
      expect(t.steps).toEqual(data.steps);
      for (const [g, byKv] of Object.entries(data.tables[key].grids))
        for (const [kv, byH] of Object.entries(byKv))
          for (const [h, grid] of Object.entries(byH)) {
            const mine = (t.grids as Record<string, Record<string, Record<number, number[][]>>>)[g][kv][
              Number(h)
            ];
            expect(mine.map((r) => r.map((v) => (Number.isNaN(v) ? null : v)))).toEqual(grid);
          }
    }
  });
  it("hold the previous engineer's figure: vLLM 0.19 on H200, 16 heads, 4 sequences of 1-8K: 94-111 us", () => {
    const g = MLA_MODULE_H200_VLLM.grids.fp8_block?.bf16?.[16] ?? [];
    for (let j = 0; j < data.steps.length; j++)
      if (data.steps[j] >= 1024 && data.steps[j] <= 8192) {
        expect(g[2][j]).toBeGreaterThan(94);
        expect(g[2][j]).toBeLessThan(111);
      }
  });
  it("fit DeepSeek-V3 and Kimi K2 (same MLA shape), not a GQA model", () => {
    expect(mlaModuleFitsModel(MLA_MODULE_H200_VLLM, resolveModel("deepseek-v3"))).toBe(true);
    expect(mlaModuleFitsModel(MLA_MODULE_H200_VLLM, resolveModel("llama3-70b"))).toBe(false);
  });
});

describe("mlaModuleS", () => {
  const t = MLA_MODULE_H200_VLLM;
  it("returns the measured module at grid points where the raw table is already non-decreasing", () => {
    let same = 0;
    let all = 0;
    for (const [g, byKv] of Object.entries(t.grids))
      for (const [kv, byH] of Object.entries(byKv ?? {}))
        for (const [h, grid] of Object.entries(byH ?? {})) {
          const env = mlaModuleEnvelope(grid);
          for (let i = 0; i < t.batches.length; i++)
            for (let j = 0; j < t.steps.length; j++) {
              if (Number.isNaN(grid[i][j])) continue;
              all++;
              expect(env[i][j]).toBeGreaterThanOrEqual(grid[i][j]);
              if (env[i][j] !== grid[i][j]) continue;
              same++;
              const s = mlaModuleS(
                t,
                g as "bf16",
                kv as "bf16",
                Number(h),
                t.batches[i],
                t.steps[j],
              ) as number;
              expect(s * 1e6).toBeCloseTo(grid[i][j], 9);
            }
        }
    // Most points are their own envelope; the rest are raised by a few us of noise.
    expect(same / all).toBeGreaterThan(0.6);
  });
  it("is non-decreasing in KV length and in batch, and clamps to the grid's edges outside it", () => {
    for (const h of [128, 64, 16, 8]) {
      for (const b of [1, 3, 4, 48, 256]) {
        let prev = 0;
        for (let s = 10; s <= 300000; s *= 1.37) {
          const v = mlaModuleS(t, "fp8_block", "bf16", h, b, s);
          if (v === undefined) break; // past the measured part of this row
          expect(v).toBeGreaterThanOrEqual(prev);
          prev = v;
        }
      }
      let prevB = 0;
      for (let b = 0.5; b <= 64; b *= 1.5) {
        const v = mlaModuleS(t, "fp8_block", "bf16", h, b, 2048) as number;
        expect(v).toBeGreaterThanOrEqual(prevB);
        prevB = v;
      }
    }
    const env = mlaModuleEnvelope(t.grids.fp8_block?.bf16?.[16] ?? []);
    expect((mlaModuleS(t, "fp8_block", "bf16", 16, 0.3, 5) as number) * 1e6).toBeCloseTo(env[0][0], 9);
    expect((mlaModuleS(t, "fp8_block", "bf16", 16, 1, 1e6) as number) * 1e6).toBeCloseTo(env[0][11], 9);
  });
  it("is undefined without a grid (heads, format, B200 TRT-LLM's FP8 cache) or sequences", () => {
    expect(mlaModuleS(t, "fp8_block", "bf16", 24, 4, 2048)).toBeUndefined();
    expect(mlaModuleS(t, "nvfp4", "bf16", 16, 4, 2048)).toBeUndefined();
    expect(mlaModuleS(MLA_MODULE_B200_TRTLLM, "bf16", "fp8", 16, 4, 2048)).toBeUndefined();
    expect(mlaModuleS(t, "fp8_block", "bf16", 16, 0, 2048)).toBeUndefined();
  });
  it("names the field of a batch or length that is not a finite number >= 0", () => {
    expect(() => mlaModuleS(t, "fp8_block", "bf16", 16, Number.NaN, 2048)).toThrow(ZettasimError);
    expect(() => mlaModuleS(t, "fp8_block", "bf16", 16, 4, -1)).toThrow(/seqLen/);
    expect(() => mlaModuleS(t, "fp8_block", "bf16", 16, Number.POSITIVE_INFINITY, 1)).toThrow(/batch/);
  });
});

describe("attachment and the decode step", () => {
  const h100 = resolveSystem("dgx-h100-superpod");
  const gb200 = resolveSystem("gb200-nvl72");
  it("belongs to the measured release lines only (vllm, trtllm), not older profiles or other engines", () => {
    expect(efficiencyFor(h100.chip, undefined, "vllm").mlaDecodeModule).toBe(MLA_MODULE_H200_VLLM);
    expect(efficiencyFor(h100.chip, undefined, "trtllm").mlaDecodeModule).toBe(MLA_MODULE_H200_TRTLLM);
    expect(efficiencyFor(gb200.chip, undefined, "vllm").mlaDecodeModule).toBe(MLA_MODULE_B200_VLLM);
    expect(efficiencyFor(gb200.chip, undefined, "trtllm").mlaDecodeModule).toBe(MLA_MODULE_B200_TRTLLM);
    for (const e of ["vllm-v0", "vllm-0.10", "trtllm-pytorch-0.17", "sglang", "generic"])
      expect(efficiencyFor(h100.chip, undefined, e).mlaDecodeModule).toBeUndefined();
  });

  const dsv3 = resolveModel("deepseek-v3");
  const off = { mlaDecodeModule: undefined };
  const withDraft = (l: RankLoad, d: number): RankLoad => ({
    ...l,
    logitTokens: l.decodeSeqs * (1 + d),
    draftTokens: d,
  });
  it("never lowers a step, and charges each layer's attention at least the module", () => {
    for (const [sys, engine] of [
      [h100, "vllm"],
      [h100, "trtllm"],
      [gb200, "vllm"],
      [gb200, "trtllm"],
    ] as const) {
      const o = costOptions({ engine: deviceOnlyEngine(engine) });
      for (const layout of [
        { chips: 8, tp: 8, attentionDp: 1, ep: 1 },
        { chips: 8, tp: 1, attentionDp: 8, ep: 8 },
      ])
        for (const seqs of [1, 4, 64, 256])
          for (const kv of [100, 3000, 30000])
            for (const l of [decodeOnlyLoad(seqs, kv), withDraft(decodeOnlyLoad(seqs, kv), 2)]) {
              const a = new InstanceCost(dsv3, sys, layout, o).step(l, seqs * layout.attentionDp);
              const b = new InstanceCost(dsv3, sys, layout, o, off).step(l, seqs * layout.attentionDp);
              expect(a.timeS).toBeGreaterThanOrEqual(b.timeS);
              const m = mlaModuleS(
                efficiencyFor(sys.chip, undefined, engine).mlaDecodeModule as NonNullable<
                  ReturnType<typeof efficiencyFor>["mlaDecodeModule"]
                >,
                "fp8_block",
                "bf16",
                dsv3.heads / layout.tp,
                seqs,
                kv + 1 + (l.draftTokens ?? 0),
              );
              if (m !== undefined) expect(a.timeS).toBeGreaterThan(dsv3.layers * m);
            }
    }
  });
  it("raises the small-batch vLLM step on Hopper (TP 8, 4 sequences of 3K) and leaves prefill alone", () => {
    const o = costOptions({ engine: deviceOnlyEngine("vllm") });
    const layout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
    const a = new InstanceCost(dsv3, h100, layout, o).step(decodeOnlyLoad(4, 3000), 4);
    const b = new InstanceCost(dsv3, h100, layout, o, off).step(decodeOnlyLoad(4, 3000), 4);
    expect(a.timeS).toBeGreaterThan(b.timeS);
    const p: RankLoad = {
      prefillTokens: 512,
      prefillPairs: 512 * 256,
      decodeSeqs: 4,
      decodeKvTokens: 12000,
      logitTokens: 5,
    };
    expect(new InstanceCost(dsv3, h100, layout, o).step(p, 516).timeS).toBe(
      new InstanceCost(dsv3, h100, layout, o, off).step(p, 516).timeS,
    );
  });
});
