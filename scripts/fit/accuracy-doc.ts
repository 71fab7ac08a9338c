// Writes docs/accuracy.md from the code and the validation files: every fitted parameter with its value, cases and script, and every case's out-of-sample and cross-validated error as `zettasim validate` computes them.
import type { FitRecord } from "../../src/core/fit.js";
import { SERVING_FITS } from "../../src/serving/fits.js";
import { readmeAccuracyRow, readmeAccuracyRows, summarizeErrors } from "../../src/validate/accuracy.js";
import type { DeclarationsFile } from "../../src/validate/declarations.js";
import { allFitRecords } from "../../src/validate/fits.js";
import type { CaseResult, ValidationReport } from "../../src/validate/run.js";

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? "n/a" : `${x >= 0 ? "+" : ""}${x.toFixed(1)}%`;
const abs = (x: number | null) => (x === null ? "no cases" : `${x.toFixed(1)}%`);
/** Text safe inside a Markdown table cell. */
const cell = (x: string) => x.replaceAll("|", "\\|");

function summaryRow(
  name: string,
  s: { medianAbsErrorPct: number | null; maxAbsErrorPct: number | null; modelled: number },
) {
  return `| ${name} | ${s.modelled} | ${abs(s.medianAbsErrorPct)} | ${abs(s.maxAbsErrorPct)} |`;
}

/** The fitted parameters as table rows: kernel-level fits grouped by script, case fits one per row. */
function fitRows(records: readonly FitRecord[]): string[] {
  const rows: string[] = [];
  const kernel = new Map<string, FitRecord[]>();
  const seen = new Map<string, string>();
  for (const r of records) {
    if (r.cases.length === 0) {
      kernel.set(r.script, [...(kernel.get(r.script) ?? []), r]);
      continue;
    }
    const key = JSON.stringify(r.cases);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, r.parameter);
    const cases = first === undefined ? r.cases.join(", ") : `the same as \`${first}\``;
    rows.push(
      `| \`${r.parameter}\` | ${r.value} | ${r.cases.length}: ${cases} | \`${r.script}\` | ${cell(r.method)} |`,
    );
  }
  for (const [script, rs] of kernel)
    rows.push(
      `| ${rs.length} kernel-level figures (${rs.map((r) => `\`${r.parameter.split(".").slice(1).join(".")}\` ${r.value}`).join(", ")}) | see left | none (kernel measurements) | \`${script}\` | ${cell(rs[0].method)} |`,
    );
  return rows;
}

/**
 * The holdout cases whose errors were looked at after their declaration (`inspected` in declarations.json, with the
 * notes in validation/inspections.jsonl), counted by kind, with the out-of-sample figures with and without them.
 * Cost O(cases).
 */
function inspectedParagraph(cases: CaseResult[], declarations: DeclarationsFile): string[] {
  const inspected = new Set(
    Object.entries(declarations.cases)
      .filter(([, d]) => d.inspected)
      .map(([id]) => id),
  );
  if (inspected.size === 0) return [];
  const out = [
    "",
    `${inspected.size} holdout cases had their errors inspected after their declaration (\`inspected\` in`,
    "`validation/declarations.json`, who and what in `validation/inspections.jsonl`); they stay holdout and no",
    "constant was fitted on them, but they are no longer a clean test.",
  ];
  out.push("");
  for (const [kind, label] of [
    ["training", "Training"],
    ["inference", "Serving"],
  ] as const) {
    const oos = cases.filter((c) => !c.inSample && c.kind === kind && c.errorPct != null);
    const clean = oos.filter((c) => !inspected.has(c.id)).map((c) => c.errorPct);
    const s = summarizeErrors(clean);
    out.push(
      s.modelled === 0
        ? `${label} out-of-sample without the inspected cases: none left (every one of its ${oos.length} cases has been inspected).`
        : `${label} out-of-sample without the inspected cases: ${s.modelled} cases, median |error| ${abs(s.medianAbsErrorPct)}, max ${abs(s.maxAbsErrorPct)}.`,
    );
  }
  return out;
}

/**
 * `readme` with its accuracy table rows rewritten to the figures of the validation run `r` (rows found by their
 * label; a label the README lacks is an error, so the table cannot silently go stale). Cost O(rows).
 */
