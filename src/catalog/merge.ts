// Deep merge used for "extends" overrides: objects merge key by key, arrays replace, except named lists (tiers) merge by name.
import { ZettasimError } from "../core/errors.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Returns base with override applied. `namedLists` are keys whose arrays merge element-wise by `name`. */
export function mergeOverride(
  base: unknown,
  override: unknown,
  path: (string | number)[] = [],
  namedLists = ["tiers"],
): unknown {
  if (!isObj(base) || !isObj(override)) return override === undefined ? base : override;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (k === "extends") continue;
    const b = base[k];
    if (namedLists.includes(k) && Array.isArray(b) && Array.isArray(v)) {
      out[k] = mergeNamed(b, v, [...path, k]);
    } else if (isObj(b) && isObj(v)) {
      out[k] = mergeOverride(b, v, [...path, k], namedLists);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function mergeNamed(base: unknown[], over: unknown[], path: (string | number)[]): unknown[] {
  const out = base.slice();
  over.forEach((item, i) => {
    const name = isObj(item) ? item.name : undefined;
    if (typeof name !== "string") {
      throw new ZettasimError([
        {
          path: [...path, i, "name"],
          message: "an override of a named list needs a name",
          value: name,
          expected: `one of ${base.map((t) => (isObj(t) ? t.name : "?")).join(", ")}`,
        },
      ]);
    }
    const j = out.findIndex((t) => isObj(t) && t.name === name);
    if (j >= 0) out[j] = mergeOverride(out[j], item, [...path, i]);
    else out.push(item);
  });
  return out;
}
