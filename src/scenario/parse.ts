// YAML/JSON text to a plain value, with every resource bounded before and during parsing (size, nesting,
// error count, aliases), and every problem reported as a ZettasimError with its line and column.
import {
  Composer,
  type Document,
  isAlias,
  isCollection,
  isMap,
  isNode,
  isScalar,
  LineCounter,
  Parser,
  visit,
} from "yaml";
import { type InputIssue, ZettasimError } from "../core/errors.js";
import { fmtInt } from "../core/units.js";

/** Limits on scenario and validation text (docs/limits.md). */
export const TEXT_LIMITS = {
  /** Largest text accepted, bytes (UTF-16 code units): the largest validation file is under 50 KB. */
  maxChars: 1 << 20,
  /** Deepest nesting of mappings and sequences, flow or block. */
  maxDepth: 64,
  /** Syntax errors gathered before parsing stops (each is reported). */
  maxErrors: 20,
  /** Aliases expanded in one document (an alias bomb expands exponentially). */
  maxAliasCount: 100,
} as const;

/** Where a value came from in its text: the parsed document and its line index, for pointing at fields. */
export interface Located {
  doc: Document;
  lines: LineCounter;
}

const issue = (message: string, expected?: string, line?: number, column?: number): InputIssue => {
  const i: InputIssue = { path: [], message };
  if (expected) i.expected = expected;
  if (line !== undefined) i.line = line;
  if (column !== undefined) i.column = column;
  return i;
};

