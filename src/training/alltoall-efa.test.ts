// NCCL all-to-all over AWS EFA (the efa protocol's allToAllCall rows, comm.ts allToAllCall): the published table, the figures derived from it, and what collectiveTime makes of it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROTOCOL_FILES, protocolIdForTierName } from "../catalog/protocols.js";
import type { System } from "../catalog/types.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { allToAllCall, collectiveTime } from "./comm.js";

interface Row {
  ranks: number;
  sizeMiB: number;
  algbwGBps: number;
}
const data = JSON.parse(
  readFileSync(new URL("../../data/kernels/nccl-alltoall-efa-p5.json", import.meta.url), "utf8"),
) as { sections: { alltoall_p5_efa: { rows: Row[] } } };
const rows = data.sections.alltoall_p5_efa.rows;
const ranksOf = [...new Set(rows.map((r) => r.ranks))];
const timeS = (r: Row) => (r.sizeMiB * 2 ** 20) / (r.algbwGBps * 1e9);
const crossBytes = (r: Row) => (r.sizeMiB * 2 ** 20 * (r.ranks - 8)) / r.ranks;

/** 1/t-weighted least squares of t = a + x / rate over one rank count's rows: [a (s), rate (B/s)]. */
function line(n: number): [number, number] {
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let b1 = 0;
  let b2 = 0;
  for (const r of rows.filter((q) => q.ranks === n)) {
    const w = 1 / timeS(r);
    const u = w;
    const v = crossBytes(r) * w;
    s11 += u * u;
    s12 += u * v;
    s22 += v * v;
    b1 += u; // (t x w) = 1
    b2 += v;
  }
  const det = s11 * s22 - s12 * s12;
  const a = (b1 * s22 - b2 * s12) / det;
  const slope = (s11 * b2 - s12 * b1) / det;
  return [a, 1 / slope];
}

const efa = PROTOCOL_FILES.find((p) => p.id === "efa");

describe("the p5 EFA all-to-all table (nccl-tests alltoall_perf, crazyguitar/aws-gpu-communication-benchmark)", () => {
  it("gives the protocol's rows at each rank count: the weighted line's intercept within 1 us and slope over the 50 GB/s line within 0.001", () => {
    expect(efa?.allToAllCall?.map((r) => r.ranks)).toEqual(ranksOf);
    for (const n of ranksOf) {
      const row = efa?.allToAllCall?.find((r) => r.ranks === n);
      expect(Math.abs(line(n)[0] * 1e6 - (row?.us ?? Number.NaN))).toBeLessThan(1);
      expect(Math.abs(line(n)[1] / 50e9 - (row?.lineShare ?? Number.NaN))).toBeLessThan(0.001);
    }
  });
  it("has a large-buffer rate of 0.7-0.9 of the 50 GB/s line", () => {
    for (const n of ranksOf) {
      const share = line(n)[1] / 50e9;
      expect(share).toBeGreaterThan(0.7);
      expect(share).toBeLessThan(0.9);
    }
  });
  it("loses its rate at small buffers through the fixed cost: at 32 ranks, 32 MiB reach under 0.6 of the line, 256 MiB over 0.8", () => {
    const at = (mib: number) => rows.find((r) => r.ranks === 32 && r.sizeMiB === mib) as Row;
    expect(crossBytes(at(32)) / timeS(at(32)) / 50e9).toBeLessThan(0.6);
    expect(crossBytes(at(256)) / timeS(at(256)) / 50e9).toBeGreaterThan(0.8);
  });
});

describe("allToAllCall", () => {
  const table = [
    { ranks: 16, s: 1e-3, lineShare: 0.9 },
    { ranks: 64, s: 3e-3, lineShare: 0.7 },
  ];
  it("holds the ends and interpolates in log(ranks)", () => {
    expect(allToAllCall(table, 8)).toEqual({ s: 1e-3, lineShare: 0.9 });
    expect(allToAllCall(table, 512)).toEqual({ s: 3e-3, lineShare: 0.7 });
    expect(allToAllCall(table, 32).s).toBeCloseTo(2e-3, 12);
    expect(allToAllCall(table, 32).lineShare).toBeCloseTo(0.8, 12);
  });
  it("never falls in fixed time as the ranks grow in the EFA table", () => {
    const t = (efa?.allToAllCall ?? []).map((r) => ({
      ranks: r.ranks,
      s: r.us * 1e-6,
      lineShare: r.lineShare,
    }));
    let prev = 0;
    for (let n = 8; n <= 512; n += 8) {
      const s = allToAllCall(t, n).s;
      expect(s).toBeGreaterThanOrEqual(prev);
      prev = s;
    }
  });
});

describe("collectiveTime over an EFA tier", () => {
  const p5 = (name: string): System =>
    systemFromCaseHardware({
      chip: "h100-sxm",
      chips: 256,
      network: [
        { name: "nvlink", groupSize: 8, bandwidthGBps: 450, topology: "switch" },
        { name, bandwidthGBps: 50, oversubscription: 1, topology: "fat-tree" },
      ],
    });
  it("names the tier's transport efa from its name, and only for the word", () => {
    expect(protocolIdForTierName("efa")).toBe("efa");
    expect(protocolIdForTierName("efa-v2")).toBe("efa");
    expect(protocolIdForTierName("defaults")).toBe("ethernet");
  });
  it("reproduces every published call time within 15% (16-256 ranks, 32 MiB-2 GiB), where the generic transport is 20% off at 32 ranks", () => {
    const sys = p5("efa");
    const eth = p5("ethernet");
    for (const r of rows) {
      const t = collectiveTime(sys, "all-to-all", r.sizeMiB * 2 ** 20, r.ranks, 1, 1, 0.8);
      expect(Math.abs(t / timeS(r) - 1)).toBeLessThan(0.15);
    }
    // The generic transport (0.93 framing x the family's 0.8, one message latency): too fast at 32 MiB, too slow at 2 GiB.
    const at = (mib: number) => rows.find((q) => q.ranks === 32 && q.sizeMiB === mib) as Row;
    expect(collectiveTime(eth, "all-to-all", 32 * 2 ** 20, 32, 1, 1, 0.8) / timeS(at(32))).toBeLessThan(0.8);
    expect(
      collectiveTime(eth, "all-to-all", 2048 * 2 ** 20, 32, 1, 1, 0.8) / timeS(at(2048)),
    ).toBeGreaterThan(1.1);
  });
  it("leaves all-to-all inside the NVLink tier, and the other collectives over EFA, as before", () => {
    const sys = p5("efa");
    const eth = p5("ethernet");
    expect(collectiveTime(sys, "all-to-all", 64e6, 8, 1, 0, 0.8)).toBe(
      collectiveTime(eth, "all-to-all", 64e6, 8, 1, 0, 0.8),
    );
    for (const k of ["all-reduce", "all-gather", "reduce-scatter", "send-recv"] as const)
      expect(collectiveTime(sys, k, 64e6, 32, 1, 1, 0.8)).toBe(collectiveTime(eth, k, 64e6, 32, 1, 1, 0.8));
  });
});
