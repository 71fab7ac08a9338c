// The project's validation files as scripts read them: every validation/*.json case file (parsed, cases extracted)
// and the declarations file. One reader for the fit scripts and the residual surveys, so they agree on what a case is.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type DeclarationsFile,
  isDeclarationsFile,
  parseDeclarations,
} from "../src/validate/declarations.js";
import { validationCases } from "../src/validate/run.js";

const DIR = join(fileURLToPath(new URL("..", import.meta.url)), "validation");

/** The project's validation files (name `validation/<file>`, parsed JSON) in name order, and its declarations. */
export function projectValidation(): {
  files: { name: string; value: unknown }[];
  declarations: DeclarationsFile;
} {
  const files: { name: string; value: unknown }[] = [];
  let declarations: DeclarationsFile | undefined;
  for (const f of readdirSync(DIR)
    .filter((x) => x.endsWith(".json"))
    .sort()) {
    const value = JSON.parse(readFileSync(join(DIR, f), "utf8"));
    if (isDeclarationsFile(value)) declarations = parseDeclarations(value, f);
    else files.push({ name: `validation/${f}`, value });
  }
  if (!declarations) throw new Error("validation/declarations.json is missing");
  return { files, declarations };
}

/** One validation case with the file it came from and its declared role ("fit", "holdout" or undefined). */
export interface ProjectCase {
  file: string;
  case: Record<string, unknown>;
  role: string | undefined;
}

/** Every case of the project's validation files, in file-name order, optionally only those of one kind. */
export function projectCases(kind?: "training" | "inference" | "reliability"): ProjectCase[] {
  const { files, declarations } = projectValidation();
  const out: ProjectCase[] = [];
  for (const f of files)
    for (const c of validationCases(f.value, f.name)) {
      if (kind !== undefined && c.kind !== kind) continue;
      out.push({ file: f.name, case: c, role: declarations.cases[c.id as string]?.role });
    }
  return out;
}
