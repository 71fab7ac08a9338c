// The catalog example scenario runs as a test: it loads, and its derived figures follow from its per-group facts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deriveSpec } from "../src/report/derive.js";
import { loadScenarioText } from "../src/scenario/load.js";

describe("examples/custom-system.yaml", () => {
  const sc = loadScenarioText(
    readFileSync("examples/custom-system.yaml", "utf8"),
    "examples/custom-system.yaml",
  );
  const s = deriveSpec(sc.system);
  it("2,048 Ascend 950DT: 2.05 EFLOPS FP8, 295 TB HBM", () => {
    expect(s.chips).toBe(2048);
    expect(s.peakFlops.fp8).toBeCloseTo(2048e15, -12);
    expect(s.memoryBytes).toBe(2048 * 144e9);
  });
  it("32 compute cabinets plus network cabinets for the 2:1 fat tree's 48 leaves + 16 spines", () => {
    expect(s.switches).toBe(64);
    expect(s.cabinets.byKind).toEqual({ compute: 32, network: 4 });
    expect(s.floorAreaM2).toBe(36 * 6.25);
    expect(s.nics).toBe(2048);
  });
  it("the UB-Mesh cabinet's bisection is below a switch's: 8 x 16 pairs x (778/2)/7 GB/s", () => {
    expect(s.tiers[0].bisectionPerGroupBytesPerS).toBeCloseTo((8 * 16 * 389e9) / 7, -3);
    expect(s.tiers[0].bisectionPerGroupBytesPerS).toBeLessThan((64 * 778e9) / 2);
  });
});
