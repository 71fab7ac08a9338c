// Stragglers (ranks that arrive late at a collective): hand calculations, and the symmetry reduction falling back to every rank only in the tier groups a straggler breaks, against the every-rank run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { System } from "../catalog/types.js";
import { ZettasimError } from "../core/errors.js";
import { loadScenarioText } from "../scenario/load.js";
import type { SimulationConfig } from "../schema/simulation.js";
import { simulateScenario } from "./simulate.js";
import { simulateOn, testSystem } from "./testing.js";
import { Fabric } from "./topology/fabric.js";

const MiB = 2 ** 20;
const GBps = 1e9;
const us = 1e-6;

const simulate = simulateOn;

describe("stragglers against hand calculations", () => {
  const pair = testSystem(2, [{ topology: "switch", bandwidthGBps: 100, latencyUs: 1 }]);
  const D = 64 * MiB;
  const B = 100 * GBps;
  const a = 1 * us; // one switch hop

  it("a late sender: the transfer starts d later", () => {
    const d = 250 * us;
    const r = simulate(pair, {
      collective: { op: "send-recv", sizeMiB: 64 },
      stragglers: [{ chip: 0, delayS: d }],
    });
    expect(r.stepTimeS).toBeCloseTo(d + D / B + a, 12);
    expect(r.stragglers).toEqual([{ chip: 0, delayS: d }]);
  });

  it("a ring all-reduce of two ranks, rank 1 late by d >= one step: d + 1.5 D/B + 2a", () => {
    // Rank 0's first half arrives at D/2B + a <= d, so at d rank 1 sends both its halves at once over its
    // port (B/2 each, both arrive at d + D/B + a); rank 0 then sends its second half (D/2B + a more).
    const d = 1e-3;
    const sim: SimulationConfig = { collective: { op: "all-reduce", sizeMiB: 64 }, algorithm: "ring" };
    const base = simulate(pair, sim).stepTimeS;
    expect(base).toBeCloseTo(D / B + 2 * a, 12);
    const late = simulate(pair, { ...sim, stragglers: [{ chip: 1, delayS: d }] });
    expect(late.stepTimeS).toBeCloseTo(d + 1.5 * (D / B) + 2 * a, 12);
  });

  it("a straggler outside the collective's ranks, or with no delay, changes nothing", () => {
    const sys = testSystem(8, [{ topology: "switch", bandwidthGBps: 100, latencyUs: 1 }]);
    const sim: SimulationConfig = { collective: { op: "all-reduce", sizeMiB: 64, ranks: 4, strideChips: 2 } };
    const base = simulate(sys, sim).stepTimeS;
    expect(simulate(sys, { ...sim, stragglers: [{ chip: 3, delayS: 1e-3 }] }).stepTimeS).toBe(base);
    expect(simulate(sys, { ...sim, stragglers: [{ chip: 2, delayS: 0 }] }).stepTimeS).toBe(base);
    expect(simulate(sys, { ...sim, stragglers: [{ chip: 2, delayS: 1e-3 }] }).stepTimeS).toBeGreaterThan(
      base + 1e-3,
    );
  });
});

