// Host-device syncs of the eager routed-expert path: how many a layer forward makes, and the published B200 profile's layer.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { qwen3A3bEp8Job } from "../../test/fixtures/jobs.js";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import type { TrainingConfig } from "../schema/training.js";
import { analyze, layerCosts } from "./analyze.js";
import { prepareTraining } from "./estimate.js";
import { expertPathSyncs } from "./host-sync.js";

describe("expertPathSyncs", () => {
  it("counts the per-expert grouped linear's split-size sync whatever the dispatcher", () => {
    expect(expertPathSyncs("hybridep", "per-expert", 8, false)).toBe(1);
    expect(expertPathSyncs("alltoall", "per-expert", 8, false)).toBe(1);
    expect(expertPathSyncs("hybridep", "per-expert", 1, false)).toBe(1);
  });
  it("leaves one grouped or fused kernel with only the dispatcher's sync", () => {
    // Dropless HybridEP sizes its output on the host (Megatron-Core _HybridEPManager); all-gather does not sync.
    expect(expertPathSyncs("hybridep", "grouped", 8, false)).toBe(1);
    expect(expertPathSyncs("hybridep", "fused", 8, false)).toBe(1);
    expect(expertPathSyncs("allgather", "grouped", 8, false)).toBe(0);
    expect(expertPathSyncs("allgather", "fused", 8, false)).toBe(0);
    expect(expertPathSyncs("alltoall", "grouped", 8, false)).toBe(1);
    expect(expertPathSyncs("deepep", "fused", 8, false)).toBe(1);
    expect(expertPathSyncs("alltoall", "grouped", 1, false)).toBe(0);
  });
  it("has none when a full-iteration graph or a compiled step holds the expert path", () => {
    expect(expertPathSyncs("alltoall", "per-expert", 8, true)).toBe(0);
  });
});

describe("a Qwen3-30B-A3B layer on an x86 DGX B200 at one 4K-token micro-batch", () => {
  // The layout of the published Megatron-Core profile (yanring/Megatron-MoE-ModelZoo issue 7): EP 8, BF16,
  // all-to-all dispatcher, Transformer Engine's per-expert grouped linear, no CUDA graphs.
  const b200 = dgxB200(8);
  const qwen = qwen3MoeA3b(48);
  const run: TrainingConfig = qwen3A3bEp8Job;
  const nvtx = JSON.parse(
    readFileSync(new URL("../../data/kernels/moe-host-published.json", import.meta.url), "utf8"),
  ).sections.megatron_moe_layer_forward_host_b200.rows;
  it("is host-bound, as the published NVTX ranges say (the layer forward's host wall is several times its device work)", () => {
    const p = prepareTraining(b200, qwen, run);
    const l = layerCosts(p).moe;
    if (!l) throw new Error("no MoE layer");
    const device = l.gemmF + l.attnF + l.memF;
    const published = nvtx[0].medianS;
    expect(published).toBeGreaterThan(3 * device);
    // The model's forward of that layer is longer than its device work: the host and the sync pace it.
    const st = analyze(p).stages[0];
    expect(st.forwardS / 48).toBeGreaterThan(device);
  });
  it("syncs once per forward on the per-expert path with any dispatcher, not with a fused MLP behind all-gather", () => {
    const moe = (c: TrainingConfig) => layerCosts(prepareTraining(b200, qwen, c)).moe;
    expect(moe({ ...run, moeDispatcher: "hybridep" })?.syncsF).toBe(1);
    expect(moe({ ...run, moeDispatcher: "allgather", moeExpertMlp: "fused" })?.syncsF).toBe(0);
    expect(moe({ ...run, cudaGraphs: true, cudaGraphScope: "full-iteration" })?.syncsF).toBe(0);
  });
});
