// The topology-kind registry: every kind by name, its traits, its simulator template, and the reading of a file's topology word.
import { ZettasimError } from "../../core/errors.js";
import type { Topology, TopologyKind } from "../types.js";
import { FAT_TREE } from "./fat-tree.js";
import { FULL_MESH } from "./full-mesh.js";
import { ND_FULL_MESH } from "./nd-full-mesh.js";
import { RAIL_OPTIMIZED } from "./rail-optimized.js";
import { SWITCH } from "./switch.js";
import { TORUS } from "./torus.js";
import type { TopologyKindModule, TopologyTraits } from "./types.js";

export type {
  AstraSimBlock,
  LineSymmetry,
  LocalRoute,
  Multipath,
  TierNet,
  TierNetParams,
  TierShape,
  TopologyKindModule,
  TopologyProblem,
  TopologyTraits,
} from "./types.js";

const KINDS: Readonly<Record<TopologyKind, TopologyKindModule>> = {
  switch: SWITCH,
  "full-mesh": FULL_MESH,
  "nd-full-mesh": ND_FULL_MESH,
  torus: TORUS,
  "fat-tree": FAT_TREE,
  "rail-optimized": RAIL_OPTIMIZED,
};

/** The module of a topology kind. Cost O(1). */
export function topologyKind(kind: TopologyKind): TopologyKindModule {
  return KINDS[kind];
}

/** The properties a topology kind declares. Shared code asks these instead of switching on the kind. */
export function topologyTraits(kind: TopologyKind): TopologyTraits {
  const module = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (module === undefined)
    throw new ZettasimError([
      {
        path: ["kind"],
        message: "unknown topology kind",
        value: kind,
        expected: `one of ${Object.keys(KINDS).join(", ")}`,
      },
    ]);
  return module.traits;
}

/** Every topology kind with its one-line summary, for docs and listings. */
export function topologyKinds(): { kind: TopologyKind; summary: string }[] {
  return (Object.keys(KINDS) as TopologyKind[]).map((kind) => ({
    kind,
    summary: KINDS[kind].traits.summary,
  }));
}

/** The kind whose ASTRA-sim building block has this name (`Ring`, `FullyConnected`, `Switch`), or undefined. */
export function topologyFromAstraSim(block: string): TopologyKindModule | undefined {
  return Object.values(KINDS).find((k) => k.astraSim?.name === block);
}

/** ASTRA-sim building block names zettasim reads. */
export function astraSimBlocks(): string[] {
  return Object.values(KINDS)
    .flatMap((k) => (k.astraSim ? [k.astraSim.name] : []))
    .sort();
}

/** Kinds asked, in this order, whether a free-form word means them; the switch claims whatever is left. */
const WORD_ORDER: readonly TopologyKindModule[] = [TORUS, ND_FULL_MESH, FAT_TREE, RAIL_OPTIMIZED, SWITCH];

/**
 * The kind a validation file's free-form topology word means (`torus3d`, `clos`, `rail`...): a kind's own
 * name first, then the first kind that reads the word as its own. Cost O(kinds).
 */
export function topologyFromWord(word: unknown): Topology {
  const w = typeof word === "string" ? word.toLowerCase() : "switch";
  if (Object.hasOwn(KINDS, w)) return { kind: w as TopologyKind };
  for (const k of WORD_ORDER) if (k.readsWord(w)) return { kind: k.kind };
  return { kind: SWITCH.kind };
}
