// The serving parameters fitted on validation cases: which declared-fit cases each is fitted on, the grid search itself (in the core, so validation can refit it without a source), and the overrides a set of values makes for one case.
import { GENERIC_SERVING } from "../catalog/families/generic.js";
import type { FitRecord } from "../core/fit.js";
import {
  evaluateServingCase,
  type PreparedServingCase,
  prepareServingCase,
  type ServingOverrides,
} from "./serving.js";

export const SERVING_FIT_SCRIPT = "scripts/fit/serving.ts";

/** One fitted serving figure: a family's profile field or an engine's. */
export interface ServingFitParameter {
  /** FitRecord path: "families.<family>.serving.<field>" or "engines.<engine>.<field>". */
  parameter: string;
  /** Grid searched: lowest, highest, step. */
  grid: readonly [number, number, number];
  /** Value before any fit, and when cross-validation leaves out every case the fit could use. */
  prior: number;
}

/** Figures fitted together on the declared-fit inference cases of one chip family. */
export interface ServingFitSpec {
  id: string;
  /** Chip family whose declared-fit inference cases the fit uses. */
  family: string;
  /** Searched jointly over the full grid (first minimum in grid order, so the result is deterministic). */
  params: readonly ServingFitParameter[];
  method: string;
}

const LOSS = "loss: mean |error| of each case's published figure (decode TPOT, prefill tokens/s)";

/**
 * Every case-fitted serving figure. Each fit uses every inference case declared "fit" on its chip family
 * (validation/declarations.json), so its case list follows from the declarations by rule; a figure a case
 * does not depend on adds a constant to the loss. Priors: the generic profile (vendor-neutral, A) for
 * kernel fractions; the overlap share of the normal kernels (0.5, SGLang's reported two-batch-overlap gain)
 * for the low-latency one; the unfused kernel count (1) for an engine's fusion factor.
 */
export const SERVING_FIT_SPECS: readonly ServingFitSpec[] = [
  {
    id: "hopper",
    family: "hopper",
    params: [
      {
        parameter: "families.hopper.serving.overlapLowLatency",
        grid: [0.3, 1, 0.05],
        prior: GENERIC_SERVING.overlapLowLatency,
      },
    ],
    method: `grid 0.30-1.00 step 0.05 over the share of min(compute, comm) hidden by two-batch overlap with low-latency all-to-all; ${LOSS} over the declared-fit Hopper serving cases`,
  },
  {
    id: "blackwell",
    family: "blackwell",
    params: [
      {
        parameter: "families.blackwell.serving.attentionCompute",
        grid: [0.2, 0.6, 0.05],
        prior: GENERIC_SERVING.attentionCompute,
      },
      {
        parameter: "families.blackwell.serving.allToAll",
        grid: [0.3, 0.8, 0.05],
        prior: GENERIC_SERVING.allToAll,
      },
    ],
    method: `joint grid attentionCompute 0.20-0.60 and allToAll 0.30-0.80 (step 0.05); ${LOSS} over the declared-fit Blackwell serving cases`,
  },
  {
    id: "ascend-910",
    family: "ascend-910",
    params: [
      // Dense GEMM, MLA attention and HBM streaming come from CloudMatrix-Infer's operator microbenchmarks
      // (data/kernels/ascend-910c-cloudmatrix-2025.json); only the grouped GEMM has no kernel figure.
      {
        parameter: "families.ascend-910.serving.groupedGemm",
        grid: [0.3, 0.7, 0.05],
        prior: GENERIC_SERVING.groupedGemm,
      },
      // Kernels per layer relative to the unfused count: CloudMatrix-Infer's fused operators.
      { parameter: "engines.xdeepserve.kernelFactor", grid: [0.3, 1, 0.05], prior: 1 },
    ],
    method: `joint grid groupedGemm 0.30-0.70 and xDeepServe kernelFactor 0.30-1.00 (step 0.05); ${LOSS} over the declared-fit Ascend 910 serving cases`,
  },
];

/** Every fitted serving parameter's path. */
export const servingFitParameters = (): string[] =>
  SERVING_FIT_SPECS.flatMap((s) => s.params.map((p) => p.parameter));

/**
 * The profile overrides that `values` (by parameter path) make for one case: the fields of the case's own
 * family profile and of its own engine; other paths are ignored. Cost O(values).
 */
export function servingOverridesFor(
  c: Pick<PreparedServingCase, "family" | "engine">,
  values: Readonly<Record<string, number>>,
): ServingOverrides {
  const fam = `families.${c.family}.serving.`;
  const eng = `engines.${c.engine}.`;
  const efficiency: Record<string, number> = {};
  const engine: Record<string, number> = {};
  for (const [p, v] of Object.entries(values)) {
    if (p.startsWith(fam)) efficiency[p.slice(fam.length)] = v;
    else if (p.startsWith(eng)) engine[p.slice(eng.length)] = v;
  }
  return {
    efficiency: efficiency as ServingOverrides["efficiency"],
    engine: engine as ServingOverrides["engine"],
  };
}

