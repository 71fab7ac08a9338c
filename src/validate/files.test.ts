// Every validation file parses and every case is modelled (or says why not); every added case is declared fit or holdout.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { isDeclarationsFile, parseDeclarations, undeclared } from "./declarations.js";
import { runValidation } from "./run.js";

const dir = new URL("../../validation/", import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, dir), "utf8"));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((name) => ({ name, value: read(name) }));
const caseFiles = files.filter((f) => !isDeclarationsFile(f.value));
const declFile = files.find((f) => isDeclarationsFile(f.value));

/** Files that existed before the declarations (2026-11-30); their cases are declared by the fit work, not here. */
const PRE_DECLARATION_FILES = new Set([
  "serving-extra.json",
  "serving-public.json",
  "training-ascend-tpu.json",
  "training-extra.json",
  "training-public.json",
]);

describe("validation files", () => {
  it("every case file parses and every case is modelled or says why not", () => {
    expect(caseFiles.length).toBeGreaterThanOrEqual(8);
    for (const f of caseFiles) {
      const r = runValidation([f]);
      for (const c of r.cases) {
        if (c.errorPct === null) expect(c.notModelled, `${f.name} ${c.id}`).toMatch(/\S/);
        else expect(Number.isFinite(c.errorPct), `${f.name} ${c.id}`).toBe(true);
      }
    }
  });
  it("case ids are unique across all files (declarations key on them)", () => {
    const ids = caseFiles.flatMap((f) => (f.value.cases as { id: string }[]).map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("declarations (validation/declarations.json)", () => {
  it("exists, parses, and uses only the roles fit and holdout", () => {
    expect(declFile).toBeDefined();
    const d = parseDeclarations(declFile?.value, "declarations.json");
    for (const v of Object.values(d.cases)) expect(["fit", "holdout"]).toContain(v.role);
    expect(d.rule.length).toBeGreaterThan(100);
  });
  it("declares every case added after the pre-declaration files, and nothing that is not a case", () => {
    const d = parseDeclarations(declFile?.value, "declarations.json");
    const added = caseFiles
      .filter((f) => !PRE_DECLARATION_FILES.has(f.name))
      .flatMap((f) => (f.value.cases as { id: string }[]).map((c) => c.id));
    expect(added.length).toBeGreaterThanOrEqual(60);
    expect(undeclared(added, d)).toEqual([]);
    const all = new Set(caseFiles.flatMap((f) => (f.value.cases as { id: string }[]).map((c) => c.id)));
    expect(Object.keys(d.cases).filter((id) => !all.has(id))).toEqual([]);
  });
  it("gives one role to every case of a source", () => {
    const d = parseDeclarations(declFile?.value, "declarations.json");
    const roleOfSource = new Map<string, string>();
    for (const f of caseFiles) {
      for (const c of f.value.cases as { id: string; source: string }[]) {
        const decl = d.cases[c.id];
        if (!decl) continue;
        const group = decl.why.split(":")[0];
        const seen = roleOfSource.get(group);
        if (seen !== undefined) expect(decl.role, `${c.id} in ${group}`).toBe(seen);
        roleOfSource.set(group, decl.role);
      }
    }
    expect(roleOfSource.size).toBeGreaterThanOrEqual(8);
  });
  it("marks inspected only holdout cases, and rejects an empty inspected note naming the field", () => {
    const d = parseDeclarations(declFile?.value, "declarations.json");
    const inspected = Object.values(d.cases).filter((v) => v.inspected !== undefined);
    expect(inspected.length).toBeGreaterThan(0);
    for (const v of inspected) expect(v.role).toBe("holdout");
    const bad = structuredClone(declFile?.value);
    const first = Object.keys(bad.cases)[0];
    bad.cases[first].inspected = "";
    try {
      parseDeclarations(bad, "x.json");
      throw new Error("expected a ZettasimError");
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).issues.map((i) => i.path.join("."))).toContain(`cases.${first}.inspected`);
    }
  });
  it("rejects a role other than fit or holdout, naming the field", () => {
    const bad = structuredClone(declFile?.value);
    const first = Object.keys(bad.cases)[0];
    bad.cases[first].role = "maybe";
    try {
      parseDeclarations(bad, "x.json");
      throw new Error("expected a ZettasimError");
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).issues.map((i) => i.path.join("."))).toContain(`cases.${first}.role`);
    }
  });
});
