// `zettasim validate [file ...]`: predict published training and serving runs and failure studies; report the error against each measurement.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { ZettasimError } from "../../src/core/errors.js";
import { parseText } from "../../src/scenario/load.js";
import { isDeclarationsFile } from "../../src/validate/declarations.js";
import { runValidation, type ValidationReport } from "../../src/validate/run.js";
import { action, printJson, readTextFile } from "../io.js";
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

function render(r: ValidationReport): string {
  const rows: string[][] = [["case", "metric", "predicted", "measured", "error"]];
  for (const c of r.cases) {
    if (c.errorPct === null) {
      rows.push([c.id, c.metric || "-", "-", fmt(c.measured[c.metric]), "not modelled"]);
    } else {
      const sign = c.errorPct >= 0 ? "+" : "";
      rows.push([
        c.id,
        c.metric,
        fmt(c.predicted[c.metric]),
        fmt(c.measured[c.metric]),
        `${sign}${c.errorPct.toFixed(1)}%`,
      ]);
    }
  }
  const lines = [table(rows, { header: true })];
  for (const c of r.cases) if (c.notModelled) lines.push(`not modelled: ${c.id}: ${c.notModelled}`);
  lines.push("");
  lines.push(
    `${r.modelled} cases modelled, ${r.notModelled} not; median |error| ${r.medianAbsErrorPct.toFixed(1)}%, max |error| ${r.maxAbsErrorPct.toFixed(1)}%`,
  );
  const kinds = Object.keys(r.byKind);
  if (kinds.length > 1 || r.byKind.reliability) {
    for (const k of kinds) {
      const s = r.byKind[k];
      const note = k === "reliability" ? " (failure studies: not in the overall figures)" : "";
      lines.push(
        `  ${k}: ${s.modelled} modelled, ${s.notModelled} not; median |error| ${s.medianAbsErrorPct.toFixed(1)}%, max ${s.maxAbsErrorPct.toFixed(1)}%${note}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("predict published runs (zettasim-validation-cases/1 files) and report the error of each")
    .argument("[files...]", "validation files (default: the project's validation/*.json)")
    .option(
      "--json",
      "print JSON: {cases: [{id, kind, predicted, measured, errorPct}], medianAbsErrorPct, maxAbsErrorPct, byKind}",
    )
    .action(
      action((files: string[], flags: { json?: boolean }) => {
        let paths = files;
        if (paths.length === 0) {
          const dir = projectValidationDir();
          paths = readdirSync(dir)
            .filter((f) => f.endsWith(".json"))
            .sort()
            .map((f) => join(dir, f));
        }
        // The default listing skips validation/declarations.json (case roles, not cases); a file named on the
        // command line is read as a case file whatever it holds.
        const inputs = paths
          .map((p) => ({ name: p, value: parseText(readTextFile(p), p).value }))
          .filter((f) => files.length > 0 || !isDeclarationsFile(f.value));
        const report = runValidation(inputs);
        if (flags.json) return printJson(report);
        process.stdout.write(render(report));
      }),
    );
}
