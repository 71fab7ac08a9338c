// Every chart definition renders, in Node with a server-side document, to SVG with its marks, the same every time,
// and never carries NaN or Infinity. (The browser tests draw the same definitions in Chromium.)
import { parseHTML } from "linkedom";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO } from "../scenario/default.js";
import { scenarioFromValue } from "../scenario/load.js";
import { type ChartDocument, type ChartSpec, countTick, renderChart, stableIds } from "./charts.js";
import { checkClaims } from "./claims.js";
import { compareSpecs } from "./compare.js";
import { deriveSpec } from "./derive.js";
import { runScenario, runTraining, type ScenarioResults } from "./scenario.js";
import {
  claimsSection,
  compareSection,
  planSection,
  reliabilitySection,
  servingSection,
  simulationSection,
  trainingSection,
} from "./sections.js";

const doc = parseHTML("<!doctype html><html><body></body></html>").document as unknown as ChartDocument;
const svg = (spec: ChartSpec) =>
  stableIds((renderChart(spec, doc, 800) as unknown as { outerHTML: string }).outerHTML, spec.id);
const chartsOf = (blocks: { kind: string; spec?: ChartSpec }[]) =>
  blocks.filter((b) => b.kind === "chart").map((b) => b.spec as ChartSpec);

let r: ScenarioResults;
beforeAll(async () => {
  // A small scenario with every section: training, a plan, a simulated iteration, reliability and serving.
  r = await runScenario(
    scenarioFromValue({
      name: "charts",
      seed: 3,
      system: "atlas-950-superpod",
      model: "llama3-70b",
      training: { seqLength: 4096, globalBatchSize: 1024, tp: 8, pp: 4, precision: "fp8", trainTokens: 1e12 },
      plan: {
        chips: [512, 1024],
        top: 3,
        space: { tp: [4, 8], pp: [2, 4], recompute: ["selective"], zero: [1] },
      },
      reliability: { trials: 50 },
      serving: {
        mode: "colocated",
        colocated: { instances: 2, instanceChips: 8, tp: 8 },
        workload: {
          arrival: { kind: "poisson", ratePerS: 20 },
          requests: 300,
          inputTokens: { kind: "fixed", tokens: 1000 },
          outputTokens: { kind: "fixed", tokens: 100 },
        },
        slo: { ttftMs: 1000, tpotMs: 50 },
      },
    }),
    "charts.yaml",
  );
}, 120_000);

describe("chart definitions", () => {
  it("the scenario ran every command", () => {
    expect(r.skipped).toEqual([]);
    expect(r.training && r.plan && r.simulation && r.reliability && r.serving).toBeTruthy();
  });

  it("the reliability section shows goodput across the cross-fleet band, the central goodput inside it", () => {
    const rel = r.reliability!.report;
    const sec = reliabilitySection(rel, r.systemName, r.reliability!.scale, r.reliability!.interval);
    const kpis = sec.blocks.flatMap((b) => (b.kind === "kpis" ? b.items : []));
    expect(kpis.find((k) => k.key === "other-fleets")?.note).toContain("leave-one-study-out");
    expect(rel.fleetSpread.goodputLow).toBeLessThan(rel.closedForm.goodput);
    expect(rel.fleetSpread.goodputHigh).toBeGreaterThan(rel.closedForm.goodput);
  });

  it("each chart of each section renders to SVG with marks, identically twice, without NaN or Infinity", () => {
    const t = r.training!;
    const specs = [
      ...chartsOf(trainingSection(t.report, r.systemName, t.failures).blocks),
      ...chartsOf(planSection(r.plan!.json, r.systemName).blocks),
      ...chartsOf(simulationSection(r.simulation!.report, r.systemName, r.simulation!.segments).blocks),
      ...chartsOf(
        reliabilitySection(r.reliability!.report, r.systemName, r.reliability!.scale, r.reliability!.interval)
          .blocks,
      ),
      ...chartsOf(servingSection(r.serving!.report, r.systemName, r.serving!.cdf).blocks),
      ...chartsOf(claimsSection(checkClaims()).blocks),
      ...chartsOf(
        compareSection(
          compareSpecs(
            ["vr-nvl144", "atlas-950-superpod"].map((id) =>
              deriveSpec(scenarioFromValue({ system: id }).system),
            ),
          ),
        ).blocks,
      ),
    ];
    expect(specs.map((s) => s.id)).toEqual([
      "step-breakdown",
      "memory",
      "pareto",
      "timeline",
      "sim-vs-analytical",
      "tier-utilisation",
      "reliability-scale",
      "interruptions-scale",
      "checkpoint-interval",
      "ttft-cdf",
      "tpot-cdf",
      "claims",
      "compare",
    ]);
    for (const s of specs) {
      const a = svg(s);
      expect(a, s.id).toContain("<svg");
      expect(a, s.id).not.toMatch(/NaN|Infinity/);
      expect(a.match(/<(rect|path|circle|line)\b/g)?.length ?? 0, s.id).toBeGreaterThan(3);
      expect(svg(s), s.id).toBe(a);
    }
  });

  it("the step breakdown has one bar per cause that takes time", () => {
    const t = r.training!.report;
    const spec = chartsOf(trainingSection(t, r.systemName).blocks)[0];
    const causes = Object.values(t.breakdownS).filter((v) => v > 0).length;
    const bars = svg(spec).match(/<rect\b/g)?.length ?? 0;
    expect(bars).toBe(causes);
  });

  it("chip-count ticks read as people say them", () => {
    expect([1024, 8192, 524288, 1048576, 72].map(countTick)).toEqual(["1K", "8K", "512K", "1M", "72"]);
  });

  it("the default scenario's training charts render too (full SuperCluster)", () => {
    const t = runTraining(scenarioFromValue(DEFAULT_SCENARIO));
    expect(t.report.chips).toBe(524288);
    for (const s of chartsOf(trainingSection(t.report, "SuperCluster", t.failures).blocks))
      expect(svg(s)).toContain("<svg");
  });
});
