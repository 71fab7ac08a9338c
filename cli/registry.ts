// The CLI's commands: each one's module, loaded only when it runs, and the one-line help of all of them, written at
// build time to dist/cli/help.json so `zettasim --help` lists every command without loading any.
import { Command } from "commander";

export type Register = (program: Command) => void;

/** Each command's module, loaded only when that command runs. One line per command. */
export const COMMANDS: Record<string, () => Promise<Register>> = {
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
export const ALIASES: Record<string, string> = { schema: "catalog" };

/** One line of the command list: the command's name, its usage term ("spec [options] <system>") and summary. */
export interface HelpLine {
  name: string;
  term: string;
  summary: string;
}

/** Loads every command module and returns the command list as `zettasim --help` prints it. Cost: every module's load. */
export async function helpLines(): Promise<HelpLine[]> {
  const program = new Command();
  for (const register of await Promise.all(Object.values(COMMANDS).map((load) => load()))) register(program);
  const help = program.createHelp();
  return program.commands.map((c) => ({
    name: c.name(),
    term: help.subcommandTerm(c),
    summary: help.subcommandDescription(c),
  }));
}
