// torchprime on PyTorch/XLA and its torchax models as their source runs a Llama 3 8B on TPU v6e: the first Pallas flash kernel by default and splash when named, decoder-layer remat, one XLA-compiled SPMD step.
import { describe, expect, it } from "vitest";
import { llama31_8b } from "../../test/fixtures/models.js";
import type { System } from "../catalog/types.js";
import { ZettasimError } from "../core/errors.js";
import type { ModelConfig } from "../schema/model.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { runAttentionClass } from "./config.js";
import { estimateTraining } from "./estimate.js";
import { frameworkIds, frameworkProfile } from "./frameworks.js";
import { ADAFACTOR_BF16_PARAMS, ADAM_FP32_MASTER } from "./optimizer-state.js";

/** Llama 3 8B as torchprime's configs/model/llama-3-8b.yaml gives it: the shapes of Llama 3.1 8B. */
const llama8b: ModelConfig = llama31_8b;
/** A v6e-4 slice: 4 chips on one host, ICI at the catalog's 400 GB/s per direction. */
const v6e4: System = systemFromCaseHardware({
  chip: "tpu-v6e",
  chips: 4,
  network: [{ name: "ici", groupSize: 4, bandwidthGBps: 400, topology: "torus" }],
});
/** FSDP over the slice, two 8,192-token sequences per chip (ici_mesh.fsdp=4, global batch 8). */
const run = (framework: string, extra: Partial<TrainingConfig> = {}) =>
  ({
    seqLength: 8192,
    globalBatchSize: 8,
    microBatchSize: 2,
    dp: 4,
    zero: 3,
    precision: "bf16",
    framework,
    ...extra,
  }) as TrainingConfig;

describe("the torchprime (PyTorch/XLA) framework profile", () => {
  it("is a named profile citing the commits it was read at, which the schema accepts", () => {
    expect(frameworkIds).toContain("torchprime");
    expect(trainingFile.safeParse(run("torchprime")).success).toBe(true);
    expect(frameworkProfile("torchprime").source).toMatch(/029ef4cc/);
  });
  it("says what its trainer does: one XLA-compiled step, FSDP by sharding, the first Pallas flash kernel, full remat", () => {
    const p = frameworkProfile("torchprime");
    expect(p.compiled).toBe(true);
    expect(p.compiler).toBe("xla");
    expect(p.attention).toBe("flash-v1");
    expect(p.recompute).toBe("full");
    expect(p.rematDce).toBe(true);
    expect(p.memoryLimitedPrefetch).toBe(true);
    expect(p.native).toBeUndefined();
  });
  it("reruns the decoder layers when the run names no remat, and a published recompute wins", () => {
    const unset = estimateTraining(v6e4, llama8b, run("torchprime"));
    const full = estimateTraining(v6e4, llama8b, run("torchprime", { recompute: "full" }));
    const none = estimateTraining(v6e4, llama8b, run("torchprime", { recompute: "none" }));
    expect(unset.stepTimeS).toBe(full.stepTimeS);
    expect(unset.assumed.recompute).toBe("full");
    expect(unset.breakdownS.recomputeS).toBeGreaterThan(0);
    expect(none.breakdownS.recomputeS).toBe(0);
    expect(none.stepTimeS).toBeLessThan(unset.stepTimeS);
  });
  it("runs splash attention faster than its default flash kernel when the run names splash, and only the attention moves", () => {
    const flash = estimateTraining(v6e4, llama8b, run("torchprime"));
    const splash = estimateTraining(v6e4, llama8b, run("torchprime", { attentionBackend: "splash" }));
    const maxtext = estimateTraining(v6e4, llama8b, run("maxtext"));
    expect(splash.stepTimeS).toBeLessThan(flash.stepTimeS);
    // Splash is the family's fused class, the one MaxText's profile runs: the same attention time.
    expect(splash.breakdownS.computeS).toBeCloseTo(maxtext.breakdownS.computeS, 9);
    // Nothing but the attention kernel changes: communication and the optimizer are the same.
    expect(splash.breakdownS.dpCommS).toBe(flash.breakdownS.dpCommS);
    expect(splash.breakdownS.optimizerS).toBe(flash.breakdownS.optimizerS);
  });
  it("keeps 'fused' meaning the framework's own kernel, and 'splash' the family's fused class whatever the framework", () => {
    expect(runAttentionClass("fused", "flash-v1")).toBe("flash-v1");
    expect(runAttentionClass("splash", "flash-v1")).toBe("fused");
    expect(runAttentionClass("splash", "sdpa")).toBe("fused");
    expect(runAttentionClass(null, "flash-v1")).toBe("flash-v1");
  });
  it("refuses an attention backend the format does not know, naming the field", () => {
    const bad = trainingFile.safeParse(run("torchprime", { attentionBackend: "splash_attention" as never }));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["attentionBackend"]);
    expect(() => estimateTraining(v6e4, llama8b, run("torchprime2"))).toThrow(ZettasimError);
  });
  it("refuses splash attention on a chip whose family has no splash kernel, naming the field and the value", () => {
    const h100: System = systemFromCaseHardware({
      chip: "h100-sxm",
      chips: 8,
      network: [{ name: "nvlink", groupSize: 8, bandwidthGBps: 450, topology: "switch" }],
    });
    let err: unknown;
    try {
      estimateTraining(
        h100,
        llama8b,
        run("torchtitan", { dp: 8, globalBatchSize: 16, attentionBackend: "splash" }),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZettasimError);
    const issue = (err as ZettasimError).issues[0];
    expect(issue?.path).toEqual(["training", "attentionBackend"]);
    expect(issue?.value).toBe("splash");
    // The same run on TPU takes it.
    expect(
      estimateTraining(v6e4, llama8b, run("torchtitan", { attentionBackend: "splash" })).stepTimeS,
    ).toBeGreaterThan(0);
  });
});

