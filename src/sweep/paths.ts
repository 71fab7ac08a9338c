// Scenario field paths for sweep axes: parse `training.tp` or `system.tiers.superpod-ub.bandwidthGBps`, and set one
// on a scenario value without touching the original (copy on write along the path).
import type { InputIssue } from "../core/errors.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Keys whose value may be a catalog id: a field under one turns the id into `{extends: id}` first. */
const CATALOG_REFS = new Set(["system", "model", "chip"]);
/** Lists whose entries are picked by name (and that `extends` merges by name). */
const NAMED_LISTS = new Set(["tiers"]);
/** Record keys that would reach the prototype instead of a field. */
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

/** A field path that cannot be followed on a scenario; its message names the step. */
export class PathError extends Error {}

/** Splits a field path into keys; numeric segments index lists. */
export function parsePath(field: string): string[] {
  return field.split(".");
}

/** Checks a parsed path for keys that are never scenario fields; returns the issue or undefined. */
export function pathIssue(keys: string[], at: (string | number)[]): InputIssue | undefined {
  const bad = keys.find((k) => FORBIDDEN.has(k));
  return bad === undefined
    ? undefined
    : {
        path: at,
        message: `"${bad}" is not a scenario field`,
        value: keys.join("."),
        expected: "a field path",
      };
}

/**
 * Returns `root` with the field at `keys` set to `value`; objects and lists on the path are copied, the rest shared.
 * A catalog id met on the way (`system: gb200-nvl72`) becomes `{extends: id}`; a word inside a list picks the entry
 * whose `name` it is, or adds `{name}` under an `extends` (where lists merge by name). Throws PathError
 * when the path cannot be followed. Cost: O(path length + list lengths).
 */
export function setIn(root: Obj, keys: string[], value: unknown): Obj {
  const out: Obj = { ...root };
  let cur: Obj | unknown[] = out;
  let inExtends = "extends" in root;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const last = i === keys.length - 1;
    if (Array.isArray(cur)) {
      const list: unknown[] = cur;
      let j = /^\d+$/.test(key) ? Number(key) : list.findIndex((e) => isObj(e) && e.name === key);
      if (j < 0) {
        if (!inExtends) throw new PathError(`no entry named "${key}" in ${keys.slice(0, i).join(".")}`);
        list.push({ name: key });
        j = list.length - 1;
      } else if (j > list.length)
        throw new PathError(`index ${key} is past the end of ${keys.slice(0, i).join(".")}`);
      if (last) {
        list[j] = value;
        return out;
      }
      const next = copyStep(list[j], key, keys[i + 1]);
      list[j] = next;
      cur = next;
      continue;
    }
    if (last) {
      cur[key] = value;
      return out;
    }
    let next = cur[key];
    if (typeof next === "string" && CATALOG_REFS.has(key)) next = { extends: next };
    if (isObj(next) && "extends" in next) inExtends = true;
    const copied = copyStep(next, key, keys[i + 1]);
    cur[key] = copied;
    cur = copied;
  }
  return out;
}

/** A shallow copy of the value at one step of the path, or a fresh container when there is none. */
function copyStep(v: unknown, key: string, nextKey: string): Obj | unknown[] {
  if (Array.isArray(v)) return v.slice();
  if (isObj(v)) return { ...v };
  if (v === undefined) return NAMED_LISTS.has(key) || /^\d+$/.test(nextKey) ? [] : {};
  throw new PathError(`${key} is ${JSON.stringify(v)}, which has no field "${nextKey}"`);
}
