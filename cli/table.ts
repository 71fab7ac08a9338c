// Plain-text tables for terminal output: left-aligned labels, right-aligned numbers.
import type { TextTable } from "../src/report/tables.js";

/** Renders rows as an aligned table; the first row is the header when `header` is true. */
export function table(rows: string[][], opts: { header?: boolean; indent?: number } = {}): string {
  if (rows.length === 0) return "";
  const widths: number[] = [];
  for (const r of rows) {
    for (let i = 0; i < r.length; i++) widths[i] = Math.max(widths[i] ?? 0, r[i].length);
  }
  const numeric = (s: string) => /^[-+]?[\d,.]+(e[-+]?\d+)?\s*[%a-zA-Z/²x]*$/.test(s.trim()) && /\d/.test(s);
  const pad = " ".repeat(opts.indent ?? 0);
  const lines = rows.map(
    (r) =>
      pad +
      r
        .map((c, i) => (i > 0 && numeric(c) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
        .join("  ")
        .trimEnd(),
  );
  if (opts.header) lines.splice(1, 0, pad + widths.map((w) => "-".repeat(w)).join("  "));
  return lines.join("\n");
}

/** Renders a header-and-rows table (src/report/tables.ts) with its header rule. */
export const textTable = (t: TextTable, indent = 2): string =>
  table([t.head, ...t.rows], { header: true, indent });
