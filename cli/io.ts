// Node-side helpers for the CLI: reading scenario files, turning errors into clean messages, printing JSON.
import { closeSync, existsSync, openSync, readSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { systemIds } from "../src/catalog/resolve.js";
import { ZettasimError } from "../src/core/errors.js";
import { MAX_SEED } from "../src/core/rng.js";
import { loadScenarioText, type Scenario, scenarioFromValue } from "../src/scenario/load.js";
import { TEXT_LIMITS } from "../src/scenario/parse.js";

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
  return decodeUtf8(readBounded(path, MAX_TEXT_BYTES), path);
}

/** Most bytes a text file may hold: the text limit in characters at 3 UTF-8 bytes per UTF-16 code unit. */
const MAX_TEXT_BYTES = 3 * TEXT_LIMITS.maxChars;

/**
 * Reads at most `max` bytes of a file, a pipe or a device, or throws a ZettasimError once there are more:
 * a 700 MB file or /dev/zero is refused at the limit instead of exhausting memory or reading forever.
 */
function readBounded(path: string, max: number): Buffer {
  const buf = Buffer.alloc(Math.min(max + 1, Math.max(statSync(path).size + 1, 64 << 10)));
  const fd = openSync(path, "r");
  let got = 0;
  let out = buf;
  try {
    for (;;) {
      if (got === out.length) {
        if (got > max) break;
        const next = Buffer.alloc(Math.min(max + 1, out.length * 2));
        out.copy(next, 0, 0, got);
        out = next;
      }
      const n = readSync(fd, out, got, out.length - got, null);
      if (n === 0) break;
      got += n;
    }
  } finally {
    closeSync(fd);
  }
  if (got > max)
    throw new ZettasimError(
      [
        {
          path: [],
          message: `the file is more than ${max.toLocaleString("en-US")} bytes long`,
          expected: `a text of at most ${TEXT_LIMITS.maxChars.toLocaleString("en-US")} characters (docs/limits.md)`,
        },
      ],
      path,
    );
  return out.subarray(0, got);
}

/**
 * Decodes UTF-8 (a leading byte-order mark dropped), or throws a ZettasimError at the first byte that is not
 * UTF-8, with its line and column: Node's "utf8" would silently turn it into U+FFFD.
 */
function decodeUtf8(bytes: Buffer, path: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // The longest prefix that decodes (a prefix with a bad sequence never decodes once longer).
    const ok = (k: number) => {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, k), { stream: true });
        return true;
      } catch {
        return false;
      }
    };
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ok(mid)) lo = mid;
      else hi = mid - 1;
    }
    // Byte lo is where decoding fails; when it cuts short a sequence begun before it, point at that lead byte.
    let at = lo;
    let j = lo - 1;
    while (j >= 0 && j > lo - 4 && (bytes[j] & 0xc0) === 0x80) j--;
    const seqLen = (b: number) => (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1);
    if (j >= 0 && bytes[j] >= 0xc0 && j + seqLen(bytes[j]) > lo) at = j;
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, at));
    const lineStart = before.lastIndexOf("\n") + 1;
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    throw new ZettasimError(
      [
        {
          path: [],
          message: `not UTF-8 text${utf16 ? " (the file starts with a UTF-16 byte-order mark)" : ""}`,
          value: `byte 0x${bytes[at].toString(16).padStart(2, "0")}`,
          expected: "a file saved as UTF-8",
          line: before.split("\n").length,
          column: [...before.slice(lineStart)].length + 1,
        },
      ],
      path,
    );
  }
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

/** A decimal whole number as typed (a leading minus kept so a range error can name it): no hex, no exponent, no spaces. */
const DECIMAL_INTEGER = /^-?\d+$/;
/** A decimal number, optionally with an exponent (`2.5`, `.5`, `1e-3`): no hex, no spaces, no trailing text. */
const DECIMAL_NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a number flag, naming the flag in the error. Counts (`integer`) take decimal digits only, so `0x10`,
 * `1e3`, ` 12 ` and `12abc` are refused rather than read as 16, 1000 or 12; other numbers take decimal notation
 * with an optional exponent. Whole numbers stay at or below 2^53 - 1 (past it they are not exact).
 */
export function numberFlag(
  name: string,
  value: string | undefined,
  opts: { integer?: boolean; min?: number; positive?: boolean; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const min = opts.min ?? 0;
  const max = opts.max ?? (opts.integer ? Number.MAX_SAFE_INTEGER : undefined);
  const range = `${opts.positive ? "> 0" : `>= ${min}`}${max !== undefined ? ` and <= ${max}` : ""}`;
  const expected = `${opts.integer ? "a decimal whole number" : "a decimal number"} ${range}`;
  const refuse = (message: string) => new ZettasimError([{ path: [`--${name}`], message, value, expected }]);
  if (!(opts.integer ? DECIMAL_INTEGER : DECIMAL_NUMBER).test(value))
    throw refuse(
      opts.integer ? "bad value: not written in decimal digits" : "bad value: not a decimal number",
    );
  const n = Number(value);
  const tooSmall = opts.positive ? n <= 0 : n < min;
  const tooBig = max !== undefined && n > max;
  if (!Number.isFinite(n) || tooSmall || tooBig) throw refuse("bad value: out of range");
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
