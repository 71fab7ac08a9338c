// Case declarations (validation/declarations.json): for each case, declared before its prediction was looked at, whether fits may use it.
import { z } from "zod";
import { ZettasimError } from "../core/errors.js";
import { issuesFromZod } from "../schema/issues.js";

export const DECLARATIONS_FORMAT = "zettasim-case-declarations/1";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "a date written YYYY-MM-DD" });

/** One case's declaration: "fit" cases may be used to fit model parameters; "holdout" cases never are. */
export const caseDeclaration = z.strictObject({
  role: z.enum(["fit", "holdout"]),
  /** Day the role was declared (before the case's prediction was looked at). */
  declared: isoDate,
  /** Why this role: the rule and the source group that decided it. */
  why: z.string().min(1),
});
export type CaseDeclaration = z.output<typeof caseDeclaration>;

export const declarationsFile = z.strictObject({
  format: z.literal(DECLARATIONS_FORMAT),
  /** The rule that assigned the roles, written before any prediction was looked at. */
  rule: z.string().min(1),
  cases: z.record(z.string().min(1), caseDeclaration),
});
export type DeclarationsFile = z.output<typeof declarationsFile>;

/**
 * Parses a declarations file. Throws ZettasimError naming the field (e.g. cases.<id>.role) for anything else
 * than the format above. Cost: O(cases).
 */
export function parseDeclarations(value: unknown, file = "<declarations>"): DeclarationsFile {
  const r = declarationsFile.safeParse(value, { reportInput: true });
  if (!r.success) throw new ZettasimError(issuesFromZod(r.error), file);
  return r.data;
}

/** True when a parsed JSON value is a declarations file (by its format tag), so case-file readers can skip it. */
export function isDeclarationsFile(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>).format === DECLARATIONS_FORMAT
  );
}

/** Case ids among `ids` that have no declaration. Cost: O(ids). */
export function undeclared(ids: readonly string[], decl: DeclarationsFile): string[] {
  return ids.filter((id) => !Object.hasOwn(decl.cases, id));
}
