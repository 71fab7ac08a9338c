// Zod building blocks for unit-keyed fields, shared by every section of the scenario schema.
import * as z from "zod";

/**
 * Default bounds of every number a file gives (docs/limits.md lists each field's own). They keep every value far
 * from where SI conversion and the models' products overflow or divide by almost nothing: a positive quantity
 * from 1e-9 to 1e12 of its unit, a count up to 1e9. Fields whose sensible range is narrower or wider say so.
 */
export const LIMITS = { positiveMin: 1e-9, max: 1e12, countMax: 1e9 } as const;

interface Range {
  min?: number;
  max?: number;
}

/**
 * Each builder below makes its schema in one step (the number, then all its checks at once, then its description
 * registered on that schema) rather than by chaining `.min().max().describe()`: every chained call clones the schema,
 * and the CLI builds several hundred of these fields at start-up. Same checks, same order, same messages.
 */
const numberField = (error: string, description: string, ...checks: z.core.$ZodCheck<number>[]) => {
  const schema = z.number({ error }).check(...checks);
  z.globalRegistry.add(schema, { description });
  return schema;
};

/** A finite number > 0 in the given unit, e.g. positive("GB/s"), within [1e-9, 1e12] unless `range` says. */
export const positive = (unit: string, range: Range = {}) =>
  numberField(
    `expected a number in ${unit}`,
    unit,
    z.gte(range.min ?? LIMITS.positiveMin, {
      error: range.min === undefined ? `must be > 0 (${unit})` : `must be at least ${range.min} (${unit})`,
    }),
    z.lte(range.max ?? LIMITS.max),
  );

/** A finite number >= 0 in the given unit, at most 1e12 unless `range` says. */
export const nonNegative = (unit: string, range: Range = {}) =>
  numberField(
    `expected a number in ${unit}`,
    unit,
    z.gte(range.min ?? 0, { error: `must be >= 0 (${unit})` }),
    z.lte(range.max ?? LIMITS.max),
  );

/**
 * A whole number >= 1 (chips, layers, degrees of parallelism), at most 1e9 unless `max` says. The bounds are checked
 * first and stop the checks: z.int() has bounds of its own (the safe integers), so 1e30 would otherwise get two
 * errors with different limits.
 */
export const count = (what: string, max: number = LIMITS.countMax) =>
  numberField(
    `expected a whole number of ${what}`,
    what,
    z.gt(0, { error: `must be >= 1 (${what})`, abort: true }),
    z.lte(max, { abort: true }),
    z.int({ error: `must be a whole number of ${what}` }),
  );

/** A whole number >= 0, at most 1e9 unless `max` says (bounds first, as for count). */
export const countOrZero = (what: string, max: number = LIMITS.countMax) =>
  numberField(
    `expected a whole number of ${what}`,
    what,
    z.gte(0, { error: `must be >= 0 (${what})`, abort: true }),
    z.lte(max, { abort: true }),
    z.int({ error: `must be a whole number of ${what}` }),
  );

/** A fraction in [0, 1]. */
export const fraction = (what: string) =>
  numberField(`expected a fraction between 0 and 1 (${what})`, what, z.gte(0), z.lte(1));

/** A fraction in [0, 1): one that the models divide 1 minus by (1 would make a count infinite). */
export const fractionBelowOne = (what: string) =>
  numberField(
    `expected a fraction between 0 and 1 (${what})`,
    what,
    z.gte(0),
    z.lt(1, { error: `must be below 1: the model divides by 1 minus it (${what})` }),
  );

/**
 * A fraction in [1e-4, 1] that the models divide by (kernel efficiencies, header efficiency): 0 would make a
 * time infinite, so the smallest is one ten-thousandth of peak.
 */
export const efficiency = (what: string) =>
  numberField(
    `expected a fraction between 0 and 1 (${what})`,
    what,
    z.gte(1e-4, { error: `must be at least 1e-4: a time is divided by it (${what})` }),
    z.lte(1),
  );

export const confidence = z.enum(["P", "S", "A"]);

export const sourceRef = z.strictObject({
  fields: z.array(z.string()).min(1),
  source: z.string().min(1),
  confidence,
  note: z.string().optional(),
});

export const precision = z.enum(["fp4", "fp8", "int8", "fp16", "bf16", "tf32", "fp32"]);

/**
 * A record keyed by user-given names (cabinet kinds, tier names, chip ids). `__proto__` is refused: as an
 * object key it would be dropped or replace the record's prototype instead of naming an entry.
 */
export const recordOf = <T extends z.ZodType>(value: T, what: string) =>
  z.record(
    z.string().refine((k) => k !== "__proto__", { error: `"__proto__" cannot name ${what}` }),
    value,
  );
