// What each command's result shows people: headline figures, tables and charts, formatted as the CLI formats them.
import { fmtDuration, fmtInt, fmtMemory, fmtRatio, fmtSI } from "../core/units.js";
import type { Expectation } from "../reliability/closed-form.js";
import type { Block, Kpi, Section } from "./blocks.js";
import {
  causeOf,
  checkpointIntervalChart,
  claimsChart,
  compareChart,
  interruptionsScaleChart,
  latencyCdfChart,
  latencySweepChart,
  loadSweepChart,
  memoryChart,
  type PlanPoint,
  paretoChart,
  reliabilityScaleChart,
  simVsAnalyticalChart,
  stepBreakdownChart,
  tierUtilisationChart,
  timelineChart,
} from "./charts.js";
import type { ClaimCheck } from "./claims.js";
import type { Comparison } from "./compare.js";
import type { SystemSpec } from "./derive.js";
import { comparisonRows, floorText, formatQuantity, specRows, tierRows } from "./format.js";
import type {
  planTrainJson,
  ReliabilityJson,
  ServingJson,
  SimulationReport,
  SweepRow,
  TrainingReport,
} from "./results.js";
import type { CdfPoint, ReliabilityPoint, TimelineSegment } from "./series.js";
import { dur, f1, lemonNodesLine, loadSweepTable, num, pct, perKindTable, tierUsageTable } from "./tables.js";
import { trainingKpis, trainingLead } from "./training-kpis.js";

/** A system's derived specification: headline figures, every figure, and the per-tier network. */
export function specSection(s: SystemSpec): Section {
  const flops = (["fp4", "fp8", "bf16"] as const).filter((p) => s.peakFlops[p] !== undefined);
  const kpis: Kpi[] = [
    { key: "chips", label: "chips", value: fmtInt(s.chips), note: s.chipName },
    ...flops.map((p) => ({
      key: `peak-${p}`,
      label: `peak ${p.toUpperCase()} (dense)`,
      value: fmtSI(s.peakFlops[p] ?? 0, "FLOPS"),
    })),
    {
      key: "hbm",
      label: "HBM",
      value: fmtSI(s.memoryBytes, "B"),
      note: fmtSI(s.memoryBandwidthBytesPerS, "B/s"),
    },
    {
      key: "scale-up",
      label: "scale-up bandwidth",
      value: fmtSI(s.scaleUpBandwidthBytesPerS, "B/s"),
      note: "both directions",
    },
    {
      key: "floor",
      label: "floor area",
      value: floorText(s),
      note: `${fmtInt(s.cabinets.total)} cabinets`,
    },
    {
      key: "power",
      label: "IT power",
      value: fmtSI(s.powerW, "W"),
      note: `${fmtSI(s.facilityPowerW, "W")} facility`,
    },
  ];
  const [head, ...rows] = tierRows(s);
  return {
    id: "spec",
    title: `${s.name}`,
    lead: `${s.id}: every figure derived from per-chip and per-group facts`,
    blocks: [
      { kind: "kpis", items: kpis },
      { kind: "table", title: "Derived specification", head: ["figure", "value"], rows: specRows(s) },
      { kind: "table", title: "Network tiers", head, rows },
    ],
  };
}

/** Systems side by side, with ratios to the first. */
export function compareSection(c: Comparison): Section {
  const [head, ...rows] = comparisonRows(c);
  const notes = c.rows.filter((r) => r.note).map((r) => `${r.label}: ${r.note}`);
  const blocks: Block[] = [
    { kind: "table", head: ["figure", ...head.slice(1)], rows },
    { kind: "chart", spec: compareChart(c) },
  ];
  if (notes.length)
    blocks.push({ kind: "list", title: `Ratios are to ${c.systems[0].id}, except`, items: notes });
  return { id: "compare", title: "Compare", lead: c.systems.map((s) => s.name).join(" vs "), blocks };
}

