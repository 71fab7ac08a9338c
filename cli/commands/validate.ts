// `zettasim validate [file ...]`: predict published training and serving runs and failure studies; report the error against each measurement.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { ZettasimError } from "../../src/core/errors.js";
import { parseText } from "../../src/scenario/load.js";
import {
  type DeclarationsFile,
  isDeclarationsFile,
  parseDeclarations,
} from "../../src/validate/declarations.js";
import { type ErrorSummary, runValidation, type ValidationReport } from "../../src/validate/run.js";
import { action, printJson, readTextFile } from "../io.js";
import { progressOnStderr } from "../progress.js";
import { table } from "../table.js";

/** The project's validation/ folder: the nearest ancestor of this file holding package.json and validation/. */
function projectValidationDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "validation")))
      return join(dir, "validation");
    dir = dirname(dir);
  }
  throw new ZettasimError([
    {
      path: [],
      message: "cannot find the project's validation/ folder",
      expected: "validation files as arguments",
    },
  ]);
}

const fmt = (x: number | undefined) =>
  x === undefined
    ? "-"
    : Math.abs(x) >= 100
      ? x.toFixed(1)
      : Math.abs(x) >= 1
        ? x.toFixed(3)
        : x.toPrecision(3);

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? "-" : `${x >= 0 ? "+" : ""}${x.toFixed(1)}%`;

