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

/** Formats a field path the way a user would write it: `system.tiers[1].bandwidthGBps`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? p : `.${p}`;
  }
  return out === "" ? "(top level)" : out;
}

function showValue(v: unknown): string {
  if (v === undefined) return "nothing";
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return String(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(v);
  }
}

/** Renders one issue as a single line: `file:line:col: path: message (got X, expected Y)`. */
export function formatIssue(issue: InputIssue, file?: string): string {
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
    const body =
      typeof issues === "string"
        ? issues
        : `${head}:\n${list.map((i) => `  ${formatIssue(i, file)}`).join("\n")}`;
    super(body);
    this.name = "ZettasimError";
    this.issues = list;
    this.file = file;
  }
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

/** Throws unless every number in a result object is finite: results must never carry NaN or Infinity. */
export function assertFinite(obj: unknown, what: string, path: (string | number)[] = []): void {
  if (typeof obj === "number") {
    if (!Number.isFinite(obj)) {
      throw new Error(`internal error: ${what} produced ${obj} at ${formatPath(path)}`);
    }
    return;
  }
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) assertFinite(obj[i], what, [...path, i]);
    return;
  }
  if (obj && typeof obj === "object") {
    for (const [k, v] of Object.entries(obj)) assertFinite(v, what, [...path, k]);
  }
}
