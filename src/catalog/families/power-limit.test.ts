// A power limit below a chip's rating: the family curve's reading (identity at the rating, monotone, bounded, clear
// errors), Blackwell's and Hopper's measured points reproduced from the data file, and the kernel model slowing only compute.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { trainingEfficiency } from "../../training/efficiency.js";
import { KernelModel } from "../../training/kernels.js";
import { recipeFor } from "../../training/precision.js";
import { resolveChip } from "../resolve.js";
import { BLACKWELL_POWER_LIMIT } from "./blackwell.js";
import { HOPPER_POWER_LIMIT } from "./hopper.js";
import { chipFamily, familyIds } from "./index.js";
import { powerLimitThroughput } from "./power-limit.js";

type Row = {
  chip: string;
  benchmark: string;
  powerLimitW: number;
  ratedPowerW: number;
  powerFraction: number;
  throughputFraction: number;
  throughputFractionRange: number[];
  maxqSamplesPerS: number;
  maxpSamplesPerS: number;
};
const sections = JSON.parse(
  readFileSync(
    new URL("../../../data/kernels/power-limit-throughput-published.json", import.meta.url),
    "utf8",
  ),
).sections as Record<string, { rows: Row[] }>;

describe("powerLimitThroughput", () => {
  it("is 1 at the rating, with or without a curve", () => {
    expect(powerLimitThroughput(BLACKWELL_POWER_LIMIT, 1000, 1000)).toBe(1);
    expect(powerLimitThroughput(undefined, 1000, 1000)).toBe(1);
  });

  it("does not charge a limit on a family without a measured curve", () => {
    expect(powerLimitThroughput(undefined, 500, 700)).toBe(1);
  });

  it("is monotone in the limit and bounded in (0, 1]", () => {
    let prev = 0;
    for (let w = 360; w <= 1000; w += 5) {
      const r = powerLimitThroughput(BLACKWELL_POWER_LIMIT, w, 1000);
      expect(r).toBeGreaterThan(0);
      expect(r).toBeLessThanOrEqual(1);
      expect(r).toBeGreaterThanOrEqual(prev);
      prev = r;
    }
    expect(prev).toBe(1);
  });

  it("reproduces the published GB300 point (500 W of 1,400 W) inside its stated range", () => {
    const [row] = sections.blackwell_capped_gemm.rows;
    const r = powerLimitThroughput(BLACKWELL_POWER_LIMIT, 500, 1400);
    expect(r).toBeCloseTo(row.throughputFraction, 3);
    expect(r).toBeGreaterThanOrEqual(row.throughputFractionRange[0]);
    expect(r).toBeLessThanOrEqual(row.throughputFractionRange[1]);
  });

  it("reads B200 at 750 W on the chord: 0.74 of its rated throughput", () => {
    expect(powerLimitThroughput(BLACKWELL_POWER_LIMIT, 750, 1000)).toBeCloseTo(0.74, 2);
  });

  it("rejects a limit above the rating or below the lowest measured point, naming the field and value", () => {
    expect(() => powerLimitThroughput(BLACKWELL_POWER_LIMIT, 1100, 1000)).toThrow(
      /powerW[\s\S]*1100|1100[\s\S]*powerW/,
    );
    expect(() => powerLimitThroughput(BLACKWELL_POWER_LIMIT, 300, 1000)).toThrow(/357/);
    expect(() => powerLimitThroughput(undefined, 0, 700)).toThrow(/power limit/);
    expect(() => powerLimitThroughput(undefined, Number.NaN, 700)).toThrow(/power limit/);
  });

  it("every family curve runs from a point below the rating up to (1, 1), increasing", () => {
    for (const id of familyIds) {
      const c = chipFamily(id).powerLimit;
      if (c === undefined) continue;
      const pts = c.points;
      expect(pts[pts.length - 1]).toEqual({ powerFraction: 1, throughputFraction: 1 });
      for (let i = 1; i < pts.length; i++) {
        expect(pts[i].powerFraction).toBeGreaterThan(pts[i - 1].powerFraction);
        expect(pts[i].throughputFraction).toBeGreaterThan(pts[i - 1].throughputFraction);
      }
      expect(pts[0].throughputFraction).toBeGreaterThan(0);
    }
  });
});

