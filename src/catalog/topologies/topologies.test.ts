// The topology-kind registry: each kind answers for itself (traits, template, words, rerouting, ASTRA-sim name), and a radix-2 fat tree is refused.
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../../core/errors.js";
import { resolveSystem } from "../resolve.js";
import type { TopologyKind } from "../types.js";
import {
  astraSimBlocks,
  topologyFromAstraSim,
  topologyFromWord,
  topologyKind,
  topologyKinds,
} from "./index.js";

const system = (topology: object, chips: number) =>
  resolveSystem({
    id: "t",
    name: "t",
    vendor: "t",
    chip: "h100-sxm",
    chips,
    tiers: [
      { name: "scale-up", groupSize: 8, topology: "switch", bandwidthGBps: 450 },
      { name: "scale-out", topology, bandwidthGBps: 50 },
    ],
  });

describe("topology kinds", () => {
  it("every kind has its traits, its template, its words and whether its links reroute", () => {
    for (const { kind } of topologyKinds()) {
      const k = topologyKind(kind);
      expect(k.kind).toBe(kind);
      expect(k.traits.summary.length).toBeGreaterThan(10);
      expect(k.multipaths.length).toBeGreaterThan(0);
      const net = k.tierNet(
        { members: 4, memberSize: 2, chipPayloadBytesPerS: 1e11, oversubscription: 1, dims: [4] },
        ["system", "tiers", 0],
      );
      expect(net.linkCount).toBeGreaterThan(0);
      expect(topologyFromWord(kind).kind).toBe(kind);
      // A closed-form total capacity, where a kind has one, is the sum over its links.
      for (const memberSize of [1, 2]) {
        const t = k.tierNet(
          { members: 8, memberSize, chipPayloadBytesPerS: 1e11, oversubscription: 1, dims: [2, 4] },
          ["system", "tiers", 0],
        );
        let sum = 0;
        for (let l = 0; l < t.linkCount; l++) sum += t.capacity(l);
        if (t.totalCapacity) expect(t.totalCapacity(), kind).toBeCloseTo(sum, 0);
      }
    }
    expect(
      ["full-mesh", "nd-full-mesh", "torus"].every((k) => topologyKind(k as TopologyKind).linksReroute),
    ).toBe(true);
    expect(
      ["switch", "fat-tree", "rail-optimized"].some((k) => topologyKind(k as TopologyKind).linksReroute),
    ).toBe(false);
  });

  it("reads the words validation files use", () => {
    const words: [unknown, TopologyKind][] = [
      ["torus3d", "torus"],
      ["Torus", "torus"],
      ["2d-mesh", "nd-full-mesh"],
      ["Clos", "fat-tree"],
      ["leaf-spine", "fat-tree"],
      ["fat tree", "fat-tree"],
      ["rail", "rail-optimized"],
      ["nvswitch", "switch"],
      [undefined, "switch"],
      ["constructor", "switch"],
      ["toString", "switch"],
    ];
    for (const [w, kind] of words) expect(topologyFromWord(w).kind, String(w)).toBe(kind);
  });

  it("names itself in ASTRA-sim's words where it is one of its building blocks", () => {
    expect(astraSimBlocks()).toEqual(["FullyConnected", "Ring", "Switch"]);
    expect(topologyFromAstraSim("Ring")?.kind).toBe("torus");
    expect(topologyFromAstraSim("FullyConnected")?.kind).toBe("full-mesh");
    expect(topologyFromAstraSim("Switch")?.kind).toBe("switch");
    expect(topologyFromAstraSim("Torus")).toBeUndefined();
  });

  it("a fat tree of radix 2 (each level reaching no more chips) is refused naming topology.radix, not looped on", () => {
    let err: unknown;
    try {
      system({ kind: "fat-tree", radix: 2 }, 1024);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZettasimError);
    expect((err as Error).message).toMatch(
      /tiers\[1\]\.topology\.radix: a fat tree of radix 2 cannot reach 1024 chips.*got 2.*at least 4/,
    );
    // Radix 3 is refused alike (under 4 ports a tree barely grows); with levels stated, the radix is taken as given.
    expect(() => system({ kind: "fat-tree", radix: 3 }, 1024)).toThrow(/radix 3 cannot reach/);
    expect(() => system({ kind: "fat-tree", radix: 2, levels: 3 }, 1024)).not.toThrow();
  });
});

describe("which kinds build a Clos from a radix", () => {
  it("fat tree and rail-optimized do, a single switch, meshes and tori do not", () => {
    const clos = topologyKinds()
      .filter(({ kind }) => topologyKind(kind).traits.closFromRadix === true)
      .map(({ kind }) => kind)
      .sort();
    expect(clos).toEqual(["fat-tree", "rail-optimized"]);
  });
});