/** Huawei's published figures beside the derived ones. */
export function claimsSection(checks: ClaimCheck[]): Section {
  const agree = checks.filter((c) => c.verdict === "agrees" || c.verdict === "holds").length;
  return {
    id: "claims",
    title: "Claims check",
    lead: `${agree} of ${checks.length} published figures agree within 3% (or hold, for "over" figures); source: ${checks[0]?.source ?? ""}`,
    blocks: [
      { kind: "chart", spec: claimsChart(checks) },
      {
        kind: "table",
        head: ["system", "figure", "published", "derived", "difference", "verdict", "why"],
        rows: checks.map((c) => [
          c.subject,
          c.figure,
          c.publishedText,
          c.unit === "x" ? fmtRatio(c.derived) : formatQuantity(c.derived, c.unit),
          `${c.differencePct >= 0 ? "+" : ""}${c.differencePct.toFixed(1)}%`,
          c.verdict,
          c.note,
        ]),
      },
    ],
  };
}

/** A training estimate: step, MFU, memory, time to train, where the step goes. */
export function trainingSection(r: TrainingReport, systemName: string, failures?: Expectation): Section {
  const b = r.breakdownS as unknown as Record<string, number>;
  const m = r.memoryBreakdownBytes as unknown as Record<string, number>;
  const blocks: Block[] = [
    { kind: "kpis", items: trainingKpis(r, failures) },
    { kind: "chart", spec: stepBreakdownChart(r) },
    { kind: "chart", spec: memoryChart(r) },
    {
      kind: "table",
      title: "Time per step (exposed)",
      head: ["cause", "time", "share"],
      rows: Object.keys(b).map((k) => [causeOf(k), dur(b[k]), pct(b[k] / r.stepTimeS)]),
    },
    {
      kind: "table",
      title: "Memory per chip",
      head: ["part", "GB"],
      rows: Object.keys(m).map((k) => [k.replace(/Bytes$/, ""), fmtMemory(m[k])]),
    },
  ];
  if (!r.fitsInMemory) {
    blocks.push({
      kind: "list",
      title: r.memoryFixes.length
        ? "Would fit with"
        : "No single change (recompute, ZeRO, tp or pp x2) makes it fit",
      items: r.memoryFixes,
    });
  }
  return {
    id: "training",
    title: "Training",
    lead: trainingLead(r, systemName),
    blocks,
  };
}

/** A flow-level simulation: the timeline, per-tier utilisation, simulated against analytical. */
export function simulationSection(
  r: SimulationReport,
  systemName: string,
  segments: TimelineSegment[],
): Section {
  const kpis: Kpi[] = [
    {
      key: "sim-step",
      label: r.run === "iteration" ? "step time, simulated" : "collective time",
      value: dur(r.stepTimeS),
    },
  ];
  if (r.analytical) {
    const d = r.analytical.differencePct;
    kpis.push({ key: "analytical-step", label: "step time, analytical", value: dur(r.analytical.stepTimeS) });
    kpis.push({ key: "difference", label: "difference", value: `${d >= 0 ? "+" : ""}${d.toFixed(1)}%` });
  }
  if (r.collective) {
    const c = r.collective;
    kpis.push({
      key: "collective",
      label: c.op,
      value: fmtSI(c.bytesPerRank, "B"),
      note: `per rank over ${fmtInt(c.ranks)} ranks`,
    });
  }
  kpis.push({
    key: "events",
    label: "events",
    value: fmtInt(r.stats.events),
    note: `${fmtInt(r.stats.collectivesSimulated)} collectives simulated + ${fmtInt(r.stats.collectivesReplayed)} replayed`,
  });
  const blocks: Block[] = [
    { kind: "kpis", items: kpis },
    { kind: "chart", spec: timelineChart(segments, r.stepTimeS, r.run) },
  ];
  const vs = simVsAnalyticalChart(r);
  if (vs) blocks.push({ kind: "chart", spec: vs });
  blocks.push({ kind: "chart", spec: tierUtilisationChart(r) });
  blocks.push({ kind: "table", title: "Tiers", ...tierUsageTable(r.tiers) });
  if (r.hottestLinks.length) {
    blocks.push({
      kind: "table",
      title: "Hottest links",
      head: ["link", "util", "carried"],
      rows: r.hottestLinks.map((h) => [h.link, pct(h.utilisation), fmtSI(h.bytesCarried, "B")]),
    });
  }
  return {
    id: "simulation",
    title: "Simulation",
    lead: `${r.scenario}: ${systemName}, ${fmtInt(r.chips)} chips (${r.backend} back end, ${r.symmetric ? "symmetric" : "every rank"})`,
    blocks,
  };
}

