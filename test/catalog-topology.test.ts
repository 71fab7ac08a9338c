// Topology kinds: one conformance suite every kind passes, plus each kind's closed forms on known cases.
import { describe, expect, it } from "vitest";
import { type TierShape, topologyKinds, topologyTraits } from "../src/catalog/topology.js";
import type { Topology, TopologyKind } from "../src/catalog/types.js";

const B = 100e9;
const shape = (topology: Topology, chips: number, members: number, o = 1, b = B): TierShape => ({
  topology,
  chips,
  members,
  bandwidthBytesPerS: b,
  oversubscription: o,
});

/** A representative group of 64 chips made of 16 members of 4, for each kind. */
const SAMPLE: Record<TopologyKind, Topology> = {
  switch: { kind: "switch" },
  "full-mesh": { kind: "full-mesh" },
  "nd-full-mesh": { kind: "nd-full-mesh", dims: [4, 4] },
  torus: { kind: "torus", dims: [4, 4] },
  "fat-tree": { kind: "fat-tree", radix: 32 },
  "rail-optimized": { kind: "rail-optimized", radix: 32 },
};

describe.each(topologyKinds().map((k) => [k.kind]))("conformance: %s", (kind) => {
  const t = topologyTraits(kind as TopologyKind);
  const s = shape(SAMPLE[kind as TopologyKind], 64, 16);
  it("bisection is positive and at most half the chips' bandwidth", () => {
    const x = t.bisectionBytesPerS(s);
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThanOrEqual((64 * B) / 2 + 1e-6);
  });
  it("bisection is linear in per-chip bandwidth", () => {
    expect(t.bisectionBytesPerS({ ...s, bandwidthBytesPerS: 2 * B })).toBeCloseTo(
      2 * t.bisectionBytesPerS(s),
      0,
    );
  });
  it("oversubscription never raises bisection", () => {
    expect(t.bisectionBytesPerS({ ...s, oversubscription: 4 })).toBeLessThanOrEqual(t.bisectionBytesPerS(s));
  });
  it("diameter and neighbours are whole and at least 1; counts are whole and >= 0", () => {
    for (const v of [t.diameterHops(s), t.linksPerMember(s)]) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(1);
    }
    for (const v of [t.switches(s), t.opticalModules(s)]) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
  });
  it("accepts its sample and has a summary", () => {
    expect(t.check(s.topology, 16, s.chips)).toBeUndefined();
    expect(t.summary.length).toBeGreaterThan(10);
  });
});

describe("closed forms", () => {
  it("switch: N.b/2", () => {
    expect(topologyTraits("switch").bisectionBytesPerS(shape({ kind: "switch" }, 72, 72))).toBe(36 * B);
  });
  it("full mesh: N.b/2 for two members, tending to N.b/4", () => {
    const fm = topologyTraits("full-mesh");
    expect(fm.bisectionBytesPerS(shape({ kind: "full-mesh" }, 16, 2))).toBeCloseTo(8 * B, 0);
    const big = fm.bisectionBytesPerS(shape({ kind: "full-mesh" }, 1024, 1024));
    expect(big / ((1024 * B) / 4)).toBeCloseTo(1, 2);
  });
  it("a one-dimensional nd-full-mesh is a full mesh; two dimensions halve the bandwidth per dimension", () => {
    const one = topologyTraits("nd-full-mesh").bisectionBytesPerS(
      shape({ kind: "nd-full-mesh", dims: [8] }, 8, 8),
    );
    expect(one).toBeCloseTo(
      topologyTraits("full-mesh").bisectionBytesPerS(shape({ kind: "full-mesh" }, 8, 8)),
      0,
    );
    // UB-Mesh rack [8,8]: 8 lines x 16 crossing pairs x (b/2)/7
    const rack = topologyTraits("nd-full-mesh").bisectionBytesPerS(
      shape({ kind: "nd-full-mesh", dims: [8, 8] }, 64, 64),
    );
    expect(rack).toBeCloseTo((8 * 16 * (B / 2)) / 7, 0);
    expect(
      topologyTraits("nd-full-mesh").diameterHops(shape({ kind: "nd-full-mesh", dims: [8, 8] }, 64, 64)),
    ).toBe(2);
  });
  it("torus: a ring of 8 is cut through 2 links; TPU v4's 16^3 torus has 2 x 256 x 45 GB/s", () => {
    const tr = topologyTraits("torus");
    expect(tr.bisectionBytesPerS(shape({ kind: "torus", dims: [8] }, 8, 8))).toBeCloseTo(B, 0);
    expect(tr.diameterHops(shape({ kind: "torus", dims: [8] }, 8, 8))).toBe(4);
    // 64 cubes as [4,4,4], 67.5 GB/s per chip leaving the cube
    const pod = tr.bisectionBytesPerS(shape({ kind: "torus", dims: [4, 4, 4] }, 4096, 64, 1, 67.5e9));
    expect(pod).toBeCloseTo(2 * 256 * 45e9, -3);
  });
  it("fat tree: switch counts of a folded Clos (2L-1).N/k, leaves excluded with leavesBelow", () => {
    const ft = topologyTraits("fat-tree");
    const k64 = (n: number, extra: Partial<Topology> = {}, o = 1) =>
      ft.switches(shape({ kind: "fat-tree", radix: 64, ...extra }, n, n, o));
    expect(k64(64)).toBe(1);
    expect(k64(1024)).toBe(48); // 32 leaves + 16 spines
    expect(k64(16384)).toBe(1280); // 3 levels: 5N/k
    expect(k64(1024, { leavesBelow: true })).toBe(16);
    expect(k64(1024, {}, 3)).toBeLessThan(48); // tapered: fewer upper switches
    expect(ft.opticalModules(shape({ kind: "fat-tree", radix: 64 }, 1024, 1024))).toBe(2 * (1024 + 1024));
    expect(ft.switches(shape({ kind: "fat-tree" }, 1024, 1024))).toBe(0); // no radix, nothing derived
  });
  it("fat tree: bisection N.b/(2o), hops 2L", () => {
    const ft = topologyTraits("fat-tree");
    expect(ft.bisectionBytesPerS(shape({ kind: "fat-tree" }, 1000, 10, 4))).toBe((1000 * B) / 8);
    expect(ft.diameterHops(shape({ kind: "fat-tree", levels: 3 }, 1000, 10))).toBe(6);
  });
  it("dims must multiply to the members the tier joins", () => {
    expect(topologyTraits("torus").check({ kind: "torus", dims: [4, 4] }, 15, 15)?.message).toMatch(
      /hold 16 members/,
    );
    expect(
      topologyTraits("nd-full-mesh").check({ kind: "nd-full-mesh", dims: [8, 8] }, 64, 64),
    ).toBeUndefined();
  });
});
