// The Ascend 950 bins' cube peaks and core read ceilings recomputed from CANN's platform descriptions (data/kernels/ascend-950-platform-published.json), held against the whitepaper quote, the keynote and the catalog's 950DT entries.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHIP_FILES } from "../chips.js";
import { resolveChip } from "../resolve.js";

type Mkn = [number, number, number];
type Row = {
  soc: string;
  cubeCores: number;
  vectorCores: number;
  cubeFreqMHz: number;
  mknDefault: Mkn;
  mknFp8E4m3: Mkn;
  mknHif8: Mkn;
  mknFp4E2m1: Mkn;
  mknInt8: Mkn;
  memoryBytes: number;
  memoryGiB: number;
  cubeDdrReadBytesPerCycle: number;
  peakTflopsBf16: number;
  peakTflopsFp8: number;
  peakTflopsFp4: number;
  peakTopsInt8: number;
  cubeCoreReadTBps: number;
};
type Tier = {
  tier: string;
  cubeCores: number;
  cubeFreqMHz: number;
  bf16Tflops: number;
  fp8Tflops: number;
  mxfp4Tflops: number;
};
type Claim = { claim: string; npus: number; fp8Pflops: number; impliedPerChipTflops: number };

const data = JSON.parse(
  readFileSync(new URL("../../../data/kernels/ascend-950-platform-published.json", import.meta.url), "utf8"),
);
const rows = data.sections.platform_config.rows as Row[];
const tiers = data.sections.whitepaper_quote.rows as Tier[];
const claims = data.sections.keynote_claims.rows as Claim[];

/** cores x M0 x K0 x N0 multiply-accumulates per cycle, 2 FLOPs each, at the cube clock; TFLOP/s. */
const peak = (r: Row, [m, k, n]: Mkn) => (r.cubeCores * m * k * n * 2 * r.cubeFreqMHz * 1e6) / 1e12;
const bin = (soc: string) => {
  const r = rows.find((x) => x.soc === soc);
  if (!r) throw new Error(`no row ${soc}`);
  return r;
};

describe("Ascend 950 platform descriptions (hicann/runtime cann-dev/Ascend950*.ini)", () => {
  it("holds every 950DT and 950PR bin of the snapshot (26 DT, 9 PR)", () => {
    expect(rows.filter((r) => r.soc.startsWith("Ascend950DT_"))).toHaveLength(26);
    expect(rows.filter((r) => r.soc.startsWith("Ascend950PR_"))).toHaveLength(9);
  });

  it("each derived peak and read ceiling is the product of its row's config fields", () => {
    for (const r of rows) {
      expect(r.peakTflopsBf16, r.soc).toBeCloseTo(peak(r, r.mknDefault), 1);
      expect(r.peakTflopsFp8, r.soc).toBeCloseTo(peak(r, r.mknFp8E4m3), 1);
      expect(r.peakTflopsFp4, r.soc).toBeCloseTo(peak(r, r.mknFp4E2m1), 1);
      expect(r.peakTopsInt8, r.soc).toBeCloseTo(peak(r, r.mknInt8), 1);
      expect(r.cubeCoreReadTBps, r.soc).toBeCloseTo(
        (r.cubeCores * r.cubeDdrReadBytesPerCycle * r.cubeFreqMHz) / 1e6,
        3,
      );
      expect(r.memoryGiB, r.soc).toBeCloseTo(r.memoryBytes / 2 ** 30, 2);
      expect(r.vectorCores, r.soc).toBe(2 * r.cubeCores);
    }
  });

  it("gives BF16 : FP8 (and HiF8, INT8) : FP4 = 1 : 2 : 4 in every bin, the ratio the catalog's 950/960/970 entries assume", () => {
    for (const r of rows) {
      const macs = ([m, k, n]: Mkn) => m * k * n;
      expect(macs(r.mknFp8E4m3) / macs(r.mknDefault), r.soc).toBe(2);
      expect(macs(r.mknHif8) / macs(r.mknDefault), r.soc).toBe(2);
      expect(macs(r.mknInt8) / macs(r.mknDefault), r.soc).toBe(2);
      expect(macs(r.mknFp4E2m1) / macs(r.mknDefault), r.soc).toBe(4);
    }
    for (const id of ["ascend-950pr", "ascend-950dt", "ascend-950dt-cann", "ascend-960", "ascend-970"]) {
      const { fp8 = Number.NaN, fp4 = Number.NaN, bf16 = Number.NaN } = resolveChip(id).peakFlops;
      expect(fp8 / bf16, id).toBeCloseTo(2, 2);
      expect(fp4 / bf16, id).toBeCloseTo(4, 2);
    }
  });

  it("the whitepaper's Server and PCIE tiers (as quoted) are the 32- and 28-core bins at 1,650 MHz, rounded down", () => {
    for (const t of tiers) {
      const r = rows.find((x) => x.cubeCores === t.cubeCores && x.cubeFreqMHz === t.cubeFreqMHz);
      expect(r, t.tier).toBeDefined();
      if (!r) continue;
      expect(Math.floor(peak(r, r.mknDefault))).toBe(t.bf16Tflops);
      expect(Math.floor(peak(r, r.mknFp8E4m3))).toBe(t.fp8Tflops);
      expect(Math.floor(peak(r, r.mknFp4E2m1))).toBe(t.mxfp4Tflops);
    }
  });

  it("only the 36-core 1.8 GHz bins reach the keynote's 1 PFLOPS FP8; the 32-core Server tier is 13.5% below it", () => {
    const perChip = claims.find((c) => c.npus === 1)?.impliedPerChipTflops ?? 0;
    expect(perChip).toBe(1000);
    const above = rows.filter((r) => r.peakTflopsFp8 >= perChip).map((r) => r.cubeCores);
    expect(new Set(above)).toEqual(new Set([36]));
    expect(bin("Ascend950DT_9591").peakTflopsFp8).toBeCloseTo(1061.7, 1);
    expect(1 - bin("Ascend950DT_9581").peakTflopsFp8 / perChip).toBeCloseTo(0.135, 3);
  });

  it("the SuperCluster's 524 EFLOPS FP8 is 524,288 x the keynote's 1 PFLOPS; at the Server tier it is 453.6 EFLOPS", () => {
    const sc = claims.find((c) => c.npus === 524288);
    expect(sc?.impliedPerChipTflops).toBeCloseTo((sc?.fp8Pflops ?? 0) / 524.288, 1);
    const server = bin("Ascend950DT_9581").peakTflopsFp8;
    expect((524288 * server) / 1e6).toBeCloseTo(453.6, 1);
    const pod = claims.find((c) => c.npus === 8192);
    expect(pod?.impliedPerChipTflops).toBeCloseTo((pod?.fp8Pflops ?? 0) / 8.192, 1);
  });

  it("memory sizes are the published capacities in GiB: 950DT 144, 950PR 128, Atlas 350's 112", () => {
    for (const soc of ["Ascend950DT_9571", "Ascend950DT_9581", "Ascend950DT_9591", "Ascend950DT_95A1"])
      expect(bin(soc).memoryGiB).toBe(144);
    for (const soc of ["Ascend950PR_9579", "Ascend950PR_9589", "Ascend950PR_9599"])
      expect(bin(soc).memoryGiB).toBe(128);
    expect(bin("Ascend950PR_957b").memoryGiB).toBe(112);
  });
});