/** A reliability run: Monte Carlo beside the closed form, and goodput against scale and checkpoint interval. */
export function reliabilitySection(
  r: ReliabilityJson,
  systemName: string,
  scale: ReliabilityPoint[],
  interval: ReliabilityPoint[],
): Section {
  const s = r.spread;
  const cf = r.closedForm;
  const u = r.interruptions.unexpected;
  const kpis: Kpi[] = [
    {
      key: "goodput",
      label: "goodput",
      value: pct(r.goodput),
      note: `p10 ${pct(s.goodput.p10)}, p90 ${pct(s.goodput.p90)}`,
    },
    {
      key: "effective-time",
      label: "effective time to train",
      value: fmtDuration(r.effectiveTimeToTrainS),
      note: `${fmtDuration(r.run.idealTrainingS)} failure-free`,
    },
    {
      key: "interruptions",
      label: "unexpected interruptions",
      value: num(u.mean),
      note: `p10 ${num(u.p10)}, p90 ${num(u.p90)}`,
    },
    { key: "availability", label: "availability", value: pct(r.availability) },
    ...(r.fleetSpread
      ? [
          {
            key: "other-fleets",
            label: "goodput on other fleets",
            value: `${pct(r.fleetSpread.goodputLow)} - ${pct(r.fleetSpread.goodputHigh)}`,
            note: `failure rates x${r.fleetSpread.rateLowFactor.toFixed(2)} - x${r.fleetSpread.rateHighFactor.toFixed(2)} (80% of ${r.fleetSpread.cases} study figures; ${pct(r.fleetSpread.looCoverage)} covered leave-one-study-out)`,
          },
        ]
      : []),
    {
      key: "mtbi",
      label: "mean time between interruptions",
      value: dur(r.mtbiS),
      note: `failures: ${dur(r.mtbfS)}`,
    },
  ];
  const row = (
    label: string,
    show: (x: number) => string,
    mean: number,
    sp: { p10: number; p50: number; p90: number },
    c: number,
  ) => [label, show(mean), show(sp.p10), show(sp.p50), show(sp.p90), show(c)];
  const ck = r.checkpoint;
  const blocks: Block[] = [
    { kind: "kpis", items: kpis },
    {
      kind: "table",
      head: ["", `Monte Carlo (${fmtInt(r.monteCarlo.trials)} trials)`, "p10", "p50", "p90", "closed form"],
      rows: [
        row("goodput", pct, r.goodput, s.goodput, cf.goodput),
        row(
          "effective time to train",
          fmtDuration,
          r.effectiveTimeToTrainS,
          s.effectiveTimeToTrainS,
          cf.effectiveTimeToTrainS,
        ),
        row("availability", pct, r.availability, s.availability, cf.availability),
        row("unexpected interruptions", num, u.mean, u, cf.interruptions.unexpected),
      ],
      note: `checkpoint ${fmtSI(ck.sizeBytes, "B")} ${ck.inMemory ? "in memory" : "to storage"} every ${fmtDuration(ck.intervalS)}${ck.youngDaly ? " (Young/Daly)" : ""}; write ${fmtDuration(ck.writeS)}, reload ${fmtDuration(ck.reloadS)}`,
    },
  ];
  if (r.lemonNodes)
    blocks.push({ kind: "list", title: "Lemon nodes", items: [lemonNodesLine(r.lemonNodes)] });
  if (scale.length > 1) {
    blocks.push({ kind: "chart", spec: reliabilityScaleChart(scale, r.jobChips) });
    blocks.push({ kind: "chart", spec: interruptionsScaleChart(scale, r.jobChips) });
  }
  if (interval.length > 1)
    blocks.push({ kind: "chart", spec: checkpointIntervalChart(interval, ck.intervalS) });
  blocks.push({
    kind: "table",
    title: "Per component kind (expected over the run, closed form)",
    ...perKindTable(r.perKind),
  });
  if (r.inventory.assumptions.length)
    blocks.push({ kind: "list", title: "Assumptions", items: r.inventory.assumptions });
  return {
    id: "reliability",
    title: "Reliability",
    lead: `${r.scenario}: ${fmtInt(r.jobChips)} chips of ${systemName}, ${r.run.wallS !== undefined ? `a ${fmtDuration(r.run.wallS)} wall-clock window` : `${fmtDuration(r.run.idealTrainingS)} of failure-free training`}`,
    blocks,
  };
}