function render(r: ValidationReport): string {
  const acc = r.outOfSample !== undefined;
  const rows: string[][] = [
    ["case", "metric", "predicted", "measured", "error", ...(acc ? ["sample", "cv error"] : [])],
  ];
  for (const c of r.cases) {
    const extra = acc ? [c.inSample ? "in" : "out", c.inSample ? pct(c.cvErrorPct) : ""] : [];
    if (c.errorPct === null) {
      rows.push([c.id, c.metric || "-", "-", fmt(c.measured[c.metric]), "not modelled", ...extra]);
    } else {
      rows.push([
        c.id,
        c.metric,
        fmt(c.predicted[c.metric]),
        fmt(c.measured[c.metric]),
        pct(c.errorPct),
        ...extra,
      ]);
    }
  }
  const lines = [table(rows, { header: true })];
  for (const c of r.cases) if (c.notModelled) lines.push(`not modelled: ${c.id}: ${c.notModelled}`);
  // A failure figure resting on a published event count: its chance interval, so a reader tells a real miss from noise.
  for (const c of r.cases) {
    const n = c.countingNoise;
    if (!n) continue;
    const where = n.predictedInside ? "inside: a miss no larger than counting noise" : "outside: a real miss";
    lines.push(
      `counting noise: ${c.id}: ${n.events} events, ${Math.round(100 * n.level)}% interval ${fmt(n.lower)}-${fmt(n.upper)}, prediction ${where}`,
    );
  }
  for (const c of r.cases)
    if (c.ignored)
      lines.push(
        `ignored (fields zettasim does not read; a misspelt name?): ${c.id}: ${c.ignored.join(", ")}`,
      );
  lines.push("");
  // With no case modelled there is no error to summarise: "no cases", not the 0.0% an empty median reads as.
  const show = (x: number | null) => (x === null ? "no cases" : `${x.toFixed(1)}%`);
  const med = (e: ErrorSummary) => show(e.medianAbsErrorPct);
  const max = (e: ErrorSummary) => show(e.maxAbsErrorPct);
  lines.push(
    `${r.modelled} cases modelled, ${r.notModelled} not; median |error| ${med(r)}, max |error| ${max(r)}`,
  );
  const line = (name: string, e: ErrorSummary) =>
    `${name}: ${e.modelled} cases, median |error| ${med(e)}, max ${max(e)}`;
  if (r.outOfSample && r.inSample && r.crossValidated) {
    lines.push(line("out-of-sample (no fit has seen them)", r.outOfSample));
    lines.push(line("in-sample (listed by a fit record or declared fit)", r.inSample));
    lines.push(line("leave-one-source-out cross-validated (all cases)", r.crossValidated));
    for (const [k, a] of Object.entries(r.accuracyByKind ?? {})) {
      if (k === "reliability") continue;
      lines.push(
        `  ${k}: ${line("in-sample", a.inSample)}; ${line("out-of-sample", a.outOfSample)}; ${line("cross-validated", a.crossValidated)}`,
      );
    }
  }
  const kinds = Object.keys(r.byKind);
  if (kinds.length > 1 || r.byKind.reliability) {
    for (const k of kinds) {
      const s = r.byKind[k];
      const note = k === "reliability" ? " (failure studies: not in the overall figures)" : "";
      lines.push(
        `  ${k}: ${s.modelled} modelled, ${s.notModelled} not; median |error| ${med(s)}, max ${max(s)}${note}`,
      );
    }
  }
  const b = r.reliabilityBand;
  if (b)
    lines.push(
      `  failure studies' cross-fleet band (measured / predicted rate, 10th-90th percentile of ${b.cases} figures from ${b.studies} studies): x${b.lowFactor.toFixed(2)} - x${b.highFactor.toFixed(2)}, median x${b.medianFactor.toFixed(2)}; leave one study out, ${b.looInside} of ${b.cases} inside the others' band (${(b.looCoverage * 100).toFixed(1)}%, 80% if calibrated)`,
    );
  return `${lines.join("\n")}\n`;
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("predict published runs (zettasim-validation-cases/1 files) and report the error of each")
    .argument("[files...]", "validation files (default: the project's validation/*.json)")
    .option(
      "--json",
      "print JSON: {cases: [{id, kind, predicted, measured, errorPct, inSample, role, group, cvErrorPct, notModelled?, ignored?}], medianAbsErrorPct, maxAbsErrorPct, byKind, inSample, outOfSample, crossValidated, accuracyByKind, reliabilityBand?}",
    )
    .option("--no-cv", "skip the leave-one-source-out cross-validation (refits per source group)")
    .action(
      action((files: string[], flags: { json?: boolean; cv?: boolean }) => {
        let paths = files;
        if (paths.length === 0) {
          const dir = projectValidationDir();
          paths = readdirSync(dir)
            .filter((f) => f.endsWith(".json"))
            .sort()
            .map((f) => join(dir, f));
        }
        // Case roles come from a declarations file among the inputs (the project's, by default).
        const what = 'a validation file {"format": "zettasim-validation-cases/1", "cases": [...]}';
        const read = paths.map((p) => ({ name: p, value: parseText(readTextFile(p), p, what).value }));
        let declarations: DeclarationsFile | undefined;
        for (const f of read)
          if (isDeclarationsFile(f.value)) declarations = parseDeclarations(f.value, f.name);
        const inputs = read.filter((f) => !isDeclarationsFile(f.value));
        // Predicting every case, then refitting per source group for the cross-validation, take seconds each:
        // progress with the time left on stderr, one phase after the other (none with --json).
        const bar = progressOnStderr(
          !flags.json,
          "validate",
          "cases predicted",
          "  validate [{bar}] {percentage}% | {value}/{total} {what} | ETA {eta_formatted}",
        );
        let phase: string | undefined;
        const step = (what: string) => (done: number, total: number) => {
          if (!bar) return;
          if (phase !== what) bar.start(total, 0, { what });
          phase = what;
          bar.update(done, { what });
        };
        let report: ValidationReport;
        try {
          report = runValidation(inputs, {
            declarations,
            crossValidate: flags.cv !== false,
            onCase: step("cases predicted"),
            onRefit: step("source groups refitted (cross-validation)"),
          });
        } finally {
          if (phase !== undefined) bar?.stop();
        }
        if (flags.json) return printJson(report);
        process.stdout.write(render(report));
      }),
    );
}
