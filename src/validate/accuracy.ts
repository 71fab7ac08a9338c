// Accuracy as data: which cases a fit has seen (in-sample) and which it has not (out-of-sample), and the error of each fitted case when its whole source is left out of the fits (cross-validation).
import { chipFamily } from "../catalog/families/index.js";
import { resolveChip } from "../catalog/resolve.js";
import { CASE_FIT_SPECS, type FitCase, fitCaseParameters, logError } from "./case-fits.js";
import type { DeclarationsFile } from "./declarations.js";
import { allFitRecords, fittedCaseIds } from "./fits.js";
import { crossValidateServing } from "./serving-fits.js";
import { trainingCaseInputs } from "./training.js";

/** Error summary over a set of cases. */
export interface ErrorSummary {
  /** Over the modelled cases; null when none (an empty set has no median, and 0 would read as a perfect one). */
  medianAbsErrorPct: number | null;
  maxAbsErrorPct: number | null;
  modelled: number;
  notModelled: number;
}

/** What accuracy reporting adds to one case's result. */
export interface CaseAccuracy {
  /** Seen by a fit: listed by a current FitRecord, or declared "fit" because an earlier fit used it. */
  inSample: boolean;
  /** Role declared in validation/declarations.json, when the case is declared. */
  role?: "fit" | "holdout";
  /** Parameters whose FitRecords list the case. */
  fittedBy: string[];
  /** The case's source group (its publication): what cross-validation leaves out together. */
  group: string;
  /** Error with every case-fitted parameter refitted without the case's group; null when not modelled. */
  cvErrorPct: number | null;
}

/**
 * The README's accuracy table as (label, summary) rows, from a validation run's `accuracyByKind`: what
 * `npm run fit` writes there and what a test checks it against. Cost O(1).
 */
export function readmeAccuracyRows(
  byKind: Record<string, { inSample: ErrorSummary; outOfSample: ErrorSummary; crossValidated: ErrorSummary }>,
): [string, ErrorSummary][] {
  return [
    ["training step time, out-of-sample", byKind.training.outOfSample],
    ["training step time, leave-one-source-out cross-validated", byKind.training.crossValidated],
    ["serving (decode TPOT, prefill tokens/s), out-of-sample", byKind.inference.outOfSample],
    ["serving, leave-one-source-out cross-validated", byKind.inference.crossValidated],
    [
      "training, in-sample (fitted on, or from a publication a fit used), for reference",
      byKind.training.inSample,
    ],
    ["serving, in-sample, for reference", byKind.inference.inSample],
  ];
}

/** One README accuracy row as written: `| label | cases | median% | max% |`. */
export function readmeAccuracyRow(label: string, s: ErrorSummary): string {
  const p = (x: number | null) => (x === null ? "no cases" : `${x.toFixed(1)}%`);
  return `| ${label} | ${s.modelled} | ${p(s.medianAbsErrorPct)} | ${p(s.maxAbsErrorPct)} |`;
}

/** Median of absolute values; null for an empty list (it has none). */
export function medianAbs(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const a = xs.map(Math.abs).sort((x, y) => x - y);
  const n = a.length;
  return n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
}

/** Summary of `errs` (null = not modelled). Cost O(n log n). */
export function summarizeErrors(errs: readonly (number | null)[]): ErrorSummary {
  const ok = errs.filter((e): e is number => e !== null);
  return {
    medianAbsErrorPct: medianAbs(ok),
    maxAbsErrorPct: ok.length ? Math.max(...ok.map(Math.abs)) : null,
    modelled: ok.length,
    notModelled: errs.length - ok.length,
  };
}

/** The group of a case: the publication its declaration names ("group <key>: ..."), else its source, else its id. */
export function sourceGroup(c: Record<string, unknown>, decl: DeclarationsFile | undefined): string {
  const id = c.id as string;
  const why = decl?.cases[id]?.why;
  const m = why ? /^group ([^:]+):/.exec(why) : null;
  if (m) return m[1];
  return typeof c.source === "string" && c.source !== "" ? c.source : id;
}

/** The chip family of a training case's chip, or undefined when the chip does not resolve. */
function caseFamily(c: Record<string, unknown>): string | undefined {
  const hw = c.hardware as Record<string, unknown> | undefined;
  try {
    return chipFamily(resolveChip(hw?.chip).family).id;
  } catch {
    return undefined;
  }
}

/**
 * Accuracy fields for every case of a validation run, in order: in-sample or not, declared role, group, and
 * (when `crossValidate`) the leave-one-source-out error of training and serving cases. Cases are the normalised case
 * objects, `errors` their plain errors (percent, null when not modelled). Cross-validation refits every
 * case-fitted parameter on the run's declared-fit training cases without each group in turn and predicts
 * that group; cases no fit uses keep their plain error. Cost: one refit per fitted group (a few thousand
 * evaluations each), then one evaluation per case of the group. `onRefit(done, total)` counts the refitted source
 * groups, serving then training (for progress; called before each refit and once at the end).
 */
export function caseAccuracy(
  cases: readonly Record<string, unknown>[],
  errors: readonly (number | null)[],
  decl: DeclarationsFile | undefined,
  crossValidate: boolean,
  onRefit?: (done: number, total: number) => void,
): CaseAccuracy[] {
  const fitted = fittedCaseIds(allFitRecords());
  const out: CaseAccuracy[] = cases.map((c, i) => {
    const id = c.id as string;
    const role = decl?.cases[id]?.role;
    const by = fitted.get(id) ?? [];
    return {
      inSample: by.length > 0 || role === "fit",
      role,
      fittedBy: by,
      group: sourceGroup(c, decl),
      cvErrorPct: errors[i],
    };
  });
  if (!crossValidate) return out;
  // The cases a refit may use: declared-fit training cases (or, without declarations, those the records list).
  const pool: { fc: FitCase; index: number }[] = [];
  cases.forEach((c, i) => {
    if (c.kind !== "training" || errors[i] === null) return;
    const useable = decl ? decl.cases[c.id as string]?.role === "fit" : fitted.has(c.id as string);
    const family = caseFamily(c);
    if (!useable || family === undefined) return;
    if (!CASE_FIT_SPECS.some((s) => s.families.includes(family))) return;
    try {
      pool.push({ fc: { id: c.id as string, family, inputs: trainingCaseInputs(c) }, index: i });
    } catch {
      // a case that does not parse is reported as not modelled elsewhere
    }
  });
  const groups = [...new Set(pool.map((p) => out[p.index].group))].sort();
  // Serving: refit the serving figures without each source group (src/validate/serving-fits.ts).
  let servingGroups = 0;
  const servingCv = crossValidateServing(
    cases,
    out.map((o) => o.group),
    (i) => (decl ? out[i].role === "fit" : out[i].fittedBy.length > 0),
    (done, total) => {
      servingGroups = total;
      onRefit?.(done, total + groups.length);
    },
  );
  for (const [i, e] of servingCv) if (errors[i] !== null) out[i].cvErrorPct = e;
  for (const [k, g] of groups.entries()) {
    onRefit?.(servingGroups + k, servingGroups + groups.length);
    const kept = pool.filter((p) => out[p.index].group !== g).map((p) => p.fc);
    const values = fitCaseParameters(kept).values;
    for (const p of pool) {
      if (out[p.index].group !== g) continue;
      const e = logError(p.fc, values);
      out[p.index].cvErrorPct = e === null ? null : (Math.exp(e) - 1) * 100;
    }
  }
  if (groups.length + servingGroups > 0)
    onRefit?.(groups.length + servingGroups, groups.length + servingGroups);
  return out;
}
