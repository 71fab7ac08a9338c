// The FP8 decode linear call: the family figures recomputed from the published tables, the per-call charge (max with the K loop, never both), and its place in a step.

import { describe, expect, it } from "vitest";
import {
  fitFp8CallLines,
  fp8CallFigure,
  fp8CallLine,
  fp8CallTables,
} from "../../scripts/fit/kernels-fp8-call.js";
import { costOptions } from "../../test/fixtures/serving.js";
import { chipFamily } from "../catalog/families/index.js";
import type { KernelEfficiency } from "../catalog/families/types.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveChip, resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { type CostOptions, InstanceCost, type RankLoad } from "./cost.js";
import { familyServing } from "./efficiency.js";
import { engineLineage, servingEngine } from "./engines/index.js";
import { checkFp8CallLine, fp8CallLineFor, fp8CallsExtraS } from "./fp8-linear-call.js";

const tables = fp8CallTables();
type Table = (typeof tables)[number];

describe("the published FP8 calls (aiconfigurator 095f58a51c4c, M = 1, 2 MiB-2 GiB)", () => {
  it("each table's recorded intercept and rate are its rows' least-squares line (to the rows' rounding)", () => {
    expect(tables.length).toBe(17);
    for (const t of tables) {
      const { interceptUs, bytesPerS } = fp8CallLine(t);
      // The rows hold latencies to 6 decimals of a ms, the line was fitted to the table's own values.
      expect(interceptUs).toBeCloseTo(t.interceptUs, 2);
      expect(Math.abs(bytesPerS / t.bytesPerSAtSlope - 1)).toBeLessThan(1e-4);
      // Every FP8 call costs more than the 3.25 us graph floor: 6.7-30.7 us by engine and scaling.
      expect(t.interceptUs).toBeGreaterThan(6.5);
      expect(t.interceptUs).toBeLessThan(31);
    }
  });

  /** The family figure of one engine and scaling (scripts/fit/kernels-fp8-call.ts): medians over the family's chips of (intercept - scale step) and rate / HBM. */
  const figure = (chips: string[], engine: string, dtype: Table["dtype"]) => {
    const f = fp8CallFigure(chips, engine, dtype);
    expect(f.tables).toBe(chips.length);
    return f;
  };
  const expectLine = (
    got: { fixedS: number; hbmFraction: number } | undefined,
    want: ReturnType<typeof figure>,
  ) => {
    expect((got?.fixedS ?? 0) * 1e6).toBeCloseTo(want.fixedUs, 1);
    expect(got?.hbmFraction ?? 0).toBeCloseTo(want.hbmFraction, 2);
  };
  // The family's figure for the engine after its lineage (an engine without an entry takes its ancestors').
  const byEngine = (family: string, engine: string) =>
    familyServing(chipFamily(family), engineLineage(servingEngine(engine))).fp8LinearCall;

  it("Hopper's figures per engine are the medians over the H100 and H200 tables (TensorRT-LLM per-tensor less its dynamic-scale step)", () => {
    const hopper = ["h100-sxm", "h200-sxm"];
    expectLine(byEngine("hopper", "sglang")?.perTensor, figure(hopper, "sglang", "fp8"));
    expectLine(byEngine("hopper", "sglang")?.blockScaled, figure(hopper, "sglang", "fp8_block"));
    expectLine(byEngine("hopper", "vllm")?.perTensor, figure(hopper, "vllm", "fp8"));
    expectLine(byEngine("hopper", "trtllm")?.perTensor, figure(hopper, "trtllm", "fp8"));
    expectLine(byEngine("hopper", "trtllm")?.blockScaled, figure(hopper, "trtllm", "fp8_block"));
    // The TensorRT-LLM per-tensor rows include 5.95-5.97 us of dynamic scale computation, taken off.
    const trt = tables.filter(
      (t) => t.table.includes("/trtllm/") && t.dtype === "fp8" && hopper.includes(t.chip),
    );
    for (const t of trt) expect(t.computeScaleUs).toBeGreaterThan(5.9);
    // vLLM's block-FP8 rows were collected without CUDA graphs: no line from them.
    expect(byEngine("hopper", "vllm")?.blockScaled).toBeUndefined();
    // Every vLLM and TensorRT-LLM profile of the family carries its engine's figures.
    for (const id of ["vllm-0.10", "vllm-v0"])
      expect(byEngine("hopper", id)).toEqual(byEngine("hopper", "vllm"));
    expect(byEngine("hopper", "trtllm-pytorch-0.17")).toEqual(byEngine("hopper", "trtllm"));
    // Engines without a table (the generic profile, TensorRT engines of 2023-24) get none.
    expect(chipFamily("hopper").serving.fp8LinearCall).toBeUndefined();
  });

  it("every family line is exactly what scripts/fit/kernels-fp8-call.ts (npm run fit) computes", () => {
    const fitted = Object.entries(fitFp8CallLines());
    expect(fitted.length).toBe(20);
    for (const [path, v] of fitted) {
      const [family, , engine, , scaling, field] = path.split(".");
      const line = chipFamily(family).servingByEngine?.[engine]?.fp8LinearCall?.[
        scaling as "perTensor" | "blockScaled"
      ] as Record<string, number> | undefined;
      expect(line?.[field], path).toBe(v);
    }
  });

  it("Blackwell's figures per engine are the B200 tables'", () => {
    expectLine(byEngine("blackwell", "sglang")?.perTensor, figure(["b200"], "sglang", "fp8"));
    expectLine(byEngine("blackwell", "sglang")?.blockScaled, figure(["b200"], "sglang", "fp8_block"));
    expectLine(byEngine("blackwell", "vllm")?.perTensor, figure(["b200"], "vllm", "fp8"));
    expectLine(byEngine("blackwell", "trtllm")?.perTensor, figure(["b200"], "trtllm", "fp8"));
    expectLine(byEngine("blackwell", "trtllm")?.blockScaled, figure(["b200"], "trtllm", "fp8_block"));
    expect(byEngine("blackwell", "vllm")?.blockScaled).toBeUndefined();
  });
});

