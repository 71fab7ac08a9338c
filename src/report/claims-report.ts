// The claims report: Huawei's published figures checked, then the study of what they mean for a job.
import { fmtDuration, fmtInt, fmtSI } from "../core/units.js";
import type { ReportDocument, Section } from "./blocks.js";
import {
  budgetChart,
  causeOf,
  oneMindChart,
  protocolChart,
  scalingEfficiencyChart,
  scalingTimeChart,
} from "./charts.js";
import type { ClaimCheck } from "./claims.js";
import { claimsSection } from "./sections.js";
import type { BudgetRow, ClaimsStudy } from "./study.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ef = (x: number | undefined) => (x === undefined ? "-" : `${(x / 1e18).toFixed(2)}`);

function scalingSection(s: ClaimsStudy): Section {
  const first = s.scaling[0];
  const last = s.scaling.at(-1);
  const best = s.scaling.reduce((a, b) => (b.effectiveTimeToTrainS < a.effectiveTimeToTrainS ? b : a), first);
  return {
    id: "scaling",
    title: "Scaling from 1,024 to 1,048,576 chips",
    lead: `The default scenario's job (moe-2t, 30T tokens, a fixed batch of 65,536 x 4,096 tokens) on Atlas 950 at each power of two; at each size the fastest of six layouts that fits; goodput under examples/atlas-950-supercluster-reliability-uboe.yaml's policy (in-memory checkpoints, a spare per cabinet, UB links rerouted). Below 8,192 chips a partial SuperPoD (its L2 network pro rata); above, whole SuperPoDs on UBoE.`,
    blocks: [
      {
        kind: "text",
        text:
          first && last
            ? `MFU falls from ${pct(first.mfu)} at ${fmtInt(first.chips)} chips to ${pct(last.mfu)} at ${fmtInt(last.chips)} (fewer micro-batches per replica at a fixed batch), and goodput from ${pct(first.goodput)} to ${pct(last.goodput)}. With failures counted, the job finishes soonest at ${fmtInt(best.chips)} chips (${fmtDuration(best.effectiveTimeToTrainS)}); at ${fmtInt(last.chips)} it takes ${fmtDuration(last.effectiveTimeToTrainS)}.`
            : "no size fits",
      },
      { kind: "chart", spec: scalingEfficiencyChart(s.scaling) },
      { kind: "chart", spec: scalingTimeChart(s.scaling) },
      {
        kind: "table",
        head: [
          "chips",
          "layout",
          "step",
          "MFU",
          "micro-batches",
          "time to train",
          "goodput",
          "with failures",
          "interruptions",
        ],
        rows: s.scaling.map((p) => [
          fmtInt(p.chips),
          p.layout,
          fmtDuration(p.stepTimeS),
          pct(p.mfu),
          fmtInt(p.microBatchesPerReplica),
          fmtDuration(p.timeToTrainS),
          pct(p.goodput),
          fmtDuration(p.effectiveTimeToTrainS),
          fmtInt(p.unexpectedInterruptions),
        ]),
      },
    ],
  };
}

const budgetRows = (rows: BudgetRow[]) =>
  rows.map((r) => [
    r.id,
    r.copies.toFixed(2),
    fmtInt(r.chips),
    ef(r.fp8Flops),
    ef(r.bf16Flops),
    fmtSI(r.memoryBytes, "B"),
    fmtSI(r.memoryBandwidthBytesPerS, "B/s"),
    fmtInt(r.fullBandwidthDomainChips),
    r.floorM2PerCabinet.toFixed(2),
  ]);

function budgetSection(s: ClaimsStudy): Section {
  const b = s.budget;
  const head = [
    "system",
    "copies",
    "chips",
    "FP8 EFLOPS",
    "BF16 EFLOPS",
    "HBM",
    "HBM bandwidth",
    "fast domain (chips)",
  ];
  const power = fmtSI(b.powerW, "W");
  const area = `${fmtInt(b.floorM2)} m2`;
  return {
    id: "budget",
    title: "At equal power and equal floor area",
    lead: `Each system scaled to the Atlas 950 SuperPoD's facility power (${power}) and floor area (${area}), in fractional copies. "Fast domain": the largest group whose chips keep at least half their scale-up bandwidth.`,
    blocks: [
      { kind: "chart", spec: budgetChart(b.atEqualPower, "power", power) },
      { kind: "table", title: `At ${power} facility power`, head, rows: budgetRows(b.atEqualPower) },
      { kind: "chart", spec: budgetChart(b.atEqualArea, "area", area) },
      { kind: "table", title: `On ${area} of floor`, head, rows: budgetRows(b.atEqualArea) },
      {
        kind: "list",
        title: "Read with care",
        items: [
          "The Atlas SuperPoDs' power and floor include their all-optical UB fabric across 8,192 (15,488) chips; the NVL72/NVL144 racks carry no scale-out network, which a job across racks would add.",
          "TPU v5p has no FP8 in the catalog; compare it on BF16.",
          "Floor area is cabinets x the catalog's floor per cabinet (last column): 6.25 m2 for Atlas follows from Huawei's 1,000 m2 for 160 cabinets; the other systems' figures are the catalog's assumptions (confidence A), so the equal-area comparison is only as good as they are.",
          "Peak figures only: what a job gets depends on the fast domain, which the sections below weigh.",
        ],
      },
    ],
  };
}

