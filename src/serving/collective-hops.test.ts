// Latency-bound TPU ICI collectives: the hop model checked against published XLA timings it was not set from, its bounds and its errors.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TPU, TPU_COLLECTIVE_FIXED_S } from "../catalog/families/tpu.js";
import { PROTOCOL_FILES } from "../catalog/protocols.js";
import { ZettasimError } from "../core/errors.js";
import { compactGrid, latencyBoundCollectiveS, longestPathHops } from "./collective-hops.js";
import { tpAllReduceS } from "./tp-allreduce.js";

const data = JSON.parse(
  readFileSync(new URL("../../data/kernels/tpu-ici-collective-latency.json", import.meta.url), "utf8"),
);
const ici = PROTOCOL_FILES.find((p) => p.id === "ici");
const hopS = (ici?.staticLatencyUs ?? Number.NaN) * 1e-6;
const hops = TPU.serving.collectiveHops;

describe("TPU ICI collective latency (collective-hops.ts)", () => {
  it("lays a slice out as Google's v5e / v6e slice shapes", () => {
    expect(compactGrid(4, 2)).toEqual([2, 2]);
    expect(compactGrid(8, 2)).toEqual([4, 2]);
    expect(compactGrid(16, 2)).toEqual([4, 4]);
    expect(compactGrid(64, 2)).toEqual([8, 8]);
    expect(compactGrid(256, 2)).toEqual([16, 16]);
    expect(compactGrid(64, 3)).toEqual([4, 4, 4]);
  });

  it("counts the scaling book's hops: six across a v5e 4x4, |X|/2 on a wrapped axis", () => {
    expect(longestPathHops([4, 4], 16)).toBe(6);
    expect(longestPathHops([16], 16)).toBe(8);
    expect(longestPathHops([4, 4, 4], 4)).toBe(6);
  });

  it("reproduces the v5e all-gather over a 4-chip axis (32 kB shards, ~8 us) within 25%", () => {
    const row = data.sections.allgather_v5e_scaling_book.rows[0];
    const oneWayBytesPerS = 4.5e10; // the chapter's one-way ICI rate per axis direction
    const bytes = (row.hops * row.shardBytes) / oneWayBytesPerS;
    const s = latencyBoundCollectiveS("gather", 4, TPU.serving.allReduceFixedS, hopS, hops, [4]) + bytes;
    expect(Math.abs(s / (row.us * 1e-6) - 1)).toBeLessThan(0.25);
  });

  it("reproduces v6e's one-hop ppermute floor (5.6-5.9 us, not used to set the fixed cost) within 20%", () => {
    const row = data.sections.ppermute_v5p_v6e_marin.rows.find(
      (r: { chip: string; usLow?: number }) => r.chip === "tpu-v6e" && r.usLow !== undefined,
    );
    const oneHop = TPU_COLLECTIVE_FIXED_S + hopS;
    const mid = ((row.usLow + row.usHigh) / 2) * 1e-6;
    expect(Math.abs(oneHop / mid - 1)).toBeLessThan(0.2);
  });

  it("grows with the group and never shrinks; an all-reduce costs more than a gather", () => {
    let last = 0;
    for (const n of [2, 4, 8, 16, 32, 64, 128]) {
      const ar = latencyBoundCollectiveS("all-reduce", n, TPU_COLLECTIVE_FIXED_S, hopS, hops);
      const g = latencyBoundCollectiveS("gather", n, TPU_COLLECTIVE_FIXED_S, hopS, hops);
      expect(ar).toBeGreaterThanOrEqual(last);
      expect(ar).toBeGreaterThan(g);
      last = ar;
    }
    // 64 chips as 8 x 8 without wraparound: 14 hops each way.
    expect(latencyBoundCollectiveS("all-reduce", 64, 4e-6, 1e-6, hops)).toBeCloseTo(32e-6, 12);
  });

  it("grows with the message through the ring bytes", () => {
    const fixed = latencyBoundCollectiveS("all-reduce", 16, TPU_COLLECTIVE_FIXED_S, hopS, hops);
    let last = 0;
    for (const bytes of [1e3, 1e4, 1e5, 1e6, 1e7]) {
      const s = tpAllReduceS(bytes, 16, 190e9, 1, fixed);
      expect(s).toBeGreaterThan(last);
      last = s;
    }
  });

  it("charges one hop where the family does not cross a grid hop by hop", () => {
    expect(latencyBoundCollectiveS("all-reduce", 64, 5e-6, 0.5e-6, undefined)).toBeCloseTo(5.5e-6, 12);
  });

  it("names bad input", () => {
    expect(() => compactGrid(0, 2)).toThrow(ZettasimError);
    expect(() => compactGrid(8, 1.5)).toThrow(/axes/);
    expect(() => latencyBoundCollectiveS("gather", 8, Number.NaN, 1e-6, hops)).toThrow(/fixedS/);
    expect(() => longestPathHops([4, 0], 16)).toThrow(/dims/);
  });
});
