// Host-device syncs of an eager MoE layer: how many its routed-expert path makes per forward (what one costs is `syncedPassTime` in overheads.ts).
import type { ExpertMlp, MoeDispatcher } from "./frameworks.js";
import { DISPATCH_HOST_SYNCS } from "./moe.js";

/**
 * Device-to-host syncs per MoE layer forward on the eager routed-expert path, count. The dispatcher's own (the
 * all-to-all dispatcher's split sizes, DeepEP's received counts: `DISPATCH_HOST_SYNCS`), or, with Transformer
 * Engine's per-expert GroupedLinear, the one its caller makes to hand it the split sizes as a Python list
 * (Megatron-Core's TEGroupedMLP.forward: `tokens_per_expert.tolist()`, whatever the dispatcher; with the all-to-all
 * dispatcher the counts are already on the host and it is the same sync). One grouped kernel (torch._grouped_mm,
 * TE's fused CuTe grouped MLP) reads the split sizes on the device: only the dispatcher's. None when a
 * full-iteration graph or a compiled step holds the expert path (no sync can happen inside a replay), and none when
 * the row counts are fixed on the host by a padded capacity (`rowsKnownOnHost`, moe-capacity.ts). Cost O(1).
 */
export function expertPathSyncs(
  dispatcher: MoeDispatcher,
  expertMlp: ExpertMlp,
  ep: number,
  graphsCoverExperts: boolean,
  rowsKnownOnHost = false,
): number {
  if (graphsCoverExperts || rowsKnownOnHost) return 0;
  const dispatch = ep > 1 ? DISPATCH_HOST_SYNCS[dispatcher] : 0;
  return Math.max(dispatch, expertMlp === "per-expert" ? 1 : 0);
}
