// NCCL's all-to-all among more than 8 ranks of one multi-node NVLink domain (moe.ts dispatchEfficiency, families/blackwell.ts NCCL_ALLTOALL_WIDE_NVLINK_GB200): the figure, where it applies, and what it does to a job.
import { describe, expect, it } from "vitest";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { dgxB200, gb200Nvl72 } from "../../test/fixtures/systems.js";
import { BLACKWELL_TRAINING, NCCL_ALLTOALL_WIDE_NVLINK_GB200 } from "../catalog/families/blackwell.js";
import { HOPPER_TRAINING } from "../catalog/families/hopper.js";
import type { System } from "../catalog/types.js";
import type { TrainingConfig } from "../schema/training.js";
import { analyze } from "./analyze.js";
import { prepareTraining } from "./estimate.js";
import { dispatchEfficiency, NODE_NVLINK_RANKS } from "./moe.js";
import { planTraining } from "./plan.js";

describe("the GB200 NVL72 all-to-all figure (NVIDIA's DeepSeek-V3 write-up, nsys timeline of the baseline)", () => {
  it("is the 455 MB a rank sends to 31 peers over 1.16 ms, as a share of 900 GB/s", () => {
    // 4,096 tokens x top-8 x hidden 7,168 x 2 B, 31 of 32 copies remote; the kernel is 63 px at 54.2 px/ms.
    const remoteBytes = (4096 * 8 * 7168 * 2 * 31) / 32;
    expect(remoteBytes).toBeCloseTo(455.1e6, -5);
    expect(63 / 54.2).toBeCloseTo(1.162, 3);
    expect(NCCL_ALLTOALL_WIDE_NVLINK_GB200).toBeCloseTo(remoteBytes / 1.162e-3 / 900e9, 3);
    expect(NCCL_ALLTOALL_WIDE_NVLINK_GB200).toBeGreaterThan(0.42);
    expect(NCCL_ALLTOALL_WIDE_NVLINK_GB200).toBeLessThan(0.45);
  });
  it("is below the all-reduce figure it replaces, and at or above the rate DeepEP reached at EP 32 (no gain from switching)", () => {
    expect(NCCL_ALLTOALL_WIDE_NVLINK_GB200).toBeLessThan(BLACKWELL_TRAINING.collective);
    // DeepEP at EP 32 on MNNVL: dispatch ~400 GB/s, combine ~190 GB/s of de-duplicated rows (7.14 of 8 copies reach a
    // distinct rank); the write-up saw no communication benefit from it, so NCCL's dispatch + combine took no longer.
    const ranksReached = 32 * (1 - (31 / 32) ** 8);
    const deepEpS = (4096 * ranksReached * 7168 * 2) / 400e9 + (4096 * ranksReached * 7168 * 2) / 190e9;
    const ncclS = (2 * ((4096 * 8 * 7168 * 2 * 31) / 32)) / (NCCL_ALLTOALL_WIDE_NVLINK_GB200 * 900e9);
    expect(ncclS).toBeLessThanOrEqual(deepEpS);
  });
});

describe("dispatchEfficiency: where the wide-domain figure applies", () => {
  const wide = BLACKWELL_TRAINING.allToAllWideNvlink;
  it("Blackwell carries it; Hopper has no such measurement", () => {
    expect(wide).toBe(NCCL_ALLTOALL_WIDE_NVLINK_GB200);
    expect(HOPPER_TRAINING.allToAllWideNvlink).toBeUndefined();
  });
  it("NCCL all-to-all over more than 8 ranks inside one NVLink domain takes it", () => {
    expect(dispatchEfficiency("alltoall", 0.8, 32, true, wide)).toBe(wide);
    expect(dispatchEfficiency("alltoall", 0.8, 64, true, wide)).toBe(wide);
    expect(dispatchEfficiency("alltoall", 0.8, NODE_NVLINK_RANKS + 1, true, wide)).toBe(wide);
  });
  it("8 ranks, a group that leaves the NVLink domain, DeepEP/HybridEP and a family without the figure keep their rate", () => {
    expect(dispatchEfficiency("alltoall", 0.8, NODE_NVLINK_RANKS, true, wide)).toBe(0.8);
    expect(dispatchEfficiency("alltoall", 0.8, 64, false, wide)).toBe(0.8);
    expect(dispatchEfficiency("hybridep", 0.8, 32, true, wide)).toBe(0.9);
    expect(dispatchEfficiency("deepep", 0.8, 32, true, wide)).toBe(0.9);
    expect(dispatchEfficiency("alltoall", 0.8, 32, true, undefined)).toBe(0.8);
  });
  it("never raises a library's figure", () => {
    expect(dispatchEfficiency("alltoall", 0.3, 32, true, wide)).toBe(0.3);
  });
});

describe("a job's expert exchange under the wide-domain figure", () => {
  const job = (ep: number, moeDispatcher: TrainingConfig["moeDispatcher"]): TrainingConfig => ({
    seqLength: 4096,
    globalBatchSize: 256,
    microBatchSize: 1,
    ep,
    precision: "bf16",
    framework: "nemo",
    moeDispatcher,
    recompute: "none",
  });
  /** Exchange time of one MoE layer forward with the family's profile, and with the wide-domain figure removed. */
  const epF = (sys: System, t: TrainingConfig) => {
    const p = prepareTraining(sys, qwen3MoeA3b(), t);
    const base = analyze({ ...p, eff: { ...p.eff, allToAllWideNvlink: undefined } });
    const a = analyze(p);
    return {
      with: a.moe?.epF ?? 0,
      without: base.moe?.epF ?? 0,
      stepWith: a.stepTimeS,
      stepWithout: base.stepTimeS,
    };
  };
  it("EP 32 with NCCL inside an NVL72 rack: the exchange takes about 0.8 / 0.44 as long and the step grows", () => {
    const x = epF(gb200Nvl72(64), job(32, "alltoall"));
    expect(x.without).toBeGreaterThan(0);
    const ratio = x.with / x.without;
    expect(ratio).toBeGreaterThan(1.5);
    expect(ratio).toBeLessThanOrEqual(0.8 / NCCL_ALLTOALL_WIDE_NVLINK_GB200 + 1e-9);
    expect(x.stepWith).toBeGreaterThan(x.stepWithout);
  });
  it("EP 8 in the rack, EP 32 over 8-GPU B200 nodes and HybridEP in the rack are unchanged", () => {
    for (const [sys, t] of [
      [gb200Nvl72(64), job(8, "alltoall")],
      [dgxB200(64), job(32, "alltoall")],
      [gb200Nvl72(64), job(32, "hybridep")],
    ] as const) {
      const x = epF(sys, t);
      expect(x.without).toBeGreaterThan(0);
      expect(x.with).toBe(x.without);
    }
  });
  it("the comm plan hands the simulator the exchange's rate share (0.44 / 0.8), and only where the rate is lower", () => {
    const ep = (t: TrainingConfig, sys: System) =>
      planTraining(sys, qwen3MoeA3b(), t).comm.filter((o) => o.parallelism === "ep");
    const wideOps = ep(job(32, "alltoall"), gb200Nvl72(64));
    expect(wideOps.length).toBeGreaterThan(0);
    for (const o of wideOps)
      expect(o.rateShare).toBeCloseTo(NCCL_ALLTOALL_WIDE_NVLINK_GB200 / BLACKWELL_TRAINING.collective, 12);
    for (const o of [...ep(job(8, "alltoall"), gb200Nvl72(64)), ...ep(job(32, "hybridep"), gb200Nvl72(64))])
      expect(o.rateShare).toBeUndefined();
  });
});
