// Zod building blocks for unit-keyed fields, shared by every section of the scenario schema.
import { z } from "zod";

/** A finite number > 0 in the given unit, e.g. positive("GB/s"). */
export const positive = (unit: string) =>
  z
    .number({ error: `expected a number in ${unit}` })
    .finite()
    .positive({ error: `must be > 0 (${unit})` })
    .describe(unit);

/** A finite number >= 0 in the given unit. */
export const nonNegative = (unit: string) =>
  z
    .number({ error: `expected a number in ${unit}` })
    .finite()
    .nonnegative({ error: `must be >= 0 (${unit})` })
    .describe(unit);

/** A whole number >= 1 (chips, layers, degrees of parallelism). */
export const count = (what: string) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int({ error: `must be a whole number of ${what}` })
    .positive({ error: `must be >= 1 (${what})` })
    .describe(what);

/** A whole number >= 0. */
export const countOrZero = (what: string) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int({ error: `must be a whole number of ${what}` })
    .nonnegative({ error: `must be >= 0 (${what})` })
    .describe(what);

/** A fraction in [0, 1]. */
export const fraction = (what: string) =>
  z
    .number({ error: `expected a fraction between 0 and 1 (${what})` })
    .finite()
    .min(0)
    .max(1)
    .describe(what);

export const confidence = z.enum(["P", "S", "A"]);

export const sourceRef = z.strictObject({
  fields: z.array(z.string()).min(1),
  source: z.string().min(1),
  confidence,
  note: z.string().optional(),
});

export const precision = z.enum(["fp4", "fp8", "int8", "fp16", "bf16", "tf32", "fp32"]);
