// The sweep file format: a base scenario, axes over scenario fields (lists, ranges, zipped axes), and what to run per point.
import * as z from "zod";

/**
 * What a sweep runs on each point: each is the command of the same name, its `--json` result per point (`plan` is
 * `plan train`, searched with the point's `plan` section).
 */
export const SWEEP_RUNS = ["train", "simulate", "serve", "reliability", "plan"] as const;
export type SweepRunName = (typeof SWEEP_RUNS)[number];

/** Most points one sweep may expand to (a 10M-row JSONL is already gigabytes). */
export const MAX_SWEEP_POINTS = 10_000_000;
/** Most values one axis may hold. */
export const MAX_AXIS_VALUES = 1_000_000;

/**
 * A scenario field by path: dot-separated keys (`training.tp`, `reliability.recovery.restartMinutes`); a number
 * indexes a list, and inside a named list (`system.tiers`) a word picks the entry by name
 * (`system.tiers.superpod-ub.bandwidthGBps`). A catalog id (`system: gb200-nvl72`) on the way becomes
 * `{extends: id}` so the field overrides that entry.
 */
export const fieldPath = z
  .string({ error: "expected a field path such as training.tp" })
  .regex(/^[A-Za-z$][\w$]*(\.[\w$-]+)*$/, {
    error: "expected dot-separated keys, e.g. training.tp or system.tiers.superpod-ub.bandwidthGBps",
  });

/** A JSON value an axis sets its field to: a number, a string, a boolean or an object (an inline system, say). */
const axisValue = z.json();

const range = z
  .strictObject({
    from: z.number({ error: "expected a number" }).finite(),
    to: z.number({ error: "expected a number" }).finite(),
    /** Arithmetic: from, from + step, ... up to `to` inclusive. */
    step: z.number().finite().positive({ error: "must be > 0" }).optional(),
    /** Geometric: from, from x factor, ... up to `to` inclusive. */
    factor: z.number().finite().gt(1, { error: "must be > 1" }).optional(),
  })
  .check((ctx) => {
    const r = ctx.value;
    if ((r.step === undefined) === (r.factor === undefined))
      ctx.issues.push({
        code: "custom",
        message: "give exactly one of step (arithmetic) or factor (geometric)",
        input: r,
        path: [],
      });
    if (r.to < r.from)
      ctx.issues.push({ code: "custom", message: "must be >= from", input: r.to, path: ["to"] });
    if (r.factor !== undefined && r.from <= 0)
      ctx.issues.push({
        code: "custom",
        message: "a geometric range starts above 0",
        input: r.from,
        path: ["from"],
      });
  });

/** One field and the values it takes: a list, or a range. */
export const fieldAxis = z.strictObject({
  field: fieldPath,
  /** Key of this axis in each row's `point` (default: the field path). */
  name: z.string().min(1).optional(),
  values: z.array(axisValue).min(1, { error: "an axis needs at least one value" }).optional(),
  range: range.optional(),
});

/** Several fields that advance together (same number of values each): one dimension of the grid. */
export const zipAxis = z.strictObject({
  zip: z.array(fieldAxis).min(2, { error: "a zipped axis joins at least two fields" }),
});

export const sweepAxis = z.union([fieldAxis, zipAxis]);

export const sweepFile = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  /** The scenario every point starts from: a path (relative to the sweep file) or the scenario inline. */
  base: z.union([z.string().min(1), z.record(z.string(), z.unknown())], {
    error: "expected a scenario file path or an inline scenario",
  }),
  /** The command run on each point. */
  run: z.enum(SWEEP_RUNS),
  /** The grid: every combination of the axes' values, the last axis varying fastest. */
  axes: z.array(sweepAxis).min(1, { error: "a sweep needs at least one axis" }),
  /** Points per worker task or queue job (default: the run's own, large for analytical runs). */
  pointsPerTask: z.number().int().positive().max(100_000).optional(),
});
export type SweepFile = z.input<typeof sweepFile>;
export type SweepFileParsed = z.output<typeof sweepFile>;
export type FieldAxis = z.output<typeof fieldAxis>;

/** JSON Schema (draft 2020-12) of the sweep file, for editors. */
export function sweepJsonSchema(): object {
  return z.toJSONSchema(sweepFile, { io: "input", unrepresentable: "any" });
}
