// Every reliability example in examples/ runs as a test; its headline figures stay where docs/reliability.md reports them.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenarioText } from "../scenario/load.js";
import { reliabilityReport } from "./report.js";
import { reliabilitySetup } from "./scenario.js";

// Headline figures of every example (closed form, and the seeded Monte Carlo at the trial counts used here) are
// kept in examples.golden.json; UPDATE_GOLDEN=1 rewrites it.
const GOLDEN = new URL("./examples.golden.json", import.meta.url);
const golden: Record<string, Record<string, number>> = existsSync(GOLDEN)
  ? JSON.parse(readFileSync(GOLDEN, "utf8"))
  : {};
const update = process.env.UPDATE_GOLDEN === "1";

const run = (name: string, trials: number) => {
  const path = new URL(`../../examples/${name}`, import.meta.url);
  const setup = reliabilitySetup(loadScenarioText(readFileSync(path, "utf8"), name), { trials });
  const r = reliabilityReport(setup.model, setup.run, { trials: setup.trials, seed: setup.seed });
  const figures = {
    goodput: r.goodput,
    availability: r.availability,
    effectiveTimeToTrainS: r.effectiveTimeToTrainS,
    unexpectedInterruptions: r.interruptions.unexpected.mean,
    closedFormGoodput: r.closedForm.goodput,
    closedFormInterruptions: r.closedForm.interruptions.unexpected,
    mtbfS: r.mtbfS,
  };
  if (update) golden[name] = figures;
  else {
    const g = golden[name];
    expect(g, `${name} has golden figures (run with UPDATE_GOLDEN=1)`).toBeDefined();
    // 2%: exact reruns match to the last digit; the slack lets small catalog revisions through.
    for (const [k, v] of Object.entries(figures))
      expect(Math.abs(v / g[k] - 1), `${name} ${k}`).toBeLessThan(0.02);
  }
  return r;
};

afterAll(() => {
  if (update) writeFileSync(GOLDEN, `${JSON.stringify(golden, null, 2)}\n`);
});

describe("reliability examples", () => {
  it("llama3-405b-16k-h100: about 419 unexpected interruptions in 54 days (within 15%), effective training time near 90%", () => {
    const r = run("llama3-405b-16k-h100.yaml", 100);
    expect(Math.abs(r.interruptions.unexpected.mean / 419 - 1)).toBeLessThan(0.15);
    expect(Math.abs(r.closedForm.interruptions.unexpected / 419 - 1)).toBeLessThan(0.15);
    expect(r.interruptions.unexpected.p10).toBeLessThan(r.interruptions.unexpected.p90);
    expect(r.goodput).toBeGreaterThan(0.85);
    expect(r.goodput).toBeLessThan(0.95);
    expect(r.run.wallS).toBe(54 * 86400);
  });

  it("llama3-405b-16k-h100-lemon-nodes: lemons in service (share 0.5) add interruptions and cost goodput against the base example", () => {
    const base = run("llama3-405b-16k-h100.yaml", 100);
    const lemon = run("llama3-405b-16k-h100-lemon-nodes.yaml", 100);
    expect(lemon.lemonNodes).toMatchObject({ share: 0.5, detection: 0 });
    expect(lemon.lemonNodes?.multiplier).toBeCloseTo(2, 12);
    expect("lemonNodes" in base).toBe(false);
    expect(lemon.interruptions.unexpected.mean).toBeGreaterThan(1.4 * base.interruptions.unexpected.mean);
    expect(lemon.closedForm.interruptions.unexpected).toBeGreaterThan(
      base.closedForm.interruptions.unexpected,
    );
    expect(lemon.goodput).toBeLessThan(base.goodput - 0.03);
    expect(lemon.mtbiS).toBeLessThan(base.mtbiS);
    expect(lemon.checkpoint.intervalS).toBeLessThan(base.checkpoint.intervalS);
    // Figures quoted in docs/reliability.md section 7.1.
    expect(lemon.closedForm.interruptions.unexpected).toBeCloseTo(733, -1);
    expect(lemon.closedForm.goodput).toBeCloseTo(0.831, 2);
  });

  it("UB-Mesh vs Clos at 8K NPUs: spares and rerouting raise availability and stretch the time between full restarts", () => {
    const mesh = run("ub-mesh-availability-8k.yaml", 100);
    const clos = run("clos-availability-8k.yaml", 100);
    expect(mesh.availability).toBeGreaterThan(clos.availability + 0.1);
    expect(mesh.mtbRestartS / clos.mtbRestartS).toBeGreaterThan(4);
    expect(mesh.interruptions.byEffect.migrate).toBeGreaterThan(0);
    expect(clos.interruptions.byEffect.migrate).toBe(0);
    // Figures quoted in docs/reliability.md.
    expect(clos.availability).toBeCloseTo(0.759, 1);
    expect(mesh.availability).toBeCloseTo(0.922, 1);
  });

  it("Atlas 950 SuperCluster: UBoE delivers more goodput than RoCE for the same job and policy", () => {
    const uboe = run("atlas-950-supercluster-reliability-uboe.yaml", 12);
    const roce = run("atlas-950-supercluster-reliability-roce.yaml", 12);
    expect(uboe.jobChips).toBe(524288);
    expect(uboe.goodput).toBeGreaterThan(roce.goodput);
    expect(uboe.interruptions.unexpected.mean).toBeLessThan(roce.interruptions.unexpected.mean);
    expect(uboe.mtbRestartS).toBeGreaterThan(roce.mtbRestartS);
    expect(uboe.perKind.find((k) => k.kind === "nic")?.count).toBe(0);
    expect(roce.perKind.find((k) => k.kind === "nic")?.count).toBe(524288);
    expect(uboe.goodput).toBeCloseTo(0.316, 1);
    expect(roce.goodput).toBeCloseTo(0.297, 1);
  });

  it("reports the fields `zettasim reliability --json` promises", () => {
    const r = run("clos-availability-8k.yaml", 100);
    for (const k of ["mean", "p10", "p50", "p90"] as const) {
      expect(typeof r.interruptions.unexpected[k]).toBe("number");
      expect(typeof r.spread.goodput[k]).toBe("number");
      expect(typeof r.spread.effectiveTimeToTrainS[k]).toBe("number");
      expect(typeof r.spread.availability[k]).toBe("number");
    }
    expect(r.goodput).toBeGreaterThan(0);
    expect(r.effectiveTimeToTrainS).toBeGreaterThan(r.run.idealTrainingS);
    expect(r.perKind.map((k) => k.kind)).toEqual([
      "accelerator",
      "hbm",
      "host",
      "nic",
      "optical-module",
      "switch",
      "software",
    ]);
    expect(r.closedForm.interruptions.unexpected).toBeGreaterThan(0);
    expect(r.mtbfS).toBeLessThanOrEqual(r.mtbiS);
    expect(r.mtbiS).toBeLessThanOrEqual(r.mtbRestartS);
    expect(r.monteCarlo.events).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
