// The clamped, biased expert GLU (gpt-oss) as Megatron-Core runs it: bytes per op, when it is nothing, and the step it lengthens.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BLACKWELL_TRAINING } from "../catalog/families/blackwell.js";
import { type ModelConfig, modelFile } from "../schema/model.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { estimateTraining } from "./estimate.js";
import {
  BIAS_B_REDUCE_BYTES_PER_HIDDEN,
  BIAS_B_STREAM_BYTES_PER_HIDDEN,
  BIAS_F_BYTES_PER_HIDDEN,
  CLAMP_B_BYTES_PER_FFN,
  CLAMP_F_BYTES_PER_FFN,
  expertGluExtra,
} from "./expert-glu.js";
import { groupedGemmSeconds, groupedWgradSeconds } from "./kernels.js";

describe("expertGluExtra: Megatron-Core's eager clamp and per-expert bias of a gpt-oss expert MLP", () => {
  it("counts the clamp's and the bias's bytes from the ops Megatron-Core runs", () => {
    const rows = 65536;
    const x = expertGluExtra("eager", rows, 2880, 2880, 2, true, true);
    // clamp: two half-tensor clamps (read + write 2 bytes each) and a concatenation of the full [rows, 2 ffn] tensor.
    expect(CLAMP_F_BYTES_PER_FFN).toBe(2 * (2 + 2) + (4 + 4));
    // clamp gradients (grad, input, out per half) and chunk's concatenation.
    expect(CLAMP_B_BYTES_PER_FFN).toBe(2 * (2 + 2 + 2) + (4 + 4));
    // bias: b * p write, t + bp read two and write one, cat copy.
    expect(BIAS_F_BYTES_PER_HIDDEN).toBe(2 + 6 + 4);
    expect(x.fStreamBytes).toBe(rows * 2880 * (CLAMP_F_BYTES_PER_FFN + BIAS_F_BYTES_PER_HIDDEN));
    expect(x.bStreamBytes).toBe(rows * 2880 * (CLAMP_B_BYTES_PER_FFN + BIAS_B_STREAM_BYTES_PER_HIDDEN));
    expect(x.bReduceBytes).toBe(rows * 2880 * BIAS_B_REDUCE_BYTES_PER_HIDDEN);
    // Only the clamp sits inside the moe_act recompute module.
    expect(x.recomputedFStreamBytes).toBe(rows * 2880 * CLAMP_F_BYTES_PER_FFN);
  });

  it("is nothing when fused, when the MLP has neither clamp nor bias, or without rows", () => {
    for (const x of [
      expertGluExtra("fused", 1000, 2880, 2880, 16, true, true),
      expertGluExtra("eager", 1000, 2880, 2880, 16, false, false),
      expertGluExtra("eager", 0, 2880, 2880, 16, true, true),
    ]) {
      expect(x.fStreamBytes + x.bStreamBytes + x.bReduceBytes + x.kernelsF + x.kernelsB).toBe(0);
    }
  });

  it("grows with the routed rows, and the bias's kernels with the local experts", () => {
    const a = expertGluExtra("eager", 1000, 2880, 2880, 2, true, true);
    const b = expertGluExtra("eager", 2000, 2880, 2880, 2, true, true);
    expect(b.fStreamBytes).toBe(2 * a.fStreamBytes);
    const many = expertGluExtra("eager", 1000, 2880, 2880, 16, true, true);
    expect(many.kernelsF - a.kernelsF).toBe(2 * 14);
    expect(many.kernelsB - a.kernelsB).toBe(4 * 14);
    expect(many.fStreamBytes).toBe(a.fStreamBytes);
  });
});

const gptOssCase = () => {
  const file = JSON.parse(
    readFileSync(new URL("../../validation/training-megatron-bridge.json", import.meta.url), "utf8"),
  );
  const c = file.cases.find((x: { id: string }) => x.id === "mb2511-gpt-oss-120b-64xb200-bf16");
  const training = Object.fromEntries(Object.entries(c.training).filter(([, v]) => v !== null));
  const model = c.model as ModelConfig;
  const plain: ModelConfig = { ...model, moe: { ...model.moe!, expertBias: false, gluClamp: undefined } };
  return {
    model,
    plain,
    sys: systemFromCaseHardware(c.hardware),
    training: training as unknown as TrainingConfig,
  };
};

