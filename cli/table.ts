// Plain-text tables for terminal output: the core's one renderer (src/report/format.ts), and header-and-rows tables.
import { renderTable } from "../src/report/format.js";
import type { TextTable } from "../src/report/tables.js";

/** Renders rows as an aligned table; the first row is the header when `header` is true. */
export const table = renderTable;

/** Renders a header-and-rows table (src/report/tables.ts) with its header rule. */
export const textTable = (t: TextTable, indent = 2): string =>
  table([t.head, ...t.rows], { header: true, indent });
