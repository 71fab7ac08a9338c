// The building blocks of what a front end shows: headline figures, tables, charts and notes, grouped in sections.
// The web app renders them as components, the HTML report as static markup; both get the same figures and words.
import type { ChartSpec } from "./charts.js";

/** A headline figure: label, formatted value, and an optional line under it. `key` names it for tests. */
export interface Kpi {
  key: string;
  label: string;
  value: string;
  note?: string;
  /** Draws attention: a figure that fails (does not fit, misses an SLO). */
  warn?: boolean;
}

export type Block =
  | { kind: "kpis"; items: Kpi[] }
  | { kind: "table"; title?: string; head: string[]; rows: string[][]; note?: string }
  | { kind: "chart"; spec: ChartSpec }
  | { kind: "text"; text: string }
  | { kind: "list"; title?: string; items: string[] };

export interface Section {
  id: string;
  title: string;
  /** One line under the title: what was run, on what. */
  lead?: string;
  blocks: Block[];
}

/** A whole report: a title, what it was made from, and its sections. */
export interface ReportDocument {
  title: string;
  subtitle?: string;
  /** Provenance lines: scenario file, zettasim version, command. */
  provenance: string[];
  sections: Section[];
}
