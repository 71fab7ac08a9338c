// The scenario entry point: collective runs, error paths naming the field, finite results, both back ends.
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { simulationReport } from "../report/results.js";
import { loadScenarioText } from "../scenario/load.js";
import { simulateScenario } from "./simulate.js";

const run = (sim: string, system = "atlas-950-superpod") =>
  simulateScenario(loadScenarioText(`system: ${system}\nsimulation: ${sim}\n`));

describe("simulateScenario", () => {
  it("runs a collective and reports phases, tiers and hottest links", () => {
    const r = run("{ run: collective, collective: { op: all-reduce, sizeMiB: 64, ranks: 1024 } }");
    expect(r.run).toBe("collective");
    expect(r.phases.map((p) => p.op)).toEqual(["reduce-scatter", "all-reduce", "all-gather"]);
    expect(r.hottestLinks.length).toBeGreaterThan(0);
    expect(Object.values(r.breakdownS).reduce((a, b) => a + b, 0)).toBeCloseTo(r.stepTimeS, 9);
  });

  it("refuses a per-tier algorithm naming a tier the system lacks, listing its tiers", () => {
    const sim = "{ collective: { op: all-reduce, sizeMiB: 64, ranks: 64 }, algorithm: { ub-mesh-x: ring } }";
    expect(() => run(sim)).toThrow(ZettasimError);
    expect(() => run(sim)).toThrow(
      /simulation\.algorithm\.ub-mesh-x: no tier of this name.*expected one of the system's tiers/,
    );
    // A tier the system has, or *, still runs.
    const ok =
      '{ collective: { op: all-reduce, sizeMiB: 64, ranks: 64 }, algorithm: { cabinet-ub: ring, "*": direct } }';
    expect(run(ok).stepTimeS).toBeGreaterThan(0);
  });

  it("runs on a 3D torus (TPU v4 pod) and on a rail-optimized cluster", () => {
    const tpu = run("{ collective: { op: all-reduce, sizeMiB: 64 } }", "tpu-v4-pod");
    expect(tpu.tiers.map((t) => t.kind)).toEqual(["torus", "torus"]);
    expect(tpu.stepTimeS).toBeGreaterThan(0);
    const rail = run(
      "{ collective: { op: all-reduce, sizeMiB: 64 } }",
      "{ extends: dgx-h100-superpod, tiers: [{ name: infiniband, topology: rail-optimized }] }",
    );
    expect(rail.tiers.map((t) => t.kind)).toContain("rail-optimized");
    expect(rail.hottestLinks.length).toBeGreaterThan(0);
  });

  it("the analytical back end gives the flow back end's time where no two messages meet on a link", () => {
    const sim = "{ collective: { op: all-reduce, sizeMiB: 64, ranks: 64 }, algorithm: ring, backend: ";
    const flow = run(`${sim}flow }`);
    const ana = run(`${sim}analytical }`);
    expect(ana.stepTimeS).toBeCloseTo(flow.stepTimeS, 12);
  });

  it("an iteration's report carries the 80% band around the simulated step time, as train's does", () => {
    const sc = loadScenarioText(
      "system: atlas-950-superpod\nmodel: llama3-8b\ntraining: { chips: 64, tp: 8, pp: 2, globalBatchSize: 32, seqLength: 4096 }\n",
    );
    const { report } = simulationReport(sc);
    expect(report.jobChips).toBe(64);
    const b = report.uncertainty!;
    expect(b.cases).toBeGreaterThan(0);
    // The band is the class's residual range applied to the simulated step time.
    expect(b.stepTimeLowS).toBeCloseTo(report.stepTimeS / (1 + b.residualHighPct / 100), 9);
    expect(b.stepTimeHighS).toBeCloseTo(report.stepTimeS / (1 + b.residualLowPct / 100), 9);
    expect(b.stepTimeLowS).toBeLessThan(report.stepTimeS);
    expect(b.stepTimeHighS).toBeGreaterThan(report.stepTimeS);
    // A collective has no validated class: no band.
    const c = simulationReport(
      loadScenarioText(
        "system: atlas-950-superpod\nsimulation: { collective: { op: all-reduce, sizeMiB: 64, ranks: 64 } }\n",
      ),
    );
    expect(c.report.uncertainty).toBeUndefined();
  });

  it("a bigger collective never takes less time", () => {
    const a = run("{ collective: { op: all-reduce, sizeMiB: 16, ranks: 1024 } }");
    const b = run("{ collective: { op: all-reduce, sizeMiB: 64, ranks: 1024 } }");
    expect(b.stepTimeS).toBeGreaterThan(a.stepTimeS);
  });

  it("errors name the field, the value and what was expected", () => {
    const cases: [string, RegExp][] = [
      ["{ collective: { op: all-reduce, sizeMiB: 1, ranks: 9000 } }", /simulation\.collective\.ranks.*9000/],
      ["{ collective: { op: send-recv, sizeMiB: 1, ranks: 3 } }", /send-recv takes two ranks/],
      ["{ run: collective }", /simulation\.collective/],
      ["{ collective: { op: all-reduce, sizeMiB: 1 }, algorithm: ring }", /brute force/],
    ];
    for (const [sim, re] of cases) {
      let err: unknown;
      try {
        run(sim);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ZettasimError);
      expect(String((err as Error).message)).toMatch(re);
    }
    expect(() =>
      loadScenarioText("system: atlas-950-superpod\nsimulation: { algorithm: fastest }\n"),
    ).toThrow(/simulation\.algorithm/);
    expect(() =>
      loadScenarioText(
        "system: atlas-950-superpod\nsimulation: { collective: { op: all-reduce, sizeMiB: -1 } }\n",
      ),
    ).toThrow(/sizeMiB/);
  });
});
