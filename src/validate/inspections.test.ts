// The inspection log and declarations.json agree: every inspected holdout's summary is what its logged notes give.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDeclarations } from "./declarations.js";
import { inspectionSummaries, inspectionSummary, parseInspections } from "./inspections.js";

const dir = new URL("../../validation/", import.meta.url);
const log = parseInspections(readFileSync(new URL("inspections.jsonl", dir), "utf8"));
const decl = parseDeclarations(JSON.parse(readFileSync(new URL("declarations.json", dir), "utf8")));

describe("validation/inspections.jsonl", () => {
  it("names only declared holdout cases, and each one's summary in declarations.json is what its notes give", () => {
    const summaries = inspectionSummaries(log);
    expect(summaries.size).toBeGreaterThan(0);
    for (const [id, summary] of summaries) {
      expect(decl.cases[id]?.role, id).toBe("holdout");
      expect(decl.cases[id]?.inspected, id).toBe(summary);
    }
    // No summary without notes behind it.
    for (const [id, d] of Object.entries(decl.cases))
      if (d.inspected !== undefined) expect(summaries.has(id), id).toBe(true);
  });
  it("a summary gives the notes' date span and their engineers in order of first appearance", () => {
    expect(
      inspectionSummary([
        "2026-12-01, fit-train engineer (issue 13): read; 2026-12-02, s7-dense engineer (issue 13): printed",
        "2026-12-02, s10-tpu engineer (issue 13): printed; the data engineer saw nothing",
      ]),
    ).toBe(
      "inspected 2026-12-01 to 2026-12-02 by fit-train, s7-dense, s10-tpu (notes: validation/inspections.jsonl)",
    );
    expect(inspectionSummary(["read once"])).toBe(
      "inspected by see the notes (notes: validation/inspections.jsonl)",
    );
  });
  it("refuses a line that is not an {id, note} object, naming the line", () => {
    expect(() => parseInspections('{"id":"a","note":"x"}\n\nnot json')).toThrow(/line 3: not JSON/);
    expect(() => parseInspections('{"id":"a","note":""}')).toThrow(/line 1: expected/);
    expect(parseInspections('{"id":"a","note":"x"}\n')).toEqual([{ id: "a", note: "x" }]);
  });
});
