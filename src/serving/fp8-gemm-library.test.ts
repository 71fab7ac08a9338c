// Tests of the per-tensor FP8 GEMM rate and the 16-bit context attention of TensorRT-LLM 2023, and of the Hopper figure's derivation from the H200 GEMM grid.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deriveHopperFp8Gemm } from "../../scripts/fit/kernels-fp8-gemm.js";
import { costOptions, deviceOnlyEngine, prefillOnlyLoad } from "../../test/fixtures/serving.js";
import {
  HOPPER_FP8_PER_TENSOR_GEMM,
  HOPPER_FP8_PER_TENSOR_GEMM_BY_ROWS,
} from "../catalog/families/hopper.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { servingEngine } from "./engines/index.js";
import {
  checkPerTensorFp8Table,
  fp8GemmFraction,
  fp8GemmFractionAtRows,
  perTensorFp8FractionAtRows,
  prefillAttentionPrecision,
} from "./fp8-gemm-library.js";

type Row = { precision: string; M: number; N: number; K: number; s: number };
const grid = (
  JSON.parse(readFileSync(new URL("../../data/kernels/h200-2026-11-30-b.json", import.meta.url), "utf8")) as {
    sections: { gemm_grid: { rows: Row[] } };
  }
).sections.gemm_grid.rows;

describe("fp8GemmFraction", () => {
  const eff = { gemm: 0.7, gemmFp8PerTensor: 0.611 };
  it("takes the per-tensor library rate only for FP8 matmuls of an engine that runs them", () => {
    expect(fp8GemmFraction(eff, { perTensorFp8Gemm: true }, "fp8")).toBe(0.611);
    expect(fp8GemmFraction(eff, { perTensorFp8Gemm: true }, "bf16")).toBe(0.7);
    expect(fp8GemmFraction(eff, { perTensorFp8Gemm: true }, "fp4")).toBe(0.7);
    expect(fp8GemmFraction(eff, {}, "fp8")).toBe(0.7);
  });
  it("keeps the family's gemm where the family measures no per-tensor rate", () => {
    expect(fp8GemmFraction({ gemm: 0.65 }, { perTensorFp8Gemm: true }, "fp8")).toBe(0.65);
  });
});

describe("prefillAttentionPrecision", () => {
  it("runs the context core in 16 bits over an FP8 cache only for engines without FP8 context attention", () => {
    expect(prefillAttentionPrecision("fp8", {})).toBe("fp8");
    expect(prefillAttentionPrecision("fp8", { fp16ContextAttention: true })).toBe("bf16");
    expect(prefillAttentionPrecision("bf16", {})).toBe("bf16");
    expect(prefillAttentionPrecision("bf16", { fp16ContextAttention: true })).toBe("bf16");
  });
});

describe("the Hopper per-tensor FP8 GEMM figure", () => {
  it("is the median rate of the H200 grid's per-tensor FP8 rows at prefill shapes (M >= 2048, N >= 1024, K >= 4096)", () => {
    const rates = grid
      .filter((r) => r.precision === "fp8" && r.M >= 2048 && r.N >= 1024 && r.K >= 4096)
      .map((r) => (2 * r.M * r.N * r.K) / r.s / 1979e12)
      .sort((a, b) => a - b);
    expect(rates.length).toBe(40);
    const med = (rates[19] + rates[20]) / 2;
    expect(HOPPER_FP8_PER_TENSOR_GEMM).toBeCloseTo(med, 3);
    expect(chipFamily("hopper").serving.gemmFp8PerTensor).toBe(HOPPER_FP8_PER_TENSOR_GEMM);
    // Below the DeepGEMM-class figure every other Hopper engine keeps; no grid row reaches it.
    expect(rates[rates.length - 1]).toBeLessThan(chipFamily("hopper").serving.gemm);
  });
});

