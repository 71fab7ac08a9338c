// plan size's buyable sizes: whole units of each tier (cabinets, then SuperPoDs; racks), indexed without listing them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveSystem } from "../catalog/resolve.js";
import { BuyableSizes } from "./size.js";

describe("buyable cluster sizes", () => {
  it("Atlas 950 SuperCluster: 64-NPU cabinets up to a SuperPoD, then whole 8,192-NPU SuperPoDs", () => {
    const b = new BuyableSizes(resolveSystem("atlas-950-supercluster"), 524_288);
    expect(b.units).toEqual([64, 8192]);
    expect(b.count).toBe(127 + 64);
    expect([b.at(0), b.at(1), b.at(126), b.at(127), b.at(128), b.at(b.count - 1)]).toEqual([
      64, 128, 8128, 8192, 16_384, 524_288,
    ]);
    expect(b.at(b.indexAtLeast(100))).toBe(128);
    expect(b.at(b.indexAtLeast(8129))).toBe(8192);
    expect(b.at(b.indexAtLeast(8200))).toBe(16_384);
    expect(b.indexAtLeast(524_289)).toBe(b.count);
    expect(b.indexAtLeast(1)).toBe(0);
  });

  it("GB300 NVL72 cluster grown by racks: every whole rack of 72 GPUs", () => {
    const b = new BuyableSizes(resolveSystem("gb300-nvl72-cluster"), 2 ** 21);
    expect(b.units).toEqual([72]);
    expect(b.count).toBe(Math.floor(2 ** 21 / 72));
    expect(b.at(6)).toBe(504);
    expect(b.at(b.indexAtLeast(505))).toBe(576);
  });

  it("a fixed system is sold whole too: DGX A100 SuperPOD nodes up to its 1,120 GPUs", () => {
    const b = new BuyableSizes(resolveSystem("dgx-a100-superpod"), 1120);
    expect(b.at(b.count - 1)).toBe(1120);
    expect(b.at(0)).toBe(8);
  });

  it("round sizes: the first unit times 2^k or 3 x 2^k where buyable, and the largest", () => {
    const sizes = (id: string, max: number) => {
      const b = new BuyableSizes(resolveSystem(id), max);
      return b.rounds().map((i) => b.at(i));
    };
    const atlas = sizes("atlas-950-supercluster", 524_288);
    expect(atlas.slice(0, 4)).toEqual([64, 128, 192, 256]); // 96 would be a cabinet and a half
    expect(atlas).toContain(8192);
    expect(atlas).toContain(24_576);
    expect(atlas).not.toContain(12_288); // a SuperPoD and a half is not sold
    expect(atlas.at(-1)).toBe(524_288);
    expect(sizes("gb300-nvl72-cluster", 2 ** 21).slice(0, 5)).toEqual([72, 144, 216, 288, 432]);
    const tpu = sizes("tpu-v5p-pod", 8960);
    expect(tpu.slice(-3)).toEqual([6144, 8192, 8960]);
  });

  it("sizes rise strictly and indexAtLeast inverts at", () => {
    for (const [id, max] of [
      ["atlas-950-supercluster", 2 ** 21],
      ["tpu-v5p-pod", 8960],
      ["vr-nvl144-cluster", 2 ** 20],
    ] as const) {
      const b = new BuyableSizes(resolveSystem(id), max);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: b.count - 2 }), fc.integer({ min: 1, max: max }), (i, n) => {
          expect(b.at(i + 1)).toBeGreaterThan(b.at(i));
          expect(b.indexAtLeast(b.at(i))).toBe(i);
          const j = b.indexAtLeast(n);
          if (j < b.count) expect(b.at(j)).toBeGreaterThanOrEqual(n);
          if (j > 0) expect(b.at(j - 1)).toBeLessThan(n);
        }),
        { numRuns: 200, seed: 9 },
      );
      expect(b.at(b.count - 1)).toBeLessThanOrEqual(max);
    }
  });
});