describe("fp8CallLineFor", () => {
  const eff = {
    fp8LinearCall: {
      perTensor: { fixedS: 7e-6, hbmFraction: 0.9 },
      blockScaled: { fixedS: 14e-6, hbmFraction: 0.7 },
    },
  };
  it("takes the block-scaled line for block-fp8, the per-tensor one when the scaling is not stated, none for torchao", () => {
    expect(fp8CallLineFor(eff, "block-fp8")).toBe(eff.fp8LinearCall.blockScaled);
    expect(fp8CallLineFor(eff, undefined)).toBe(eff.fp8LinearCall.perTensor);
    expect(fp8CallLineFor(eff, "torchao-rowwise-fp8")).toBeUndefined();
    expect(fp8CallLineFor(eff, "torchao-nvfp4")).toBeUndefined();
    expect(fp8CallLineFor({}, undefined)).toBeUndefined();
  });
});

describe("checkFp8CallLine", () => {
  it("names the field, the value and what was expected on a bad line", () => {
    expect(() => checkFp8CallLine(undefined, "perTensor")).not.toThrow();
    expect(() => checkFp8CallLine({ fixedS: 7e-6, hbmFraction: 1 }, "perTensor")).not.toThrow();
    const bad: [number, number, string][] = [
      [-1e-6, 0.8, "fixedS"],
      [Number.NaN, 0.8, "fixedS"],
      [Number.POSITIVE_INFINITY, 0.8, "fixedS"],
      [7e-6, 0, "hbmFraction"],
      [7e-6, 1.2, "hbmFraction"],
      [7e-6, Number.NaN, "hbmFraction"],
    ];
    for (const [fixedS, hbmFraction, field] of bad) {
      try {
        checkFp8CallLine({ fixedS, hbmFraction }, "blockScaled");
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ZettasimError);
        expect((e as ZettasimError).issues[0].path).toEqual(["fp8LinearCall", "blockScaled", field]);
      }
    }
  });
  it("is applied where a cost is built, to a scenario's override too", () => {
    const bad = { fp8LinearCall: { perTensor: { fixedS: 7e-6, hbmFraction: 0 } } };
    expect(
      () =>
        new InstanceCost(
          resolveModel("llama3-8b"),
          resolveSystem("dgx-h100-superpod"),
          { chips: 1, tp: 1, attentionDp: 1, ep: 1 },
          costOptions({ precision: "fp8", engine: servingEngine("sglang") }),
          bad,
        ),
    ).toThrow(ZettasimError);
  });
});