describe("in a TensorRT-LLM 2023 step", () => {
  const h100 = resolveSystem("dgx-h100-superpod");
  const one = { chips: 1, tp: 1, attentionDp: 1, ep: 1 };
  const llama = resolveModel("llama3-8b");
  const prefill = prefillOnlyLoad(2048);
  const step = (engine: string, precision: "fp8" | "bf16") =>
    new InstanceCost(
      llama,
      h100,
      one,
      costOptions({ precision, kvCache: "fp8", engine: deviceOnlyEngine(engine) }),
    ).step(prefill, 2048);
  it("an FP8 prefill's GEMMs take gemm / gemmFp8PerTensor as long as the current profile's, its attention core twice", () => {
    const old = step("trtllm-2023", "fp8");
    const cur = step("trtllm", "fp8");
    const h = chipFamily("hopper").serving;
    // The LM head of one token is weight-bound either way; the layer GEMMs are compute-bound at 2,048 rows.
    expect(old.gemmS / cur.gemmS).toBeGreaterThan(1.1);
    expect(old.gemmS / cur.gemmS).toBeLessThanOrEqual(h.gemm / HOPPER_FP8_PER_TENSOR_GEMM + 1e-9);
    expect(old.attentionCoreS / cur.attentionCoreS).toBeCloseTo(2, 2);
  });
  it("leaves a BF16 run's GEMMs as the current profile's", () => {
    expect(step("trtllm-2023", "bf16").gemmS).toBe(step("trtllm", "bf16").gemmS);
  });
});

describe("perTensorFp8FractionAtRows", () => {
  const t = HOPPER_FP8_PER_TENSOR_GEMM_BY_ROWS;
  const a = HOPPER_FP8_PER_TENSOR_GEMM;
  it("gives the measured point at each M, held below the first and capped at the asymptote", () => {
    expect(perTensorFp8FractionAtRows(t, a, 128)).toBe(0.375);
    expect(perTensorFp8FractionAtRows(t, a, 1)).toBe(0.204);
    expect(perTensorFp8FractionAtRows(t, a, 1024)).toBe(a);
    expect(perTensorFp8FractionAtRows(t, a, 16384)).toBe(a);
  });
  it("rises with M and never passes the asymptote", () => {
    let prev = 0;
    for (let m = 1; m <= 8192; m *= 1.5) {
      const f = perTensorFp8FractionAtRows(t, a, m);
      expect(f).toBeGreaterThanOrEqual(prev);
      expect(f).toBeLessThanOrEqual(a);
      prev = f;
    }
    // Log-linear between points: M 181 (the geometric mean of 128 and 256) sits half-way.
    expect(perTensorFp8FractionAtRows(t, a, Math.sqrt(128 * 256))).toBeCloseTo((0.375 + 0.484) / 2, 9);
  });
  it("refuses an empty, non-ascending or out-of-range table, naming the field", () => {
    const tt = { perTensorFp8Gemm: true };
    expect(() => checkPerTensorFp8Table({ gemmFp8PerTensorByRows: [] }, tt)).toThrow(ZettasimError);
    expect(() =>
      checkPerTensorFp8Table(
        {
          gemmFp8PerTensorByRows: [
            { rows: 128, fraction: 0.3 },
            { rows: 64, fraction: 0.2 },
          ],
        },
        tt,
      ),
    ).toThrow(/gemmFp8PerTensorByRows/);
    expect(() =>
      checkPerTensorFp8Table({ gemmFp8PerTensorByRows: [{ rows: 64, fraction: 1.2 }] }, tt),
    ).toThrow(/fraction in \(0, 1\]/);
    // An engine that does not read the table has nothing to check; the family's own table passes.
    expect(() => checkPerTensorFp8Table({ gemmFp8PerTensorByRows: [] }, {})).not.toThrow();
    expect(() => checkPerTensorFp8Table({ gemmFp8PerTensorByRows: t }, tt)).not.toThrow();
  });
  it("is checked once, when a TensorRT-LLM 2023 cost is built, not at each step", () => {
    const cost = (rows: { rows: number; fraction: number }[]) =>
      new InstanceCost(
        resolveModel("llama3-8b"),
        resolveSystem("dgx-h100-superpod"),
        { chips: 1, tp: 1, attentionDp: 1, ep: 1 },
        costOptions({ precision: "fp8", kvCache: "fp8", engine: deviceOnlyEngine("trtllm-2023") }),
        { gemmFp8PerTensorByRows: rows },
      );
    expect(() => cost([])).toThrow(/gemmFp8PerTensorByRows/);
    expect(() => cost([{ rows: 64, fraction: 0 }])).toThrow(/fraction in \(0, 1\]/);
    expect(cost([...t]).step(prefillOnlyLoad(2048), 2048).gemmS).toBeGreaterThan(0);
  });
  it("is the median of the H200 grid's per-tensor FP8 rows with N, K >= 4096 at each M", () => {
    for (const { rows: m, fraction: f } of t) {
      const rates = grid
        .filter((r) => r.precision === "fp8" && r.M === m && r.N >= 4096 && r.K >= 4096)
        .map((r) => (2 * r.M * r.N * r.K) / r.s / 1979e12)
        .sort((x, y) => x - y);
      expect(rates.length).toBe(6);
      expect(f).toBeCloseTo((rates[2] + rates[3]) / 2, 3);
    }
    expect(chipFamily("hopper").serving.gemmFp8PerTensorByRows).toBe(t);
  });
  it("are exactly what scripts/fit/kernels-fp8-gemm.ts (npm run fit) computes", () => {
    const fitted = deriveHopperFp8Gemm();
    expect(HOPPER_FP8_PER_TENSOR_GEMM).toBe(fitted.gemmFp8PerTensor);
    for (const [i, r] of t.entries()) expect(r.fraction).toBe(fitted[`gemmFp8PerTensorByRows.${i}.fraction`]);
  });
});

