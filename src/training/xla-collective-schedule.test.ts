// XLA's latency-hiding scheduler by backend (xla-collective-schedule.ts): AXLearn's FSDP gathers and reduce-scatters run in the critical path on GPU, beside compute on TPU.
import { describe, expect, it } from "vitest";
import { chipFamily } from "../catalog/families/index.js";
import type { System } from "../catalog/types.js";
import type { ModelConfig } from "../schema/model.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { analyze, layerCosts } from "./analyze.js";
import { resolveTraining } from "./config.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { frameworkProfile } from "./frameworks.js";
import { modelShape } from "./shape.js";
import { XLA_LATENCY_HIDING_DEFAULT, xlaLatencyHiding } from "./xla-collective-schedule.js";

/** A 7B-class dense model (Fuji 7B's shapes: 32 layers, hidden 4,096, SwiGLU 11,008, 32 heads). */
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
const h100x64: System = systemFromCaseHardware({
  chip: "h100-sxm",
  chips: 64,
  network: [
    { name: "nvlink", groupSize: 8, bandwidthGBps: 450, topology: "switch" },
    { name: "ib", bandwidthGBps: 50, oversubscription: 1, topology: "fat-tree" },
  ],
});
const v5p64: System = systemFromCaseHardware({
  chip: "tpu-v5p",
  chips: 64,
  network: [{ name: "ici-torus", bandwidthGBps: 360, topology: "torus3d" }],
});
const run = (framework: string, extra: Partial<TrainingConfig> = {}) =>
  ({
    seqLength: 2048,
    globalBatchSize: 256,
    microBatchSize: 4,
    dp: 64,
    zero: 3,
    shardGroupSize: 8,
    precision: "bf16",
    framework,
    ...extra,
  }) as TrainingConfig;

describe("xlaLatencyHiding", () => {
  it("keeps overlap where the framework states nothing or the family names no XLA backend", () => {
    expect(xlaLatencyHiding(undefined, "gpu")).toBe(true);
    expect(xlaLatencyHiding(["tpu"], undefined)).toBe(true);
  });
  it("follows the launcher where it turns the scheduler on, and XLA's GPU default (off) elsewhere", () => {
    expect(XLA_LATENCY_HIDING_DEFAULT.gpu).toBe(false);
    expect(xlaLatencyHiding(["tpu"], "tpu")).toBe(true);
    expect(xlaLatencyHiding(["tpu"], "gpu")).toBe(false);
    expect(xlaLatencyHiding(["tpu", "gpu"], "gpu")).toBe(true);
    // libtpu's default is not published: a framework that does not turn it on for TPU is not charged for it.
    expect(xlaLatencyHiding([], "tpu")).toBe(true);
  });
  it("reads the backend from the chip family: NVIDIA and TPU families name theirs, Ascend none", () => {
    expect(chipFamily("hopper").xlaBackend).toBe("gpu");
    expect(chipFamily("tpu").xlaBackend).toBe("tpu");
    expect(chipFamily("ascend-910").xlaBackend).toBeUndefined();
  });
});

describe("AXLearn's FSDP collectives without the latency-hiding scheduler", () => {
  const parts = (sys: System, t: TrainingConfig) => {
    const p = prepareTraining(sys, fuji7b, t);
    return { t: p.t, a: analyze(p, false, layerCosts(p)) };
  };
  it("on H100: the per-layer gathers and reduce-scatters are all exposed, the cross-replica all-reduce still hidden", () => {
    const { t, a } = parts(h100x64, run("axlearn"));
    expect(t.latencyHiding).toBe(false);
    expect(t.overlap.dpComm).toBe(true);
    // A run that publishes the overlap on (the scheduler's flag set) hides them as on TPU.
    const on = parts(h100x64, run("axlearn", { overlap: { dpComm: true } }));
    expect(on.t.latencyHiding).toBe(true);
    expect(on.a.dpExposedS).toBeLessThan(0.5 * a.dpExposedS);
    const off = parts(h100x64, run("axlearn", { overlap: { dpComm: false, tpComm: false } }));
    // Nothing hidden with overlap off; with it on only the once-per-step all-reduce across the 8 shard groups hides.
    expect(a.dpExposedS).toBeLessThan(off.a.dpExposedS);
    expect(a.dpExposedS).toBeGreaterThan(0.5 * off.a.dpTotalS);
  });
  it("costs more step time on GPU than the same profile would with the scheduler on (MaxText's GPU recipes set it)", () => {
    const ax = estimateTraining(h100x64, fuji7b, run("axlearn", { recompute: "selective" }));
    const mt = estimateTraining(h100x64, fuji7b, run("maxtext", { recompute: "selective" }));
    expect(ax.breakdownS.dpCommS).toBeGreaterThan(mt.breakdownS.dpCommS);
  });
  it("on TPU (axlearn/common/launch.py sets the flag) the same run hides them", () => {
    const gpu = parts(h100x64, run("axlearn"));
    const tpu = parts(v5p64, run("axlearn"));
    expect(tpu.t.latencyHiding).toBe(true);
    expect(tpu.a.dpExposedS / tpu.a.dpTotalS).toBeLessThan(gpu.a.dpExposedS / gpu.a.dpTotalS);
  });
  it("leaves tensor-parallel overlap off on GPU unless the run says so", () => {
    const shape = modelShape(fuji7b);
    const t = resolveTraining(h100x64, shape, run("axlearn", { tp: 2, dp: 32 }));
    expect(t.overlap.tpComm).toBe(false);
    const said = resolveTraining(
      h100x64,
      shape,
      run("axlearn", { tp: 2, dp: 32, overlap: { tpComm: true } }),
    );
    expect(said.overlap.tpComm).toBe(true);
    expect(resolveTraining(v5p64, shape, run("axlearn", { tp: 2, dp: 32 })).overlap.tpComm).toBe(true);
  });
  it("changes no profile that does not name its launcher's backends", () => {
    for (const id of ["maxtext", "levanter", "pax", "megatron-lm", "torchtitan", "other"]) {
      expect(frameworkProfile(id).latencyHidingBackends).toBeUndefined();
      const t = resolveTraining(h100x64, modelShape(fuji7b), run(id));
      expect(t.latencyHiding).toBe(true);
    }
  });
});
