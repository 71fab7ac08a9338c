// W8A8 linears on Ascend at decode: the int8 streaming rate recomputed from the published trace, applied to int8 dense linears under SGLang and vLLM only, to MLA's output projection alone.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { ASCEND_910 } from "../catalog/families/ascend-910.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { InstanceCost } from "./cost.js";
import { efficiencyFor } from "./efficiency.js";
import { servingEngine } from "./engines/index.js";
import {
  blendedBytesPerS,
  type DecodeLinearRow,
  int8LinearStreamingBytesPerS,
  int8StreamingFromRows,
  quantMatmulProjectionShare,
  rowBytesPerS,
} from "./int8-linear.js";

const data = JSON.parse(
  readFileSync(
    new URL("../../data/kernels/ascend-w8a8-decode-matmul-published.json", import.meta.url),
    "utf8",
  ),
).sections.qwq32b_tp4_decode_b1;
const rows: DecodeLinearRow[] = data.rows;

describe("the published W8A8 decode trace (vllm-ascend issue 4167)", () => {
  it("reproduces the family's int8 streaming fraction: BF16 fraction x the int8 / BF16 byte-rate ratio", () => {
    const f = int8StreamingFromRows(rows, "gate_up", ASCEND_910.serving.weightStreaming);
    expect(f).toBeCloseTo(0.473, 3);
    expect(ASCEND_910.servingByEngine?.sglang?.int8LinearWeightStreaming).toBeCloseTo(f, 3);
    expect(ASCEND_910.servingByEngine?.vllm?.int8LinearWeightStreaming).toBeCloseTo(f, 3);
  });
  it("the trace's BF16 rows stream at 0.7-0.85 of a 910B's 1.6 TB/s, as the family's 0.80 says", () => {
    for (const r of rows.filter((x) => x.format === "bf16")) {
      const frac = rowBytesPerS(r) / 1.6e12;
      expect(frac).toBeGreaterThan(0.7);
      expect(frac).toBeLessThan(0.85);
    }
  });
  it("the int8 linear is faster than the BF16 one but streams fewer bytes per second", () => {
    const b = rows.find((r) => r.linear === "gate_up" && r.format === "bf16") as DecodeLinearRow;
    const q = rows.find((r) => r.linear === "gate_up" && r.format === "int8") as DecodeLinearRow;
    expect(q.timeUs).toBeLessThan(b.timeUs);
    expect(rowBytesPerS(q)).toBeLessThan(rowBytesPerS(b));
  });
  it("refuses a linear without both formats, or rows of different shapes, by name", () => {
    expect(() => int8StreamingFromRows(rows, "down", 0.8)).toThrow(ZettasimError);
    const odd = rows.map((r) => (r.format === "int8" ? { ...r, n: r.n / 2 } : r));
    expect(() => int8StreamingFromRows(odd, "gate_up", 0.8)).toThrow(/shape/);
  });
});

describe("int8LinearStreamingBytesPerS, quantMatmulProjectionShare, blendedBytesPerS", () => {
  it("takes the int8 fraction only for int8 linears on a family that gives one", () => {
    expect(int8LinearStreamingBytesPerS("int8", 0.473, 1.6e12, 1.28e12)).toBeCloseTo(0.473 * 1.6e12, 0);
    expect(int8LinearStreamingBytesPerS("bf16", 0.473, 1.6e12, 1.28e12)).toBe(1.28e12);
    expect(int8LinearStreamingBytesPerS("fp8", 0.473, 1.6e12, 1.28e12)).toBe(1.28e12);
    expect(int8LinearStreamingBytesPerS("int8", undefined, 1.6e12, 1.28e12)).toBe(1.28e12);
  });
  it("puts every GQA projection through the quantised matmul and only MLA's output projection", () => {
    expect(quantMatmulProjectionShare(undefined, 64, 5120, 8, 1e7)).toBe(1);
    // DeepSeek-V3's layer: o_proj 128 heads x 128 x 7,168 = 117 M of about 187 M projection parameters.
    const share = quantMatmulProjectionShare({ vHeadDim: 128 }, 128, 7168, 1, 187e6);
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.65);
    expect(quantMatmulProjectionShare({ vHeadDim: 128 }, 128, 7168, 1, 0)).toBe(0);
  });
  it("blends two rates so that the time of the parts adds up", () => {
    const bytes = 1e9;
    const t = bytes / blendedBytesPerS(0.3, 0.8e12, 1.3e12);
    expect(t).toBeCloseTo((0.3 * bytes) / 0.8e12 + (0.7 * bytes) / 1.3e12, 12);
    expect(blendedBytesPerS(1, 0.8e12, 1.3e12)).toBe(0.8e12);
    expect(blendedBytesPerS(0, 0.8e12, 1.3e12)).toBe(1.3e12);
  });
});

describe("in an Ascend decode step", () => {
  const system = resolveSystem("atlas-900-a3-superpod");
  const layout = { chips: 4, tp: 4, attentionDp: 1, ep: 1 };
  const gemm = (model: string, engine: string, precision: "int8" | "bf16") =>
    new InstanceCost(
      resolveModel(model),
      system,
      layout,
      costOptions({ precision, engine: deviceOnlyEngine(engine) }),
    ).step(decodeOnlyLoad(1, 1024), 1).gemmS;

  it("the engines that run npu_quant_matmul get the int8 rate; xDeepServe, MindIE and generic keep the family's", () => {
    for (const e of ["sglang", "vllm", "vllm-ascend-0.9"])
      expect(efficiencyFor(system.chip, undefined, servingEngine(e)).int8LinearWeightStreaming).toBeCloseTo(
        0.473,
        3,
      );
    for (const e of ["xdeepserve", "mindie", "generic"])
      expect(
        efficiencyFor(system.chip, undefined, servingEngine(e)).int8LinearWeightStreaming,
      ).toBeUndefined();
  });
  it("a W8A8 dense decode at one sequence is weight-bound and slower per byte under SGLang than the BF16 rate", () => {
    const sg = gemm("llama3-70b", "sglang", "int8");
    const xd = gemm("llama3-70b", "xdeepserve", "int8");
    // Everything but the BF16 LM head streams at 0.473 instead of 0.80: the step's matmuls take about 0.8 / 0.473 as long.
    expect(sg / xd).toBeGreaterThan(1.5);
    expect(sg / xd).toBeLessThan(0.8 / 0.473);
    // Still faster than BF16 weights (half the bytes at 0.59 of the rate).
    expect(sg).toBeLessThan(gemm("llama3-70b", "sglang", "bf16"));
  });
  it("changes nothing for BF16 weights", () => {
    expect(gemm("llama3-70b", "sglang", "bf16")).toBeCloseTo(gemm("llama3-70b", "xdeepserve", "bf16"), 9);
  });
  it("an MLA model's projections slow by less than a GQA model's (only o_proj runs the quantised matmul)", () => {
    const ds = gemm("deepseek-v3", "sglang", "int8") / gemm("deepseek-v3", "xdeepserve", "int8");
    const ll = gemm("llama3-70b", "sglang", "int8") / gemm("llama3-70b", "xdeepserve", "int8");
    expect(ds).toBeGreaterThan(1);
    expect(ds).toBeLessThan(ll);
  });
});
