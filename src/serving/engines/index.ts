// The serving-engine registry: every engine a scenario or validation case can name, each answering from its own module.
import { ZettasimError } from "../../core/errors.js";
import { GENERIC_ENGINE } from "./generic.js";
import { HF_TRANSFORMERS } from "./hf-transformers.js";
import { resolveLineage } from "./lineage.js";
import { MINDIE } from "./mindie.js";
import { SGLANG } from "./sglang.js";
import { SGLANG_0_4_2 } from "./sglang-0.4.2.js";
import { SGLANG_JAX } from "./sglang-jax.js";
import { TRTLLM } from "./trtllm.js";
import { TRTLLM_0_8 } from "./trtllm-0.8.js";
import { TRTLLM_2023 } from "./trtllm-2023.js";
import { TRTLLM_PYTORCH_0_17 } from "./trtllm-pytorch-0.17.js";
import type { ServingEngine } from "./types.js";
import { VLLM } from "./vllm.js";
import { VLLM_0_10 } from "./vllm-0.10.js";
import { VLLM_ASCEND_0_9 } from "./vllm-ascend.js";
import { VLLM_V0 } from "./vllm-v0.js";
import { XDEEPSERVE } from "./xdeepserve.js";

export { deriveEngine } from "./lineage.js";
export type { ServingEngine } from "./types.js";

const ENGINES: Readonly<Record<string, ServingEngine>> = Object.freeze(
  Object.assign(
    Object.create(null),
    Object.fromEntries(
      [
        GENERIC_ENGINE,
        SGLANG,
        SGLANG_0_4_2,
        SGLANG_JAX,
        TRTLLM,
        TRTLLM_2023,
        TRTLLM_0_8,
        TRTLLM_PYTORCH_0_17,
        VLLM,
        VLLM_0_10,
        VLLM_V0,
        VLLM_ASCEND_0_9,
        MINDIE,
        XDEEPSERVE,
        HF_TRANSFORMERS,
      ].map((e) => [e.id, e]),
    ),
    // "other": an engine zettasim has no profile for; the generic one stands in.
    { other: GENERIC_ENGINE },
  ),
);

/** Ids a scenario or case may name. */
export const engineIds: readonly string[] = Object.keys(ENGINES);

/** The engine of an id (default generic), or a ZettasimError naming `path`. Cost O(1). */
export function servingEngine(
  id: string | undefined,
  path: (string | number)[] = ["serving", "engine"],
): ServingEngine {
  if (id === undefined) return GENERIC_ENGINE;
  const e = ENGINES[id];
  if (e === undefined)
    throw new ZettasimError([
      { path, message: `expected one of the serving engines ${engineIds.join(", ")}`, value: id },
    ]);
  return e;
}

/**
 * The ids of `engine` and the registered engines it derives from, most specific first (`resolveLineage`): the order in
 * which a chip family's per-engine figures apply to it, the last most general. An engine outside the registry (a
 * scenario's custom engine) may descend from registered ones. Unknown parents and cycles are ZettasimErrors naming
 * `path`. Cost O(depth).
 */
export function engineLineage(
  engine: Pick<ServingEngine, "id" | "parent">,
  path: (string | number)[] = ["serving", "engine"],
): readonly string[] {
  return resolveLineage(engine, (id) => ENGINES[id], path);
}

/** Layout fields a scenario or case may give; the rest are defaulted. */
export interface LayoutGiven {
  tp?: number;
  attentionDp?: number;
  ep?: number;
}

/**
 * The layout of an instance of `chips` chips: the engine's default (`defaultLayout`) when none of tp,
 * attentionDp and ep is given; otherwise tp 1, attentionDp = chips / tp and, for an MoE model, ep over the
 * instance, each where not given. The result may be inconsistent (checked by the cost model). Cost O(1).
 */
export function instanceLayout(
  engine: ServingEngine,
  chips: number,
  moe: boolean,
  given: LayoutGiven,
): { chips: number; tp: number; attentionDp: number; ep: number } {
  if (given.tp === undefined && given.attentionDp === undefined && given.ep === undefined) {
    return engine.defaultLayout === "tensor-parallel"
      ? { chips, tp: chips, attentionDp: 1, ep: 1 }
      : { chips, tp: 1, attentionDp: chips, ep: moe ? chips : 1 };
  }
  const tp = given.tp ?? 1;
  return {
    chips,
    tp,
    attentionDp: given.attentionDp ?? Math.max(1, Math.floor(chips / tp)),
    ep: given.ep ?? (moe ? chips : 1),
  };
}