describe("the reduction falls back exactly where a straggler breaks symmetry", () => {
  // Two tiers of every shape the reduction handles: interchangeable members (switch, full mesh), a torus
  // ring (rotation), a Clos with several chips per leaf (copies on shared uplinks).
  const systems: [string, System][] = [
    [
      "switch x 8 under a switch",
      testSystem(64, [
        { topology: "switch", groupSize: 8, bandwidthGBps: 400, latencyUs: 0.5 },
        { topology: "switch", bandwidthGBps: 50, latencyUs: 2 },
      ]),
    ],
    [
      "ring x 8 under a full mesh",
      testSystem(64, [
        { topology: { kind: "torus", dims: [8] }, groupSize: 8, bandwidthGBps: 200, latencyUs: 0.05 },
        { topology: "full-mesh", bandwidthGBps: 100, latencyUs: 0.5 },
      ]),
    ],
    [
      "switch x 8 under a 2:1 fat tree",
      testSystem(64, [
        { topology: "switch", groupSize: 8, bandwidthGBps: 400, latencyUs: 0.5 },
        { topology: { kind: "fat-tree", radix: 16 }, bandwidthGBps: 50, latencyUs: 2, oversubscription: 2 },
      ]),
    ],
  ];
  for (const [name, sys] of systems) {
    it(`${name}: reduced = every rank to 1e-9 s, the straggler's tier group alone run in full`, () => {
      const sim: SimulationConfig = {
        collective: { op: "all-reduce", sizeMiB: 64 },
        stragglers: [
          { chip: 13, delayS: 40 * us },
          { chip: 14, delayS: 10 * us },
        ],
      };
      const base = simulate(sys, { collective: sim.collective }).stepTimeS;
      const reduced = simulate(sys, sim);
      const full = simulate(sys, { ...sim, symmetry: false });
      expect(Math.abs(reduced.stepTimeS - full.stepTimeS)).toBeLessThan(1e-9);
      expect(reduced.stepTimeS).toBeGreaterThanOrEqual(base + 40 * us - 1e-12);
      expect(reduced.phases[0].simulated).toBe("groups");
      expect(full.phases.every((p) => p.simulated === "every rank")).toBe(true);
      // Past the first phase everyone waits for the straggler, and symmetry is whole again.
      expect(reduced.phases.slice(1).every((p) => p.simulated === "representative")).toBe(true);
      // Fewer messages than the every-rank run: only the straggler's tier group ran in full.
      expect(reduced.stats.messages).toBeLessThan(full.stats.messages / 2);
    });
  }

  it("a straggler and a degraded link together: reduced = every rank to 1e-9 s", () => {
    const sys = systems[0][1];
    const link = new Fabric(sys).link(new Fabric(sys).routes(0, 8)[0].links[0]).name;
    const sim: SimulationConfig = {
      collective: { op: "all-reduce", sizeMiB: 64 },
      stragglers: [{ chip: 21, delayS: 25 * us }],
      faults: [{ link, atS: 50 * us, bandwidthFactor: 0.3 }],
    };
    const reduced = simulate(sys, sim);
    const full = simulate(sys, { ...sim, symmetry: false });
    expect(Math.abs(reduced.stepTimeS - full.stepTimeS)).toBeLessThan(1e-9);
    const noFault = simulate(sys, { ...sim, faults: undefined }).stepTimeS;
    expect(reduced.stepTimeS).toBeGreaterThan(noFault);
  });
});

describe("straggler errors", () => {
  const sys = testSystem(4, [{ topology: "switch", bandwidthGBps: 100, latencyUs: 1 }]);
  it("a chip beyond the system, named by its field", () => {
    expect(() =>
      simulate(sys, {
        collective: { op: "all-reduce", sizeMiB: 1 },
        stragglers: [{ chip: 4, delayS: 1e-6 }],
      }),
    ).toThrow(/simulation\.stragglers\.0\.chip|stragglers\[0\]\.chip.*beyond the system's chips/);
  });
  it("an iteration with stragglers is refused, not approximated", () => {
    const sc = loadScenarioText(
      "system: atlas-950-superpod\nmodel: llama3-8b\ntraining: { tp: 8, globalBatchSize: 64, seqLength: 4096 }\nsimulation: { stragglers: [{ chip: 3, delayS: 0.001 }] }\n",
    );
    expect(() => simulateScenario(sc)).toThrow(ZettasimError);
    expect(() => simulateScenario(sc)).toThrow(/stragglers apply to collective runs/);
  });
});

describe("a straggler's cost up front", () => {
  it("a straggler on a flat ring of 1,048,576 ranks (every rank of the ring would run) is refused, naming stragglers", () => {
    const sc = loadScenarioText(
      "topology: [ Ring ]\nnpus_count: [ 1048576 ]\nbandwidth: [ 50.0 ]\nlatency: [ 500.0 ]\nsimulation: { collective: { op: all-reduce, sizeMiB: 1024 }, stragglers: [{ chip: 5, delayS: 0.001 }] }\n",
      "ring.yaml",
    );
    expect(() => simulateScenario(sc)).toThrow(/simulation\.stragglers: this simulation would take/);
  });
  it("on the 3D network of 4,096 the straggler's ring of 8 alone runs in full: cheap", () => {
    const text = readFileSync(join(import.meta.dirname, "..", "..", "examples", "astra-3d.yaml"), "utf8");
    const sc = loadScenarioText(
      text.replace("simulation:\n", "simulation:\n  stragglers: [{ chip: 77, delayS: 1.0e-5 }]\n"),
      "astra-3d.yaml",
    );
    const r = simulateScenario(sc);
    const base = simulateScenario(loadScenarioText(text, "astra-3d.yaml"));
    // (The every-rank run takes 18 s here; the reduced = full checks above use 64 chips.)
    expect(r.stepTimeS).toBeGreaterThan(base.stepTimeS);
    expect(r.phases[0].simulated).toBe("groups");
    expect(r.stats.messages).toBeLessThan(1000);
  });
});