/** A serving run: latency distributions, throughput, pools; and a load sweep when there is one. */
export function servingSection(
  r: ServingJson,
  systemName: string,
  cdf: { ttft: CdfPoint[]; tpot: CdfPoint[] },
  sweep?: SweepRow[],
): Section {
  const t = r.throughput;
  const g = r.goodput;
  const kpis: Kpi[] = [
    {
      key: "ttft",
      label: "TTFT p50 / p99",
      value: `${f1(r.ttftMs.p50)} / ${f1(r.ttftMs.p99)} ms`,
      warn: g?.ttftSloMs !== undefined && r.ttftMs.p99 > g.ttftSloMs,
    },
    {
      key: "tpot",
      label: "TPOT p50 / p99",
      value: `${f1(r.tpotMs.p50)} / ${f1(r.tpotMs.p99)} ms`,
      warn: g?.tpotSloMs !== undefined && r.tpotMs.p99 > g.tpotSloMs,
    },
    {
      key: "output-per-chip",
      label: "output tokens/s per chip",
      value: f1(t.outputTokensPerSecondPerChip),
      note: `${f1(t.inputTokensPerSecondPerChip)} input`,
    },
    {
      key: "requests-per-s",
      label: "requests/s",
      value: f1(t.requestsPerS),
      note: `${fmtInt(r.requests.completed)} of ${fmtInt(r.requests.arrived)} completed`,
    },
  ];
  if (g)
    kpis.push({
      key: "goodput",
      label: "goodput",
      value: `${f1(g.requestsPerS)} req/s`,
      note: `${pct(g.fractionMeetingSlo)} meet the SLO`,
    });
  if (r.costUsdPerMillionOutputTokens !== undefined)
    kpis.push({
      key: "cost",
      label: "cost per 1M output tokens",
      value: `$${r.costUsdPerMillionOutputTokens.toFixed(3)}`,
    });
  const blocks: Block[] = [
    { kind: "kpis", items: kpis },
    { kind: "chart", spec: latencyCdfChart("TTFT", cdf.ttft, r.ttftMs, g?.ttftSloMs) },
    { kind: "chart", spec: latencyCdfChart("TPOT", cdf.tpot, r.tpotMs, g?.tpotSloMs) },
    {
      kind: "table",
      title: "Pools",
      head: [
        "pool",
        "chip",
        "instances",
        "chips/inst",
        "tp",
        "dp-attn",
        "ep",
        "weights GB/chip",
        "KV used",
        "busy",
        "step ms",
      ],
      rows: r.pools.map((p) => [
        p.role,
        p.chip,
        String(p.instances),
        String(p.instanceChips),
        String(p.tp),
        String(p.attentionDp),
        String(p.ep),
        p.weightGBPerChip.toFixed(1),
        `${pct(p.kvUsedMeanFraction)} (peak ${pct(p.kvUsedPeakFraction)})`,
        pct(p.busyFraction),
        f1(p.meanStepMs),
      ]),
    },
    {
      kind: "table",
      title: "Latency, ms",
      head: ["", "p50", "p90", "p99", "mean"],
      rows: (
        [
          ["TTFT", r.ttftMs],
          ["TPOT", r.tpotMs],
          ["end to end", r.e2eMs],
        ] as const
      ).map(([k, p]) => [k, f1(p.p50), f1(p.p90), f1(p.p99), f1(p.mean)]),
    },
  ];
  if (sweep?.length) blocks.push(...sweepBlocks(sweep));
  return {
    id: "serving",
    title: "Serving",
    lead: `${r.scenario}: ${r.mode} serving on ${fmtInt(r.chips)} chips of ${systemName}`,
    blocks,
  };
}

/** A load sweep: throughput and latency against arrival rate, and its table. */
export function sweepBlocks(rows: SweepRow[]): Block[] {
  return [
    { kind: "chart", spec: loadSweepChart(rows) },
    { kind: "chart", spec: latencySweepChart(rows) },
    { kind: "table", title: "Load sweep", ...loadSweepTable(rows) },
  ];
}

/** What `plan train --json` prints. */
export type PlanTrainJson = ReturnType<typeof planTrainJson>;

const layoutText = (s: PlanTrainJson["top"][number]) =>
  `tp ${s.tp} cp ${s.cp} pp ${s.pp} dp ${s.dp} ep ${s.ep} vpp ${s.vpp}, mbs ${s.microBatchSize}, ${s.recompute} recompute, ZeRO ${s.zero}, ${s.precision}, ${s.schedule}`;

