// The values of case-fitted profile figures as the fit scripts last wrote them (case-fits.data.ts, serving-fits.data.ts), with the prior each takes before any fit.
import { CASE_FITS } from "./case-fits.data.js";
import { SERVING_CASE_FITS } from "./serving-fits.data.js";

/**
 * The fitted value of `parameter` (a FitRecord path such as "families.hopper.training.overlapCost" or "engines.xdeepserve.kernelFactor"), or `prior`
 * when no fit has been written yet (a fresh parameter before its first `npm run fit -- --write`). Cost O(fits).
 */
export function caseFitValue(parameter: string, prior: number): number {
  for (const r of CASE_FITS) if (r.parameter === parameter) return r.value;
  for (const r of SERVING_CASE_FITS) if (r.parameter === parameter) return r.value;
  return prior;
}
