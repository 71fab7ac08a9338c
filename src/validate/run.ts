// Runs validation files (format zettasim-validation-cases/1): predicts every case and compares with its measurement.
import { formatPath, type InputIssue, requireArgument, ZettasimError } from "../core/errors.js";
import { type FleetBandStats, fleetBandStats } from "../reliability/fleet-band.js";
import { LIMITS } from "../schema/fields.js";
import { issuesFromZod } from "../schema/issues.js";
import { mlaFile, modelFile, moeFile } from "../schema/model.js";
import { trainingFile } from "../schema/training.js";
import { type CaseAccuracy, caseAccuracy, type ErrorSummary, summarizeErrors } from "./accuracy.js";
import type { DeclarationsFile } from "./declarations.js";
import { withoutNulls } from "./nulls.js";
import { rateRatiosOf } from "./rate-ratios.js";
import { type CountingNoise, predictReliabilityCase } from "./reliability.js";
import { predictServingCase } from "./serving.js";
import { predictTrainingCase } from "./training.js";

export const VALIDATION_FORMAT = "zettasim-validation-cases/1";

/** Each case kind's predictor: one figure to compare, the predicted and measured figures, and the error. */
const PREDICTORS: Record<
  string,
  (
    c: unknown,
    path: Path,
  ) => {
    metric: string;
    predicted: Record<string, number>;
    measured: Record<string, number>;
    errorPct: number;
    countingNoise?: CountingNoise;
  }
> = {
  training: predictTrainingCase,
  inference: predictServingCase,
  reliability: predictReliabilityCase,
};
const KINDS_EXPECTED = '"training", "inference" or "reliability"';

/** Case kinds left out of the overall figures: failure studies predict other quantities (see `byKind`). */
const SEPARATE_KINDS = new Set(["reliability"]);

export type { ErrorSummary } from "./accuracy.js";

/** One case's outcome. `errorPct` is (predicted - measured) / measured x 100 on `metric`; null when not modelled. */
export interface CaseResult extends Partial<CaseAccuracy> {
  id: string;
  file: string;
  kind: string;
  source?: string;
  metric: string;
  predicted: Record<string, number>;
  measured: Record<string, number>;
  errorPct: number | null;
  /** Why the case could not be predicted (present only then). */
  notModelled?: string;
  /**
   * A failure study giving the count its figure rests on (`measured.events`): the figure's 95% exact Poisson
   * interval and whether the prediction is inside it (src/validate/counting-noise.ts). Present only then.
   */
  countingNoise?: CountingNoise;
  /**
   * Fields of the case's model and training blocks that no prediction reads (publication extras, or a
   * misspelt field name such as training.microBatchSise): listed so none is dropped silently. Present only then.
   */
  ignored?: string[];
}

export interface ValidationReport extends ErrorSummary {
  cases: CaseResult[];
  /**
   * The overall figures (the fields above) cover every case but the failure studies (kind "reliability"), which
   * predict other quantities and are summarised only here, per kind.
   */
  byKind: Record<string, ErrorSummary>;
  /**
   * Cases a fit has seen (listed by a FitRecord, or declared "fit"), those it has not, and every case's
   * leave-one-source-out error; failure studies excluded as above. Present when accuracy is reported.
   */
  inSample?: ErrorSummary;
  outOfSample?: ErrorSummary;
  crossValidated?: ErrorSummary;
  /** The same three per case kind. */
  accuracyByKind?: Record<
    string,
    { inSample: ErrorSummary; outOfSample: ErrorSummary; crossValidated: ErrorSummary }
  >;
  /**
   * The failure studies' cross-fleet band from this run (src/reliability/fleet-band.ts): the 10th-90th percentile of
   * their measured / predicted failure rates and its leave-one-study-out coverage. Present with accuracy reporting
   * when the run holds failure-study figures from at least 3 studies.
   */
  reliabilityBand?: FleetBandStats;
}

