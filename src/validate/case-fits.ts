// The model parameters fitted on validation cases: what each is, which declared-fit cases it is fitted on, the fit itself (runs in the core, so validation can refit it per left-out source).
import type { FitRecord } from "../core/fit.js";
import type { EfficiencyOverride } from "../training/efficiency.js";
import { goldenSection, roundSig } from "./optimize.js";
import { estimateCase, type TrainingCaseInputs } from "./training.js";

/** A profile figure fitted on training cases of some chip families. */
export interface CaseFitSpec {
  /** Short name; FitRecords are written for each of `targets`. */
  id: string;
  /** Parameter paths the fitted value is written to (one FitRecord each). */
  targets: readonly string[];
  /** Chip families whose declared-fit training cases the fit uses. */
  families: readonly string[];
  bounds: readonly [number, number];
  /** Value before any fit, and when every case it could use is left out (cross-validation). */
  prior: number;
  /** The efficiency override that sets the figure to `value`. */
  override(value: number): EfficiencyOverride;
  method: string;
}

export const CASE_FIT_SCRIPT = "scripts/fit/run.ts";

/**
 * Every case-fitted figure. The cost of overlapping communication with compute (the communication kernels'
 * hold on compute units and memory bandwidth, ragged edges) has no kernel-level measurement, so it is fitted
 * on end-to-end runs, once for the NVIDIA families (NCCL, Transformer Engine). HCCL's achieved fraction of the
 * HCCS link rate, once fitted here on the MindSpeed-LLM rows, now comes from HCCL all-reduce / all-gather
 * microbenchmarks on a 910B server (scripts/fit/kernels-ascend-hccl.ts); no Ascend figure is case-fitted.
 */
export const CASE_FIT_SPECS: readonly CaseFitSpec[] = [
  {
    id: "nvidia.overlapCost",
    targets: [
      "families.ampere.training.overlapCost",
      "families.hopper.training.overlapCost",
      "families.blackwell.training.overlapCost",
    ],
    families: ["ampere", "hopper", "blackwell"],
    bounds: [0, 0.6],
    prior: 0.15,
    override: (v) => ({ overlapCost: v }),
    method:
      "golden-section search minimising the mean |log(predicted / measured)| step time over the declared-fit training cases on NVIDIA chips",
  },
];

/** A training case ready for refits: parsed once. */
export interface FitCase {
  id: string;
  family: string;
  inputs: TrainingCaseInputs;
}

/** The efficiency override for a case of `family` with the fitted `values` (by spec id). */
export function overrideFor(family: string, values: Readonly<Record<string, number>>): EfficiencyOverride {
  let o: EfficiencyOverride = {};
  for (const s of CASE_FIT_SPECS)
    if (s.families.includes(family)) o = { ...o, ...s.override(values[s.id] ?? s.prior) };
  return o;
}

/** log(predicted / measured) step time of `c` with the fitted `values`; null when the case cannot be predicted. */
export function logError(c: FitCase, values: Readonly<Record<string, number>>): number | null {
  try {
    const est = estimateCase(c.id, c.inputs, overrideFor(c.family, values));
    return Math.log(est.stepTimeS / c.inputs.measuredStepTimeS);
  } catch {
    return null;
  }
}

/** A fit's outcome: value per spec id, and the cases each used. */
export interface CaseFitResult {
  values: Record<string, number>;
  cases: Record<string, string[]>;
}

/**
 * Fits every spec on `cases` (the declared-fit training cases), by coordinate descent over the specs that share
 * families: three rounds of golden-section search per figure inside its bounds, minimising the mean
 * |log(predicted / measured)| of the cases on its families; a spec with no case keeps its prior. Values are
 * rounded to 3 significant digits, as the code writes them. Deterministic. Cost: ~30 evaluations per case
 * per figure per round.
 */
export function fitCaseParameters(cases: readonly FitCase[]): CaseFitResult {
  const values: Record<string, number> = {};
  const used: Record<string, string[]> = {};
  for (const s of CASE_FIT_SPECS) {
    values[s.id] = s.prior;
    used[s.id] = cases.filter((c) => s.families.includes(c.family)).map((c) => c.id);
  }
  for (let round = 0; round < 3; round++) {
    for (const s of CASE_FIT_SPECS) {
      const mine = cases.filter((c) => s.families.includes(c.family));
      if (mine.length === 0) continue;
      const loss = (v: number) => {
        const trial = { ...values, [s.id]: v };
        let sum = 0;
        let n = 0;
        for (const c of mine) {
          const e = logError(c, trial);
          if (e !== null) {
            sum += Math.abs(e);
            n++;
          }
        }
        return n > 0 ? sum / n : 0;
      };
      values[s.id] = goldenSection(loss, s.bounds[0], s.bounds[1], 1e-4).x;
    }
  }
  for (const s of CASE_FIT_SPECS) values[s.id] = roundSig(values[s.id], 3);
  return { values, cases: used };
}

/** The FitRecords a fit result stands for (one per target of every spec). */
export function caseFitRecords(r: CaseFitResult): FitRecord[] {
  return CASE_FIT_SPECS.flatMap((s) =>
    s.targets.map((parameter) => ({
      parameter,
      value: r.values[s.id],
      cases: [...r.cases[s.id]].sort(),
      script: CASE_FIT_SCRIPT,
      method: s.method,
    })),
  );
}
