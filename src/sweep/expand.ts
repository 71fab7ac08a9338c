// A sweep file made ready to run: axes normalised to value lists, checked against the base scenario, the grid's
// size and a deterministic id; the point at any index and its scenario, without expanding the whole grid.

import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { type InputIssue, ZettasimError } from "../core/errors.js";
import { type Scenario, type ScenarioResolver, scenarioFromValue } from "../scenario/load.js";
import { issuesFromZod } from "../schema/issues.js";
import { scenarioFile } from "../schema/scenario.js";
import {
  type FieldAxis,
  MAX_AXIS_VALUES,
  MAX_SWEEP_POINTS,
  type SweepFileParsed,
  sweepFile,
} from "../schema/sweep.js";
import { canonicalJson, idOf } from "./id.js";
import { PathError, parsePath, pathIssue, setIn } from "./paths.js";
import { SWEEP_RUN_KINDS, type SweepRun } from "./runs.js";

type Obj = Record<string, unknown>;

/** One field an axis sets: its key in a row's `point`, its path as written and split into keys. */
export interface SweepField {
  name: string;
  field: string;
  keys: string[];
}

/** One dimension of the grid: one field, or several zipped; `values[j][f]` is field f's value at step j. */
export interface SweepDim {
  fields: SweepField[];
  values: unknown[][];
}

/** A sweep file with its base scenario inline: what a queue stores and any worker can prepare again. */
export type SweepSpec = Omit<SweepFileParsed, "base"> & { base: Obj };

/** A prepared sweep. `points` = product of the dimensions' lengths; point 0 takes every axis's first value. */
export interface Sweep {
  /** 16 hex digits from the base scenario, the run and the axes' values (not the name or the task size). */
  id: string;
  name: string;
  run: SweepRun;
  spec: SweepSpec;
  dims: SweepDim[];
  points: number;
  pointsPerTask: number;
  /** Remembers resolved systems and models: most points share them. */
  resolver: ScenarioResolver;
  /** Per top-level scenario key of the points: the dimensions that set a field under it. */
  sections: [key: string, dims: number[]][];
  /** Checked scenario sections by key and the choice of the dimensions that set them (see pointScenario). */
  sectionCache: Map<string, { value: unknown; resolved?: unknown }>;
}

/** A point of a sweep: its axis values by axis name. */
export type SweepPoint = Record<string, unknown>;

/** Reads a base scenario given as a path (Node reads a file; a browser might fetch). */
export type BaseLoader = (path: string) => Obj;

function fail(issues: InputIssue[], file?: string): never {
  throw new ZettasimError(issues, file);
}

/** Expands a field axis's list or range into its values; `at` is its place in the file, for errors. */
function axisValues(a: FieldAxis, at: (string | number)[], file?: string): unknown[] {
  if ((a.values === undefined) === (a.range === undefined))
    fail([{ path: at, message: "give exactly one of values (a list) or range", value: a.field }], file);
  if (a.values) return a.values;
  const r = a.range!;
  const out: number[] = [];
  const tol = 1e-9 * Math.max(1, Math.abs(r.to));
  for (let i = 0; ; i++) {
    const v = r.step !== undefined ? r.from + i * r.step : r.from * (r.factor as number) ** i;
    if (v > r.to + tol) break;
    if (out.length >= MAX_AXIS_VALUES)
      fail([{ path: [...at, "range"], message: `more than ${MAX_AXIS_VALUES} values`, value: r }], file);
    out.push(v);
  }
  return out;
}

