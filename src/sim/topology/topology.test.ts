// Topology kinds: link counts, routes, capacities, and the cases where routing changes the answer.
import { describe, expect, it } from "vitest";
import { resolveSystem } from "../../catalog/resolve.js";
import { topologyKind } from "../../catalog/topologies/index.js";
import { GB, MB } from "../../core/units.js";
import { systemFromCaseHardware } from "../../validate/hardware.js";
import { runOneCollective, testSystem } from "../testing.js";
import { Fabric } from "./fabric.js";

const P = { chipPayloadBytesPerS: 100 * GB, oversubscription: 1 };

describe("topology kinds", () => {
  it("every kind routes every pair over links that exist, with positive capacity", () => {
    const cases = [
      { kind: "switch", members: 8, memberSize: 1 },
      { kind: "fat-tree", members: 8, memberSize: 4, oversubscription: 2 },
      { kind: "fat-tree", members: 64, memberSize: 1, radix: 16 },
      { kind: "full-mesh", members: 6, memberSize: 2 },
      { kind: "nd-full-mesh", members: 16, memberSize: 1, dims: [4, 4] },
      { kind: "torus", members: 27, memberSize: 1, dims: [3, 3, 3] },
      { kind: "torus", members: 16, memberSize: 2, dims: [4, 4] },
      { kind: "rail-optimized", members: 4, memberSize: 8, oversubscription: 1 },
    ] as const;
    const bad: string[] = [];
    for (const c of cases) {
      const net = topologyKind(c.kind).tierNet(
        { ...P, ...c, dims: "dims" in c ? [...c.dims] : undefined },
        [],
      );
      const chips = c.members * c.memberSize;
      for (let a = 0; a < chips; a++) {
        for (let b = 0; b < chips; b++) {
          const ma = Math.floor(a / c.memberSize);
          const mb = Math.floor(b / c.memberSize);
          if (ma === mb) continue;
          const rs = net.routes(ma, a % c.memberSize, mb, b % c.memberSize, 0);
          if (rs.length === 0) bad.push(`${c.kind}: no route ${a}->${b}`);
          for (const r of rs) {
            if (!(r.hops > 0)) bad.push(`${c.kind}: ${a}->${b} has ${r.hops} hops`);
            for (const l of r.links) {
              if (!(l >= 0 && l < net.linkCount && net.capacity(l) > 0))
                bad.push(`${c.kind}: ${a}->${b} link ${l}`);
            }
          }
        }
      }
      for (let l = 0; l < net.linkCount; l++)
        if (typeof net.linkName(l) !== "string") bad.push(`${c.kind}: name ${l}`);
    }
    expect(bad).toEqual([]);
  });

  it("torus routes take the short way round and both ways on a tie", () => {
    const net = topologyKind("torus").tierNet({ ...P, members: 8, memberSize: 1, dims: [8] }, []);
    expect(net.routes(0, 0, 3, 0, 0)).toHaveLength(1);
    expect(net.routes(0, 0, 3, 0, 0)[0].hops).toBe(3);
    expect(net.routes(0, 0, 6, 0, 0)[0].hops).toBe(2);
    expect(net.routes(0, 0, 4, 0, 0)).toHaveLength(2);
  });

  it("nd-full-mesh dims must multiply to the members", () => {
    expect(
      () =>
        testSystem(64, [{ topology: { kind: "nd-full-mesh", dims: [8, 4] }, bandwidthGBps: 100 }]).chips &&
        new Fabric(
          testSystem(64, [{ topology: { kind: "nd-full-mesh", dims: [8, 4] }, bandwidthGBps: 100 }]),
        ),
    ).toThrow(/dims/);
  });

  it("the fabric of the 524,288-NPU SuperCluster is a few templates, not millions of objects", () => {
    const f = new Fabric(resolveSystem("atlas-950-supercluster"));
    expect(f.chips).toBe(524288);
    expect(f.tiers.length).toBe(3);
    expect(f.linkIdSpace).toBeGreaterThan(1e6);
    const r = f.routes(0, 524287);
    expect(r[0].tier).toBe(2);
    const info = f.link(r[0].links[1]);
    expect(info.tier).toBe(2);
    expect(info.name).toContain("scale-out");
    expect(f.tierOf(0, 63)).toBe(0);
    expect(f.tierOf(0, 64)).toBe(1);
  });
});

