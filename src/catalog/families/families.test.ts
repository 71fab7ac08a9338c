// Chip families: every catalog chip names a modelled family, `extends` inherits it, and an unknown family is refused.
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../../core/errors.js";
import { chipIds, resolveChip } from "../resolve.js";
import { chipFamily, familyIds } from "./index.js";

/** Fields of a profile that are sizes, times or byte counts rather than fractions of a peak. */
const NOT_FRACTIONS = new Set([
  "halfWorkMN",
  "halfDepthK",
  "fixedS",
  "tokenPad",
  "halfSeq",
  "expReferenceHeadDims",
  // headDimKernels: each kernel's head-dim width (flash-v1.ts).
  "width",
  // Rows of the matrix unit's input block a decode-attention query group is padded to (TPU: 8; decode-attention.ts).
  "decodeAttentionRowTile",
  // Rows of the matrix unit's activation block a decode linear's rows are padded to (TPU: 8; decode-attention.ts).
  "linearRowTile",
  "attentionScoreBytes",
  "eager",
  "graph",
  "rows",
  // torchaoNvfp4SpeedupByCube: problem sides and speedups over BF16 (src/serving/torchao-nvfp4.ts).
  "side",
  "speedup",
]);

/** Fields whose values are whole counts, not fractions: row tiles by format; a hop-by-hop collective's grid axes and wraparound axis length. */
const ROW_COUNTS = new Set(["gemmTileMinRows", "collectiveHops"]);
/**
 * Measured call tables (message bytes and seconds per call) and cross-node call points (node counts, ranks per node,
 * seconds), checked by their own tests (tpAllReduceTableProblem in src/serving/custom-allreduce-fallback.test.ts,
 * crossNodeAllReducePointProblem in src/serving/cross-node-allreduce.test.ts), not fractions of a peak.
 */
const CALL_TABLES = new Set(["ncclAllReduceCall", "ncclAllReduceAcrossNodes"]);

const fractions = (o: object): number[] =>
  Object.entries(o).flatMap(([k, v]) =>
    typeof v === "object" && v !== null
      ? ROW_COUNTS.has(k) || CALL_TABLES.has(k)
        ? []
        : fractions(v)
      : typeof v === "number" && !k.endsWith("S") && !NOT_FRACTIONS.has(k)
        ? [v]
        : [],
  );

const others = (o: object): number[] =>
  Object.entries(o).flatMap(([k, v]) =>
    typeof v === "object" && v !== null
      ? ROW_COUNTS.has(k)
        ? Object.values(v).filter((x): x is number => typeof x === "number")
        : others(v)
      : typeof v === "number" && NOT_FRACTIONS.has(k)
        ? [v]
        : [],
  );

describe("chip families", () => {
  it("every catalog chip names a modelled family, and every family but the generic one has a chip", () => {
    const used = new Set(chipIds().map((id) => resolveChip(id).family));
    for (const f of used) expect(familyIds).toContain(f);
    for (const f of familyIds) if (f !== "generic") expect(used.has(f), f).toBe(true);
  });

  it("every profile fraction lies in (0, 1] and every overhead is finite and non-negative", () => {
    for (const id of familyIds) {
      const f = chipFamily(id);
      for (const v of [...fractions(f.training), ...fractions(f.serving)]) {
        expect(v).toBeGreaterThan(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      for (const v of others(f.training)) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
      }
      // Row tiles are whole rows, at least one.
      for (const v of Object.values(f.serving.gemmTileMinRows ?? {})) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(1);
      }
      // A hop-by-hop collective lays a group out on whole axes (collective-hops.ts).
      for (const v of Object.values(f.serving.collectiveHops ?? {})) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(1);
      }
      for (const k of ["allToAllFixedS", "kernelFloorS", "launchEagerS", "allReduceFixedS"] as const) {
        expect(Number.isFinite(f.serving[k])).toBe(true);
        expect(f.serving[k]).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it("a chip that extends another keeps its family and devices per package", () => {
    const c = resolveChip({ extends: "ascend-910c", memoryGB: 96 });
    expect(c.family).toBe("ascend-910");
    expect(c.devicesPerPackage).toBe(2);
    expect(resolveChip({ extends: "h100-sxm", name: "H100 at 500 W", powerW: 500 }).family).toBe("hopper");
  });

  it("a custom chip is generic unless it names a family: names are never matched", () => {
    const mi950 = {
      id: "mi950x",
      name: "AMD MI950X Ascend 950 910 rubin tpu",
      vendor: "AMD",
      peakTflops: { bf16: 2500 },
      memoryGB: 288,
      memoryBandwidthTBps: 8,
      scaleUpBandwidthGBps: 500,
      scaleOutBandwidthGBps: 100,
      powerW: 1400,
    };
    expect(resolveChip(mi950).family).toBe("generic");
    expect(resolveChip(mi950).devicesPerPackage).toBe(1);
    expect(resolveChip({ ...mi950, family: "blackwell" }).family).toBe("blackwell");
  });

  it("an unknown family is refused, naming the field, the value and the known families", () => {
    try {
      resolveChip({ extends: "h100-sxm", family: "hoppr" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      const msg = (e as Error).message;
      expect(msg).toContain("chip.family");
      expect(msg).toContain("hoppr");
      expect(msg).toContain("hopper");
    }
  });
});
