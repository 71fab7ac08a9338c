// Per-chip weight-streaming fraction (catalog field memoryStreamingFraction): recomputed from the published kernel rows,
// bounded, inherited through `extends`, refused with a named error when bad, and used by the serving profile.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { efficiencyFor } from "../serving/efficiency.js";
import { CHIP_FILES } from "./chips.js";
import { chipFamily } from "./families/index.js";
import { resolveChip } from "./resolve.js";

interface GemvTable {
  chip: string;
  table: string;
  device: string;
  rows: { n: number; k: number; latencyMs: number }[];
}
const DATA = JSON.parse(readFileSync("data/kernels/hbm-achieved-published.json", "utf8"));
const GEMV = DATA.sections.gemv_m1_bf16 as { minWeightBytes: number; tables: GemvTable[] };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Achieved / datasheet bandwidth of every bf16 M = 1 row of `chip`, datasheet from the catalog. */
function fractions(chip: string): number[] {
  const hbm = resolveChip(chip).memoryBandwidthBytesPerS;
  return GEMV.tables
    .filter((t) => t.chip === chip)
    .flatMap((t) => t.rows.map((r) => (r.n * r.k * 2) / (r.latencyMs * 1e-3) / hbm));
}

// Chips whose memory system is another chip's (same package and HBM stacks), measured on that one.
const SAME_MEMORY_AS = DATA.sections.gemv_m1_bf16.sameMemoryAs as Record<string, string>;

describe("memoryStreamingFraction from published kernel rows", () => {
  const measured = [...new Set(GEMV.tables.map((t) => t.chip))];

  it("keeps only rows past the caches, three tables per chip", () => {
    expect(GEMV.minWeightBytes).toBe(512 * 2 ** 20);
    for (const t of GEMV.tables) {
      expect(t.rows.length).toBeGreaterThan(10);
      for (const r of t.rows) expect(r.n * r.k * 2).toBeGreaterThanOrEqual(GEMV.minWeightBytes);
    }
    for (const c of measured) expect(GEMV.tables.filter((t) => t.chip === c).length).toBe(3);
  });

  it("the catalog figure of each measured chip is the median of its rows (3 decimals)", () => {
    expect(measured.sort()).toEqual([
      "a100-sxm-80gb",
      "b200",
      "b300",
      "gb200",
      "gb300",
      "h100-sxm",
      "h200-sxm",
    ]);
    for (const c of measured) {
      const f = resolveChip(c).memoryStreamingFraction;
      expect(f, c).toBeCloseTo(median(fractions(c)), 3);
    }
    for (const [c, like] of Object.entries(SAME_MEMORY_AS)) {
      expect(resolveChip(c).memoryStreamingFraction).toBe(resolveChip(like).memoryStreamingFraction);
    }
  });

  it("H200 streams a smaller share of its datasheet than H100 (HBM3e at 4.8 TB/s against HBM3 at 3.35)", () => {
    const h100 = resolveChip("h100-sxm").memoryStreamingFraction ?? 0;
    const h200 = resolveChip("h200-sxm").memoryStreamingFraction ?? 0;
    expect(h200).toBeLessThan(h100);
    // ... but still more bytes per second.
    expect(h200 * 4.8).toBeGreaterThan(h100 * 3.35);
  });

  it("every catalog figure lies in (0, 1], carries a source, and only measured chips have one", () => {
    const withField = CHIP_FILES.filter((c) => c.memoryStreamingFraction !== undefined).map((c) => c.id);
    expect(withField.sort()).toEqual([...measured, ...Object.keys(SAME_MEMORY_AS)].sort());
    for (const c of CHIP_FILES) {
      if (c.memoryStreamingFraction === undefined) continue;
      expect(c.memoryStreamingFraction).toBeGreaterThan(0);
      expect(c.memoryStreamingFraction).toBeLessThanOrEqual(1);
      const src = (c.sources ?? []).find((s) => s.fields.includes("memoryStreamingFraction"));
      expect(src?.source, c.id).toContain("hbm-achieved-published.json");
    }
  });

  it("context rows are well formed and none is applied", () => {
    for (const r of DATA.sections.context.rows) {
      expect(r.measuredTBps).toBeGreaterThan(0);
      expect(r.measuredTBps).toBeLessThanOrEqual(r.datasheetTBps);
      expect(r.applied).toBe(false);
      expect(r.sourceUrl.length).toBeGreaterThan(0);
    }
  });
});

describe("memoryStreamingFraction in the catalog and the serving profile", () => {
  it("`extends` inherits the figure and an override replaces it", () => {
    expect(resolveChip({ extends: "h200-sxm" }).memoryStreamingFraction).toBe(0.831);
    expect(resolveChip({ extends: "h200-sxm", memoryStreamingFraction: 0.7 }).memoryStreamingFraction).toBe(
      0.7,
    );
    expect(resolveChip({ extends: "h20" }).memoryStreamingFraction).toBeUndefined();
  });

  it.each([
    [1.2, "<= 1"],
    [0, ">= 0.0001"],
    [-0.5, ">= 0.0001"],
    ["0.8", "a number"],
  ])("refuses %s with an error naming the field, the value and what was expected", (bad, expected) => {
    try {
      resolveChip({ extends: "h100-sxm", memoryStreamingFraction: bad });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      const issue = (e as ZettasimError).issues[0];
      expect(issue.path).toEqual(["chip", "memoryStreamingFraction"]);
      expect(issue.value).toBe(bad);
      expect(issue.expected).toBe(expected);
      expect(issue.message).toContain("HBM bandwidth of a decode GEMM streaming its weights");
    }
  });

  it("the serving profile streams weights at the chip's figure, the family's where the chip has none", () => {
    const h200 = resolveChip("h200-sxm");
    expect(efficiencyFor(h200).weightStreaming).toBe(0.831);
    expect(efficiencyFor(h200, undefined, "sglang").weightStreaming).toBe(0.831);
    const h20 = resolveChip("h20");
    expect(efficiencyFor(h20).weightStreaming).toBe(chipFamily("hopper").serving.weightStreaming);
    const mi300x = resolveChip("mi300x");
    expect(efficiencyFor(mi300x).weightStreaming).toBe(chipFamily("cdna").serving.weightStreaming);
    // A scenario's own efficiency override still wins.
    expect(efficiencyFor(h200, { weightStreaming: 0.5 }).weightStreaming).toBe(0.5);
    // Only weight streaming changes: the rest is the family's.
    const fam = efficiencyFor(resolveChip({ extends: "h200-sxm", memoryStreamingFraction: 0.8 }));
    expect(fam).toEqual(chipFamily("hopper").serving);
  });
});
