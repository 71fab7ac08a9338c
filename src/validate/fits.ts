// Every fitted model parameter's record, and the value the code uses for it, so tests and `npm run fit` can check the two agree.
import { CASE_FITS } from "../catalog/families/case-fits.data.js";
import { chipFamily, familyIds } from "../catalog/families/index.js";
import { SERVING_CASE_FITS } from "../catalog/families/serving-fits.data.js";
import type { FitRecord } from "../core/fit.js";
import { servingEngine } from "../serving/engines/index.js";

/** Every FitRecord: the families' kernel-level fits and the training and serving case fits. Cost O(records). */
export function allFitRecords(): FitRecord[] {
  return [...familyIds.flatMap((id) => chipFamily(id).fits), ...CASE_FITS, ...SERVING_CASE_FITS];
}

/**
 * The value the code uses for a record's `parameter` ("families.<id>.<path>" into that family's profile,
 * "engines.<id>.<field>" into a serving engine's), or
 * undefined when the path names nothing. Cost O(path length).
 */
export function codeValue(parameter: string): number | undefined {
  const parts = parameter.split(".");
  let v: unknown;
  if (parts[0] === "families" && familyIds.includes(parts[1])) v = chipFamily(parts[1]);
  else if (parts[0] === "engines") {
    try {
      v = servingEngine(parts[1]);
    } catch {
      return undefined;
    }
  } else return undefined;
  for (const p of parts.slice(2)) {
    if (typeof v !== "object" || v === null || !Object.hasOwn(v, p)) return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return typeof v === "number" ? v : undefined;
}

/** Case ids any FitRecord lists (in-sample for every prediction). Cost O(records x cases). */
export function fittedCaseIds(records: readonly FitRecord[] = allFitRecords()): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of records) for (const c of r.cases) out.set(c, [...(out.get(c) ?? []), r.parameter]);
  return out;
}