describe("routing changes the answer where it should", () => {
  it("UB-Mesh all-path routing lifts a lone pair from 1/(d-1) of the bandwidth to all of it", () => {
    const sys = testSystem(8, [{ topology: "full-mesh", bandwidthGBps: 70, latencyUs: 0 }]);
    const minimal = runOneCollective(sys, "send-recv", 700 * MB, { ranks: [0, 1] });
    const apr = runOneCollective(sys, "send-recv", 700 * MB, { ranks: [0, 1], routing: { "*": "all-path" } });
    expect(minimal.timeS).toBeCloseTo(0.07, 6);
    expect(apr.timeS).toBeCloseTo(0.01, 6);
  });

  it("all-path routing cannot beat the direct algorithm when every link is already busy", () => {
    const sys = testSystem(8, [{ topology: "full-mesh", bandwidthGBps: 70, latencyUs: 0 }]);
    const a = runOneCollective(sys, "all-to-all", 800 * MB, { algorithm: "direct" });
    const b = runOneCollective(sys, "all-to-all", 800 * MB, {
      algorithm: "direct",
      routing: { "*": "all-path" },
    });
    expect(b.timeS).toBeGreaterThanOrEqual(a.timeS * 0.999);
  });

  it("ECMP hashing onto single spines is never faster than ideal spraying, and collides", () => {
    const sys = testSystem(32, [
      { topology: { kind: "fat-tree", radix: 8 }, bandwidthGBps: 100, latencyUs: 1 },
    ]);
    const ranks = Array.from({ length: 32 }, (_, i) => i);
    const spray = runOneCollective(sys, "all-to-all", 1 * GB, { ranks, algorithm: "direct" });
    const ecmp = runOneCollective(sys, "all-to-all", 1 * GB, {
      ranks,
      algorithm: "direct",
      routing: { "*": "ecmp" },
    });
    expect(ecmp.timeS).toBeGreaterThan(spray.timeS * 1.01);
  });

  it("oversubscription slows traffic that crosses leaves and nothing else", () => {
    const mk = (o: number) =>
      testSystem(64, [
        { topology: "switch", groupSize: 8, bandwidthGBps: 400 },
        { topology: "fat-tree", bandwidthGBps: 100, oversubscription: o },
      ]);
    const t1 = runOneCollective(mk(1), "all-reduce", 1 * GB).timeS;
    const t4 = runOneCollective(mk(4), "all-reduce", 1 * GB).timeS;
    expect(t4).toBeGreaterThan(t1 * 1.5);
    const inner1 = runOneCollective(mk(1), "all-reduce", 1 * GB, { ranks: [0, 1, 2, 3, 4, 5, 6, 7] }).timeS;
    const inner4 = runOneCollective(mk(4), "all-reduce", 1 * GB, { ranks: [0, 1, 2, 3, 4, 5, 6, 7] }).timeS;
    expect(inner4).toBeCloseTo(inner1, 9);
  });
});

describe("a partly filled last group", () => {
  // 256 chips in racks of 72 (GB200 NVL72 runs): the fourth rack holds 40. Its links once shared ids with the next
  // tier's (a fractional group count set the next tier's base), so its chips' ports took InfiniBand's capacity.
  // Built as validation cases build their hardware (src/validate/hardware.ts), which allows the partial rack.
  const sys = systemFromCaseHardware({
    chip: "gb200",
    chips: 256,
    network: [
      { name: "nvlink", groupSize: 72, bandwidthGBps: 900, topology: "switch" },
      { name: "infiniband", bandwidthGBps: 50, oversubscription: 1, topology: "fat-tree" },
    ],
  });

  it("owns link ids of its own, below the next tier's", () => {
    const f = new Fabric(sys);
    expect(f.linkBase(1)).toBeGreaterThanOrEqual(4 * f.tiers[0].linkCount);
  });

  it("runs a collective inside it as fast as inside a full group", () => {
    const first = runOneCollective(sys, "all-gather", 256 * MB, { ranks: [0, 1, 2, 3] }).timeS;
    const last = runOneCollective(sys, "all-gather", 256 * MB, { ranks: [240, 241, 242, 243] }).timeS;
    expect(last).toBeCloseTo(first, 12);
  });
});
