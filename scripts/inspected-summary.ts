// Rewrites every `inspected` summary in validation/declarations.json from the inspection log validation/inspections.jsonl (the log is the record; run after appending to it or after a merge).
//
// Usage: npx tsx scripts/inspected-summary.ts [--check]   (--check: exit 1 if any summary differs, write nothing)
import { readFileSync, writeFileSync } from "node:fs";
import { inspectionSummaries, parseInspections } from "../src/validate/inspections.js";

const DIR = new URL("../validation/", import.meta.url);
const declPath = new URL("declarations.json", DIR);
const decl = JSON.parse(readFileSync(declPath, "utf8")) as { cases: Record<string, { inspected?: string }> };
const summaries = inspectionSummaries(
  parseInspections(readFileSync(new URL("inspections.jsonl", DIR), "utf8")),
);
let changed = 0;
for (const [id, summary] of summaries) {
  const d = decl.cases[id];
  if (d === undefined)
    throw new Error(`validation/inspections.jsonl names ${id}, which declarations.json does not declare`);
  if (d.inspected !== summary) {
    d.inspected = summary;
    changed++;
  }
}
for (const [id, d] of Object.entries(decl.cases))
  if (d.inspected !== undefined && !summaries.has(id)) {
    delete d.inspected;
    changed++;
  }
if (process.argv.includes("--check")) {
  console.log(`${changed} summaries differ from the log`);
  process.exit(changed > 0 ? 1 : 0);
}
writeFileSync(declPath, `${JSON.stringify(decl, null, 1)}\n`);
console.log(`${summaries.size} cases inspected; ${changed} summaries rewritten`);
