// Apple AXLearn (2024) as its source runs a dense LM: the default remat spec's reruns with XLA's dead-code elimination, its GPU flash kernel's class, XLA's plain attention on GPU, bf16 gradients on the wire.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resolveChip } from "../catalog/resolve.js";
import type { System } from "../catalog/types.js";
import type { ModelConfig } from "../schema/model.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { layerCosts } from "./analyze.js";
import { resolveTraining } from "./config.js";
import { trainingEfficiency } from "./efficiency.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { frameworkIds, frameworkProfile } from "./frameworks.js";
import { KernelModel } from "./kernels.js";
import { recipeFor } from "./precision.js";
import {
  modulesRecomputeS,
  RM_CORE_ATTN,
  RM_LAYERNORM,
  RM_MLP,
  recomputeModuleMask,
} from "./recompute-modules.js";
import { modulesRematFlops, modulesRematS } from "./remat.js";
import { modelShape } from "./shape.js";
import {
  TE_UNFUSED_SCORE_BYTES,
  unfusedScoreBytes,
  XLA_GPU_UNFUSED_SCORE_BYTES,
} from "./unfused-attention.js";

const fuji7b: ModelConfig = {
  layers: 32,
  hiddenSize: 4096,
  ffnHiddenSize: 11008,
  heads: 32,
  kvHeads: 32,
  headDim: 128,
  vocabSize: 32768,
  gatedMlp: true,
};
const node = (chip: string): System =>
  systemFromCaseHardware({
    chip,
    chips: 8,
    network: [{ name: "nvlink", groupSize: 8, bandwidthGBps: 450, topology: "switch" }],
  });
const v5p8: System = systemFromCaseHardware({
  chip: "tpu-v5p",
  chips: 8,
  network: [{ name: "ici-torus", bandwidthGBps: 360, topology: "torus3d" }],
});
const run = (framework: string, extra: Partial<TrainingConfig> = {}) =>
  ({
    seqLength: 2048,
    globalBatchSize: 64,
    microBatchSize: 8,
    dp: 8,
    zero: 3,
    precision: "bf16",
    framework,
    ...extra,
  }) as TrainingConfig;
const shape = modelShape(fuji7b);

describe("the axlearn framework profile", () => {
  it("is a named, documented profile the schema accepts", () => {
    expect(frameworkIds).toContain("axlearn");
    expect(trainingFile.safeParse(run("axlearn")).success).toBe(true);
    const p = frameworkProfile("axlearn");
    expect(p.source).toMatch(/4dae7198/);
    expect(p.compiled).toBe(true);
    expect(p.compiler).toBe("xla");
    expect(p.rematDce).toBe(true);
    expect(p.gradBytes).toBe(2);
    expect(p.latencyHidingBackends).toEqual(["tpu"]);
  });
  it("resolves a run that publishes no recompute to build_remat_spec's reruns: attention core, norms, MLP", () => {
    const t = resolveTraining(node("h100-sxm"), shape, run("axlearn"));
    expect(t.recompute).toBe("selective");
    expect(t.recomputeMask).toBe(RM_CORE_ATTN | RM_LAYERNORM | RM_MLP);
    expect(t.recomputeMask).toBe(recomputeModuleMask(["core_attn", "layernorm", "mlp"]));
  });
  it("keeps a published recompute as written (a dots_saveable run entered as selective reruns no GEMM)", () => {
    for (const r of ["none", "selective", "full"] as const) {
      const t = resolveTraining(node("h100-sxm"), shape, run("axlearn", { recompute: r }));
      expect(t.recompute).toBe(r);
      expect(t.recomputeMask).toBeUndefined();
    }
    const listed = resolveTraining(
      node("h100-sxm"),
      shape,
      run("axlearn", { recomputeModules: ["core_attn"] }),
    );
    expect(listed.recomputeMask).toBe(RM_CORE_ATTN);
  });
  it("its default remat costs more than selective and less than full recompute", () => {
    const sys = node("h100-sxm");
    const dflt = estimateTraining(sys, fuji7b, run("axlearn"));
    const sel = estimateTraining(sys, fuji7b, run("axlearn", { recompute: "selective" }));
    const full = estimateTraining(sys, fuji7b, run("axlearn", { recompute: "full" }));
    expect(dflt.breakdownS.recomputeS).toBeGreaterThan(sel.breakdownS.recomputeS);
    expect(dflt.breakdownS.recomputeS).toBeLessThan(full.breakdownS.recomputeS);
    expect(dflt.memoryBreakdownBytes.activationsBytes).toBeLessThan(
      sel.memoryBreakdownBytes.activationsBytes,
    );
  });
});

describe("module recompute through XLA (remat.ts modulesRematS)", () => {
  const sys = node("h100-sxm");
  const l = (fw: string) => {
    const p = prepareTraining(sys, fuji7b, run(fw));
    return { t: p.t, c: layerCosts(p).dense };
  };
  it("drops exactly the MLP down projection where the framework rematerialises through JAX", () => {
    const { t, c } = l("axlearn");
    const mask = RM_MLP | RM_LAYERNORM;
    const eager = modulesRecomputeS(c, mask);
    expect(c.modules.mlpResidualOnlyF).toBeGreaterThan(0);
    expect(modulesRematS(c, mask, t.framework)).toBeCloseTo(eager - c.modules.mlpResidualOnlyF, 15);
    // A SwiGLU MLP's down projection is a third of its GEMM FLOPs.
    expect(modulesRematFlops(c, mask, t.framework) / c.modules.mlpFlops).toBeCloseTo(2 / 3, 6);
  });
  it("changes nothing for a framework that reruns checkpointed functions whole", () => {
    const { t, c } = l("megatron-lm");
    const mask = RM_MLP | RM_CORE_ATTN;
    expect(modulesRematS(c, mask, t.framework)).toBe(modulesRecomputeS(c, mask));
  });
});

