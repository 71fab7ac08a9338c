// Edits a scenario's YAML in place (comments and layout kept), so the file the page downloads is the one edited.
import { isMap, parseDocument } from "yaml";

let last: { text: string; value: Record<string, unknown> | undefined } | undefined;

/**
 * The scenario text as a plain value, or undefined when it does not parse (the worker reports why). The last text
 * is remembered: every field of a form reads the same text. Do not mutate the result.
 */
export function readScenario(text: string): Record<string, unknown> | undefined {
  if (last?.text === text) return last.value;
  last = { text, value: parse(text) };
  return last.value;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const doc = parseDocument(text);
    if (doc.errors.length) return undefined;
    const v = doc.toJS({ maxAliasCount: 100 });
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The value at a path of a plain value. */
export function getIn(v: unknown, path: (string | number)[]): unknown {
  let cur = v;
  for (const k of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/**
 * Sets (or, with undefined, removes) the value at `path` and returns the new text; the rest of the file, comments
 * included, is kept. Throws when the text is not YAML.
 */
export function setIn(text: string, path: (string | number)[], value: unknown): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error("the scenario is not valid YAML; fix it in the editor first");
  if (value === undefined) {
    doc.deleteIn(path);
    // Drop a section left empty.
    const parent = path.slice(0, -1);
    const p = parent.length ? doc.getIn(parent) : undefined;
    if (parent.length && isMap(p) && p.items.length === 0) doc.deleteIn(parent);
  } else doc.setIn(path, value);
  return doc.toString();
}

/** What a form field's text means: empty is "not set", a number is a number, anything else stays text (the schema names it). */
export function fieldValue(raw: string): unknown {
  const t = raw.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}
