// Every example scenario in examples/ (and the built-in default) loads, and each analytical section it has runs to finite figures.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { assertFinite } from "../src/core/errors.js";
import { expectedOutcome } from "../src/reliability/closed-form.js";
import { reliabilitySetup } from "../src/reliability/scenario.js";
import { DEFAULT_SCENARIO } from "../src/scenario/default.js";
import { loadScenarioText, type Scenario, scenarioFromValue } from "../src/scenario/load.js";
import { estimateTraining } from "../src/training/estimate.js";

const dir = new URL("../examples/", import.meta.url);
// Sweep files (sweep-*.yaml) are not scenarios: node/sweep/sweep.test.ts runs them.
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith("sweep-"));

function checkSections(sc: Scenario) {
  if (sc.model && sc.file.training) {
    const r = estimateTraining(sc.system, sc.model, sc.file.training);
    assertFinite(r, "estimateTraining");
    expect(r.stepTimeS).toBeGreaterThan(0);
    expect(r.mfu).toBeGreaterThan(0);
    expect(r.mfu).toBeLessThan(1);
  }
  if (sc.file.reliability) {
    const setup = reliabilitySetup(sc);
    const out = expectedOutcome(setup.model, setup.run);
    assertFinite(out, "expectedOutcome");
    expect(out.goodput).toBeGreaterThan(0);
    expect(out.goodput).toBeLessThanOrEqual(1);
  }
}

describe("examples", () => {
  test("there are examples for every capability", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  for (const f of files) {
    test(`${f} loads and its analytical sections give finite figures`, () => {
      const sc = loadScenarioText(readFileSync(new URL(f, dir), "utf8"), `examples/${f}`);
      expect(sc.system.chips).toBeGreaterThan(0);
      checkSections(sc);
    });
  }

  test("the built-in default scenario trains a 2T MoE on every NPU of the SuperCluster and fits", () => {
    const sc = scenarioFromValue(DEFAULT_SCENARIO, "default");
    expect(sc.system.chips).toBe(524288);
    const r = estimateTraining(sc.system, sc.model!, sc.file.training!);
    expect(r.chips).toBe(524288);
    expect(r.fitsInMemory).toBe(true);
    expect(r.timeToTrainS).toBeGreaterThan(0);
    checkSections(sc);
  });
});
