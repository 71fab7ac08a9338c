// The Ascend 910 family's collective fraction: derived from HCCL all-reduce / all-gather bandwidths on one 910B server (data/kernels/ascend-hccl-published.json), not fitted on step times.
import { describe, expect, it } from "vitest";
import {
  ascend910bServer,
  busBandwidth,
  deriveAscendCollective,
  hcclRows,
  rowFraction,
} from "../../../scripts/fit/kernels-ascend-hccl.js";
import { CASE_FIT_SPECS } from "../../validate/case-fits.js";
import { ASCEND_910, ASCEND_910_TRAINING } from "./ascend-910.js";
import { ASCEND_950 } from "./ascend-950.js";
import { CASE_FITS } from "./case-fits.data.js";

describe("Ascend HCCL collective fraction (scripts/fit/kernels-ascend-hccl.ts)", () => {
  it("converts algorithm to bus bandwidth as nccl-tests does: 8-NPU all-reduce 72 -> 126 GB/s, all-gather 149 -> 130", () => {
    expect(busBandwidth("all-reduce", 72, 8)).toBeCloseTo(126, 6);
    expect(busBandwidth("all-gather", 149, 8)).toBeCloseTo(130.375, 6);
    expect(busBandwidth("reduce-scatter", 100, 2)).toBe(50);
    expect(busBandwidth("all-reduce", 100, 1)).toBe(0);
  });

  it("reads every published row as 0.5-0.75 of the payload rate over the group's links of the HCCS mesh", () => {
    const system = ascend910bServer();
    const rows = hcclRows();
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      const f = rowFraction(system, r);
      expect(f).toBeGreaterThan(0.5);
      expect(f).toBeLessThan(0.75);
    }
  });

  it("gives a group of 2 one link of 7: the row fraction would double if the mesh share were ignored", () => {
    const system = ascend910bServer();
    const two = hcclRows().find((r) => r.ranks === 2 && r.collective === "all-reduce");
    if (!two) throw new Error("missing row");
    // Bus bandwidth 18 GB/s over one 28 GB/s link (x 0.95 header efficiency): about 0.68.
    expect(rowFraction(system, two)).toBeCloseTo(18 / (28 * 0.95), 2);
  });

  it("writes the derived value into the profile, with its fit record and no case-fitted record", () => {
    const d = deriveAscendCollective();
    expect(ASCEND_910_TRAINING.collective).toBe(d.collective);
    const rec = ASCEND_910.fits.find((r) => r.parameter === "families.ascend-910.training.collective");
    expect(rec?.script).toBe("scripts/fit/kernels-ascend-hccl.ts");
    expect(rec?.cases).toEqual([]);
    expect(CASE_FITS.some((r) => r.parameter.startsWith("families.ascend-910."))).toBe(false);
    expect(CASE_FIT_SPECS.some((s) => s.families.includes("ascend-910"))).toBe(false);
  });

  it("carries the 910 figure to the 950 family (same HCCL, no 950 measurement)", () => {
    expect(ASCEND_950.training.collective).toBe(ASCEND_910_TRAINING.collective);
  });
});
