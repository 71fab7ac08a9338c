// Tables that the CLI prints and the HTML report shows alike: each a header and rows of formatted text, built once.
import { fmtDuration, fmtInt, fmtSI } from "../core/units.js";
import type { KindSummary } from "../reliability/closed-form.js";
import type { TierUsage } from "../sim/report.js";
import type { SweepRow } from "./results.js";

/** A table: header cells and rows of cells. */
export interface TextTable {
  head: string[];
  rows: string[][];
}

/** A fraction as a percentage with one decimal: 0.1234 -> "12.3%". */
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** A duration, "0" for none. */
export const dur = (s: number) => (s === 0 ? "0" : fmtDuration(s));
/** Three significant figures or so: whole numbers from 1,000, one decimal from 10, two below. */
export const f1 = (x: number) => (x >= 1000 ? fmtInt(x) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
/** A count that may be fractional: whole from 100, one decimal below. */
export const num = (x: number) => (x >= 100 ? fmtInt(x) : x.toFixed(1));

/** One line on lemon nodes in service, as the CLI prints it and the report shows it. */
export function lemonNodesLine(l: {
  share: number;
  detection: number;
  multiplier: number;
  source: string;
}): string {
  return `lemon nodes in service: ${pct(l.share)} of job failures (${l.source}), ${pct(l.detection)} taken out by detection: accelerator, HBM, host and NIC job failures x ${l.multiplier.toFixed(2)}`;
}

/** Failures per component kind (expected over the run, closed form), with each rate's confidence and source. */
export function perKindTable(perKind: readonly KindSummary[]): TextTable {
  return {
    head: [
      "kind",
      "count",
      "fail/1e6 h",
      "job fail/h",
      "restart",
      "migrate",
      "shrink",
      "reroute",
      "conf",
      "source",
    ],
    rows: perKind.map((k) => [
      k.kind,
      fmtInt(k.count),
      k.failuresPerMillionHours.toFixed(2),
      k.jobFailuresPerHour.toFixed(3),
      num(k.expected.restart),
      num(k.expected.migrate),
      num(k.expected.shrink),
      num(k.expected.degrade),
      k.confidence,
      k.source.split(",")[0],
    ]),
  };
}

/** A serving load sweep: latency percentiles, throughput and goodput per arrival rate. */
export function loadSweepTable(rows: readonly SweepRow[]): TextTable {
  return {
    head: [
      "rate req/s",
      "TTFT p50 ms",
      "TTFT p99 ms",
      "TPOT p50 ms",
      "TPOT p99 ms",
      "in tok/s/chip",
      "out tok/s/chip",
      "goodput req/s",
      "meeting SLO",
    ],
    rows: rows.map((r) => [
      f1(r.ratePerS),
      f1(r.ttftMs.p50),
      f1(r.ttftMs.p99),
      f1(r.tpotMs.p50),
      f1(r.tpotMs.p99),
      f1(r.throughput.inputTokensPerSecondPerChip),
      f1(r.throughput.outputTokensPerSecondPerChip),
      r.goodput ? f1(r.goodput.requestsPerS) : "-",
      r.goodput ? pct(r.goodput.fractionMeetingSlo) : "-",
    ]),
  };
}

/** Network tiers of a simulation: links used, bytes carried, mean and peak utilisation. */
export function tierUsageTable(tiers: readonly TierUsage[]): TextTable {
  return {
    head: ["tier", "kind", "links used", "carried", "mean util", "peak util"],
    rows: tiers.map((t) => [
      t.tier,
      t.kind,
      fmtInt(t.linksUsed),
      fmtSI(t.bytesCarried, "B"),
      pct(t.meanUtilisation),
      pct(t.peakUtilisation),
    ]),
  };
}
