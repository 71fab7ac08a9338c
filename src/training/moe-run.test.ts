// MoE run settings as Megatron-Bridge recipes publish them: CUDA graph scope, fused grouped expert MLP, and the compute units an overlapped dispatcher holds.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { gb200Nvl72 } from "../../test/fixtures/systems.js";
import { EXPERT_GEMM_HOST_S, HOPPER_TRAINING } from "../catalog/families/hopper.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { analyze, layerCosts } from "./analyze.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { dispatchSmSlowdown } from "./moe.js";

/** Qwen3-30B-A3B as published: 48 layers. */
const qwen = qwen3MoeA3b(48);
const gb200 = gb200Nvl72(8);
// The 26.06 Qwen3-30B-A3B GB200 MXFP8 layout (Megatron-Bridge v0.5.0 QWEN3_30B_A3B_PRETRAIN_CONFIG_GB200_FP8_MX_V1).
const run: TrainingConfig = {
  seqLength: 4096,
  globalBatchSize: 512,
  microBatchSize: 4,
  ep: 8,
  precision: "fp8",
  precisionRecipe: "mxfp8",
  framework: "nemo",
};
const step = (c: TrainingConfig) => estimateTraining(gb200, qwen, c).stepTimeS;
const moe = (c: TrainingConfig) => {
  const l = layerCosts(prepareTraining(gb200, qwen, c)).moe;
  if (!l) throw new Error("no MoE layer");
  return l;
};

describe("CUDA graph scope", () => {
  it("a full-iteration capture replays the routed-expert path too: faster than per-layer graphs, which beat eager, on a host-bound step", () => {
    const small = { ...run, microBatchSize: 1, globalBatchSize: 64 };
    const eager = step(small);
    const layers = step({ ...small, cudaGraphs: true });
    const full = step({ ...small, cudaGraphScope: "full-iteration" });
    expect(layers).toBeLessThan(eager);
    expect(full).toBeLessThan(layers);
    // A published scope implies graphs; "layers" is what `cudaGraphs: true` alone means.
    expect(step({ ...small, cudaGraphScope: "layers" })).toBe(layers);
  });
  it("no device-to-host sync inside a full-iteration graph (the all-to-all dispatcher's token counts)", () => {
    const a2a = { ...run, moeDispatcher: "alltoall" as const };
    expect(moe(a2a).syncsF).toBe(1);
    expect(moe({ ...a2a, cudaGraphScope: "full-iteration" }).syncsF).toBe(0);
  });
  it("a scope with graphs published off is refused, naming the field", () => {
    try {
      step({ ...run, cudaGraphs: false, cudaGraphScope: "full-iteration" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).issues[0].path).toContain("cudaGraphScope");
    }
  });
});

describe("expert MLP as run", () => {
  it("one grouped kernel per projection launches far fewer kernels than one GEMM per local expert; fusing drops the activation kernel", () => {
    const perExpert = moe({ ...run, moeExpertMlp: "per-expert" });
    const grouped = moe({ ...run, moeExpertMlp: "grouped" });
    const fused = moe({ ...run, moeExpertMlp: "fused" });
    expect(grouped.kernelsF).toBeLessThan(perExpert.kernelsF);
    expect(fused.kernelsF).toBeLessThan(grouped.kernelsF);
    // Same GEMM work: the device time of the GEMMs does not depend on how they are launched.
    expect(fused.gemmF).toBeCloseTo(grouped.gemmF, 12);
    // The fused epilogue removes the activation pass and the second GEMM input's quantisation.
    expect(fused.memF).toBeLessThan(grouped.memF);
    expect(step({ ...run, moeExpertMlp: "fused" })).toBeLessThanOrEqual(
      step({ ...run, moeExpertMlp: "grouped" }),
    );
  });
  it("NeMo's default is Transformer Engine's per-expert GEMMs", () => {
    expect(moe(run).kernelsF).toBe(moe({ ...run, moeExpertMlp: "per-expert" }).kernelsF);
  });
});

