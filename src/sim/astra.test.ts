// ASTRA-sim's analytical network files as zettasim input: the shipped examples against hand-derived closed forms, and every error path.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { loadScenarioText } from "../scenario/load.js";
import { simulateScenario } from "./simulate.js";

const ROOT = join(import.meta.dirname, "..", "..");
const example = (f: string) => loadScenarioText(readFileSync(join(ROOT, "examples", f), "utf8"), f);

/** ASTRA-sim's GB/s (2^30 bytes) in bytes/s. */
const GiBps = (x: number) => x * 2 ** 30;
const D = 2 ** 30;
const ns = 1e-9;

describe("ASTRA-sim network files", () => {
  it("the 1D ring of 4,096: a bidirectional ring, 2(n-1)(D/(2nB) + a)", () => {
    const r = simulateScenario(example("astra-1d-ring.yaml"));
    const n = 4096;
    const cf = 2 * (n - 1) * (D / (2 * n) / GiBps(50) + 500 * ns);
    expect(r.phases.map((p) => p.algorithm)).toEqual(["bidirectional-ring"]);
    expect(Math.abs(r.stepTimeS / cf - 1)).toBeLessThan(0.01);
    expect(r.chips).toBe(4096);
  });

  it("the 1D switch of 4,096: halving-doubling, 2((n-1)D/(nB) + log2(n) x 2a)", () => {
    const r = simulateScenario(example("astra-1d-switch.yaml"));
    const n = 4096;
    const cf = 2 * (((n - 1) / n) * (D / GiBps(400)) + 12 * 2 * 936.25 * ns);
    expect(r.phases.map((p) => p.algorithm)).toEqual(["halving-doubling"]);
    expect(Math.abs(r.stepTimeS / cf - 1)).toBeLessThan(0.01);
  });

  it("the 2D switch x ring: direct on the switches, a bidirectional ring of 1/64 of the buffer across them", () => {
    const r = simulateScenario(example("astra-2d.yaml"));
    const direct = (63 / 64) * (D / GiBps(400)) + 2 * 936.25 * ns;
    // Each NPU's two messages share its 2 x 50 GB/s port; each ring link carries the 64 positions' copies.
    const ring = 2 * 63 * (D / 64 / 128 / GiBps(50) + 500 * ns);
    expect(r.phases.map((p) => `${p.tier}:${p.algorithm}`)).toEqual([
      "0:direct",
      "1:bidirectional-ring",
      "0:direct",
    ]);
    expect(Math.abs(r.stepTimeS / (2 * direct + ring) - 1)).toBeLessThan(0.01);
  });

  it("the 3D ring x fully connected x switch: each dimension's phase at its closed form", () => {
    const r = simulateScenario(example("astra-3d.yaml"));
    const ring = 7 * (D / 16 / GiBps(200) + 50 * ns);
    // Direct over 8: seven messages of D/64 at one 100 GB/s link each.
    const fc = D / 64 / GiBps(100) + 500 * ns;
    const sw = 2 * ((63 / 64) * (D / 64 / GiBps(50)) + 2 * 2000 * ns);
    expect(r.phases.map((p) => `${p.tier}:${p.algorithm}`)).toEqual([
      "0:bidirectional-ring",
      "1:direct",
      "2:direct",
      "1:direct",
      "0:bidirectional-ring",
    ]);
    expect(Math.abs(r.stepTimeS / (2 * ring + 2 * fc + sw) - 1)).toBeLessThan(0.01);
  });

  it("a bare ASTRA-sim file (no simulation section) runs a 1 GiB all-reduce over every NPU", () => {
    const sc = loadScenarioText(
      "topology: [ Ring ]\nnpus_count: [ 16 ]\nbandwidth: [ 50.0 ]\nlatency: [ 500.0 ]\n",
    );
    expect(sc.system.chips).toBe(16);
    expect(sc.system.tiers[0].topology.kind).toBe("torus");
    const r = simulateScenario(sc);
    expect(r.collective).toEqual({ op: "all-reduce", bytesPerRank: D, ranks: 16 });
  });

  it("errors name the ASTRA-sim field, the value and what was expected, with the line", () => {
    const base = {
      topology: "[ Ring, Switch ]",
      npus_count: "[ 8, 4 ]",
      bandwidth: "[ 50.0, 25.0 ]",
      latency: "[ 500.0, 100.0 ]",
    };
    const text = (o: Partial<Record<string, string>>) =>
      Object.entries({ ...base, ...o })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}: ${v}`)
        .join("\n");
    const cases: [Partial<Record<string, string>>, RegExp][] = [
      [{ bandwidth: "[ 50.0 ]" }, /net.yml:3:12: bandwidth: has 1 entries but topology has 2 dimensions/],
      [
        { topology: "[ Ring, Torus ]" },
        /topology\[1\]: not a building block.*got "Torus".*FullyConnected, Ring, Switch/,
      ],
      [{ npus_count: "[ 8, 1 ]" }, /npus_count\[1\]: must be larger than 1/],
      [{ bandwidth: "[ 50.0, 0 ]" }, /bandwidth\[1\]: must be > 0/],
      [{ latency: "[ 500.0, -1 ]" }, /latency\[1\]: must be >= 0/],
      [{ npus_count: "[ 8192, 4096 ]" }, /npus_count: 33554432 NPUs in all.*at most 16777216/],
      [{ npus_count: "[ 8, 4.5 ]" }, /npus_count\[1\]: must be a whole number/],
      [{ extra: "1" }, /extra/],
    ];
    for (const [o, re] of cases) {
      let err: unknown;
      try {
        loadScenarioText(text(o), "net.yml");
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(o)).toBeInstanceOf(ZettasimError);
      expect((err as Error).message.replace(/\n/g, " "), JSON.stringify(o)).toMatch(re);
    }
  });
});
