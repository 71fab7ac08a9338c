// Node-side helpers for the CLI: reading scenario files, turning errors into clean messages, printing JSON.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { systemIds } from "../src/catalog/resolve.js";
import { ZettasimError } from "../src/core/errors.js";
import { MAX_SEED } from "../src/core/rng.js";
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

/**
 * Checks that an output path can be written before a long run starts ("-" means stdout). Throws a
 * ZettasimError naming `flag` when its folder is missing or it names a folder.
 */
export function checkOutputPath(flag: string, path: string): void {
  if (path === "-") return;
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ZettasimError([
      {
        path: [flag],
        message: `no such folder: ${dir}`,
        value: path,
        expected: "a file in an existing folder, or - for stdout",
      },
    ]);
  if (existsSync(path) && statSync(path).isDirectory())
    throw new ZettasimError([
      { path: [flag], message: `${path} is a folder`, value: path, expected: "a file path, or - for stdout" },
    ]);
}

/** Writes text to a file, or to stdout for "-". */
export function writeOutput(path: string, text: string): void {
  if (path === "-") process.stdout.write(text);
  else writeFileSync(path, text);
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
  opts: { integer?: boolean; min?: number; positive?: boolean; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const min = opts.min ?? 0;
  const tooSmall = opts.positive ? n <= 0 : n < min;
  const tooBig = opts.max !== undefined && n > opts.max;
  if (
    value.trim() === "" ||
    !Number.isFinite(n) ||
    tooSmall ||
    tooBig ||
    (opts.integer && !Number.isInteger(n))
  ) {
    const range = `${opts.positive ? "> 0" : `>= ${min}`}${opts.max !== undefined ? ` and <= ${opts.max}` : ""}`;
    throw new ZettasimError([
      {
        path: [`--${name}`],
        message: "bad value",
        value,
        expected: `${opts.integer ? "a whole number" : "a number"} ${range}`,
      },
    ]);
  }
  return n;
}

/** Most worker threads a command starts: past a few per core they only add memory and start-up time. */
export const MAX_THREADS = 256;

/** Parses a --threads flag: a whole number from 1 to MAX_THREADS. */
export const threadsFlag = (value: string | undefined): number | undefined =>
  numberFlag("threads", value, { integer: true, min: 1, max: MAX_THREADS });

/** Parses a --seed flag: a whole number from 0 to 2^53 - 1 (each its own sequence). */
export const seedFlag = (value: string | undefined): number | undefined =>
  numberFlag("seed", value, { integer: true, min: 0, max: MAX_SEED });