describe("fp8CallsExtraS", () => {
  const lin = Float64Array.from([1536, 7168, 7168, 2048]);
  const bps = 3e12;
  const base = { kernelFloorS: 3.25e-6, lineKernelsS: 6.5e-6 };
  const lineOnly = { ...base, line: { fixedS: 10e-6, bytesPerS: 2.6e12 } };
  const loopOnly = { ...base, kLoop: { fixedS: 8e-6, perKStepS: 0.56e-6 } };
  const roof = (n: number, k: number) => (n * k) / bps;

  it("charges a call its line less the kernels the step pays for it and its roofline", () => {
    const want = lin.reduce(
      (s, _, i) =>
        i % 2
          ? s
          : s + Math.max(0, 10e-6 + (lin[i] * lin[i + 1]) / 2.6e12 - 6.5e-6 - roof(lin[i], lin[i + 1])),
      0,
    );
    expect(fp8CallsExtraS(lin, 1, 1, 1e15, bps, lineOnly)).toBeCloseTo(want, 15);
    expect(fp8CallsExtraS(lin, 1, 1, 1e15, bps, base)).toBe(0);
  });

  it("takes the larger of the K loop and the line for the same call, never their sum", () => {
    const both = { ...lineOnly, kLoop: loopOnly.kLoop };
    for (let i = 0; i < lin.length; i += 2) {
      const one = lin.subarray(i, i + 2);
      const a = fp8CallsExtraS(one, 1, 1, 1e15, bps, loopOnly);
      const b = fp8CallsExtraS(one, 1, 1, 1e15, bps, lineOnly);
      expect(fp8CallsExtraS(one, 1, 1, 1e15, bps, both)).toBeCloseTo(Math.max(a, b), 15);
    }
  });

  it("is never negative and non-increasing in rows (the roofline grows); 0 at prefill token counts", () => {
    let prev = Number.POSITIVE_INFINITY;
    for (const rows of [1, 16, 64, 256, 4096, 65536]) {
      const v = fp8CallsExtraS(lin, rows, 1, 1e15, bps, lineOnly);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(prev);
      prev = v;
    }
    expect(prev).toBe(0);
  });

  it("makes a call's whole charge non-decreasing in its weight bytes", () => {
    let prev = 0;
    for (const n of [128, 512, 1024, 4096, 16384, 65536, 262144]) {
      const one = Float64Array.from([n, 7168]);
      const total = base.lineKernelsS + roof(n, 7168) + fp8CallsExtraS(one, 1, 1, 1e15, bps, lineOnly);
      expect(total).toBeGreaterThanOrEqual(prev);
      prev = total;
    }
  });
});

describe("in a decode step", () => {
  const load = (seqs: number): RankLoad => ({
    prefillTokens: 0,
    prefillPairs: 0,
    decodeSeqs: seqs,
    decodeKvTokens: seqs * 2000,
    logitTokens: seqs,
  });
  const none: Partial<KernelEfficiency> = { fp8LinearCall: undefined };
  const cost = (
    model: string,
    system: string,
    tp: number,
    opts: CostOptions,
    eff?: Partial<KernelEfficiency>,
  ) =>
    new InstanceCost(
      resolveModel(model),
      resolveSystem(system),
      { chips: tp, tp, attentionDp: 1, ep: 1 },
      opts,
      eff,
    );

  it("never lowers a step, and adds nothing for BF16 weights or engines without a table", () => {
    for (const system of ["dgx-h100-superpod", "gb200-nvl72"])
      for (const engine of ["sglang", "vllm", "trtllm", "generic"])
        for (const quantization of [undefined, "block-fp8" as const])
          for (const seqs of [1, 8, 64, 512]) {
            const o = costOptions({ precision: "fp8", quantization, engine: servingEngine(engine) });
            const w = cost("llama3-70b", system, 8, o).step(load(seqs), seqs);
            const wo = cost("llama3-70b", system, 8, o, none).step(load(seqs), seqs);
            expect(w.timeS).toBeGreaterThanOrEqual(wo.timeS);
            if (engine === "generic") expect(w.timeS).toBe(wo.timeS);
          }
    const bf16 = costOptions({ precision: "bf16", engine: servingEngine("sglang") });
    expect(cost("llama3-70b", "dgx-h100-superpod", 8, bf16).step(load(4), 4).timeS).toBe(
      cost("llama3-70b", "dgx-h100-superpod", 8, bf16, none).step(load(4), 4).timeS,
    );
  });

  it("at batch 1 adds per FP8 linear the line beyond the GEMM's and the quantisation's kernel charges and the weight bytes", () => {
    // Llama 3 8B at TP 1 on H100 under vLLM (kernelFactor 1): 32 layers x (QKV, O, gate-up, down).
    const o = costOptions({ precision: "fp8", engine: servingEngine("vllm") });
    const w = cost("llama3-8b", "dgx-h100-superpod", 1, o).step(load(1), 1);
    const wo = cost("llama3-8b", "dgx-h100-superpod", 1, o, none).step(load(1), 1);
    const hopper = chipFamily("hopper");
    const l = hopper.servingByEngine?.vllm?.fp8LinearCall?.perTensor;
    const chip = resolveChip("h100-sxm");
    const stream = chip.memoryBandwidthBytesPerS * (chip.memoryStreamingFraction ?? 0);
    const fp8Bytes = 1 + 4 / 128;
    const shapes = [
      [6144, 4096],
      [4096, 4096],
      [28672, 4096],
      [4096, 14336],
    ];
    const perLayer = shapes.reduce(
      (s, [n, k]) =>
        s +
        Math.max(
          0,
          (l?.fixedS ?? 0) +
            (n * k) / ((l?.hbmFraction ?? 1) * chip.memoryBandwidthBytesPerS) -
            2 * hopper.serving.kernelFloorS -
            (n * k * fp8Bytes) / stream,
        ),
      0,
    );
    expect(perLayer).toBeGreaterThan(0);
    expect(w.timeS - wo.timeS).toBeCloseTo(32 * perLayer, 9);
    expect(w.gemmS - wo.gemmS).toBeCloseTo(32 * perLayer, 9);
  });
});