/** Normalises the file's axes into grid dimensions, checking names, paths, zip lengths and duplicate values. */
function dimensions(f: SweepFileParsed, file?: string): SweepDim[] {
  const names = new Map<string, string>();
  return f.axes.map((axis, i) => {
    const members = "zip" in axis ? axis.zip : [axis];
    const fields: SweepField[] = [];
    const lists: unknown[][] = [];
    members.forEach((a, k) => {
      const at: (string | number)[] = "zip" in axis ? ["axes", i, "zip", k] : ["axes", i];
      const name = a.name ?? a.field;
      const seen = names.get(name);
      if (seen !== undefined)
        fail([{ path: [...at, "name"], message: `axis name already used by ${seen}`, value: name }], file);
      names.set(name, at.join("."));
      const keys = parsePath(a.field);
      const bad = pathIssue(keys, [...at, "field"]);
      if (bad) fail([bad], file);
      fields.push({ name, field: a.field, keys });
      lists.push(axisValues(a, at, file));
    });
    const n = lists[0].length;
    lists.forEach((l, k) => {
      if (l.length !== n)
        fail(
          [
            {
              path: ["axes", i, "zip", k],
              message: `has ${l.length} values but ${fields[0].field} has ${n}: zipped fields advance together`,
              expected: `${n} values`,
            },
          ],
          file,
        );
    });
    const values = Array.from({ length: n }, (_, j) => lists.map((l) => l[j]));
    const seenValues = new Map<string, number>();
    values.forEach((tuple, j) => {
      const key = canonicalJson(tuple);
      const first = seenValues.get(key);
      if (first !== undefined)
        fail(
          [
            {
              path: "zip" in axis ? ["axes", i, "zip"] : ["axes", i, "values", j],
              message: `repeats the value at position ${first}`,
              value: tuple.length === 1 ? tuple[0] : tuple,
              expected: "each value once",
            },
          ],
          file,
        );
      seenValues.set(key, j);
    });
    return { fields, values };
  });
}

/** The path and value of the first number inside `v` that is not finite (YAML's .nan, .inf, 1e400), if any. */
function firstNonFinite(
  v: unknown,
  at: (string | number)[],
): { path: (string | number)[]; value: number } | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? undefined : { path: at, value: v };
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = firstNonFinite(v[i], [...at, i]);
      if (bad) return bad;
    }
  } else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      const bad = firstNonFinite(x, [...at, k]);
      if (bad) return bad;
    }
  }
  return undefined;
}

/**
 * Refuses an axis value that is NaN or infinite (YAML's .nan and .inf, or 1e400), naming the axis's field: the
 * schema alone says only "Invalid input" there. Cost O(size of the axes).
 */
function refuseNonFiniteAxisValues(value: unknown, file?: string): void {
  const axes = value && typeof value === "object" ? (value as Obj).axes : undefined;
  if (!Array.isArray(axes)) return;
  const check = (axis: unknown, at: (string | number)[]) => {
    if (!axis || typeof axis !== "object") return;
    const a = axis as Obj;
    if (!Array.isArray(a.values)) return;
    const bad = firstNonFinite(a.values, [...at, "values"]);
    if (bad)
      fail(
        [
          {
            path: bad.path,
            message: `axis ${typeof a.field === "string" ? a.field : "(no field)"}: not a finite number`,
            value: bad.value,
            expected: "finite numbers (no .nan, .inf or values past 1.8e308)",
          },
        ],
        file,
      );
  };
  axes.forEach((axis, i) => {
    check(axis, ["axes", i]);
    const zip = axis && typeof axis === "object" ? (axis as Obj).zip : undefined;
    if (Array.isArray(zip)) for (let j = 0; j < zip.length; j++) check(zip[j], ["axes", i, "zip", j]);
  });
}

/**
 * Validates a sweep file (already parsed from YAML or JSON) and prepares it. `loadBase` reads `base` when it is a
 * path. Each axis value is checked on the scenario it makes (the first point with that one value changed), so a bad
 * value is refused before anything runs, naming the axis and the scenario field. Throws ZettasimError.
 * Cost: O(sum of axis lengths) scenario validations.
 */
export function prepareSweep(value: unknown, file?: string, loadBase?: BaseLoader): Sweep {
  refuseNonFiniteAxisValues(value, file);
  const r = sweepFile.safeParse(value, { reportInput: true });
  if (!r.success) fail(issuesFromZod(r.error, [], sweepFile), file);
  const f = r.data;
  let base: Obj;
  let baseFile: string | undefined;
  if (typeof f.base === "string") {
    if (!loadBase)
      fail([{ path: ["base"], message: "a base scenario path needs a file reader", value: f.base }], file);
    base = loadBase(f.base);
    baseFile = f.base;
  } else base = f.base;
  const spec: SweepSpec = { ...f, base };
  const dims = dimensions(f, file);
  let points = 1;
  for (const d of dims) points *= d.values.length;
  if (points > MAX_SWEEP_POINTS)
    fail(
      [
        {
          path: ["axes"],
          message: `the grid has ${points} points`,
          expected: `at most ${MAX_SWEEP_POINTS}; split the sweep`,
        },
      ],
      file,
    );
  const run = SWEEP_RUN_KINDS[f.run];
  const sweep: Sweep = {
    id: idOf({
      base,
      run: f.run,
      dims: dims.map((d) => ({ fields: d.fields.map((x) => x.field), values: d.values })),
    }),
    name: f.name ?? file ?? "sweep",
    run,
    spec,
    dims,
    points,
    pointsPerTask: f.pointsPerTask ?? run.pointsPerTask,
    resolver: rememberingResolver(),
    sections: sectionsOf(base, dims),
    sectionCache: new Map(),
  };
  checkSweep(sweep, file, baseFile);
  return sweep;
}

