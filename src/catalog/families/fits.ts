// Builds the FitRecords of a family module from the values its fit script wrote (kept apart from the profile so a test can catch the two drifting).
import type { FitRecord } from "../../core/fit.js";

/**
 * One FitRecord per entry of `values` (paths relative to `prefix`, e.g. "families.hopper.training"), all
 * recomputed by `script` with `method`, fitted on `cases` (none for kernel-level fits). Cost O(values).
 */
export function fitRecords(
  prefix: string,
  script: string,
  method: string,
  values: Record<string, number>,
  cases: string[] = [],
): FitRecord[] {
  return Object.entries(values).map(([k, value]) => ({
    parameter: `${prefix}.${k}`,
    value,
    cases,
    script,
    method,
  }));
}
