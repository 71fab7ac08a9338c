// The record every fitted model parameter carries beside its value: what it was fitted on and how to recompute it.

/**
 * A fitted parameter. The cases listed are in-sample for every prediction the parameter touches;
 * `zettasim validate` reports them apart from the out-of-sample ones, and `npm run fit` reruns `script`.
 */
export interface FitRecord {
  /** Dotted path of the parameter, e.g. "families.hopper.training.gemm.bf16". */
  parameter: string;
  /** The value the model uses (must equal the value in the code beside the record). */
  value: number;
  /** Ids of the validation cases the fit used (each declared "fit" in validation/declarations.json). */
  cases: string[];
  /** Path of the script that recomputes the value, under scripts/fit/. */
  script: string;
  /** One line: the method (grid search over what, loss, bounds). */
  method: string;
}

/**
 * The ordinary least-squares line through the points (xs[i], ys[i]): y = intercept + slope * x. How the kernel data
 * files derive their fixed-plus-slope lines (the extraction scripts write them, tests recompute them). Means first,
 * then the centred sums, left to right: the order Python's sum() used for the files first written by Python.
 */
export function leastSquaresLine(
  xs: readonly number[],
  ys: readonly number[],
): { slope: number; intercept: number } {
  if (xs.length !== ys.length || xs.length < 2)
    throw new RangeError(
      `leastSquaresLine: ${xs.length} x and ${ys.length} y values; need two or more pairs`,
    );
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  if (!(sxx > 0))
    throw new RangeError("leastSquaresLine: every x is the same; a line needs two distinct x values");
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