/** How much accuracy reporting a validation run does. */
export interface ValidationOptions {
  /** Case roles (validation/declarations.json); without them only FitRecords make a case in-sample. */
  declarations?: DeclarationsFile;
  /** Report in-sample / out-of-sample figures (default true). */
  accuracy?: boolean;
  /** Add the leave-one-source-out cross-validated errors (default true; refits the case-fitted parameters). */
  crossValidate?: boolean;
  /** Called after each case is predicted with the cases done and the total (for a front end's progress). */
  onCase?: (done: number, total: number) => void;
  /** Called as the cross-validation refits its source groups (serving, then training): groups done, groups in all. */
  onRefit?: (done: number, total: number) => void;
}

type Path = (string | number)[];

function issue(path: Path, message: string, value: unknown, expected: string): InputIssue {
  return { path, message, value, expected };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Drops nulls (unpublished values) and keys outside the schema, so a case carrying extra publication fields still runs. */
function known(value: unknown, shape: Record<string, unknown>): unknown {
  if (!isObj(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k in shape && v !== null) out[k] = v;
  return out;
}

/** The dotted paths of the fields of a case's model and training blocks that `normalizeCase` drops, sorted. */
export function unreadFields(c: Record<string, unknown>): string[] {
  const out: string[] = [];
  const check = (value: unknown, shape: Record<string, unknown>, at: string) => {
    if (isObj(value)) for (const k of Object.keys(value)) if (!(k in shape)) out.push(`${at}.${k}`);
  };
  if (isObj(c.model)) {
    check(c.model, modelFile.shape, "model");
    check(c.model.moe, moeFile.shape, "model.moe");
    if (isObj(c.model.attention) && c.model.attention.type === "mla")
      check(c.model.attention, mlaFile.shape, "model.attention");
  }
  check(c.training, trainingFile.unwrap().shape, "training");
  return out.sort();
}

/** The case with its model and training blocks reduced to the fields the model reads, unpublished (null) values dropped. */
export function normalizeCase(c: Record<string, unknown>): Record<string, unknown> {
  const out = { ...c };
  if (isObj(c.model)) {
    const m = known(c.model, modelFile.shape) as Record<string, unknown>;
    if (isObj(m.moe)) m.moe = known(m.moe, moeFile.shape);
    if (isObj(m.attention) && m.attention.type === "mla") m.attention = known(m.attention, mlaFile.shape);
    out.model = m;
  }
  if (isObj(c.training)) {
    const t = known(c.training, trainingFile.unwrap().shape) as Record<string, unknown>;
    // microBatchSize and vpp keep null ("not published"): the schema reads null as the default.
    for (const k of ["microBatchSize", "vpp"]) if (isObj(c.training) && c.training[k] === null) t[k] = null;
    for (const k of ["overlap", "offload"]) if (isObj(t[k])) t[k] = withoutNulls(t[k]);
    out.training = t;
  }
  if (isObj(c.serving)) out.serving = withoutNulls(c.serving);
  return out;
}

/** Checks the fields a case of a known kind must have; throws a ZettasimError naming the case id and path. */
function checkCase(c: Record<string, unknown>, id: string, path: Path): void {
  const issues: InputIssue[] = [];
  // A failure study describes hardware and a job size, not a model.
  const needed =
    c.kind === "reliability" ? ["hardware", "reliability", "measured"] : ["hardware", "model", "measured"];
  for (const k of needed) {
    if (!isObj(c[k])) issues.push(issue([...path, k], `missing ${k}`, c[k], "an object"));
  }
  if (c.kind === "training") {
    if (!isObj(c.training))
      issues.push(issue([...path, "training"], "missing training", c.training, "an object"));
    else {
      const r = trainingFile.safeParse(c.training, { reportInput: true });
      if (!r.success) issues.push(...issuesFromZod(r.error, [...path, "training"], trainingFile));
    }
    const m = c.measured;
    if (isObj(m) && !(typeof m.stepTimeS === "number" && m.stepTimeS > 0)) {
      issues.push(
        issue(
          [...path, "measured", "stepTimeS"],
          m.stepTimeS === undefined ? "missing measured step time" : "bad measured step time",
          m.stepTimeS,
          "a number > 0 (s)",
        ),
      );
    }
  } else if (c.kind === "inference") {
    if (!isObj(c.serving))
      issues.push(issue([...path, "serving"], "missing serving", c.serving, "an object"));
  }
  if (isObj(c.model) && c.kind !== "reliability") {
    const r = modelFile.safeParse(c.model, { reportInput: true });
    if (!r.success) issues.push(...issuesFromZod(r.error, [...path, "model"], modelFile));
  }
  if (isObj(c.hardware)) {
    const h = c.hardware;
    // A catalog id, or (as scenario files allow) an inline chip or {extends: id, ...} that resolveChip checks.
    if (typeof h.chip !== "string" && !isObj(h.chip))
      issues.push(
        issue(
          [...path, "hardware", "chip"],
          "missing chip",
          h.chip,
          "a catalog chip id, an inline chip or {extends: id, ...}",
        ),
      );
    // At most LIMITS.countMax, as a scenario's system.chips (1e30 was read and refused later as training.chips).
    if (
      !(typeof h.chips === "number" && Number.isInteger(h.chips) && h.chips > 0 && h.chips <= LIMITS.countMax)
    )
      issues.push(
        issue(
          [...path, "hardware", "chips"],
          "bad chip count",
          h.chips,
          `a whole number >= 1 and <= ${LIMITS.countMax}`,
        ),
      );
    if (!Array.isArray(h.network) || h.network.length === 0)
      issues.push(
        issue([...path, "hardware", "network"], "missing network tiers", h.network, "a non-empty list"),
      );
  }
  if (issues.length)
    throw new ZettasimError(issues.map((i) => ({ ...i, message: `case ${id}: ${i.message}` })));
}

/**
 * Checks a parsed validation file's shape and returns its cases. Throws ZettasimError (with the case id
 * and field path) for a wrong format tag, a missing case list, or a case without id/kind or required fields.
 */
export function validationCases(value: unknown, file = "<validation>"): Record<string, unknown>[] {
  if (!isObj(value)) {
    throw new ZettasimError(
      [
        issue(
          [],
          "a validation file must be an object",
          value,
          `{format: "${VALIDATION_FORMAT}", cases: [...]}`,
        ),
      ],
      file,
    );
  }
  if (value.format !== VALIDATION_FORMAT) {
    throw new ZettasimError(
      [issue(["format"], "unknown validation file format", value.format, `"${VALIDATION_FORMAT}"`)],
      file,
    );
  }
  if (!Array.isArray(value.cases)) {
    throw new ZettasimError([issue(["cases"], "missing case list", value.cases, "an array of cases")], file);
  }
  const seen = new Set<string>();
  return value.cases.map((c, i) => {
    const path: Path = ["cases", i];
    if (!isObj(c))
      throw new ZettasimError([issue(path, "a case must be an object", c, "{id, kind, ...}")], file);
    if (typeof c.id !== "string" || c.id === "") {
      throw new ZettasimError(
        [issue([...path, "id"], "a case needs an id", c.id, "a non-empty string")],
        file,
      );
    }
    if (seen.has(c.id))
      throw new ZettasimError([issue([...path, "id"], "duplicate case id", c.id, "unique ids")], file);
    seen.add(c.id);
    if (typeof c.kind !== "string") {
      throw new ZettasimError(
        [issue([...path, "kind"], `case ${c.id}: missing kind`, c.kind, KINDS_EXPECTED)],
        file,
      );
    }
    const n = normalizeCase(c);
    try {
      checkCase(n, c.id, path);
    } catch (e) {
      if (e instanceof ZettasimError) throw new ZettasimError(e.issues, file);
      throw e;
    }
    return n;
  });
}

/** Predicts one case; a case the model cannot handle comes back with `notModelled` and the reason. Cost: microseconds. */
export function runCase(c: Record<string, unknown>, file: string, path: Path = []): CaseResult {
  const id = c.id as string;
  const kind = c.kind as string;
  const measured: Record<string, number> = {};
  if (isObj(c.measured)) {
    for (const [k, v] of Object.entries(c.measured)) if (typeof v === "number") measured[k] = v;
  }
  const base = { id, file, kind, source: typeof c.source === "string" ? c.source : undefined };
  try {
    const predict = Object.hasOwn(PREDICTORS, kind) ? PREDICTORS[kind] : undefined;
    if (predict) {
      const p = predict(c, path);
      return {
        ...base,
        metric: p.metric,
        predicted: p.predicted,
        measured: p.measured,
        errorPct: p.errorPct,
        ...(p.countingNoise ? { countingNoise: p.countingNoise } : {}),
      };
    }
    return {
      ...base,
      metric: "",
      predicted: {},
      measured,
      errorPct: null,
      notModelled: `kind "${kind}" is not modelled (${KINDS_EXPECTED} are)`,
    };
  } catch (e) {
    if (!(e instanceof ZettasimError)) throw e;
    return {
      ...base,
      metric: kind === "training" ? "stepTimeS" : "",
      predicted: {},
      measured,
      errorPct: null,
      notModelled: e.issues
        .map((i) => {
          const extras = [
            ...("value" in i ? [`got ${JSON.stringify(i.value) ?? String(i.value)}`] : []),
            ...(i.expected ? [`expected ${i.expected}`] : []),
          ];
          const where = i.path.length ? `${formatPath(i.path)}: ` : "";
          return where + i.message + (extras.length ? ` (${extras.join(", ")})` : "");
        })
        .join("; "),
    };
  }
}

/**
 * Runs every case of every file and, unless `opts.accuracy` is false, marks each case in-sample or not and
 * adds the out-of-sample and cross-validated summaries. Throws ZettasimError for malformed files; never drops
 * a case. Cost: one evaluation per case, plus one refit per fitted source group for cross-validation.
 */
export function runValidation(
  files: { name: string; value: unknown }[],
  opts: ValidationOptions = {},
): ValidationReport {
  const cases: CaseResult[] = [];
  requireArgument(files, "files", "array", "an array of {name, value} (value: a parsed validation file)");
  const raw: Record<string, unknown>[] = [];
  // Every file is checked before any case is predicted, so the total is known for progress.
  const lists = files.map((f) => validationCases(f.value, f.name));
  const total = lists.reduce((n, l) => n + l.length, 0);
  files.forEach((f, k) => {
    const given = (f.value as { cases: Record<string, unknown>[] }).cases;
    lists[k].forEach((c, i) => {
      const result = runCase(c, f.name, ["cases", i]);
      const ignored = unreadFields(given[i]);
      if (ignored.length > 0) result.ignored = ignored;
      cases.push(result);
      raw.push(c);
      opts.onCase?.(cases.length, total);
    });
  });
  const summarize = (cs: CaseResult[], err: (c: CaseResult) => number | null = (c) => c.errorPct) =>
    summarizeErrors(cs.map(err));
  const byKind: Record<string, ErrorSummary> = {};
  for (const kind of new Set(cases.map((c) => c.kind)))
    byKind[kind] = summarize(cases.filter((c) => c.kind === kind));
  const report: ValidationReport = {
    cases,
    ...summarize(cases.filter((c) => !SEPARATE_KINDS.has(c.kind))),
    byKind,
  };
  if (opts.accuracy === false) return report;
  const acc = caseAccuracy(
    raw,
    cases.map((c) => c.errorPct),
    opts.declarations,
    opts.crossValidate !== false,
    opts.onRefit,
  );
  for (let i = 0; i < cases.length; i++) Object.assign(cases[i], acc[i]);
  const three = (cs: CaseResult[]) => ({
    inSample: summarize(cs.filter((c) => c.inSample)),
    outOfSample: summarize(cs.filter((c) => !c.inSample)),
    crossValidated: summarize(cs, (c) => (c.cvErrorPct === undefined ? c.errorPct : c.cvErrorPct)),
  });
  Object.assign(report, three(cases.filter((c) => !SEPARATE_KINDS.has(c.kind))));
  report.accuracyByKind = {};
  for (const kind of Object.keys(byKind))
    report.accuracyByKind[kind] = three(cases.filter((c) => c.kind === kind));
  const ratios = rateRatiosOf(cases);
  if (new Set(ratios.map((x) => x.study)).size >= 3) report.reliabilityBand = fleetBandStats(ratios);
  return report;
}
