// The up-front estimate: cheap, of the right size against real runs, and refusing what cannot finish with an error naming what to change.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { loadScenarioText } from "../scenario/load.js";
import { estimateSimulation, MAX_WALL_S } from "./estimate.js";
import { simulateScenario } from "./simulate.js";

const ROOT = join(import.meta.dirname, "..", "..");
const example = (f: string) => loadScenarioText(readFileSync(join(ROOT, "examples", f), "utf8"), f);

describe("estimateSimulation", () => {
  it("is cheap and within an order of magnitude of the events a run takes", () => {
    for (const f of ["ub-mesh-vs-clos-clos.yaml", "atlas-950-uboe-vs-roce-uboe.yaml", "astra-3d.yaml"]) {
      const sc = example(f);
      const t0 = performance.now();
      const e = estimateSimulation(sc, sc.file.simulation ?? {});
      expect(performance.now() - t0, f).toBeLessThan(500);
      const r = simulateScenario(sc);
      expect(e.events / r.stats.events, f).toBeGreaterThan(0.1);
      expect(e.events / r.stats.events, f).toBeLessThan(30);
      expect(e.memoryBytes).toBeGreaterThan(0);
    }
  });

  it("grows with every rank simulated: no symmetry costs far more", () => {
    const sc = example("ub-mesh-vs-clos-clos.yaml");
    const sym = estimateSimulation(sc, {});
    const full = estimateSimulation(sc, { symmetry: false });
    expect(full.events).toBeGreaterThan(100 * sym.events);
    expect(full.peakFlows).toBeGreaterThan(sym.peakFlows);
  });

  it("refuses --no-symmetry on a SuperCluster before it starts, naming what to change", () => {
    const sc = example("atlas-950-supercluster-train.yaml");
    const e = estimateSimulation(sc, { symmetry: false });
    expect(e.wallS).toBeGreaterThan(MAX_WALL_S);
    let err: unknown;
    const t0 = performance.now();
    try {
      simulateScenario(sc, { config: { symmetry: false } });
    } catch (x) {
      err = x;
    }
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(err).toBeInstanceOf(ZettasimError);
    expect((err as Error).message).toMatch(
      /simulation\.symmetry: this simulation would take about .* minutes.*expected symmetry on/,
    );
  });
});
