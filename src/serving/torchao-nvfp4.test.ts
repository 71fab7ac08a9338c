// Tests of the torchao NVFP4 linear rate: the published B200 table, its interpolation by problem size, and its place in a prefill step.
import { describe, expect, it } from "vitest";
import { costOptions, deviceOnlyEngine, prefillOnlyLoad } from "../../test/fixtures/serving.js";
import { BLACKWELL_TORCHAO_NVFP4_SPEEDUP_BY_CUBE } from "../catalog/families/blackwell.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { InstanceCost } from "./cost.js";
import { checkTorchaoNvfp4Table, torchaoNvfp4Fraction } from "./torchao-nvfp4.js";

const t = BLACKWELL_TORCHAO_NVFP4_SPEEDUP_BY_CUBE;
const eff = { gemm: 0.6, torchaoNvfp4SpeedupByCube: t };
/** The fraction of the FP4 peak for a square problem of side s on a chip whose FP4 peak is 4x its BF16 peak. */
const square = (s: number) => torchaoNvfp4Fraction(eff, "torchao-nvfp4", "fp4", s, s * s, 0.25);

describe("the Blackwell table", () => {
  it("is torchao's published B200 nvfp4 dynamic row (PR 4030), on the family's serving profile", () => {
    expect(t.map((p) => p.side)).toEqual([1024, 2048, 4096, 8192, 16384]);
    expect(t.map((p) => p.speedup)).toEqual([0.28, 0.52, 0.9, 1.41, 2.14]);
    expect(chipFamily("blackwell").serving.torchaoNvfp4SpeedupByCube).toBe(t);
    expect(chipFamily("hopper").serving.torchaoNvfp4SpeedupByCube).toBeUndefined();
  });
});

describe("torchaoNvfp4Fraction", () => {
  it("gives speedup x gemm x BF16/FP4 peak at each measured square shape", () => {
    for (const p of t) expect(square(p.side)).toBeCloseTo(p.speedup * 0.6 * 0.25, 12);
  });
  it("rises with the problem size, holds past the table and stays below the FP4 peak", () => {
    let prev = 0;
    for (let s = 1024; s <= 65536; s *= 1.3) {
      const f = square(s) as number;
      expect(f).toBeGreaterThanOrEqual(prev);
      expect(f).toBeLessThanOrEqual(1);
      prev = f;
    }
    expect(square(65536)).toBeCloseTo(2.14 * 0.15, 12);
    // Log-linear in the side: half-way between 4,096 and 8,192 at their geometric mean.
    expect(square(Math.sqrt(4096 * 8192))).toBeCloseTo(((0.9 + 1.41) / 2) * 0.15, 9);
  });
  it("is undefined for decode-sized M, other formats, other checkpoints and families without the table", () => {
    expect(torchaoNvfp4Fraction(eff, "torchao-nvfp4", "fp4", 128, 1e8, 0.25)).toBeUndefined();
    expect(torchaoNvfp4Fraction(eff, "torchao-nvfp4", "fp8", 16384, 1e8, 0.25)).toBeUndefined();
    expect(torchaoNvfp4Fraction(eff, undefined, "fp4", 16384, 1e8, 0.25)).toBeUndefined();
    expect(torchaoNvfp4Fraction({ gemm: 0.6 }, "torchao-nvfp4", "fp4", 16384, 1e8, 0.25)).toBeUndefined();
  });
  it("refuses a malformed table or a non-positive input, naming it", () => {
    const bad = { gemm: 0.6, torchaoNvfp4SpeedupByCube: [t[1], t[0]] };
    expect(() => checkTorchaoNvfp4Table(bad, "torchao-nvfp4")).toThrow(/torchaoNvfp4SpeedupByCube/);
    expect(() => checkTorchaoNvfp4Table(bad, undefined)).not.toThrow();
    expect(() => torchaoNvfp4Fraction(eff, "torchao-nvfp4", "fp4", 4096, 0, 0.25)).toThrow(ZettasimError);
  });
});

describe("in a vLLM prefill step of Llama 3 8B on GB200", () => {
  const one = { chips: 1, tp: 1, attentionDp: 1, ep: 1 };
  const llama = resolveModel("llama3-8b");
  const system = resolveSystem("gb200-nvl72");
  const gemmS = (precision: "fp4" | "bf16", quantization?: "torchao-nvfp4", tokens = 16384) =>
    new InstanceCost(
      llama,
      system,
      one,
      costOptions({
        precision,
        attentionPrecision: precision,
        quantization,
        engine: deviceOnlyEngine("vllm"),
      }),
    ).step(prefillOnlyLoad(tokens), tokens).gemmS;
  it("a torchao NVFP4 checkpoint's GEMMs are 1.4-2.1x faster than BF16, not the 4x of the peaks", () => {
    const r = gemmS("bf16") / gemmS("fp4", "torchao-nvfp4");
    expect(r).toBeGreaterThan(1.3);
    expect(r).toBeLessThan(2.14);
    expect(gemmS("fp4")).toBeLessThan(gemmS("fp4", "torchao-nvfp4"));
  });
  it("leaves a decode-sized step at the engine's rate", () => {
    expect(gemmS("fp4", "torchao-nvfp4", 256)).toBe(gemmS("fp4", undefined, 256));
  });
});