describe("a gpt-oss step as Megatron-Core runs it against a compiled framework", () => {
  const { model, plain, sys, training } = gptOssCase();
  const step = (m: ModelConfig, t: Partial<TrainingConfig>) =>
    estimateTraining(sys, m, { ...training, ...t }).stepTimeS;
  it("the published clamp and expert biases lengthen a NeMo step, not an XLA one", () => {
    expect(model.moe?.gluClamp).toBe(7);
    expect(step(model, { framework: "nemo" })).toBeGreaterThan(step(plain, { framework: "nemo" }));
    // Memory-bound work only: well under a fifth of the step.
    expect(step(model, { framework: "nemo" }) / step(plain, { framework: "nemo" })).toBeLessThan(1.2);
    expect(step(model, { framework: "maxtext" })).toBeCloseTo(step(plain, { framework: "maxtext" }), 9);
  });
  it("a fused grouped MLP (CuTe DSL) runs none of it", () => {
    const t = { framework: "nemo", moeExpertMlp: "fused" } as Partial<TrainingConfig>;
    expect(step(model, t)).toBeCloseTo(step(plain, t), 9);
  });
});

describe("model fields of a clamped, biased expert GLU", () => {
  it("refuses a clamp that is not positive, naming the field", () => {
    const r = modelFile.safeParse({
      layers: 2,
      hiddenSize: 64,
      ffnHiddenSize: 64,
      heads: 4,
      vocabSize: 100,
      moe: { experts: 4, topK: 2, expertFfnHiddenSize: 32, gluClamp: -7 },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["moe", "gluClamp"]);
    expect(r.error?.issues[0].message).toContain("activation units");
  });
});

describe("published B200 grouped GEMMs against the Blackwell grouped-GEMM model", () => {
  const file = JSON.parse(
    readFileSync(new URL("../../data/kernels/grouped-gemm-b200-published.json", import.meta.url), "utf8"),
  );
  const rows: { M: number; N: number; K: number; G: number; fwdUs: number; fwdBwdUs: number }[] = [
    ...file.sections.torchao_pr3271_bf16_grouped_mm_b200.rows,
    ...file.sections.torchao_pr3508_bf16_grouped_mm_b200.rows,
  ];
  const peak = 2.25e15;
  const stream = 8e12 * BLACKWELL_TRAINING.memory;
  const g = BLACKWELL_TRAINING.gemm.bf16;
  const gg = BLACKWELL_TRAINING.groupedGemm.bf16;
  const model = (r: (typeof rows)[number]) => {
    const m = r.M / r.G;
    const f = groupedGemmSeconds(r.G, m, r.N, r.K, peak, g, gg, 2, stream);
    const b =
      groupedGemmSeconds(r.G, m, r.K, r.N, peak, g, gg, 2, stream) +
      groupedWgradSeconds(r.G, m, r.N, r.K, peak, g, gg, 2, stream);
    return { fwdUs: f * 1e6, fwdBwdUs: (f + b) * 1e6 };
  };
  it("runs the 16K-token rows (2,048-16,384 tokens per group) at most 35% faster than published, never slower by 30%", () => {
    for (const r of rows.filter((x) => x.M === 16384)) {
      const p = model(r);
      expect(p.fwdUs / r.fwdUs).toBeGreaterThan(0.65);
      expect(p.fwdUs / r.fwdUs).toBeLessThan(1.3);
      expect(p.fwdBwdUs / r.fwdBwdUs).toBeGreaterThan(0.6);
      expect(p.fwdBwdUs / r.fwdBwdUs).toBeLessThan(1.3);
    }
  });
  it("is nearly flat from 1 to 8 groups at 16K tokens, as the measured rows are within their spread", () => {
    const at = (G: number) => model({ M: 16384, N: 8192, K: 5120, G, fwdUs: 0, fwdBwdUs: 0 }).fwdBwdUs;
    expect(at(8) / at(1)).toBeGreaterThan(1);
    expect(at(8) / at(1)).toBeLessThan(1.1);
  });
});
