#!/usr/bin/env node
// The zettasim command line: a thin front end over the core library in src/. Only the command asked for is
// loaded (each is its own module, bundled on its own by scripts/bundle-cli.mjs), so `zettasim spec` starts fast.
import { Command } from "commander";
import { quietOnClosedPipe } from "./pipe.js";

type Register = (program: Command) => void;

/** Each command's module, loaded only when that command runs (or for --help, all of them). One line per command. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  catalog: async () => (await import("./commands/catalog.js")).registerCatalog,
  spec: async () => (await import("./commands/spec.js")).registerSpec,
  compare: async () => (await import("./commands/compare.js")).registerCompare,
  plan: async () => (await import("./commands/plan.js")).registerPlan,
  reliability: async () => (await import("./commands/reliability.js")).registerReliability,
  report: async () => (await import("./commands/report.js")).registerReport,
  serve: async () => (await import("./commands/serve.js")).registerServe,
  simulate: async () => (await import("./commands/simulate.js")).registerSimulate,
  train: async () => (await import("./commands/train.js")).registerTrain,
  validate: async () => (await import("./commands/validate.js")).registerValidate,
  web: async () => (await import("./commands/web.js")).registerWeb,
  sweep: async () => (await import("./commands/sweep.js")).registerSweep,
  worker: async () => (await import("./commands/worker.js")).registerWorker,
};
/** Commands registered by another command's module. */
const ALIASES: Record<string, string> = { schema: "catalog" };

quietOnClosedPipe();
const program = new Command();
program
  .name("zettasim")
  .description(
    "Software twin of AI superclusters: spec, compare, train, simulate, reliability, serve, validate, sweep, worker.",
  )
  .version("0.1.0")
  .showHelpAfterError("(run with --help for usage)")
  .argument("[command]")
  .action(async (command?: string) => {
    if (command === undefined) return (await import("./commands/overview.js")).overview();
    const known = [...Object.keys(COMMANDS), ...Object.keys(ALIASES)].sort().join(", ");
    process.stderr.write(`zettasim: unknown command '${command}' (expected one of: ${known})\n`);
    process.exitCode = 2;
  });

// The first word names the command: load just its module; anything else (--help, nothing) loads them all.
const first = process.argv[2];
const name = first === undefined ? undefined : (ALIASES[first] ?? first);
const wanted = name !== undefined && Object.hasOwn(COMMANDS, name) ? [name] : Object.keys(COMMANDS);
if (first !== undefined || process.argv.length > 2)
  for (const register of await Promise.all(wanted.map((n) => COMMANDS[n]()))) register(program);

await program.parseAsync(process.argv);
