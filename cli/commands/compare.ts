// `zettasim compare <a> <b> ...`: systems side by side, each figure with its ratio to the first.
import type { Command } from "commander";
import { ZettasimError } from "../../src/core/errors.js";
import { compareSpecs } from "../../src/report/compare.js";
import { deriveSpec } from "../../src/report/derive.js";
import { comparisonRows, renderColumns } from "../../src/report/format.js";
import { action, printJson, readScenario } from "../io.js";

export function registerCompare(program: Command): void {
  program
    .command("compare")
    .description("compare systems side by side, with ratios to the first")
    .argument("<systems...>", "two or more catalog system ids or scenario files")
    .option("--json", "print JSON")
    .action(
      action((args: string[], opts: { json?: boolean }) => {
        // One system has nothing to be a ratio to: its figures are what `spec` prints, so say so instead of a
        // table of 1.00x ratios.
        if (args.length < 2)
          throw new ZettasimError([
            {
              path: ["systems"],
              message:
                "compare needs two or more systems (for one system's figures, run `zettasim spec <system>`)",
              value: args,
              expected: "two or more catalog system ids or scenario files",
            },
          ]);
        const c = compareSpecs(args.map((a) => deriveSpec(readScenario(a).system)));
        if (opts.json) return printJson(c);
        process.stdout.write(`${renderColumns(comparisonRows(c))}\n`);
        const notes = c.rows.filter((r) => r.note).map((r) => `  ${r.label}: ${r.note}`);
        if (notes.length)
          process.stdout.write(`\nratios are to ${c.systems[0].id}; except:\n${notes.join("\n")}\n`);
      }),
    );
}