export function readmeWithAccuracy(readme: string, r: ValidationReport): string {
  let out = readme;
  for (const [label, s] of readmeAccuracyRows(r.accuracyByKind ?? {})) {
    const re = new RegExp(`^\\| ${label.replace(/[()]/g, "\\$&")} \\|.*$`, "m");
    if (!re.test(out)) throw new Error(`README.md has no accuracy row "| ${label} |"`);
    out = out.replace(re, readmeAccuracyRow(label, s));
  }
  return out;
}

/** The text of docs/accuracy.md from a validation run with cross-validation `r` over `declarations`. Cost O(cases). */
export function accuracyDoc(r: ValidationReport, declarations: DeclarationsFile): string {
  const byKind = r.accuracyByKind ?? {};
  const caseRows = (cs: CaseResult[]) =>
    cs
      .sort((a, b) => Math.abs(b.errorPct ?? 0) - Math.abs(a.errorPct ?? 0))
      .map(
        (c) =>
          `| ${c.id} | ${c.kind} | ${c.group ?? ""} | ${pct(c.errorPct)} | ${pct(c.cvErrorPct ?? c.errorPct)} |`,
      );
  const out = [
    "# Accuracy: fitted parameters and out-of-sample errors",
    "",
    "Generated by `npm run fit` (scripts/fit/accuracy-doc.ts) from the code and `validation/`; do not edit by hand.",
    "A case is in-sample when a fitted parameter lists it or `validation/declarations.json` declares it `fit`;",
    "every other case is out-of-sample. The cross-validated error refits each case-fitted parameter without the",
    "case's source group and predicts the case again (leave one source out). Failure studies (reliability) are",
    "reported apart. `zettasim validate --json` gives the same figures per case.",
    "",
    "## Summary (as `zettasim validate` prints it)",
    "",
    "| cases | n | median abs. error | max abs. error |",
    "|---|---|---|---|",
  ];
  for (const kind of ["training", "inference"]) {
    const a = byKind[kind];
    if (!a) continue;
    out.push(summaryRow(`${kind}, out-of-sample`, a.outOfSample));
    out.push(summaryRow(`${kind}, leave-one-source-out cross-validated`, a.crossValidated));
    out.push(summaryRow(`${kind}, in-sample`, a.inSample));
  }
  out.push(
    "",
    "The inference out-of-sample figures are not a clean test. The 12 held-out serving cases (TensorRT-LLM's",
    "DeepSeek-R1 batch-1 MTP sweep on 8 B200, SGLang's 64K-context DeepSeek-V3 decode on 16 H200, Ant Group's",
    "DeepSeek-R1 on H20) were declared holdout before their predictions were seen, but their errors were then looked",
    "at while the serving mechanisms were built and revised (sessions 1-3: kernel floors, engine profiles, the",
    "64K cases' layout corrected from the source's reproduction instructions, the cross-node low-latency",
    "all-to-all floor taken from DeepEP's kernel table because these cases pointed at it). No parameter was fitted",
    "on them, but the choice of which mechanisms to add was not blind to them; a fresh holdout judges the model.",
    ...inspectedParagraph(r.cases, declarations),
    "",
    "## Fitted parameters",
    "",
    "Everything else in the model is a documented mechanism or a kernel-level figure with its source (docs/training.md,",
    "docs/serving.md). `npm run fit` reruns every script below and fails when a value in the code differs. Kernel-level",
    'figures fitted on data/kernels/ rows that no script here recomputes yet are listed in docs/serving.md ("Kernel-level',
    'fits and `npm run fit`").',
    "",
    "| parameter | value | cases fitted on | script | method |",
    "|---|---|---|---|---|",
    ...fitRows(allFitRecords()),
    ...fitRows(SERVING_FITS),
    "",
    "## Out-of-sample cases (no fit has seen them), worst first",
    "",
    "| case | kind | source group | error | cross-validated |",
    "|---|---|---|---|---|",
    ...caseRows(r.cases.filter((c) => !c.inSample && c.kind !== "reliability")),
    "",
    "## In-sample cases, worst first",
    "",
    "| case | kind | source group | error | cross-validated |",
    "|---|---|---|---|---|",
    ...caseRows(r.cases.filter((c) => c.inSample && c.kind !== "reliability")),
    "",
  );
  return out.join("\n");
}
