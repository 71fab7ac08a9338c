// `zettasim catalog` and `zettasim schema`: list catalog entries; print the scenario JSON Schema.
import type { Command } from "commander";
import { modelIds } from "../../src/catalog/models-resolve.js";
import { chipIds, systemIds } from "../../src/catalog/resolve.js";
import { scenarioJsonSchema } from "../../src/schema/scenario.js";
import { action, printJson } from "../io.js";

export function registerCatalog(program: Command): void {
  program
    .command("catalog")
    .description("list the chips, systems and models in the built-in catalog")
    .option("--json", "print JSON")
    .action(
      action((opts: { json?: boolean }) => {
        const all = { chips: chipIds(), systems: systemIds(), models: modelIds() };
        if (opts.json) return printJson(all);
        for (const [k, v] of Object.entries(all)) process.stdout.write(`${k}:\n  ${v.join("\n  ")}\n`);
      }),
    );
  program
    .command("schema")
    .description("print the JSON Schema of scenario files (for editor completion)")
    // The schema is JSON already: --json is taken, as by every command, and prints the same document (no wrapper),
    // so `schema > scenario.schema.json` and `schema --json > scenario.schema.json` write the same file.
    .option("--json", "print JSON (the schema is JSON either way: the same document, unwrapped)")
    .action(action(() => printJson(scenarioJsonSchema())));
}
