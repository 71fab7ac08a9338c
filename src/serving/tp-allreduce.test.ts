// The TP all-reduce of a serving step: ring bytes over the links that reach the group's peers, checked against HCCL's 910B rows.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { peerShare } from "../training/comm.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { tpAllReduceS } from "./tp-allreduce.js";

const a2 = systemFromCaseHardware({
  chip: "ascend-910b",
  chips: 8,
  network: [{ name: "hccs", groupSize: 8, bandwidthGBps: 196, topology: "full-mesh" }],
});
const hccl = JSON.parse(readFileSync("data/kernels/ascend-hccl-published.json", "utf8")).sections
  .hccl_torch_910b.rows as { ranks: number; collective: string; algbwGBps: number }[];
const published = (n: number): number =>
  hccl.find((r) => r.ranks === n && r.collective === "all-reduce")?.algbwGBps ?? Number.NaN;

describe("tpAllReduceS", () => {
  it("is zero without tensor parallelism and grows with the buffer", () => {
    expect(tpAllReduceS(1e6, 1, 1e11, 1, 15e-6)).toBe(0);
    const a = tpAllReduceS(1e6, 4, 1e11, 1, 15e-6);
    const b = tpAllReduceS(2e6, 4, 1e11, 1, 15e-6);
    expect(b).toBeGreaterThan(a);
    expect(tpAllReduceS(0, 4, 1e11, 1, 15e-6)).toBeCloseTo(15e-6, 12);
  });
  it("divides the ring bytes by the peer share and leaves the fixed cost alone", () => {
    const whole = tpAllReduceS(4e6, 4, 1e11, 1, 0);
    expect(tpAllReduceS(4e6, 4, 1e11, 3 / 7, 0)).toBeCloseTo((whole * 7) / 3, 12);
    expect(tpAllReduceS(4e6, 4, 1e11, 3 / 7, 20e-6) - tpAllReduceS(4e6, 4, 1e11, 3 / 7, 0)).toBeCloseTo(
      20e-6,
      12,
    );
  });
  it("rejects a bandwidth or share out of range", () => {
    expect(() => tpAllReduceS(1, 4, 0, 1, 0)).toThrow(/bytesPerS/);
    expect(() => tpAllReduceS(1, 4, 1e11, 0, 0)).toThrow(/peerShare/);
    expect(() => tpAllReduceS(1, 4, 1e11, 1.5, 0)).toThrow(/peerShare/);
  });
  it("puts 4 of a 910B server's NPUs below all 8, as HCCL's published all-reduce rows do", () => {
    // A 4-NPU group reaches 3 of each NPU's 7 HCCS links; all 8 reach all of them.
    expect(peerShare(a2, 0, 3)).toBeCloseTo(3 / 7, 12);
    expect(peerShare(a2, 0, 7)).toBe(1);
    const bytes = 1e9;
    const bw = 196e9 * 0.75;
    const algbw = (n: number): number => bytes / tpAllReduceS(bytes, n, bw, peerShare(a2, 0, n - 1), 0);
    // Published algorithm bandwidths: 30 GB/s on 4 NPUs, 72 on 8 (large-message plateau).
    const ratio = algbw(8) / algbw(4);
    expect(ratio).toBeGreaterThan(0.75 * (published(8) / published(4)));
    expect(ratio).toBeLessThan(1.25 * (published(8) / published(4)));
    // Without the share the 4-NPU group would be the faster one, against the rows.
    const noShare = (n: number): number => bytes / tpAllReduceS(bytes, n, bw, 1, 0);
    expect(noShare(4)).toBeGreaterThan(noShare(8));
    // Each within 1.5x of its row.
    for (const n of [4, 8]) {
      expect(algbw(n) / 1e9 / published(n)).toBeGreaterThan(1 / 1.5);
      expect(algbw(n) / 1e9 / published(n)).toBeLessThan(1.5);
    }
  });
});
