// House rules the code itself can be checked for: no function over 150 lines in src/, every source file opens with a
// comment saying what it is for. Functions are found with the TypeScript parser (declarations, methods, arrows).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../", import.meta.url).pathname;
const MAX_FUNCTION_LINES = 150;

/** Every .ts file under the given folders, relative to the repository root. */
function sources(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) out.push(relative(ROOT, p));
    }
  };
  for (const d of dirs) walk(join(ROOT, d));
  return out.sort();
}

/** Functions longer than `max` lines in a file, as "path:line name (n lines)". Cost O(file size). */
function longFunctions(path: string, text: string, max: number): string[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const nameOf = (n: ts.Node): string => {
    const named = (n as ts.FunctionDeclaration).name;
    if (named) return named.getText(sf);
    const p = n.parent;
    if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) return p.name.getText(sf);
    return "(anonymous)";
  };
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body) {
      const from = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      const lines = sf.getLineAndCharacterOfPosition(n.getEnd()).line - from + 1;
      if (lines > max) out.push(`${path}:${from + 1} ${nameOf(n)} (${lines} lines)`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * Which top-level folders of src/ each folder imports (tests left out): "plan" -> {"catalog", "core", ...}. Files
 * directly in src/ (the public index) are left out: they re-export every layer.
 */
function layerImports(files: { path: string; text: string }[]): Map<string, Set<string>> {
  const layers = new Map<string, Set<string>>();
  for (const { path, text } of files) {
    const parts = path.split("/");
    if (parts.length < 3 || path.endsWith(".test.ts")) continue;
    const from = parts[1];
    for (const m of text.matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]+)"/g)) {
      const to = join(parts.slice(0, -1).join("/"), m[1]).split("/");
      if (to.length > 2 && to[0] === "src" && to[1] !== from) {
        if (!layers.has(from)) layers.set(from, new Set());
        layers.get(from)?.add(to[1]);
      }
    }
  }
  return layers;
}

/** Import cycles between layers, each as "a -> b -> a". Cost O(layers + edges) per start. */
function layerCycles(layers: Map<string, Set<string>>): string[] {
  const cycles: string[] = [];
  const walk = (start: string, at: string, path: string[], seen: Set<string>) => {
    for (const next of layers.get(at) ?? []) {
      if (next === start) cycles.push([...path, next].join(" -> "));
      else if (!seen.has(next) && next > start) {
        seen.add(next);
        walk(start, next, [...path, next], seen);
      }
    }
  };
  for (const l of [...layers.keys()].sort()) walk(l, l, [l], new Set([l]));
  return cycles;
}

describe("code structure", () => {
  it("has no import cycle between the layers of src/ (each folder only imports those below it)", () => {
    const files = sources("src").map((path) => ({ path, text: readFileSync(join(ROOT, path), "utf8") }));
    const layers = layerImports(files);
    expect(layers.get("schema")).toEqual(new Set(["core"]));
    expect(layerCycles(layers)).toEqual([]);
    // The check finds a cycle where there is one.
    const looped = layerImports([
      { path: "src/a/x.ts", text: 'import { y } from "../b/y.js";' },
      { path: "src/b/y.ts", text: 'import type { x } from "../a/x.js";' },
    ]);
    expect(layerCycles(looped)).toEqual(["a -> b -> a"]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines in src/`, () => {
    const long = sources("src").flatMap((f) =>
      longFunctions(f, readFileSync(join(ROOT, f), "utf8"), MAX_FUNCTION_LINES),
    );
    expect(long).toEqual([]);
  });

  it("finds a long function (the check can fail)", () => {
    const body = Array.from({ length: 160 }, (_, i) => `  x += ${i};`).join("\n");
    const text = `const f = () => {\n  let x = 0;\n${body}\n  return x;\n};\nclass C { m() {\n${body}\n} }\n`;
    expect(longFunctions("t.ts", text, MAX_FUNCTION_LINES)).toEqual([
      "t.ts:1 f (164 lines)",
      "t.ts:165 m (162 lines)",
    ]);
  });

  it("opens every source file with a comment saying what it is for", () => {
    const bare = sources("src", "cli", "node", "fuzz", "bench", "test").filter((f) => {
      const lines = readFileSync(join(ROOT, f), "utf8").split("\n");
      const first = lines[0].startsWith("#!") ? lines[1] : lines[0];
      return !/^\s*(\/\/|\/\*)/.test(first ?? "");
    });
    expect(bare).toEqual([]);
  });
});