describe("attention as AXLearn ran it", () => {
  it("its FlashAttention layer on Hopper is the FlashAttention-1 class (slower than cuDNN), on TPU the first Pallas flash kernel (slower than splash)", () => {
    const h = node("h100-sxm");
    const ax = estimateTraining(h, fuji7b, run("axlearn", { recompute: "selective" }));
    const cudnn = estimateTraining(h, fuji7b, run("levanter", { recompute: "selective" }));
    expect(resolveTraining(h, shape, run("axlearn")).attentionClass).toBe("flash-v1");
    expect(ax.breakdownS.computeS).toBeGreaterThan(cudnn.breakdownS.computeS);
    // On TPU the class is the first Pallas flash kernel, measured in AXLearn's own TPU v4 benchmark (s15-small: the
    // family's `flashV1`, tpu-flash-v1.test.ts); before, the family had no such curve and this asserted equality with
    // the fused (splash) kernel. Levanter runs splash on TPU.
    const tpu = resolveTraining(v5p8, shape, run("axlearn"));
    const k1 = new KernelModel(v5p8.chip, trainingEfficiency(v5p8.chip), tpu.recipe, "flash-v1");
    const k2 = new KernelModel(v5p8.chip, trainingEfficiency(v5p8.chip), tpu.recipe, "fused");
    expect(k1.attention(1e12, 4096)).toBeGreaterThan(1.3 * k2.attention(1e12, 4096));
    const axTpu = estimateTraining(v5p8, fuji7b, run("axlearn", { recompute: "selective" }));
    const splash = estimateTraining(v5p8, fuji7b, run("levanter", { recompute: "selective" }));
    expect(axTpu.breakdownS.computeS).toBeGreaterThan(splash.breakdownS.computeS);
  });
  it("plain attention costs XLA's GPU bytes under an XLA stack on a GPU, TE's elsewhere", () => {
    expect(unfusedScoreBytes("xla", "gpu")).toBe(XLA_GPU_UNFUSED_SCORE_BYTES);
    expect(unfusedScoreBytes("xla", "tpu")).toBe(TE_UNFUSED_SCORE_BYTES);
    expect(unfusedScoreBytes(undefined, "gpu")).toBe(TE_UNFUSED_SCORE_BYTES);
    const h = node("h100-sxm");
    const plain = { recompute: "selective", attentionBackend: "unfused" } as const;
    const xla = estimateTraining(h, fuji7b, run("axlearn", plain));
    const te = estimateTraining(h, fuji7b, run("other", plain));
    expect(resolveTraining(h, shape, run("axlearn", plain)).unfusedScoreBytes).toBe(
      XLA_GPU_UNFUSED_SCORE_BYTES,
    );
    expect(xla.breakdownS.computeS).toBeGreaterThan(te.breakdownS.computeS);
  });
  it("XLA_GPU_UNFUSED_SCORE_BYTES is what AXLearn's published A100 benchmark gives (data/kernels/axlearn-gpu-attention-a100.json)", () => {
    const data = JSON.parse(
      readFileSync(new URL("../../data/kernels/axlearn-gpu-attention-a100.json", import.meta.url), "utf8"),
    ) as {
      sections: {
        axlearn_gpu_attention_a100_fwd_bwd: {
          assumedBandwidthBytesPerS: number;
          rows: { batch: number; seq: number; heads: number; headDim: number; xlaMs: number }[];
        };
      };
    };
    const sec = data.sections.axlearn_gpu_attention_a100_fwd_bwd;
    const a100 = resolveChip("a100-sxm-80gb");
    const chip = { ...a100, memoryBandwidthBytesPerS: sec.assumedBandwidthBytesPerS };
    const k = new KernelModel(
      chip,
      trainingEfficiency(chip),
      recipeFor("bf16", undefined, "fp8-delayed"),
      "unfused",
    );
    const bytes: number[] = [];
    for (const r of sec.rows) {
      const T = r.batch * r.seq;
      const elements = T * r.seq * r.heads;
      if (elements < 2 ** 28) continue;
      // The model's unfused attention: forward = matmuls + elements x bytes / stream, backward twice the forward.
      const matF = (2 * T * r.seq * r.heads * 2 * r.headDim) / (k.peakBf16 * k.attn.peakFraction);
      bytes.push((((r.xlaMs * 1e-3) / 3 - matF) * k.stream) / elements);
    }
    bytes.sort((x, y) => x - y);
    expect(bytes.length).toBe(7);
    const median = bytes[(bytes.length - 1) / 2];
    expect(median).toBeCloseTo(XLA_GPU_UNFUSED_SCORE_BYTES, 1);
    // More than TE's three kernels move, whichever A100 it was (the 40GB part's bandwidth gives the least).
    expect(bytes[0]).toBeGreaterThan(1.5 * TE_UNFUSED_SCORE_BYTES);
  });
});