/** The planner's headline figures: the best layout, the space, whether it is proven optimal, the scenario's own. */
export function planKpis(j: PlanTrainJson): Kpi[] {
  if (!j.best) return [];
  const kpis: Kpi[] = [
    {
      key: "best-step",
      label: "best step time",
      value: fmtDuration(j.best.stepTimeS),
      note: `${fmtInt(j.best.chips)} chips`,
    },
    { key: "best-mfu", label: "MFU", value: pct(j.best.mfu), note: fmtSI(j.best.tokensPerSecond, "tok/s") },
    {
      key: "space",
      label: "layouts in the space",
      value: fmtInt(j.space.layouts),
      note: `${fmtInt(j.evaluated)} evaluated, the rest bounded`,
    },
    {
      key: "exact",
      label: "result",
      value: j.exact ? "proven optimal" : "best found",
      note: `searched on ${j.threads} ${j.threads > 1 ? "workers" : "worker"} in ${j.wallS.toFixed(2)} s`,
    },
  ];
  if (j.ownLayout)
    kpis.push({
      key: "own",
      label: "the scenario's layout",
      value: fmtDuration(j.ownLayout.stepTimeS),
      note: j.ownLayout.fits ? `${pct(j.ownLayout.stepTimeS / j.best.stepTimeS - 1)} slower` : "does not fit",
      warn: !j.ownLayout.fits,
    });
  if (j.withFailures)
    kpis.push({
      key: "failures",
      label: "to train, with failures",
      value: fmtDuration(j.withFailures.effectiveTimeToTrainS),
      note: `${pct(j.withFailures.goodput)} goodput`,
    });
  return kpis;
}

/** The planner chart's points: the best layout per chip count (front marked) and the top layouts. */
export function planPoints(j: PlanTrainJson): PlanPoint[] {
  const front = new Set(j.pareto.map((l) => `${l.chips}/${l.stepTimeS}`));
  return [
    ...j.bestByChips.map((l, i) => ({
      key: `best-${i}`,
      kind: "best per chip count" as const,
      chips: l.chips,
      stepTimeS: l.stepTimeS,
      mfu: l.mfu,
      layout: layoutText(l),
      onFront: front.has(`${l.chips}/${l.stepTimeS}`),
    })),
    ...j.top.map((l, i) => ({
      key: `top-${i}`,
      kind: "top layouts" as const,
      chips: l.chips,
      stepTimeS: l.stepTimeS,
      mfu: l.mfu,
      layout: layoutText(l),
      onFront: false,
    })),
  ];
}

/** The top layouts as table rows, with their header. */
export function planTopTable(j: PlanTrainJson): { head: string[]; rows: string[][] } {
  return {
    head: [
      "#",
      "step",
      "MFU",
      "mem GB",
      "chips",
      "tp",
      "cp",
      "pp",
      "dp",
      "ep",
      "vpp",
      "mbs",
      "recompute",
      "ZeRO",
      "precision",
      "schedule",
    ],
    rows: j.top.map((l) => [
      String(l.rank),
      fmtDuration(l.stepTimeS),
      pct(l.mfu),
      (l.memoryPerChipBytes / 1e9).toFixed(1),
      fmtInt(l.chips),
      String(l.tp),
      String(l.cp),
      String(l.pp),
      String(l.dp),
      String(l.ep),
      String(l.vpp),
      String(l.microBatchSize),
      l.recompute,
      String(l.zero),
      l.precision,
      l.schedule,
    ]),
  };
}

/** `plan train`'s result: headline figures, the Pareto chart, the top layouts and why the runner-up loses. */
export function planSection(j: PlanTrainJson, systemName: string): Section {
  const blocks: Block[] = [{ kind: "kpis", items: planKpis(j) }];
  const pts = planPoints(j);
  if (pts.length) blocks.push({ kind: "chart", spec: paretoChart(pts) });
  blocks.push({ kind: "table", title: "Top layouts", ...planTopTable(j) });
  return {
    id: "plan",
    title: "Planner",
    lead: `${j.scenario} on ${systemName}: objective ${j.objective}${j.runnerUp ? `; why not #2: ${j.runnerUp.summary}` : ""}`,
    blocks,
  };
}
