// Errors a user can act on: each names where (file, line, column, field path), the bad value and what was expected.

/** One problem found in user input. `path` is the field path, e.g. ["system", "tiers", 1, "bandwidthGBps"]. */
export interface InputIssue {
  path: (string | number)[];
  message: string;
  /** The offending value as the user wrote it, when there is one. */
  value?: unknown;
  /** What would have been accepted, in words. */
  expected?: string;
  line?: number;
  column?: number;
}

/**
 * An input value the model could not use as given and replaced (e.g. more virtual pipeline stages than layers
 * allow): front ends print each one, so no option changes silently.
 */
export interface Adjustment {
  path: (string | number)[];
  from: unknown;
  to: unknown;
  /** Why, in words. */
  reason: string;
}

/** Renders an adjustment as one line: `training.vpp: 8 -> 7 (why)`. */
export function formatAdjustment(a: Adjustment): string {
  return `${formatPath(a.path)}: ${showValue(a.from)} -> ${showValue(a.to)} (${a.reason})`;
}

/** Formats a field path the way a user would write it: `system.tiers[1].bandwidthGBps`. */
export function formatPath(path: readonly (string | number)[]): string {
  requireArgument(path, "path", "array", "a field path, an array of keys and indices");
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? p : `.${p}`;
  }
  return out === "" ? "(top level)" : out;
}

/** JSON, except that numbers JSON cannot hold (NaN, Infinity, from YAML's .nan and .inf) show as themselves. */
function showValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  try {
    const s = JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x));
    if (s === undefined) return String(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(v);
  }
}

/** Renders one issue as a single line: `file:line:col: path: message (got X, expected Y)`. */
export function formatIssue(issue: InputIssue, file?: string): string {
  requireArgument(issue, "issue", "object", "an InputIssue {path, message, ...}");
  const where = [file, issue.line, issue.column].filter((x) => x !== undefined).join(":");
  const parts: string[] = [];
  if (where) parts.push(`${where}:`);
  parts.push(`${formatPath(issue.path)}: ${issue.message}`);
  const extras: string[] = [];
  if ("value" in issue) extras.push(`got ${showValue(issue.value)}`);
  if (issue.expected) extras.push(`expected ${issue.expected}`);
  if (extras.length) parts.push(`(${extras.join(", ")})`);
  return parts.join(" ");
}

/** Issues printed in one error message; the rest are counted (they stay in `issues`). */
const MAX_ISSUES_SHOWN = 20;

/**
 * Thrown for any bad input: a scenario file, a CLI flag, a catalog id, an impossible configuration.
 * Front ends print `message` and exit non-zero; they never print a stack trace for it.
 */
export class ZettasimError extends Error {
  readonly issues: InputIssue[];
  readonly file?: string;
  constructor(issues: InputIssue[] | string, file?: string) {
    const list: InputIssue[] = typeof issues === "string" ? [{ path: [], message: issues }] : issues;
    const head = file ? `invalid input in ${file}` : "invalid input";
    const shown = list.slice(0, MAX_ISSUES_SHOWN).map((i) => `  ${formatIssue(i, file)}`);
    if (list.length > MAX_ISSUES_SHOWN) shown.push(`  ... and ${list.length - MAX_ISSUES_SHOWN} more`);
    const body = typeof issues === "string" ? issues : `${head}:\n${shown.join("\n")}`;
    super(body);
    this.name = "ZettasimError";
    this.issues = list;
    this.file = file;
  }
}

/**
 * Throws a ZettasimError with one issue at `[...path, key]` unless `ok`, building the path only when it throws: for
 * checks on a hot path (a serving step's per-call inputs), which must not allocate when the input is good.
 */
export function requireAt(
  ok: boolean,
  path: readonly (string | number)[],
  key: string | number,
  message: string,
  value: unknown,
): void {
  if (!ok) require_(false, [...path, key], message, value);
}

/** Throws a ZettasimError with one issue unless `ok`. */
export function require_(
  ok: boolean,
  path: (string | number)[],
  message: string,
  value?: unknown,
  expected?: string,
) {
  if (!ok) {
    const issue: InputIssue = { path, message };
    if (arguments.length >= 4) issue.value = value;
    if (expected) issue.expected = expected;
    throw new ZettasimError([issue]);
  }
}

/**
 * Throws unless every number in a result object is finite: results must never carry NaN or Infinity. The message
 * names the first non-finite number's path. Cost O(values), no allocation when every number is finite (the path is
 * built only to report one that is not).
 */
export function assertFinite(obj: unknown, what: string, path: (string | number)[] = []): void {
  if (!allFinite(obj)) reportNonFinite(obj, what, path);
}

