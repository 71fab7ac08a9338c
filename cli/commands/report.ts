// `zettasim report [scenario] --out report.html`: one self-contained HTML file of everything a scenario's commands
// say (or, with --claims, the claims report), with inline SVG charts and no network.
import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { ZettasimError } from "../../src/core/errors.js";
import type { ReportDocument } from "../../src/report/blocks.js";
import { checkClaims } from "../../src/report/claims.js";
import { claimsDocument } from "../../src/report/claims-report.js";
import { reportHtml } from "../../src/report/html.js";
import { runScenario } from "../../src/report/scenario.js";
import { scenarioDocument } from "../../src/report/scenario-document.js";
import { runClaimsStudy, studyInputs } from "../../src/report/study.js";
import { loadScenarioText } from "../../src/scenario/load.js";
import { action, readScenario, readTextFile } from "../io.js";
import { chartSvg } from "../svg.js";

interface Flags {
  out?: string;
  claims?: boolean;
  quiet?: boolean;
}

/** The repository's (or installed package's) examples folder: the claims study reads its UBoE/RoCE scenarios. */
function examplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, "examples", "atlas-950-uboe-vs-roce-uboe.yaml"))) return join(dir, "examples");
    dir = dirname(dir);
  }
  throw new Error("the examples folder is missing from this installation");
}

function example(name: string) {
  const path = join(examplesDir(), name);
  return loadScenarioText(readTextFile(path), `examples/${name}`);
}

function checkOut(out: string | undefined): string {
  if (out === undefined || out.trim() === "") {
    throw new ZettasimError([
      { path: ["--out"], message: "no output file given", expected: "--out <file.html>" },
    ]);
  }
  const dir = dirname(out);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ZettasimError([
      {
        path: ["--out"],
        message: "the folder does not exist",
        value: out,
        expected: "a path in an existing folder",
      },
    ]);
  }
  return out;
}

/** The one line `report` prints on stdout: where the file went, its size and how many charts it holds. */
function wroteNote(out: string, html: string, doc: ReportDocument): string {
  const charts = doc.sections.reduce((n, s) => n + s.blocks.filter((b) => b.kind === "chart").length, 0);
  const kb = Math.max(1, Math.round(Buffer.byteLength(html) / 1000));
  return `wrote ${out} (${kb} kB, ${charts} chart${charts === 1 ? "" : "s"}, ${doc.sections.length} sections)`;
}

export function registerReport(program: Command): void {
  program
    .command("report")
    .description("one self-contained HTML report (inline SVG charts, no network) of a scenario, or --claims")
    .argument("[scenario]", "scenario file (.yaml/.json) or catalog system id")
    .option("--out <file>", "where to write the HTML file")
    .option("--claims", "the claims report: Huawei's figures checked, scaling, equal power/area, UBoE/RoCE")
    .option("--quiet", "print nothing but errors")
    .action(
      action(async (arg: string | undefined, flags: Flags) => {
        const out = checkOut(flags.out);
        const say = (s: string) => {
          if (!flags.quiet) process.stderr.write(`  ${s}\n`);
        };
        const provenance = [`zettasim ${process.env.npm_package_version ?? "0.1.0"}`];
        let doc: ReportDocument;
        if (flags.claims) {
          if (arg !== undefined)
            throw new ZettasimError([
              {
                path: ["scenario"],
                message: "--claims takes no scenario",
                value: arg,
                expected: "report --claims --out FILE",
              },
            ]);
          const study = runClaimsStudy(studyInputs(example), say);
          doc = claimsDocument(checkClaims(), study, [...provenance, "zettasim report --claims"]);
        } else {
          if (arg === undefined)
            throw new ZettasimError([
              {
                path: ["scenario"],
                message: "no scenario given",
                expected: "report SCENARIO --out FILE, or report --claims --out FILE",
              },
            ]);
          const sc = readScenario(arg);
          const results = await runScenario(sc, arg, say);
          doc = scenarioDocument(results, [...provenance, `zettasim report ${arg}`]);
        }
        const html = reportHtml(doc, chartSvg);
        writeFileSync(out, html);
        // The file is the result: say where it went on stdout (progress above went to stderr).
        if (!flags.quiet) process.stdout.write(`${wroteNote(out, html, doc)}\n`);
      }),
    );
}
