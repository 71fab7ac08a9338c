// levelsOf: the tiers a group spans, stepped block by block for ranks in progression, against counting every rank.
import { describe, expect, it } from "vitest";
import { testSystem } from "../testing.js";
import { Fabric } from "../topology/fabric.js";
import { levelsOf } from "./run.js";

/** The same figures by looking at every rank (the reference). */
function reference(fabric: Fabric, rs: number[]) {
  const levels: { tier: number; n: number }[] = [];
  let prev = rs.length;
  for (let t = 0; t < fabric.groupSize.length; t++) {
    const counts = new Map<number, number>();
    for (const r of rs)
      counts.set(
        Math.floor(r / fabric.groupSize[t]),
        (counts.get(Math.floor(r / fabric.groupSize[t])) ?? 0) + 1,
      );
    const lens = new Set(counts.values());
    if (lens.size > 1) return undefined;
    const runs = counts.size;
    if (runs < prev) {
      if (prev % runs !== 0) return undefined;
      levels.push({ tier: t, n: prev / runs });
    }
    prev = runs;
    if (runs === 1) break;
  }
  return levels;
}

describe("levelsOf", () => {
  const fabric = new Fabric(
    testSystem(512, [
      { topology: "switch", groupSize: 8, bandwidthGBps: 100 },
      { topology: "switch", groupSize: 64, bandwidthGBps: 50 },
      { topology: "switch", bandwidthGBps: 25 },
    ]),
  );
  it("agrees with counting every rank, for progressions and for others", () => {
    let uneven = 0;
    for (const first of [0, 1, 3, 7, 8, 60])
      for (const stride of [1, 2, 3, 4, 8, 16, 24, 64])
        for (const n of [2, 3, 4, 7, 8, 16, 32, 64]) {
          if (first + (n - 1) * stride >= 512) continue;
          const rs = Array.from({ length: n }, (_, i) => first + i * stride);
          const want = reference(fabric, rs);
          if (!want) uneven++;
          expect(levelsOf(fabric, rs), `${first} ${stride} ${n}`).toEqual(want);
          // Not a progression: the last rank moved one chip on.
          const bent = [...rs.slice(0, -1), rs[n - 1] + 1];
          if (bent[n - 1] < 512) expect(levelsOf(fabric, bent)).toEqual(reference(fabric, bent));
        }
    expect(uneven).toBeGreaterThan(10);
  });
});
