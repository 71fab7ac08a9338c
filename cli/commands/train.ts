// `zettasim train [scenario]`: step time, throughput, MFU, memory per chip and time/energy to train, from a scenario or flags.
import type { Command } from "commander";
import type { System } from "../../src/catalog/types.js";
import { fmtDuration, fmtInt, fmtMemory, fmtSI } from "../../src/core/units.js";
import type { Expectation } from "../../src/reliability/closed-form.js";
import { layoutLines } from "../../src/report/format.js";
import {
  memoryError,
  type StepTimeBand,
  type TrainingJob,
  type TrainingReport,
  trainingJob,
  trainingReport,
} from "../../src/report/results.js";
import type { TrainingConfig } from "../../src/schema/training.js";
import type { TrainingEstimate } from "../../src/training/estimate.js";
import { action, numberFlag, printJson, readScenario } from "../io.js";
import { table } from "../table.js";

export interface TrainFlags {
  system?: string;
  model?: string;
  chips?: string;
  tp?: string;
  pp?: string;
  dp?: string;
  ep?: string;
  cp?: string;
  vpp?: string;
  mbs?: string;
  gbs?: string;
  seq?: string;
  precision?: string;
  recompute?: string;
  zero?: string;
  schedule?: string;
  tokens?: string;
  json?: boolean;
}

const INT_FLAGS: [keyof TrainFlags, keyof TrainingConfig][] = [
  ["chips", "chips"],
  ["tp", "tp"],
  ["pp", "pp"],
  ["dp", "dp"],
  ["ep", "ep"],
  ["cp", "cp"],
  ["vpp", "vpp"],
  ["mbs", "microBatchSize"],
  ["gbs", "globalBatchSize"],
  ["seq", "seqLength"],
];