function protocolSection(s: ClaimsStudy): Section {
  const show = (v: number, unit: string) =>
    unit === "%" ? pct(v) : unit === "s" ? fmtDuration(v) : unit === "" ? fmtInt(v) : fmtSI(v, unit);
  return {
    id: "uboe-vs-roce",
    title: "UBoE against RoCE",
    lead: "The Atlas 950 SuperCluster with UBoE or RoCE as its scale-out network (catalog ids atlas-950-supercluster-uboe / -roce), everything else the same.",
    blocks: [
      { kind: "chart", spec: protocolChart(s.protocols) },
      {
        kind: "table",
        head: ["figure", "UBoE", "RoCE", "RoCE / UBoE", "from"],
        rows: s.protocols.rows.map((r) => [
          r.figure,
          show(r.uboe, r.unit),
          show(r.roce, r.unit),
          r.uboe === 0 ? "-" : `${(r.roce / r.uboe).toFixed(3)}x`,
          r.source,
        ]),
      },
    ],
  };
}

function oneMindSection(s: ClaimsStudy): Section {
  const [pod, , roce] = s.oneMind;
  const answer =
    pod && roce
      ? `On one SuperPoD the job runs at ${pct(pod.efficiency)} of the speed its 8,192 chips would reach computing their shares alone (MFU ${pct(pod.mfu)}); the rest is communication left exposed and pipeline waits. With an ordinary 800G RoCE network between the 64-NPU cabinets the same chips reach ${pct(roce.efficiency)}: the SuperPoD fabric gives ${pct(roce.stepTimeS / pod.stepTimeS - 1)} more throughput. The chips think as one to the extent of that ${pct(pod.efficiency)}.`
      : "";
  return {
    id: "think-as-one",
    title: 'Do 8,192 chips "think as one"?',
    lead: "moe-2t laid out as the SuperCluster example (tp 8, pp 16, ep 64 across 8 cabinets) on 8,192 NPUs; efficiency = (compute + recompute + optimizer) / step time, i.e. against the same chips computing their shares with free, instant communication.",
    blocks: [
      { kind: "text", text: answer },
      { kind: "chart", spec: oneMindChart(s.oneMind) },
      {
        kind: "table",
        head: ["variant", "step", "MFU", "efficiency", "exposed comm", "bubble"],
        rows: s.oneMind.map((r) => {
          const comm = Object.entries(r.breakdownS)
            .filter(([k]) => k.endsWith("CommS"))
            .reduce((a, [, v]) => a + v, 0);
          return [
            r.label,
            fmtDuration(r.stepTimeS),
            pct(r.mfu),
            pct(r.efficiency),
            fmtDuration(comm),
            fmtDuration(r.breakdownS.bubbleS ?? 0),
          ];
        }),
      },
      {
        kind: "list",
        title: "Exposed time by cause, per variant",
        items: s.oneMind.map(
          (r) =>
            `${r.label}: ${Object.entries(r.breakdownS)
              .filter(([, v]) => v > 0)
              .map(([k, v]) => `${causeOf(k)} ${fmtDuration(v)}`)
              .join(", ")}`,
        ),
      },
    ],
  };
}

/** The claims report: the claims check, then scaling, equal budgets, UBoE/RoCE and "think as one". */
export function claimsDocument(
  checks: ClaimCheck[],
  study: ClaimsStudy,
  provenance: string[],
): ReportDocument {
  return {
    title: "Atlas 950/960: Huawei's claims, checked",
    subtitle: "Published figures beside zettasim's derivations, and what they mean for a training job",
    provenance,
    sections: [
      claimsSection(checks),
      scalingSection(study),
      budgetSection(study),
      protocolSection(study),
      oneMindSection(study),
    ],
  };
}