/** Mean |error| % of `cases` with `values` applied; cases the model cannot predict count as 100%. */
function loss(cases: readonly PreparedServingCase[], values: Record<string, number>): number {
  let s = 0;
  for (const c of cases) {
    try {
      s += Math.abs(evaluateServingCase(c, servingOverridesFor(c, values)).errorPct);
    } catch {
      s += 100;
    }
  }
  return s / cases.length;
}

const gridOf = ([lo, hi, step]: readonly [number, number, number]): number[] => {
  const out: number[] = [];
  for (let i = 0; lo + i * step <= hi + 1e-9; i++) out.push(Math.round((lo + i * step) * 1000) / 1000);
  return out;
};

/**
 * Fits one spec on `cases` (its family's declared-fit cases): the first minimum of the loss over the full
 * grid; the priors when there is no case. Cost: grid points x cases evaluations (microseconds each).
 */
export function fitServingSpec(
  spec: ServingFitSpec,
  cases: readonly PreparedServingCase[],
): Record<string, number> {
  const prior = Object.fromEntries(spec.params.map((p) => [p.parameter, p.prior]));
  if (cases.length === 0) return prior;
  const axes = spec.params.map((p) => gridOf(p.grid));
  let best = { values: prior, loss: Number.POSITIVE_INFINITY };
  const v: Record<string, number> = { ...prior };
  const walk = (i: number) => {
    if (i === axes.length) {
      const l = loss(cases, v);
      if (l < best.loss - 1e-12) best = { values: { ...v }, loss: l };
      return;
    }
    for (const x of axes[i]) {
      v[spec.params[i].parameter] = x;
      walk(i + 1);
    }
  };
  walk(0);
  return best.values;
}

/** Outcome of the serving fits: value per parameter path and the cases each spec used. */
export interface ServingFitResult {
  values: Record<string, number>;
  cases: Record<string, string[]>;
}

/** Fits every spec on the declared-fit prepared cases `pool`. Deterministic. Cost: see fitServingSpec. */
export function fitServingParameters(pool: readonly PreparedServingCase[]): ServingFitResult {
  const values: Record<string, number> = {};
  const cases: Record<string, string[]> = {};
  for (const s of SERVING_FIT_SPECS) {
    const mine = pool.filter((c) => c.family === s.family);
    Object.assign(values, fitServingSpec(s, mine));
    cases[s.id] = mine.map((c) => c.id).sort();
  }
  return { values, cases };
}

/** The FitRecords a serving fit result stands for (one per parameter of every spec). */
export function servingFitRecords(r: ServingFitResult): FitRecord[] {
  return SERVING_FIT_SPECS.flatMap((s) =>
    s.params.map((p) => ({
      parameter: p.parameter,
      value: r.values[p.parameter],
      cases: r.cases[s.id],
      script: SERVING_FIT_SCRIPT,
      method: s.method,
    })),
  );
}

/** Parses an inference case for the fits, or undefined when it does not parse (reported elsewhere). */
export function tryPrepare(c: Record<string, unknown>): PreparedServingCase | undefined {
  try {
    return prepareServingCase(c);
  } catch {
    return undefined;
  }
}

/**
 * Leave-one-source-out errors of inference cases. `cases` are a validation run's normalised cases, `groups`
 * their source groups, `useable` whether a fit may use a case (declared fit). For every group that some
 * spec's pool draws on, that spec is refitted without the group (its priors when nothing is left) and every
 * inference case of the group is predicted with the refitted values; the returned map holds those errors
 * (null: not predictable). Cases of other groups keep their plain error. Cost: one refit per (spec, group)
 * pair the pools share, then one evaluation per case of the group. `onGroup(done, total)` is called before each
 * group's refit (for progress).
 */
export function crossValidateServing(
  cases: readonly Record<string, unknown>[],
  groups: readonly string[],
  useable: (index: number) => boolean,
  onGroup?: (done: number, total: number) => void,
): Map<number, number | null> {
  const prepared = cases.map((c) => (c.kind === "inference" ? tryPrepare(c) : undefined));
  const pool: number[] = [];
  prepared.forEach((p, i) => {
    if (p && useable(i)) pool.push(i);
  });
  const out = new Map<number, number | null>();
  const all = [...new Set(pool.map((i) => groups[i]))].sort();
  for (const [k, g] of all.entries()) {
    onGroup?.(k, all.length);
    const values: Record<string, number> = {};
    for (const s of SERVING_FIT_SPECS) {
      const mine = pool.filter((i) => (prepared[i] as PreparedServingCase).family === s.family);
      if (!mine.some((i) => groups[i] === g)) continue;
      const kept = mine.filter((i) => groups[i] !== g).map((i) => prepared[i] as PreparedServingCase);
      Object.assign(values, fitServingSpec(s, kept));
    }
    if (Object.keys(values).length === 0) continue;
    prepared.forEach((p, i) => {
      if (!p || groups[i] !== g) return;
      try {
        out.set(i, evaluateServingCase(p, servingOverridesFor(p, values)).errorPct);
      } catch {
        out.set(i, null);
      }
    });
  }
  return out;
}