describe("a derived chip's power limit", () => {
  it("keeps its base's rating, so powerW below it is a limit", () => {
    const c = resolveChip({ extends: "b200", id: "b200-750w", powerW: 750 });
    expect(c.powerW).toBe(750);
    expect(c.ratedPowerW).toBe(1000);
    expect(resolveChip("b200").ratedPowerW).toBe(1000);
  });

  it("slows compute-bound kernels by the family's throughput, not memory-bound ones", () => {
    const rated = resolveChip("b200");
    const capped = resolveChip({ extends: "b200", id: "b200-750w", powerW: 750 });
    const ratio = powerLimitThroughput(BLACKWELL_POWER_LIMIT, 750, 1000);
    for (const p of ["bf16", "fp8"] as const) {
      const recipe = recipeFor(p, p === "fp8" ? "mxfp8" : undefined, "fp8-delayed");
      const a = new KernelModel(rated, trainingEfficiency(rated), recipe, "fused");
      const b = new KernelModel(capped, trainingEfficiency(capped), recipe, "fused");
      expect(a.gemm(16384, 16384, 16384, true) / b.gemm(16384, 16384, 16384, true)).toBeCloseTo(ratio, 2);
      expect(b.peakBf16 / a.peakBf16).toBeCloseTo(ratio, 12);
      expect(b.mem(1e9, "norm")).toBe(a.mem(1e9, "norm"));
    }
  });

  it("errors on a limit above the rating, naming the field", () => {
    const over = resolveChip({ extends: "b200", id: "b200-1100w", powerW: 1100 });
    const recipe = recipeFor("bf16", undefined, "fp8-delayed");
    expect(() => new KernelModel(over, trainingEfficiency(over), recipe, "fused")).toThrow(/powerW/);
  });

  it("slows a Hopper chip at torchtitan's 500 W by the chord from BERT-99.9's 450 W point to the rating", () => {
    const rated = resolveChip("h100-sxm");
    const capped = resolveChip({ extends: "h100-sxm", id: "h100-500w", powerW: 500 });
    const recipe = recipeFor("bf16", undefined, "fp8-delayed");
    const a = new KernelModel(rated, trainingEfficiency(rated), recipe, "fused");
    const b = new KernelModel(capped, trainingEfficiency(capped), recipe, "fused");
    const r = powerLimitThroughput(HOPPER_POWER_LIMIT, 500, 700);
    expect(r).toBeCloseTo(0.856, 3);
    expect(a.gemm(8192, 8192, 8192, false) / b.gemm(8192, 8192, 8192, false)).toBeCloseTo(r, 2);
    expect(b.mem(1e9, "norm")).toBe(a.mem(1e9, "norm"));
  });
});

describe("Hopper's curve from the MLPerf v4.0 MaxQ/MaxP pairs", () => {
  const rows = sections.hopper_mlperf_maxq.rows;
  it("records each pair's ratio as MaxQ over MaxP and the cap over the 700 W rating", () => {
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const r of rows) {
      expect(r.throughputFraction).toBeCloseTo(r.maxqSamplesPerS / r.maxpSamplesPerS, 4);
      expect(r.powerFraction).toBeCloseTo(r.powerLimitW / r.ratedPowerW, 4);
      expect(r.throughputFraction).toBeLessThan(1);
    }
  });
  it("takes at each cap the lowest ratio (the most compute-bound workload there)", () => {
    const caps = [...new Set(rows.map((r) => r.powerLimitW))].sort((x, y) => x - y);
    const pts = HOPPER_POWER_LIMIT.points;
    expect(pts.length).toBe(caps.length + 1);
    caps.forEach((cap, i) => {
      const lowest = Math.min(...rows.filter((r) => r.powerLimitW === cap).map((r) => r.throughputFraction));
      expect(pts[i].powerFraction).toBeCloseTo(cap / 700, 6);
      expect(pts[i].throughputFraction).toBeCloseTo(lowest, 3);
    });
  });
  it("never reads a lower limit as faster, from its lowest point (300 W) to the rating", () => {
    let prev = 0;
    for (let w = 300; w <= 700; w += 5) {
      const r = powerLimitThroughput(HOPPER_POWER_LIMIT, w, 700);
      expect(r).toBeGreaterThanOrEqual(prev);
      expect(r).toBeLessThanOrEqual(1);
      prev = r;
    }
    expect(() => powerLimitThroughput(HOPPER_POWER_LIMIT, 250, 700)).toThrow(/300/);
  });
});
