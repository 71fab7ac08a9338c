// The headline figures of a training estimate (the KPIs and the one-line layout a page shows first), free of chart
// code so the web app's first figures go on screen before Observable Plot has loaded.
import { fmtDuration, fmtInt, fmtMemory, fmtSI } from "../core/units.js";
import type { Expectation } from "../reliability/closed-form.js";
import type { Kpi } from "./blocks.js";
import { pct } from "./tables.js";
import type { TrainingReport } from "./training-results.js";

/** Breakdown keys as people say them: computeS -> compute, tpCommS -> tp. */
export const causeOf = (key: string) => key.replace(/S$/, "").replace(/Comm$/, "");

/**
 * The KPIs of a training estimate: step time, MFU, tokens/s, memory, time to train (and with failures, and across
 * the failure studies' cross-fleet band). O(1).
 */
export function trainingKpis(r: TrainingReport, failures?: Expectation): Kpi[] {
  const kpis: Kpi[] = [
    {
      key: "step-time",
      label: "step time",
      value: fmtDuration(r.stepTimeS),
      note: `bottleneck ${causeOf(r.bottleneck)}`,
    },
    { key: "mfu", label: "MFU", value: pct(r.mfu), note: `HFU ${pct(r.hfu)}` },
    {
      key: "tokens",
      label: "tokens/s",
      value: fmtSI(r.tokensPerSecond, "tok/s"),
      note: `${fmtInt(r.tokensPerSecondPerChip)} per chip`,
    },
    {
      key: "memory",
      label: "memory per chip",
      value: fmtMemory(r.memoryPerChipBytes),
      note: `of ${fmtMemory(r.memoryCapacityBytes)}: ${r.fitsInMemory ? "fits" : "does not fit"}`,
      warn: !r.fitsInMemory,
    },
  ];
  if (r.timeToTrainS !== undefined && r.energyToTrainJ !== undefined) {
    kpis.push({
      key: "time-to-train",
      label: "time to train",
      value: fmtDuration(r.timeToTrainS),
      note: fmtSI(r.energyToTrainJ / 3600, "Wh"),
    });
  }
  if (failures) {
    kpis.push({
      key: "with-failures",
      label: "with failures",
      value: fmtDuration(failures.effectiveTimeToTrainS),
      note: `${pct(failures.goodput)} goodput, ~${fmtInt(failures.interruptions.unexpected)} interruptions`,
    });
  }
  const f = r.withFailures?.fleetSpread;
  if (f) {
    kpis.push({
      key: "other-fleets",
      label: "on other fleets",
      value: `${fmtDuration(f.effectiveTimeToTrainLowS)} - ${fmtDuration(f.effectiveTimeToTrainHighS)}`,
      note: `failure rates x${f.rateLowFactor.toFixed(2)} - x${f.rateHighFactor.toFixed(2)} (80% of ${f.cases} study figures; ${pct(f.looCoverage)} covered leave-one-study-out)`,
    });
  }
  return kpis;
}

/** The layout of a training estimate in one line: scenario, system, chips, degrees, schedule, micro-batches. */
export function trainingLead(r: TrainingReport, systemName: string): string {
  const d = r.degrees;
  return `${r.scenario} on ${systemName}: ${fmtInt(r.chips)} chips, tp ${d.tp} x cp ${d.cp} x pp ${d.pp} x dp ${fmtInt(d.dp)} (ep ${d.ep}, vpp ${d.vpp}), ${r.schedule}, ${fmtInt(r.microBatches)} micro-batches per step`;
}
