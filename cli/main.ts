#!/usr/bin/env node
// The zettasim command line: a thin front end over the core library in src/.
import { Command } from "commander";
import { registerCatalog } from "./commands/catalog.js";
import { registerCompare } from "./commands/compare.js";
import { overview } from "./commands/overview.js";
import { registerPlan } from "./commands/plan.js";
import { registerReliability } from "./commands/reliability.js";
import { registerReport } from "./commands/report.js";
import { registerServe } from "./commands/serve.js";
import { registerSimulate } from "./commands/simulate.js";
import { registerSpec } from "./commands/spec.js";
import { registerSweep } from "./commands/sweep.js";
import { registerTrain } from "./commands/train.js";
import { registerValidate } from "./commands/validate.js";
import { registerWeb } from "./commands/web.js";
import { registerWorker } from "./commands/worker.js";

const program = new Command();
program
  .name("zettasim")
  .description(
    "Software twin of AI superclusters: spec, compare, train, simulate, reliability, serve, validate, sweep, worker.",
  )
  .version("0.1.0")
  .showHelpAfterError("(run with --help for usage)")
  .argument("[command]")
  .action((command?: string) => {
    if (command === undefined) return overview();
    const known = program.commands.map((c) => c.name()).join(", ");
    process.stderr.write(`zettasim: unknown command '${command}' (expected one of: ${known})\n`);
    process.exitCode = 2;
  });

registerCatalog(program);
registerSpec(program);
registerCompare(program);
registerPlan(program);
registerReliability(program);
registerReport(program);
registerServe(program);
registerSimulate(program);
registerTrain(program);
registerValidate(program);
registerWeb(program);
registerSweep(program);
registerWorker(program);

program.parseAsync(process.argv);
