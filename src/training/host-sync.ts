// Host-device syncs of an eager MoE layer: how many its routed-expert path makes per forward, and what a sync costs a pass whose host and device otherwise run ahead of each other.
import type { ExpertMlp, MoeDispatcher } from "./frameworks.js";
import { DISPATCH_HOST_SYNCS } from "./moe.js";
import { HOST_SYNC_S, KERNELS_AFTER_SYNC } from "./overheads.js";

/**
 * Device-to-host syncs per MoE layer forward on the eager routed-expert path, count. The dispatcher's own (the
 * all-to-all dispatcher's split sizes, DeepEP's received counts: `DISPATCH_HOST_SYNCS`), or, with Transformer
 * Engine's per-expert GroupedLinear, the one its caller makes to hand it the split sizes as a Python list
 * (Megatron-Core's TEGroupedMLP.forward: `tokens_per_expert.tolist()`, whatever the dispatcher; with the all-to-all
 * dispatcher the counts are already on the host and it is the same sync). One grouped kernel (torch._grouped_mm,
 * TE's fused CuTe grouped MLP) reads the split sizes on the device: only the dispatcher's. None when a
 * full-iteration graph or a compiled step holds the expert path (no sync can happen inside a replay). Cost O(1).
 */
export function expertPathSyncs(
  dispatcher: MoeDispatcher,
  expertMlp: ExpertMlp,
  ep: number,
  graphsCoverExperts: boolean,
): number {
  if (graphsCoverExperts) return 0;
  const dispatch = ep > 1 ? DISPATCH_HOST_SYNCS[dispatcher] : 0;
  return Math.max(dispatch, expertMlp === "per-expert" ? 1 : 0);
}

/** Device and host time of one part of a pass, s. */
export interface PassPart {
  deviceS: number;
  hostS: number;
}

/**
 * Time of one pass over a layer, s, when the host launches `before` and then waits for the device (`syncs`
 * device-to-host round trips) before it can launch `after`. Without a sync the host runs ahead of the device and
 * the pass takes max(host, device) over the whole of it. A sync drains the device's queue, so the host's launches
 * after it no longer hide behind device work queued before it: each side of the sync is max(host, device) on its
 * own, plus the round trip and the few launches the device waits for once its queue is empty (`passTime`'s sync
 * cost). Never shorter than the unsynced pass; equal to it when a side is empty of device or of host work.
 * Cost O(1).
 */
export function syncedPassTime(before: PassPart, after: PassPart, syncs: number, launchS: number): number {
  if (syncs <= 0) return Math.max(before.deviceS + after.deviceS, before.hostS + after.hostS);
  return (
    Math.max(before.deviceS, before.hostS) +
    Math.max(after.deviceS, after.hostS) +
    syncs * (HOST_SYNC_S + KERNELS_AFTER_SYNC * launchS)
  );
}