/** Line and column (1-based) of a character offset, by counting newlines. Cost O(offset). */
function position(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

/**
 * Scans flow brackets outside quotes and comments before any parser runs: nesting deeper than the limit, or
 * more stray closing brackets than the error limit, is refused here in O(length), since the YAML parser spends
 * super-linear time (and, nested a few thousand deep, an uncatchable allocation failure) on such text.
 */
function scanBrackets(text: string, file: string): void {
  let depth = 0;
  let stray = 0;
  let quote = "";
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (comment) {
      if (c === "\n") comment = false;
      continue;
    }
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = "";
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) comment = true;
    else if ((c === '"' || c === "'") && (i === 0 || /[\s:,[{]/.test(text[i - 1]))) quote = c;
    else if (c === "[" || c === "{") {
      if (++depth > TEXT_LIMITS.maxDepth) {
        const p = position(text, i);
        throw new ZettasimError(
          [
            issue(
              `nested more than ${TEXT_LIMITS.maxDepth} levels deep`,
              `at most ${TEXT_LIMITS.maxDepth} levels of [ ] and { }`,
              p.line,
              p.col,
            ),
          ],
          file,
        );
      }
    } else if (c === "]" || c === "}") {
      if (depth > 0) depth--;
      else if (++stray > TEXT_LIMITS.maxErrors) {
        const p = position(text, i);
        throw new ZettasimError(
          [issue(`more than ${TEXT_LIMITS.maxErrors} unbalanced '${c}'`, "balanced brackets", p.line, p.col)],
          file,
        );
      }
    }
  }
}

/** Issues for a document's syntax errors, at most the error limit of them, with a count of the rest. */
function syntaxIssues(errors: readonly { message: string; pos: [number, number] }[], lines: LineCounter) {
  const shown = errors.slice(0, TEXT_LIMITS.maxErrors).map((e) => {
    const p = lines.linePos(e.pos[0]);
    const msg = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    return issue(`syntax error: ${msg}`, undefined, p.line, p.col);
  });
  if (errors.length > shown.length) {
    const p = lines.linePos(errors[shown.length].pos[0]);
    shown.push(
      issue(`... and ${errors.length - shown.length} more syntax errors from here`, undefined, p.line, p.col),
    );
  }
  return shown;
}

/** Runs `fn` without capturing stack traces: the parser builds an Error per problem, and their stacks dominate. */
function withoutStacks<T>(fn: () => T): T {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 0;
  try {
    return fn();
  } finally {
    E.stackTraceLimit = limit;
  }
}

/** Duplicate keys, nesting depth and aliases, checked on the document in one pass (O(nodes)). */
function checkDocument(doc: Document, lines: LineCounter, file: string): void {
  const problems: InputIssue[] = [];
  const at = (node: unknown) => {
    const r = isNode(node) ? node.range : undefined;
    return r ? lines.linePos(r[0]) : undefined;
  };
  const anchors = new Set<string>();
  visit(doc, {
    Node(_key, node, path) {
      if (problems.length >= TEXT_LIMITS.maxErrors) return visit.BREAK;
      const depth = path.filter((p) => isNode(p)).length;
      if (depth > TEXT_LIMITS.maxDepth) {
        const p = at(node);
        problems.push(
          issue(`nested more than ${TEXT_LIMITS.maxDepth} levels deep`, undefined, p?.line, p?.col),
        );
        return visit.BREAK;
      }
      if (isAlias(node) && !anchors.has(node.source)) {
        const p = at(node);
        problems.push(
          issue(
            `alias *${node.source} has no anchor &${node.source} before it`,
            "an alias after its anchor",
            p?.line,
            p?.col,
          ),
        );
      }
      if (isNode(node) && "anchor" in node && typeof node.anchor === "string") anchors.add(node.anchor);
      if (isMap(node)) {
        const seen = new Set<string>();
        for (const item of node.items) {
          const keyValue = isScalar(item.key) ? item.key.value : undefined;
          if (isCollection(item.key) || (typeof keyValue === "object" && keyValue !== null)) {
            const p = at(item.key);
            problems.push(
              issue(
                "a key must be a plain value (text or a number), not a list, a mapping or binary data",
                undefined,
                p?.line,
                p?.col,
              ),
            );
            continue;
          }
          const k = isNode(item.key) ? String((item.key as { value?: unknown }).value) : String(item.key);
          if (seen.has(k)) {
            const p = at(item.key);
            problems.push(
              issue(`syntax error: map keys must be unique ("${k}" twice)`, undefined, p?.line, p?.col),
            );
          }
          seen.add(k);
        }
      }
      return undefined;
    },
  });
  if (problems.length > 0) throw new ZettasimError(problems, file);
}

/**
 * Parses YAML or JSON text into a plain value (YAML 1.2 core schema). Refuses, with line and column, text over
 * TEXT_LIMITS (size, nesting, syntax errors, alias expansions), duplicate keys and aliases without an anchor.
 * Cost O(length) for every input, valid or not.
 */
export function parseYaml(text: string, file: string): { value: unknown; at: Located } {
  if (text.length > TEXT_LIMITS.maxChars) {
    throw new ZettasimError(
      [
        {
          path: [],
          message: `the text is ${fmtInt(text.length)} characters long`,
          expected: `at most ${fmtInt(TEXT_LIMITS.maxChars)} (docs/limits.md)`,
        },
      ],
      file,
    );
  }
  scanBrackets(text, file);
  const lines = new LineCounter();
  const docs = withoutStacks(() => {
    const tokens = [];
    let errors = 0;
    for (const t of new Parser(lines.addNewLine).parse(text)) {
      tokens.push(t);
      if (t.type === "error" && ++errors > TEXT_LIMITS.maxErrors) {
        const p = lines.linePos(t.offset);
        throw new ZettasimError(
          [issue(`more than ${TEXT_LIMITS.maxErrors} syntax errors`, undefined, p.line, p.col)],
          file,
        );
      }
    }
    return [...new Composer({ uniqueKeys: false }).compose(tokens, true, text.length)];
  });
  if (docs.length > 1) {
    const r = docs[1].range;
    const p = r ? lines.linePos(r[0]) : undefined;
    throw new ZettasimError(
      [issue("more than one YAML document", "one document (no second ---)", p?.line, p?.col)],
      file,
    );
  }
  const doc = docs[0] as Document;
  if (doc.errors.length > 0) throw new ZettasimError(syntaxIssues(doc.errors, lines), file);
  checkDocument(doc, lines, file);
  let value: unknown;
  try {
    value = withoutStacks(() => doc.toJS({ maxAliasCount: TEXT_LIMITS.maxAliasCount }));
  } catch (e) {
    // The one failure left at this point: aliases expanding past the limit (an alias bomb).
    throw new ZettasimError(
      [
        issue(
          `aliases expand to too many nodes (${(e as Error).message})`,
          `at most ${TEXT_LIMITS.maxAliasCount} alias expansions`,
        ),
      ],
      file,
    );
  }
  return { value, at: { doc, lines } };
}