/** The job to estimate: a scenario's system, model and training section, with flags layered on top. */
export function jobFrom(arg: string | undefined, flags: TrainFlags): TrainingJob {
  const sc = arg === undefined ? undefined : readScenario(arg);
  const over: Record<string, unknown> = {};
  for (const [flag, key] of INT_FLAGS) {
    const v = numberFlag(flag, flags[flag] as string | undefined, { integer: true, min: 0, max: 1e9 });
    if (v !== undefined) over[key] = v;
  }
  if (flags.zero !== undefined) over.zero = numberFlag("zero", flags.zero, { integer: true, min: 0 });
  if (flags.precision !== undefined) over.precision = flags.precision;
  if (flags.recompute !== undefined) over.recompute = flags.recompute;
  if (flags.schedule !== undefined) over.schedule = flags.schedule;
  if (flags.tokens !== undefined)
    over.trainTokens = numberFlag("tokens", flags.tokens, { min: 1, max: 1e18 });
  return trainingJob(sc, { system: flags.system, model: flags.model, training: over });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const dur = (s: number) => (s === 0 ? "0" : fmtDuration(s));

function render(
  name: string,
  system: System,
  r: TrainingEstimate & { uncertainty?: StepTimeBand; withFailures?: TrainingReport["withFailures"] },
  fixes: string[],
  failures: Expectation | undefined,
): string {
  const band = r.uncertainty;
  const lines: string[] = [];
  lines.push(`training ${name} on ${system.name}`);
  for (const l of layoutLines(r.chips, r)) lines.push(`  ${l}`);
  lines.push("");
  lines.push(
    table(
      [
        ["step time", fmtDuration(r.stepTimeS)],
        [
          "80% band",
          band
            ? `${fmtDuration(band.stepTimeLowS)} - ${fmtDuration(band.stepTimeHighS)} (${band.cases} out-of-sample ${band.classKey} cases)`
            : "none (no validated class)",
        ],
        ["tokens/s", fmtSI(r.tokensPerSecond, "tok/s")],
        // Below one token a second (a huge model on a small system) three significant digits, not a rounded 0.
        [
          "tokens/s per chip",
          r.tokensPerSecondPerChip >= 1
            ? fmtInt(r.tokensPerSecondPerChip)
            : r.tokensPerSecondPerChip.toPrecision(3),
        ],
        ["model TFLOP/s per chip", r.modelTflopsPerChip.toFixed(1)],
        ["MFU", pct(r.mfu)],
        ["HFU", pct(r.hfu)],
        ["bottleneck", r.bottleneck.replace(/S$/, "")],
      ],
      { indent: 2 },
    ),
  );
  lines.push("");
  lines.push("  time per step (exposed):");
  const b = r.breakdownS;
  lines.push(
    table(
      (Object.keys(b) as (keyof typeof b)[]).map((k) => [
        k.replace(/S$/, ""),
        dur(b[k]),
        pct(b[k] / r.stepTimeS),
      ]),
      { indent: 4 },
    ),
  );
  lines.push("");
  const m = r.memoryBreakdownBytes;
  lines.push(
    `  memory per chip: ${fmtMemory(r.memoryPerChipBytes)} of ${fmtMemory(r.memoryCapacityBytes)} -> ${r.fitsInMemory ? "fits" : `DOES NOT FIT (short by ${fmtMemory(r.memoryPerChipBytes - r.memoryCapacityBytes)})`}`,
  );
  lines.push(
    table(
      (Object.keys(m) as (keyof typeof m)[]).map((k) => [k.replace(/Bytes$/, ""), fmtMemory(m[k])]),
      { indent: 4 },
    ),
  );
  if (!r.fitsInMemory) {
    lines.push(
      fixes.length ? "  would fit with:" : "  no single change (recompute, ZeRO, tp or pp x2) makes it fit",
    );
    for (const f of fixes) lines.push(`    ${f}`);
  }
  if (r.timeToTrainS !== undefined && r.energyToTrainJ !== undefined) {
    lines.push("");
    lines.push(
      `  to train: ${fmtDuration(r.timeToTrainS)}, ${fmtSI(r.energyToTrainJ / 3600, "Wh")} (facility power ${fmtSI(r.facilityPowerW, "W")})`,
    );
    if (failures) {
      lines.push(
        `  with failures: ${fmtDuration(failures.effectiveTimeToTrainS)} at ${pct(failures.goodput)} goodput, ~${fmtInt(failures.interruptions.unexpected)} unexpected interruptions (zettasim reliability for the spread)`,
      );
      const f = r.withFailures?.fleetSpread;
      if (f)
        lines.push(
          `  other fleets' failure rates (x${f.rateLowFactor.toFixed(2)} - x${f.rateHighFactor.toFixed(2)}, 80% of ${f.cases} figures from ${f.studies} studies; ${pct(f.looCoverage)} leave-one-study-out): ${fmtDuration(f.effectiveTimeToTrainLowS)} - ${fmtDuration(f.effectiveTimeToTrainHighS)}, goodput ${pct(f.goodputLow)} - ${pct(f.goodputHigh)}`,
        );
    }
  }
  return `${lines.join("\n")}\n`;
}

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("estimate a training step: time, tokens/s, MFU, memory per chip, time and energy to train")
    .argument(
      "[scenario]",
      "scenario file (.yaml/.json) with `system`, `model` and `training`, or a system id",
    )
    .option("--system <id>", "catalog system (overrides the scenario's)")
    .option("--model <id>", "catalog model (overrides the scenario's)")
    .option("--chips <n>", "chips the job uses (dp derived)")
    .option("--tp <n>", "tensor parallel")
    .option("--pp <n>", "pipeline stages")
    .option("--dp <n>", "data-parallel replicas")
    .option("--ep <n>", "expert parallel")
    .option("--cp <n>", "context parallel")
    .option("--vpp <n>", "virtual pipeline stages per rank")
    .option("--mbs <n>", "micro-batch size, sequences")
    .option("--gbs <n>", "global batch size, sequences")
    .option("--seq <n>", "sequence length, tokens")
    .option("--precision <p>", "bf16, fp8 or fp4")
    .option("--recompute <mode>", "none, selective or full")
    .option("--zero <n>", "ZeRO stage 0-3")
    .option("--schedule <s>", "1f1b, interleaved, zero-bubble or dualpipe")
    .option("--tokens <n>", "tokens to train on (time and energy to train)")
    .option("--json", "print JSON")
    .action(
      action((arg: string | undefined, flags: TrainFlags) => {
        const job = jobFrom(arg, flags);
        const { report, failures } = trainingReport(job);
        if (flags.json) printJson(report);
        else process.stdout.write(render(job.name, job.system, report, report.memoryFixes, failures));
        const e = memoryError(job, report);
        if (e) {
          process.stderr.write(`zettasim: ${e.message}\n`);
          process.exitCode = 2;
        }
      }),
    );
}
