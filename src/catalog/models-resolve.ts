// Resolves a model reference (catalog id, inline, or {extends: id, ...}) into a validated ModelConfig.
import { unknownIdMessage, ZettasimError } from "../core/errors.js";
import { issuesFromZod } from "../schema/issues.js";
import { type ModelConfig, modelFile } from "../schema/model.js";
import { mergeOverride } from "./merge.js";
import { MODEL_FILES } from "./models.js";

export const modelIds = (): string[] => MODEL_FILES.map((m) => m.id);

/** A model from a catalog id, an inline definition or {extends: id, ...overrides}. */
export function resolveModel(ref: unknown, path: (string | number)[] = ["model"]): ModelConfig {
  let value = ref;
  const find = (id: string, p: (string | number)[]) => {
    const m = MODEL_FILES.find((x) => x.id === id);
    if (!m)
      throw new ZettasimError([
        {
          path: p,
          message: unknownIdMessage("model", id, modelIds()),
          value: id,
          expected: `one of ${modelIds().join(", ")}`,
        },
      ]);
    return m;
  };
  if (typeof ref === "string") value = find(ref, path);
  else if (ref && typeof ref === "object" && "extends" in ref) {
    const base = find(String((ref as { extends: unknown }).extends), [...path, "extends"]);
    value = mergeOverride(base, ref, path, []);
  }
  const r = modelFile.safeParse(value, { reportInput: true });
  if (!r.success) throw new ZettasimError(issuesFromZod(r.error, path, modelFile));
  return r.data;
}
