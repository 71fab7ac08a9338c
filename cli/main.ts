#!/usr/bin/env node
// The zettasim command line: a thin front end over the core library in src/.
import { Command } from "commander";
import { registerCatalog } from "./commands/catalog.js";
import { overview } from "./commands/overview.js";

const program = new Command();
program
  .name("zettasim")
  .description(
    "Software twin of AI superclusters: spec, compare, train, simulate, reliability, serve, validate.",
  )
  .version("0.1.0")
  .showHelpAfterError("(run with --help for usage)")
  .action(() => overview());

registerCatalog(program);

program.parseAsync(process.argv);