describe("host work of an eager per-expert grouped linear", () => {
  const data = (file: string) =>
    JSON.parse(readFileSync(new URL(`../../data/kernels/${file}`, import.meta.url), "utf8")).sections;
  it("is the published x86 profile's expert range per GEMM call less the eager GEMM launch", () => {
    const rows = data("moe-host-published.json").megatron_moe_layer_forward_host_b200.rows;
    const experts = rows.find((r: { range: string }) => r.range.startsWith("#MOE_EXPERTS_COMP")).medianS;
    // 16 local experts (128 at EP 8), two GEMM calls each, in the forward.
    expect(EXPERT_GEMM_HOST_S).toBeCloseTo(experts / 32 - HOPPER_TRAINING.launchS.gemmEager, 9);
    // Bounds: at least the grouped linear's three extra PyTorch calls per GEMM (TE issue 1499) at the measured
    // eager op cost, and no more than the whole per-call share of the expert range.
    const ops = data("moe-host-published.json").grouped_linear_host_ops.rows[0].opsPerExpertGemm;
    const eager = data("h200-2026-11-30.json").launch.rows.find((r: { mode: string }) => r.mode === "eager");
    expect(EXPERT_GEMM_HOST_S).toBeGreaterThan(ops * eager.sPerKernel);
    expect(EXPERT_GEMM_HOST_S).toBeLessThan(experts / 32);
  });
  it("the profile's layer comes out host-bound on an x86 B200: its step grows with the per-expert host cost", () => {
    const b200 = systemFromCaseHardware({
      chip: "b200",
      chips: 8,
      network: [{ name: "nvlink", groupSize: 8, bandwidthGBps: 900 }],
    });
    // The profiled run: EP 8, one 4K-token micro-batch, BF16, all-to-all dispatcher, no graphs.
    const profiled: TrainingConfig = {
      seqLength: 4096,
      globalBatchSize: 8,
      microBatchSize: 1,
      ep: 8,
      precision: "bf16",
      framework: "nemo",
      moeDispatcher: "alltoall",
      cudaGraphs: false,
    };
    const at = (expertGemmHostS: number) =>
      estimateTraining(b200, qwen, { ...profiled, efficiency: { expertGemmHostS } }).stepTimeS;
    // Host-bound: each extra microsecond per call lengthens the step (monotone), by about the calls it is paid on.
    expect(at(EXPERT_GEMM_HOST_S)).toBeGreaterThan(at(EXPERT_GEMM_HOST_S / 2));
    expect(at(EXPERT_GEMM_HOST_S / 2)).toBeGreaterThan(at(0));
  });
  it("each per-expert GEMM call pays the grouped linear's per-expert bookkeeping; one grouped kernel does not", () => {
    const perExpert = moe({ ...run, moeExpertMlp: "per-expert" });
    // 16 local experts at EP 8, two projections: 32 calls forward, 64 backward (data and weight gradients).
    expect(perExpert.expertCallsF).toBe(32);
    expect(perExpert.expertCallsB).toBe(64);
    expect(moe({ ...run, moeExpertMlp: "grouped" }).expertCallsF).toBe(0);
  });
  it("lengthens a host-bound step, not one whose expert path replays from a full-iteration graph", () => {
    const small = { ...run, microBatchSize: 1, globalBatchSize: 64, cudaGraphs: true };
    const zero = { expertGemmHostS: 0 };
    const withHost = step(small);
    const without = estimateTraining(gb200, qwen, { ...small, efficiency: zero }).stepTimeS;
    expect(withHost).toBeGreaterThan(without);
    const full = { ...small, cudaGraphScope: "full-iteration" as const };
    expect(step(full)).toBe(estimateTraining(gb200, qwen, { ...full, efficiency: zero }).stepTimeS);
  });
});

describe("compute units held by an overlapped dispatcher", () => {
  it("only while the exchange runs: bounded by the shorter of exchange and work, zero without an exchange", () => {
    expect(dispatchSmSlowdown(0.2, 0, 1)).toBe(0);
    expect(dispatchSmSlowdown(0, 1, 1)).toBe(0);
    expect(dispatchSmSlowdown(0.2, 0.1, 1)).toBeCloseTo(0.1 * 0.25, 12);
    expect(dispatchSmSlowdown(0.2, 5, 1)).toBeCloseTo(1 * 0.25, 12);
  });
  it("an overlapped step is never faster than its compute alone, nor slower than compute plus the whole exchange", () => {
    const c = { ...run, moeOverlap: "dualpipe" as const };
    const a = analyze(prepareTraining(gb200, qwen, c));
    const none = analyze(prepareTraining(gb200, qwen, { ...run, moeOverlap: "none" }));
    expect(a.stepTimeS).toBeLessThanOrEqual(none.stepTimeS);
    expect(a.stages[0].computeS).toBeGreaterThanOrEqual(none.stages[0].computeS);
  });
});
