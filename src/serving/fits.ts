// Fit records of every fitted serving parameter: its value, the cases it was fitted on, and the script that recomputes it (scripts/fit/serving.ts).
import { SERVING_CASE_FITS } from "../catalog/families/serving-fits.data.js";
import type { FitRecord } from "../core/fit.js";

/**
 * Every serving parameter fitted on validation cases (src/validate/serving-fits.ts says how; the values live
 * in src/catalog/families/serving-fits.data.ts, which `npm run fit -- --write` regenerates). Each value is the
 * one its profile module uses (a test checks it) and each case listed is in-sample for the predictions it touches.
 */
export const SERVING_FITS: readonly FitRecord[] = SERVING_CASE_FITS;