/** A resolver that keeps the last 256 distinct systems and models it resolved (by their reference's JSON). */
function rememberingResolver(): ScenarioResolver {
  const memo = <R, T>(resolve: (ref: R) => T) => {
    const seen = new Map<string, T>();
    return (ref: R): T => {
      const key = typeof ref === "string" ? ref : canonicalJson(ref);
      let v = seen.get(key);
      if (v === undefined) {
        v = resolve(ref);
        if (seen.size >= 256) seen.clear();
        seen.set(key, v);
      }
      return v;
    };
  };
  return {
    system: memo((ref) => resolveSystem(ref, ["system"])),
    model: memo((ref) => resolveModel(ref, ["model"])),
  };
}

/** Values of an axis checked up front: all of a list up to 256, else 256 spread evenly (first and last included). */
function checkedValues(n: number): number[] {
  const k = Math.min(n, 256);
  if (k === n) return Array.from({ length: n }, (_, j) => j);
  return [...new Set(Array.from({ length: k }, (_, j) => Math.round((j * (n - 1)) / (k - 1))))];
}

/** Checks the base, every axis value (one at a time, on point 0) and the run's needs. */
function checkSweep(sweep: Sweep, file: string | undefined, baseFile: string | undefined): void {
  const choice = sweep.dims.map(() => 0);
  try {
    scenarioFromValue(sweep.spec.base, baseFile ?? "base");
  } catch (e) {
    if (!(e instanceof ZettasimError) || baseFile) throw e;
    fail(
      e.issues.map((x) => ({ ...x, path: ["base", ...x.path] })),
      file,
    );
  }
  // A section the run needs comes from the base or from an axis that sets a field in it.
  const set = sweep.dims.flatMap((d) => d.fields.map((f) => f.keys[0]));
  const missing = sweep.run.needs.filter((k) => sweep.spec.base[k] === undefined && !set.includes(k));
  if (missing.length)
    fail(
      [
        {
          path: ["base", missing[0]],
          message: `run: ${sweep.run.name} needs ${missing.map((k) => `\`${k}\``).join(" and ")} in the scenario`,
          expected: `a ${missing[0]} section in the base or an axis that sets it`,
        },
      ],
      file,
    );
  sweep.dims.forEach((d, i) => {
    for (const j of checkedValues(d.values.length)) {
      choice[i] = j;
      try {
        scenarioFor(sweep, choice);
      } catch (e) {
        if (!(e instanceof ZettasimError)) throw e;
        const what = d.fields.map((x, k) => `${x.field} = ${JSON.stringify(d.values[j][k])}`).join(", ");
        fail(
          e.issues.map((x) => ({
            ...x,
            path: ["axes", i, "values", j],
            message: `${what}: ${x.path.length ? `${x.path.join(".")}: ` : ""}${x.message}`,
          })),
          file,
        );
      }
    }
    choice[i] = 0;
  });
}

/** The value index of each dimension at point `index` (the last dimension varies fastest). */
export function choiceAt(sweep: Sweep, index: number): number[] {
  const c = new Array<number>(sweep.dims.length);
  let rem = index;
  for (let d = sweep.dims.length - 1; d >= 0; d--) {
    const n = sweep.dims[d].values.length;
    c[d] = rem % n;
    rem = Math.floor(rem / n);
  }
  return c;
}

/** The point at `index`: each axis's value by axis name. Cost: O(axes). */
export function pointAt(sweep: Sweep, index: number): SweepPoint {
  const c = choiceAt(sweep, index);
  const p: SweepPoint = {};
  sweep.dims.forEach((d, i) => {
    d.fields.forEach((f, k) => {
      p[f.name] = d.values[c[i]][k];
    });
  });
  return p;
}

/** The scenario value (before validation) at a choice of each dimension's value. */
export function scenarioValueFor(sweep: Sweep, choice: number[]): Obj {
  let v = sweep.spec.base;
  sweep.dims.forEach((d, i) => {
    d.fields.forEach((f, k) => {
      try {
        v = setIn(v, f.keys, d.values[choice[i]][k]);
      } catch (e) {
        if (!(e instanceof PathError)) throw e;
        throw new ZettasimError([{ path: f.keys, message: e.message }]);
      }
    });
  });
  return v;
}

/** The validated, resolved scenario at a choice of each dimension's value. Throws ZettasimError. */
export function scenarioFor(sweep: Sweep, choice: number[]): Scenario {
  const name = typeof sweep.spec.base.name === "string" ? sweep.spec.base.name : sweep.name;
  return scenarioFromValue(scenarioValueFor(sweep, choice), name, undefined, sweep.resolver);
}

/** The top-level keys a point's scenario has (the base's and the axes'), each with the dimensions that set it. */
function sectionsOf(base: Obj, dims: SweepDim[]): [string, number[]][] {
  const keys = [...new Set([...Object.keys(base), ...dims.flatMap((d) => d.fields.map((f) => f.keys[0]))])];
  return keys.map((k) => [k, dims.flatMap((d, i) => (d.fields.some((f) => f.keys[0] === k) ? [i] : []))]);
}

const SECTION_SCHEMAS = scenarioFile.shape as Record<
  string,
  (typeof scenarioFile.shape)[keyof typeof scenarioFile.shape]
>;
const RESOLVES: Record<string, (r: ScenarioResolver, ref: never) => unknown> = {
  system: (r, ref) => r.system(ref),
  model: (r, ref) => r.model(ref),
};

/**
 * The scenario of a sweep point, equal to scenarioFor's but checking each top-level section once per distinct value:
 * a section's value depends only on the choices of the dimensions that set a field under it, so the base's
 * untouched sections (and their resolved system and model) are checked once per sweep. A refused section falls back
 * to scenarioFor, whose error is the one reported. Cost: one check of each section the point changes.
 */
export function pointScenario(sweep: Sweep, choice: number[]): Scenario {
  let value: Obj | undefined;
  const file: Obj = {};
  const resolved: Obj = {};
  for (const [key, dims] of sweep.sections) {
    const schema = Object.hasOwn(SECTION_SCHEMAS, key) ? SECTION_SCHEMAS[key] : undefined;
    if (!schema) return scenarioFor(sweep, choice);
    let cacheKey = key;
    for (const d of dims) cacheKey += `:${choice[d]}`;
    let entry = sweep.sectionCache.get(cacheKey);
    if (entry === undefined) {
      value ??= scenarioValueFor(sweep, choice);
      if (value[key] === undefined) entry = { value: undefined };
      else {
        const r = schema.safeParse(value[key], { reportInput: true });
        if (!r.success) return scenarioFor(sweep, choice);
        entry = { value: r.data };
        const resolve = RESOLVES[key];
        if (resolve) {
          try {
            entry.resolved = resolve(sweep.resolver, r.data as never);
          } catch (e) {
            if (e instanceof ZettasimError) return scenarioFor(sweep, choice);
            throw e;
          }
        }
      }
      if (sweep.sectionCache.size >= 4096) sweep.sectionCache.clear();
      sweep.sectionCache.set(cacheKey, entry);
    }
    if (entry.value === undefined) continue;
    file[key] = entry.value;
    resolved[key] = entry.resolved;
  }
  const { system, model } = resolved;
  if (system === undefined) return scenarioFor(sweep, choice);
  const f = file as Scenario["file"];
  const name = typeof sweep.spec.base.name === "string" ? sweep.spec.base.name : sweep.name;
  return {
    file: f,
    system: system as Scenario["system"],
    model: model as Scenario["model"],
    seed: f.seed ?? 1,
    name: f.name ?? name,
  };
}
