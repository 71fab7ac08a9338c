// Case declarations (validation/declarations.json): for each case, declared before its prediction was looked at, whether fits may use it.
import { ZettasimError } from "../core/errors.js";
import { issuesFromZod } from "../schema/issues.js";
import { DECLARATIONS_FORMAT, type DeclarationsFile, declarationsFile } from "../schema/validation.js";

export type { CaseDeclaration, DeclarationsFile } from "../schema/validation.js";
export { DECLARATIONS_FORMAT } from "../schema/validation.js";

/**
 * Parses a declarations file. Throws ZettasimError naming the field (e.g. cases.<id>.role) for anything else
 * than the format of src/schema/validation.ts. Cost: O(cases).
 */
export function parseDeclarations(value: unknown, file = "<declarations>"): DeclarationsFile {
  const r = declarationsFile.safeParse(value, { reportInput: true });
  if (!r.success) throw new ZettasimError(issuesFromZod(r.error, [], declarationsFile), file);
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
