// Reads and writes JSON byte for byte as Python's json.dump(doc, indent=1) does, so that data files first written by
// Python extraction scripts are reproduced exactly by their TypeScript replacements (number literals kept as written).

/** A number that Python wrote as a float: serialised with Python's repr (so 5 is "5.0", 1e-05 keeps its exponent). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A number literal read from an existing file, written back exactly as it was. */
export class RawNumber {
  constructor(readonly text: string) {}
}

export type PyJson =
  | string
  | number
  | boolean
  | null
  | PyFloat
  | RawNumber
  | PyJson[]
  | { [key: string]: PyJson };

/** A parse or serialisation failure: what and where. */
export class PyJsonError extends Error {
  override name = "PyJsonError";
}

/**
 * Python's repr of a float (the shortest string that reads back to the same double; fixed notation for decimal
 * exponents -4..15, otherwise d.ddde+XX), which is what json.dump writes for a float.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "Infinity";
  if (x === Number.NEGATIVE_INFINITY) return "-Infinity";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const [mantissa, expText] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
    return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp).toString().padStart(2, "0");
  return `${sign}${m}e${exp < 0 ? "-" : "+"}${e}`;
}

/**
 * Python's round(x, ndigits) for a float: the decimal nearest the double's exact value, ties to even, read back as the
 * nearest double. Exact for |x| < 1e21 (toFixed(100) spells out every binary digit of such doubles down to 1e-100).
 */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x)) return x;
  if (Math.abs(x) >= 1e21) throw new PyJsonError(`pyRound: |x| ${x} >= 1e21 is not supported`);
  if (!Number.isInteger(ndigits) || ndigits < 0 || ndigits > 20) {
    throw new PyJsonError(`pyRound: ndigits ${ndigits}, expected an integer 0..20`);
  }
  const negative = x < 0;
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf(".");
  const kept = exact.slice(0, point) + exact.slice(point + 1, point + 1 + ndigits);
  const rest = exact.slice(point + 1 + ndigits);
  const half = `5${"0".repeat(rest.length - 1)}`;
  let roundUp = rest > half;
  if (rest === half) roundUp = Number(kept[kept.length - 1]) % 2 === 1;
  let n = BigInt(kept);
  if (roundUp) n += 1n;
  const s = n.toString().padStart(ndigits + 1, "0");
  const text = ndigits === 0 ? s : `${s.slice(0, s.length - ndigits)}.${s.slice(s.length - ndigits)}`;
  const v = Number(text);
  return negative ? -v : v;
}

/** round(x, ndigits) marked as a Python float for serialisation. */
export function pyRoundFloat(x: number, ndigits: number): PyFloat {
  return new PyFloat(pyRound(x, ndigits));
}

function pyString(s: string, ensureAscii = true): string {
  // json.dump's default ensure_ascii=True: every character outside ' '..'~' is escaped, as \uXXXX (lower-case hex)
  // except the short forms \n \r \t \b \f; '"' and '\' take a backslash. With ensure_ascii=False only characters
  // below ' ' are escaped.
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code >= 0x20 && (code <= 0x7e || !ensureAscii)) out += ch;
    else if (code > 0xffff) {
      const v = code - 0x10000;
      out += `\\u${(0xd800 + (v >> 10)).toString(16)}\\u${(0xdc00 + (v & 0x3ff)).toString(16)}`;
    } else out += `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

function scalar(v: PyJson, path: string, ensureAscii: boolean): string | undefined {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return pyString(v, ensureAscii);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (typeof v === "bigint") throw new PyJsonError(`${path}: a bigint; convert it to a number first`);
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (v instanceof RawNumber) return v.text;
  return undefined;
}

export interface DumpOptions {
  /** Spaces per level (json.dump's indent); 1 for the files here. */
  indent: number;
  /**
   * Arrays written on one line, items separated by ", " (as a hand-compacted table row), chosen by their path
   * (keys and indices from the root joined by "/").
   */
  inline?: (path: string) => boolean;
  /** json.dump's ensure_ascii (default true); false writes non-ASCII characters as they are (UTF-8). */
  ensureAscii?: boolean;
}

/** Serialises like Python's json.dump(doc, f, indent=options.indent) (no trailing newline). */
export function pyDumps(doc: PyJson, options: DumpOptions): string {
  const pad = (level: number) => " ".repeat(level * options.indent);
  const walk = (v: PyJson, level: number, path: string): string => {
    const s = scalar(v, path, options.ensureAscii ?? true);
    if (s !== undefined) return s;
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      if (options.inline?.(path))
        return `[${v.map((x, i) => walk(x, level + 1, `${path}/${i}`)).join(", ")}]`;
      const items = v.map((x, i) => pad(level + 1) + walk(x, level + 1, `${path}/${i}`));
      return `[\n${items.join(",\n")}\n${pad(level)}]`;
    }
    const entries = Object.entries(v as { [key: string]: PyJson });
    if (entries.length === 0) return "{}";
    const items = entries.map(
      ([k, x]) =>
        `${pad(level + 1)}${pyString(k, options.ensureAscii ?? true)}: ${walk(x, level + 1, `${path}/${k}`)}`,
    );
    return `{\n${items.join(",\n")}\n${pad(level)}}`;
  };
  return walk(doc, 0, "");
}

const STRING = /"(?:[^"\\]|\\.)*"/y;
const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity/y;

/**
 * Parses JSON keeping every number's literal text (RawNumber), so that unchanged parts of a file are written back
 * byte for byte. Refuses an object whose keys a JS object would reorder (integer-like keys not first and ascending).
 */
export function parsePreserving(text: string): PyJson {
  let i = 0;
  const fail = (what: string): never => {
    throw new PyJsonError(`JSON at offset ${i}: ${what}`);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const expect = (ch: string) => {
    if (text[i] !== ch) fail(`expected '${ch}', found '${text[i]}'`);
    i++;
  };
  const str = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (m === null) return fail("expected a string");
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (): PyJson => {
    space();
    const ch = text[i];
    if (ch === "{") {
      i++;
      const keys: string[] = [];
      const obj: { [key: string]: PyJson } = {};
      space();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        space();
        const k = str();
        if (Object.hasOwn(obj, k)) fail(`duplicate key "${k}"`);
        space();
        expect(":");
        obj[k] = value();
        keys.push(k);
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        expect("}");
        break;
      }
      if (Object.keys(obj).join("\u0000") !== keys.join("\u0000")) {
        fail(`object keys ${JSON.stringify(keys)} would be reordered by a JS object`);
      }
      return obj;
    }
    if (ch === "[") {
      i++;
      const arr: PyJson[] = [];
      space();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        expect("]");
        break;
      }
      return arr;
    }
    if (ch === '"') return str();
    LITERAL.lastIndex = i;
    const m = LITERAL.exec(text);
    if (m === null) return fail("expected a value");
    i += m[0].length;
    if (m[0] === "true") return true;
    if (m[0] === "false") return false;
    if (m[0] === "null") return null;
    return new RawNumber(m[0]);
  };
  const doc = value();
  space();
  if (i !== text.length) fail("trailing text");
  return doc;
}
