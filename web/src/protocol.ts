// Messages between the page and the Web Worker that runs the core: what to compute, progress, results, errors.
import type { InputIssue } from "../../src/core/errors.js";

/** The scenario as text (YAML or JSON) and the file name errors should name, as the CLI names its file. */
export interface ScenarioText {
  text: string;
  file: string;
}

export type Job =
  | { kind: "catalog" }
  | ({ kind: "check" } & ScenarioText)
  | ({ kind: "spec"; compare: string[] } & ScenarioText)
  | { kind: "claims-study"; examples: Record<string, string> }
  | ({ kind: "train" } & ScenarioText)
  | ({ kind: "simulate" } & ScenarioText)
  | ({ kind: "reliability" } & ScenarioText)
  | ({ kind: "serve" } & ScenarioText)
  | ({ kind: "sweep-row"; ratePerS: number } & ScenarioText)
  | ({ kind: "report" } & ScenarioText)
  | ({ kind: "plan-train"; threads: number } & ScenarioText);

/** What went wrong: an input error (the CLI's message, issue by issue) or an internal one. */
export interface ErrorInfo {
  message: string;
  issues: InputIssue[];
  file?: string;
  internal: boolean;
}

export type Reply =
  | { id: number; type: "done"; value: unknown; ms: number }
  | { id: number; type: "error"; error: ErrorInfo }
  | { id: number; type: "progress"; done: number; total: number };

/** Catalog ids for the pickers. */
export interface CatalogInfo {
  systems: { id: string; name: string; chips: number }[];
  models: { id: string; name: string }[];
}

/** A valid scenario, as the pickers and pages need it. */
export interface ScenarioSummary {
  name: string;
  systemId: string;
  systemName: string;
  systemChips: number;
  modelId?: string;
  commands: { train: boolean; simulate: boolean; reliability: boolean; serve: boolean };
}