/**
 * Whether every number in `obj` (own enumerable properties, array elements, nested) is finite. A `for...in` over own
 * keys, not `Object.values`: no array per object visited (this checks every training estimate).
 */
function allFinite(obj: unknown): boolean {
  if (typeof obj === "number") return Number.isFinite(obj);
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) if (!allFinite(obj[i])) return false;
    return true;
  }
  if (obj && typeof obj === "object") {
    const o = obj as Record<string, unknown>;
    for (const k in o) if (Object.hasOwn(o, k) && !allFinite(o[k])) return false;
  }
  return true;
}

/** Throws naming the path of the first non-finite number in `obj`, in the order `allFinite` visits them. */
function reportNonFinite(obj: unknown, what: string, path: (string | number)[]): void {
  if (typeof obj === "number") {
    if (!Number.isFinite(obj)) {
      throw new Error(`internal error: ${what} produced ${obj} at ${formatPath(path)}`);
    }
    return;
  }
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) reportNonFinite(obj[i], what, [...path, i]);
    return;
  }
  if (obj && typeof obj === "object") {
    for (const [k, v] of Object.entries(obj)) reportNonFinite(v, what, [...path, k]);
  }
}

/**
 * The known id nearest to a misspelt one (case ignored; an insertion, deletion, substitution or swap of
 * neighbours each count 1), or undefined when none is within a quarter of its length (at least 2): enough for
 * "llama3-70" -> "llama3-70b" without suggesting an unrelated id. Cost O(ids x length^2).
 */
export function nearestId(given: string, known: readonly string[]): string | undefined {
  const a = given.toLowerCase();
  if (a === "") return undefined;
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(a.length / 4)) + 1;
  for (const id of known) {
    const b = id.toLowerCase();
    if (Math.abs(a.length - b.length) >= bestD) continue;
    // Optimal string alignment distance, three rows.
    let prev2: number[] = [];
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          d = Math.min(d, prev2[j - 2] + 1);
        row.push(d);
      }
      prev2 = prev;
      prev = row;
    }
    if (prev[b.length] < bestD) {
      bestD = prev[b.length];
      best = id;
    }
  }
  return best;
}

/** "unknown <kind> id", with the nearest known id when the given one is a near miss. */
export function unknownIdMessage(kind: string, given: string, known: readonly string[]): string {
  const near = nearestId(given, known);
  return near === undefined ? `unknown ${kind} id` : `unknown ${kind} id, did you mean ${near}?`;
}

/** What a public entry point's argument must be: a plain object (not null, not an array), a string or an array. */
export type ArgumentKind = "object" | "string" | "array";

/**
 * Refuses an argument of the wrong kind where a public function first receives it (a browser user may pass
 * anything), so a caller gets a ZettasimError naming the argument, the value and what was expected instead
 * of a TypeError from deep inside. Checks the kind and, for an object, that each of `keys` is present (an
 * empty `{}` names every missing key); the fields' values are validated where they are read.
 */
export function requireArgument(
  value: unknown,
  name: string,
  kind: ArgumentKind,
  expected: string,
  keys: readonly string[] = [],
): void {
  const ok =
    kind === "string"
      ? typeof value === "string"
      : kind === "array"
        ? Array.isArray(value)
        : typeof value === "object" && value !== null && !Array.isArray(value);
  if (!ok) {
    const what = kind === "object" ? "an object" : kind === "string" ? "a string" : "an array";
    throw new ZettasimError([{ path: [name], message: `argument must be ${what}`, value, expected }]);
  }
  for (const k of keys) {
    if ((value as Record<string, unknown>)[k] !== undefined) continue;
    const missing = keys.filter((key) => (value as Record<string, unknown>)[key] === undefined);
    throw new ZettasimError(
      missing.map((key) => ({ path: [name, key], message: "required field missing", expected })),
    );
  }
}

/** The fields every System has (catalog/types.ts) that the entry points taking one read first. */
const SYSTEM_KEYS = ["chip", "chips", "tiers"] as const;

/** The System argument check every entry point taking one makes (kind and required fields), in one place. */
export function requireSystem(value: unknown, name = "system"): void {
  requireArgument(value, name, "object", "a System (resolveSystem gives one from a catalog id)", SYSTEM_KEYS);
}

/** The fields of a Scenario (scenario/load.ts) that every entry point taking one reads. */
export const SCENARIO_KEYS = ["file", "system", "seed"] as const;

/** What an entry point taking a scenario expects, in words. */
export const SCENARIO_ARG = "a Scenario (loadScenarioText or scenarioFromValue gives one)";
