// `zettasim` with no arguments: a short overview of the default system and of what else the tool does.
import { resolveSystem } from "../../src/catalog/resolve.js";
import { fmtDuration, fmtInt, fmtSI } from "../../src/core/units.js";
import { trainingWithFailures } from "../../src/reliability/training.js";
import { deriveSpec } from "../../src/report/derive.js";
import { assumedText, renderPairs } from "../../src/report/format.js";
import { DEFAULT_SCENARIO } from "../../src/scenario/default.js";
import { scenarioFromValue } from "../../src/scenario/load.js";
import { estimateTraining } from "../../src/training/estimate.js";

/** The system the overview describes. */
export const DEFAULT_SYSTEM = "atlas-950-supercluster";

/** Commands the overview suggests, each runnable as written (a test runs every one), and what it shows. */
export const OVERVIEW_COMMANDS: [string, string][] = [
  ["zettasim spec atlas-950-superpod", "derived figures of a system"],
  ["zettasim compare vr-nvl144 atlas-950-superpod", "side by side, ratios to the first"],
  ["zettasim train examples/atlas-950-supercluster-train.yaml", "step time and MFU of a training run"],
  [
    "zettasim simulate examples/atlas-950-uboe-vs-roce-uboe.yaml",
    "event-level simulation of a collective or a step",
  ],
  ["zettasim reliability atlas-950-supercluster --days 30", "failures, MTBF and goodput"],
  ["zettasim serve examples/deepseek-v3-atlas-950-disaggregated.yaml", "serving throughput and latency"],
  ["zettasim validate", "predicted vs published runs"],
  ["zettasim catalog", "chips, systems and models"],
  ["zettasim schema", "JSON Schema for scenario files"],
];

/** What the default scenario's training run does on the default system, as label/value rows. */
function defaultTrainingRows(): string[][] {
  const sc = scenarioFromValue(DEFAULT_SCENARIO, "default scenario");
  const t = sc.file.training!;
  const r = estimateTraining(sc.system, sc.model!, t);
  const f = trainingWithFailures(sc, r);
  const rows = [
    [
      "layout",
      `tp ${r.degrees.tp} x pp ${r.degrees.pp} (vpp ${r.degrees.vpp}) x dp ${fmtInt(r.degrees.dp)}, ep ${r.degrees.ep}`,
    ],
    ["assumed", assumedText(r)],
    [
      "step",
      `${fmtDuration(r.stepTimeS)}, ${fmtSI(r.tokensPerSecond, "tok/s")}, MFU ${(r.mfu * 100).toFixed(1)}%, bottleneck ${r.bottleneck.replace(/S$/, "")}`,
    ],
    [
      "memory per chip",
      `${(r.memoryPerChipBytes / 1e9).toFixed(1)} GB of ${(r.memoryCapacityBytes / 1e9).toFixed(0)} GB`,
    ],
    [
      "30T tokens",
      `${fmtDuration(r.timeToTrainS ?? 0)} failure-free, ${fmtSI((r.energyToTrainJ ?? 0) / 3600, "Wh")}`,
    ],
  ];
  if (f)
    rows.push([
      "with failures",
      `${fmtDuration(f.effectiveTimeToTrainS)} at ${(f.goodput * 100).toFixed(0)}% goodput (default recovery times)`,
    ]);
  return rows;
}

/** Prints the overview: the default system, what the default scenario does on it, and the commands. */
export function overview(): void {
  const s = deriveSpec(resolveSystem(DEFAULT_SYSTEM));
  const rows = [
    ["chips", `${fmtInt(s.chips)} x ${s.chipName}`],
    [
      "peak (dense)",
      `${fmtSI(s.peakFlops.fp8 ?? 0, "FLOPS")} FP8, ${fmtSI(s.peakFlops.fp4 ?? 0, "FLOPS")} FP4`,
    ],
    ["HBM", `${fmtSI(s.memoryBytes, "B")} at ${fmtSI(s.memoryBandwidthBytesPerS, "B/s")}`],
    ["cabinets / floor", `${fmtInt(s.cabinets.total)} cabinets, ${fmtInt(s.floorAreaM2)} m2`],
    ["power", `${fmtSI(s.powerW, "W")} IT, ${fmtSI(s.facilityPowerW, "W")} facility`],
  ];
  const out = [
    "zettasim: a software twin of AI superclusters",
    "",
    `Default system: ${s.name} (${s.id})`,
    renderPairs(rows),
    "",
    `Default scenario: ${DEFAULT_SCENARIO.name}`,
    renderPairs(defaultTrainingRows()),
    "",
    "Commands:",
    renderPairs(OVERVIEW_COMMANDS),
    "",
    "Run `zettasim <command> --help` for options; add --json for machine-readable output.",
  ];
  process.stdout.write(`${out.join("\n")}\n`);
}
