// Converts zod validation errors into InputIssues that name the field, the bad value and what was expected.
import type { z } from "zod";
import type { InputIssue } from "../core/errors.js";
import { LIMITS } from "./fields.js";

const KNOWN_UNITS = /(GBps|TBps|Us|Ms|S|KW|W|GB|TB|M2|Tflops|Pflops)$/;

/** What a type zod names is, in the words of a YAML or JSON file. */
const TYPE_WORDS: Record<string, string> = {
  object: "a mapping (key: value)",
  array: "a list",
  number: "a number",
  int: "a whole number",
  string: "a string",
  boolean: "true or false",
};

function expectedFor(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      const x = "input" in issue ? issue.input : undefined;
      if (issue.expected === "number" && typeof x === "number") return "a finite number";
      return TYPE_WORDS[issue.expected] ?? issue.expected;
    }
    case "too_small":
      if (issue.minimum === LIMITS.positiveMin) return "> 0 (at least 1e-9)";
      return `${issue.inclusive ? ">=" : ">"} ${String(issue.minimum)}`;
    case "too_big":
      return `${issue.inclusive ? "<=" : "<"} ${String(issue.maximum)}`;
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return undefined;
  }
}

/** Flattens a ZodError (including union branches) into user-facing issues, each with the path prefixed by `base`. */
export function issuesFromZod(err: z.ZodError, base: (string | number)[] = []): InputIssue[] {
  const out: InputIssue[] = [];
  for (const issue of err.issues) {
    const path = [...base, ...(issue.path as (string | number)[])];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const hint = KNOWN_UNITS.test(key)
          ? ""
          : " (keys carry their unit, e.g. bandwidthGBps, latencyUs, powerKW)";
        out.push({ path: [...path, key], message: `unknown field${hint}` });
      }
      continue;
    }
    if (issue.code === "invalid_union") {
      // Report the branch that got furthest: the one whose first issue has the longest path.
      const branches = issue.errors.filter((b) => b.length > 0);
      const best = branches.sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0];
      if (best && depth(best) > 0) {
        const sub = { issues: best } as unknown as z.ZodError;
        out.push(...issuesFromZod(sub, path));
        continue;
      }
    }
    if (
      "input" in issue &&
      issue.input === undefined &&
      (issue.code === "invalid_type" || issue.code === "invalid_union")
    ) {
      const exp =
        issue.code === "invalid_type"
          ? (TYPE_WORDS[issue.expected] ?? issue.expected)
          : "a catalog id, an inline definition or {extends: <id>, ...}";
      out.push({ path, message: "required field is missing", expected: exp });
      continue;
    }
    // zod's own wording ("Invalid input: expected object, received number") says less than the expected text.
    const message =
      issue.code === "invalid_type" && issue.message.startsWith("Invalid input")
        ? "wrong type"
        : issue.message;
    const entry: InputIssue = { path, message };
    if ("input" in issue) entry.value = issue.input;
    const exp = expectedFor(issue);
    if (exp) entry.expected = exp;
    out.push(entry);
  }
  return out;
}

function depth(issues: z.core.$ZodIssue[]): number {
  return Math.max(...issues.map((i) => i.path.length));
}