describe("the torchax framework profile", () => {
  it("is a JAX stack with splash attention and nothing saved on the device", () => {
    expect(frameworkIds).toContain("torchax");
    const p = frameworkProfile("torchax");
    expect(p.source).toMatch(/029bc7f3/);
    expect(p.compiled).toBe(true);
    expect(p.attention).toBe("fused");
    expect(p.recompute).toBe("full");
    expect(p.rematDce).toBe(true);
  });
  it("prices the same layers as torchprime with splash named, and a cheaper update (SGD against Adafactor)", () => {
    const ax = estimateTraining(v6e4, llama8b, run("torchax"));
    const tp = estimateTraining(v6e4, llama8b, run("torchprime", { attentionBackend: "splash" }));
    expect(ax.breakdownS.computeS).toBe(tp.breakdownS.computeS);
    expect(ax.breakdownS.recomputeS).toBe(tp.breakdownS.recomputeS);
    // optimizer-state.ts: 6 bytes per parameter against 12, on the same shard.
    expect(ax.breakdownS.optimizerS).toBeCloseTo(tp.breakdownS.optimizerS / 2, 12);
  });
});

describe("optimizers a framework names (optimizer-state.ts)", () => {
  it("keep no state for Adafactor or SGD on bf16 parameters, 12 bytes per parameter for Adam on fp32 masters", () => {
    expect(ADAM_FP32_MASTER).toEqual({ state: 12, step: 30 });
    const tp = estimateTraining(v6e4, llama8b, run("torchprime"));
    const lev = estimateTraining(v6e4, llama8b, run("levanter"));
    expect(tp.memoryBreakdownBytes.optimizerBytes).toBe(0);
    // Levanter keeps Adam on fp32 parameters: 8.03B / 4 chips x 12 bytes.
    expect(lev.memoryBreakdownBytes.optimizerBytes / 1e9).toBeCloseTo((8.03 / 4) * 12, 0);
  });
  it("move 12 of Adam's 30 bytes per parameter for Adafactor's four passes over the same shard", () => {
    const tp = estimateTraining(v6e4, llama8b, run("torchprime"));
    const lev = estimateTraining(v6e4, llama8b, run("levanter"));
    expect(tp.breakdownS.optimizerS / lev.breakdownS.optimizerS).toBeCloseTo(
      ADAFACTOR_BF16_PARAMS.step / ADAM_FP32_MASTER.step,
      9,
    );
  });
  it("reduce bf16 gradients: half the gradient memory of an fp32-gradient stack at the same layout", () => {
    const tp = estimateTraining(v6e4, llama8b, run("torchprime"));
    const lev = estimateTraining(v6e4, llama8b, run("levanter"));
    expect(tp.memoryBreakdownBytes.gradientsBytes).toBeCloseTo(
      lev.memoryBreakdownBytes.gradientsBytes / 2,
      0,
    );
  });
});
