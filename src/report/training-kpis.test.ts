// The training KPIs show the time to train with failures and, beside it, its span across the cross-fleet band.
import { describe, expect, it } from "vitest";
import { scenarioFromValue } from "../scenario/load.js";
import { trainingKpis } from "./training-kpis.js";
import { trainingJob, trainingReport } from "./training-results.js";

function kpis(trainTokens?: number) {
  const sc = scenarioFromValue({
    system: { extends: "dgx-h100-superpod", chips: 16384 },
    model: "llama3-405b",
    training: { seqLength: 8192, globalBatchSize: 2048, tp: 8, pp: 16, recompute: "full", trainTokens },
  });
  const { report, failures } = trainingReport(trainingJob(sc));
  return { report, k: trainingKpis(report, failures) };
}

describe("training KPIs with failures", () => {
  it("span the time to train with failures across the other fleets' failure rates", () => {
    const { report, k } = kpis(1e12);
    const f = report.withFailures?.fleetSpread;
    expect(f).toBeDefined();
    const other = k.find((x) => x.key === "other-fleets");
    expect(other?.value).toContain(" - ");
    expect(other?.note).toContain("leave-one-study-out");
    // The span holds the central figure.
    const central = report.withFailures?.effectiveTimeToTrainS as number;
    expect(f?.effectiveTimeToTrainLowS).toBeLessThan(central);
    expect(f?.effectiveTimeToTrainHighS).toBeGreaterThan(central);
  });

  it("show no span without a time to train", () => {
    expect(kpis().k.some((x) => x.key === "other-fleets")).toBe(false);
  });
});
