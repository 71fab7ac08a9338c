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
