// Engine lineage: which engine profile derives from which, the chain along which a chip family's per-engine figures reach an engine.
import { ZettasimError } from "../../core/errors.js";
import type { ServingEngine } from "./types.js";

/**
 * A profile derived from `base`: its fields with `fields` over them and `parent` set to `base.id`, so the engine
 * inherits the chip families' figures for `base` (`servingByEngine`, src/serving/efficiency.ts) unless a family says
 * otherwise for it. Every profile that starts from another one is built this way, so its lineage cannot be forgotten.
 */
export function deriveEngine(
  base: ServingEngine,
  fields: Partial<ServingEngine> & Pick<ServingEngine, "id" | "name" | "source">,
): ServingEngine {
  return { ...base, ...fields, parent: base.id };
}

/**
 * The ids of `engine` and its ancestors, most specific first (`engine.id`, its parent, the parent's parent, ...), each
 * ancestor looked up by id with `lookup`. An unknown parent or a parent chain that comes back to an id already in it
 * is a ZettasimError naming `path`. Cost O(depth).
 */
export function resolveLineage(
  engine: Pick<ServingEngine, "id" | "parent">,
  lookup: (id: string) => Pick<ServingEngine, "id" | "parent"> | undefined,
  path: (string | number)[] = ["serving", "engine"],
): readonly string[] {
  const chain = [engine.id];
  let parent = engine.parent;
  while (parent !== undefined) {
    if (chain.includes(parent))
      throw new ZettasimError([
        {
          path: [...path, "parent"],
          message: `expected an engine lineage without a cycle (${[...chain, parent].join(" -> ")})`,
          value: parent,
        },
      ]);
    const p = lookup(parent);
    if (p === undefined)
      throw new ZettasimError([
        {
          path: [...path, "parent"],
          message: `expected the id of a known serving engine as the parent of ${chain[chain.length - 1]}`,
          value: parent,
        },
      ]);
    chain.push(p.id);
    parent = p.parent;
  }
  return chain;
}
