// Node-side helpers for the CLI: reading scenario files, turning errors into clean messages, printing JSON.
import { existsSync, readFileSync, statSync } from "node:fs";
import { systemIds } from "../src/catalog/resolve.js";
import { ZettasimError } from "../src/core/errors.js";
import { loadScenarioText, type Scenario, scenarioFromValue } from "../src/scenario/load.js";

/** Reads a scenario from a file path, or builds one from a catalog system id. */
export function readScenario(arg: string): Scenario {
  if (systemIds().includes(arg) && !existsSync(arg)) {
    return scenarioFromValue({ system: arg }, arg);
  }
  return loadScenarioText(readTextFile(arg), arg);
}

/** Reads a text file, or throws a ZettasimError saying why not. */
export function readTextFile(path: string): string {
  if (!existsSync(path)) {
    const hint = /\.(ya?ml|json)$/i.test(path) ? "" : ` or a catalog system id (${systemIds().join(", ")})`;
    throw new ZettasimError([
      { path: [], message: `no such file: ${path}`, expected: `a path to a .yaml or .json file${hint}` },
    ]);
  }
  if (statSync(path).isDirectory()) {
    throw new ZettasimError([{ path: [], message: `${path} is a directory`, expected: "a file" }]);
  }
  return readFileSync(path, "utf8");
}

/** Prints a value as JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Wraps a command action: input errors print their message and exit 2; anything else prints one line
 * (the stack only with ZETTASIM_DEBUG=1) and exits 1. Never a raw stack trace for bad input.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => void | Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (e instanceof ZettasimError) {
        process.stderr.write(`zettasim: ${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      const err = e as Error;
      process.stderr.write(`zettasim: internal error: ${err?.message ?? String(e)}\n`);
      if (process.env.ZETTASIM_DEBUG) process.stderr.write(`${err?.stack}\n`);
      process.exitCode = 1;
    }
  };
}

/** Parses a positive number flag, naming the flag in the error. */
export function numberFlag(
  name: string,
  value: string | undefined,
  opts: { integer?: boolean; min?: number; positive?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const min = opts.min ?? 0;
  const tooSmall = opts.positive ? n <= 0 : n < min;
  if (value.trim() === "" || !Number.isFinite(n) || tooSmall || (opts.integer && !Number.isInteger(n))) {
    throw new ZettasimError([
      {
        path: [`--${name}`],
        message: "bad value",
        value,
        expected: `${opts.integer ? "a whole number" : "a number"} ${opts.positive ? "> 0" : `>= ${min}`}`,
      },
    ]);
  }
  return n;
}
