// Converts zod validation errors into InputIssues that name the field, the bad value and what was expected.
import type { z } from "zod";
import { type InputIssue, nearestId } from "../core/errors.js";
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

/**
 * The one known key that is a short form of `key` (the same first letter, then its letters in order within `key`,
 * e.g. seqLength within sequenceLength), or the one `key` is a short form of; undefined when none or several. Catches
 * the spelled-out names edit distance misses: sequenceLength is five edits from seqLength.
 */
function shortFormOf(key: string, known: readonly string[]): string | undefined {
  const within = (short: string, long: string) => {
    const s = short.toLowerCase();
    const l = long.toLowerCase();
    if (s.length < 3 || s.length >= l.length || s[0] !== l[0]) return false;
    let i = 0;
    for (const ch of l) if (ch === s[i]) i++;
    return i === s.length;
  };
  const hits = known.filter((k) => within(k, key) || within(key, k));
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * Flattens a ZodError (including union branches) into user-facing issues, each with the path prefixed by `base`.
 * With `schema` (the one that was parsed), an unknown field that is a near miss of a field the schema has at
 * that place names it: "unknown field, did you mean latencyUs?".
 */
export function issuesFromZod(
  err: z.ZodError,
  base: (string | number)[] = [],
  schema?: z.ZodType,
  within: (string | number)[] = [],
): InputIssue[] {
  const out: InputIssue[] = [];
  for (const issue of err.issues) {
    const path = [...base, ...(issue.path as (string | number)[])];
    const at = [...within, ...(issue.path as (string | number)[])];
    if (issue.code === "unrecognized_keys") {
      const known = schema ? knownKeysAt(schema, at) : [];
      for (const key of issue.keys) {
        const near = nearestId(key, known) ?? shortFormOf(key, known);
        const hint =
          near !== undefined
            ? `, did you mean ${near}?`
            : KNOWN_UNITS.test(key)
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
        out.push(...issuesFromZod(sub, path, schema, at));
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

/** The part of a zod schema's definition the key walk reads (zod's documented `_zod.def` introspection). */
interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  items?: z.ZodType[];
  valueType?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
}

/** Wrappers whose own input is their inner schema's. */
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "nonoptional", "readonly", "catch"]);

/**
 * The field names an object schema accepts at `path` inside `schema` (every union branch's, merged), for the
 * "did you mean" of an unknown field. Empty where the walk meets a kind it does not know. Cost: O(schema nodes
 * on the way), at most 200 steps; a schema met twice at one depth (a recursive z.lazy) is walked once.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  const keys = new Set<string>();
  let budget = 200;
  const seen = new WeakMap<object, Set<number>>();
  const walk = (s: z.ZodType | undefined, i: number): void => {
    const def = (s as unknown as { _zod?: { def?: Def } } | undefined)?._zod?.def;
    if (!s || !def || budget-- <= 0) return;
    // A schema met again at the same depth (a z.lazy that refers to itself) adds nothing.
    const depths = seen.get(s) ?? new Set<number>();
    if (depths.has(i)) return;
    seen.set(s, depths.add(i));
    if (WRAPPERS.has(def.type)) {
      walk(def.innerType, i);
      return;
    }
    const next = path[i];
    switch (def.type) {
      case "lazy":
        walk(def.getter?.(), i);
        return;
      case "pipe":
        walk(def.in, i);
        return;
      case "union":
        for (const o of def.options ?? []) walk(o, i);
        return;
      case "intersection":
        walk(def.left, i);
        walk(def.right, i);
        return;
      case "object":
        if (i === path.length) for (const k of Object.keys(def.shape ?? {})) keys.add(k);
        else if (typeof next === "string" && def.shape && Object.hasOwn(def.shape, next))
          walk(def.shape[next], i + 1);
        return;
      case "array":
        if (typeof next === "number") walk(def.element, i + 1);
        return;
      case "tuple":
        if (typeof next === "number") walk(def.items?.[next], i + 1);
        return;
      case "record":
        if (i < path.length) walk(def.valueType, i + 1);
        return;
    }
  };
  walk(schema, 0);
  return [...keys];
}
