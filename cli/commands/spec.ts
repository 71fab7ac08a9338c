// `zettasim spec <system|file>`: a system's derived headline figures and per-tier network, as a table or JSON.
import type { Command } from "commander";
import { deriveSpec } from "../../src/report/derive.js";
import { renderColumns, renderPairs, specRows, tierRows } from "../../src/report/format.js";
import { action, printJson, readScenario } from "../io.js";

export function registerSpec(program: Command): void {
  program
    .command("spec")
    .description("derived specification of a system: compute, memory, bandwidth, cabinets, floor, power")
    .argument("<system>", "catalog system id or scenario file (.yaml/.json)")
    .option("--json", "print JSON (SI units, unit-suffixed keys)")
    .action(
      action((arg: string, opts: { json?: boolean }) => {
        const spec = deriveSpec(readScenario(arg).system);
        if (opts.json) return printJson(spec);
        process.stdout.write(`${spec.name} (${spec.id})\n\n`);
        process.stdout.write(`${renderPairs(specRows(spec))}\n\n`);
        process.stdout.write(`${renderColumns(tierRows(spec), 2)}\n`);
      }),
    );
}
