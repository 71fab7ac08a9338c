// The catalog's Ascend 910B/910C/950PR/950DT peaks, memory and links held to Huawei's published figures (data/kernels/ascend-datasheet-published.json); unstated BF16 peaks stay documented assumptions.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resolveChip } from "../resolve.js";

type Row = {
  chip: string;
  bf16?: number | null;
  fp8?: number;
  fp4?: number;
  memoryGB: number;
  memoryBandwidthTBps: number;
  scaleUpBothWaysGBps?: number;
  scaleUpPerDirectionGBps?: number;
  scaleOutGbps?: number;
  assumed?: string;
};
const rows = JSON.parse(
  readFileSync(new URL("../../../data/kernels/ascend-datasheet-published.json", import.meta.url), "utf8"),
).sections.catalog_check.rows as Row[];

describe("Ascend catalog figures against Huawei's published ones", () => {
  for (const r of rows) {
    it(`${r.chip}: peaks, HBM and links as published`, () => {
      const c = resolveChip(r.chip);
      if (typeof r.bf16 === "number") expect(c.peakFlops.bf16).toBe(r.bf16 * 1e12);
      if (r.fp8 !== undefined) expect(c.peakFlops.fp8).toBe(r.fp8 * 1e12);
      if (r.fp4 !== undefined) expect(c.peakFlops.fp4).toBe(r.fp4 * 1e12);
      expect(c.memoryBytes).toBe(r.memoryGB * 1e9);
      expect(c.memoryBandwidthBytesPerS).toBeCloseTo(r.memoryBandwidthTBps * 1e12, -3);
      if (r.scaleUpBothWaysGBps !== undefined)
        expect(c.scaleUpBandwidthBytesPerS).toBe((r.scaleUpBothWaysGBps / 2) * 1e9);
      if (r.scaleUpPerDirectionGBps !== undefined)
        expect(c.scaleUpBandwidthBytesPerS).toBe(r.scaleUpPerDirectionGBps * 1e9);
      if (r.scaleOutGbps !== undefined) expect(c.scaleOutBandwidthBytesPerS).toBe((r.scaleOutGbps / 8) * 1e9);
    });
  }

  it("documents every unstated BF16 peak as an assumption: half of FP8 on the 950s, with a source entry marked A", () => {
    for (const r of rows.filter((x) => x.bf16 === null)) {
      const c = resolveChip(r.chip);
      expect(r.assumed).toMatch(/half of FP8/);
      expect(c.peakFlops.bf16).toBe(((r.fp8 ?? 0) / 2) * 1e12);
      const src = c.sources.find((s) => s.fields.includes("peakTflops.bf16"));
      expect(src?.confidence).toBe("A");
    }
  });
});