describe("catalog variant ascend-950dt-cann", () => {
  const base = resolveChip("ascend-950dt");
  const cann = resolveChip("ascend-950dt-cann");
  const r = bin("Ascend950DT_9581");

  it("carries the 32-core 144 GiB bin's derived cube peaks", () => {
    expect(cann.peakFlops.bf16).toBeCloseTo(r.peakTflopsBf16 * 1e12, -9);
    expect(cann.peakFlops.fp16).toBeCloseTo(r.peakTflopsBf16 * 1e12, -9);
    expect(cann.peakFlops.fp8).toBeCloseTo(r.peakTflopsFp8 * 1e12, -9);
    expect(cann.peakFlops.int8).toBeCloseTo(r.peakTopsInt8 * 1e12, -9);
    expect(cann.peakFlops.fp4).toBeCloseTo(r.peakTflopsFp4 * 1e12, -9);
  });

  it("differs from ascend-950dt in its peaks only: same family, memory, links, power and formats", () => {
    expect(cann.family).toBe(base.family);
    expect(cann.memoryBytes).toBe(base.memoryBytes);
    expect(cann.memoryBandwidthBytesPerS).toBe(base.memoryBandwidthBytesPerS);
    expect(cann.scaleUpBandwidthBytesPerS).toBe(base.scaleUpBandwidthBytesPerS);
    expect(cann.scaleOutBandwidthBytesPerS).toBe(base.scaleOutBandwidthBytesPerS);
    expect(cann.powerW).toBe(base.powerW);
    const file = (id: string) => CHIP_FILES.find((c) => c.id === id);
    expect(file("ascend-950dt-cann")?.formats).toEqual(file("ascend-950dt")?.formats);
    expect(cann.peakFlops.fp8).toBeLessThan(base.peakFlops.fp8 ?? 0);
  });

  it("cites the config (confidence S) for its bf16/fp8/fp4 peaks and marks INT8 and the inherited assumptions A", () => {
    const src = (f: string) => cann.sources.filter((s) => s.fields.includes(f));
    for (const f of ["peakTflops.bf16", "peakTflops.fp8", "peakTflops.fp4"]) {
      expect(
        src(f).map((s) => s.confidence),
        f,
      ).toEqual(["S"]);
      expect(src(f)[0]?.source).toMatch(/hicann\/runtime at 681ef7610df1/);
    }
    expect(src("peakTflops.int8").map((s) => s.confidence)).toEqual(["A"]);
    expect(src("powerW").map((s) => s.confidence)).toEqual(["A"]);
  });

  it("the default system's 950DT stays at the keynote figures: FP8 1,000, BF16 500 (assumed)", () => {
    expect(base.peakFlops.fp8).toBe(1000e12);
    expect(base.peakFlops.bf16).toBe(500e12);
    const bf16 = base.sources.find((s) => s.fields.includes("peakTflops.bf16"));
    expect(bf16?.confidence).toBe("A");
  });
});
