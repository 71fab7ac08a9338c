#!/usr/bin/env node
// The zettasim command line: a thin front end over the core library in src/. Only the command asked for is
// loaded (each is its own module, bundled on its own by scripts/bundle-cli.mjs), so `zettasim spec` starts fast.

import { readFileSync } from "node:fs";
import { Command } from "commander";
import { quietOnClosedPipe } from "./pipe.js";
import { ALIASES, COMMANDS, type HelpLine, helpLines } from "./registry.js";

quietOnClosedPipe();
const program = new Command();
program
  .name("zettasim")
  .description(
    "Software twin of AI superclusters: spec, compare, train, simulate, reliability, serve, validate, sweep, worker.",
  )
  .version("0.1.0")
  .usage("[options] [command]")
  .showHelpAfterError("(run with --help for usage)")
  // Exit codes: 0 done (help and version too), 2 bad input (a usage error here, like an input error in a command),
  // 1 an internal error. Commander exits 1 on usage errors; subcommands inherit this.
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2))
  .configureOutput({ outputError: (text, write) => write(`zettasim: ${text.replace(/^error: /, "")}`) })
  .argument("[command]")
  .action(async (command?: string) => {
    if (command === undefined) return (await import("./commands/overview.js")).overview();
    const known = [...Object.keys(COMMANDS), ...Object.keys(ALIASES)].sort().join(", ");
    process.stderr.write(`zettasim: unknown command '${command}' (expected one of: ${known})\n`);
    process.exitCode = 2;
  });

// The first word names the command (`help <command>` is `<command> --help`): load just its module. Anything else (--help, an
// unknown word) lists the commands from dist/cli/help.json, written at build time, without loading any of them.
const argv =
  process.argv[2] === "help"
    ? [...process.argv.slice(0, 2), ...process.argv.slice(3), "--help"]
    : process.argv;
const first = argv[2];
const name = first === undefined ? undefined : (ALIASES[first] ?? first);
if (name !== undefined && Object.hasOwn(COMMANDS, name)) (await COMMANDS[name]())(program);
else if (first !== undefined) await listCommands(program);

/** Adds every command as a help line only; running one of those says to put the command first. */
async function listCommands(program: Command): Promise<void> {
  const lines = readHelpLines() ?? (await helpLines());
  const terms = new Map(lines.map((l) => [l.name, l.term]));
  program.configureHelp({ subcommandTerm: (c) => terms.get(c.name()) ?? c.name() });
  for (const l of lines)
    program
      .command(l.name)
      .description(l.summary)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        process.stderr.write(`zettasim: put the command first: zettasim ${l.name} [options]\n`);
        process.exitCode = 2;
      });
}

/** The command list written by the build, or undefined when running from source. */
function readHelpLines(): HelpLine[] | undefined {
  try {
    return JSON.parse(readFileSync(new URL("./help.json", import.meta.url), "utf8")) as HelpLine[];
  } catch {
    return undefined;
  }
}

await program.parseAsync(argv);