describe("fp8GemmFractionAtRows", () => {
  const eff = {
    gemm: 0.7,
    gemmFp8PerTensor: 0.611,
    gemmFp8PerTensorByRows: HOPPER_FP8_PER_TENSOR_GEMM_BY_ROWS,
  };
  it("applies the table only to FP8 matmuls of an engine with per-tensor library GEMMs on a family that gives it", () => {
    expect(fp8GemmFractionAtRows(eff, { perTensorFp8Gemm: true }, "fp8", 128)).toBe(0.375);
    expect(fp8GemmFractionAtRows(eff, { perTensorFp8Gemm: true }, "bf16", 128)).toBe(0.7);
    expect(fp8GemmFractionAtRows(eff, {}, "fp8", 128)).toBe(0.7);
    expect(
      fp8GemmFractionAtRows({ gemm: 0.7, gemmFp8PerTensor: 0.611 }, { perTensorFp8Gemm: true }, "fp8", 128),
    ).toBe(0.611);
  });
});

describe("the TensorRT-LLM v0.7a-v0.8 profile", () => {
  const h100 = resolveSystem("dgx-h100-superpod");
  const one = { chips: 1, tp: 1, attentionDp: 1, ep: 1 };
  const decode: RankLoad = {
    prefillTokens: 0,
    prefillPairs: 0,
    decodeSeqs: 192,
    decodeKvTokens: 192 * 1152,
    logitTokens: 192,
  };
  const step = (model: string, engine: string) =>
    new InstanceCost(
      resolveModel(model),
      h100,
      one,
      costOptions({ precision: "fp8", kvCache: "fp8", engine: deviceOnlyEngine(engine) }),
    ).step(decode, 192);
  it("keeps the 2023 FP8 path but reads a GQA cache once per KV head (XQA)", () => {
    const e = servingEngine("trtllm-0.8");
    expect(e.perTensorFp8Gemm).toBe(true);
    expect(e.fp16ContextAttention).toBe(true);
    expect(e.gqaDecodePerQueryHead).toBe(false);
    expect(step("llama3-8b", "trtllm-0.8").attentionCoreS).toBeLessThan(
      step("llama3-8b", "trtllm-2023").attentionCoreS,
    );
    expect(step("llama3-8b", "trtllm-0.8").gemmS).toBe(step("llama3-8b", "trtllm-2023").gemmS);
  });
  it("runs decode-sized FP8 GEMMs below the current profile's rate (library kernels at M = 192)", () => {
    expect(step("llama3-8b", "trtllm-0.8").gemmS).toBeGreaterThan(step("llama3-8b", "trtllm").gemmS);
  });
});
