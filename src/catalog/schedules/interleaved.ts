// Interleaved 1F1B (Megatron-LM virtual pipeline, Narayanan et al. 2021): the bubble shrinks by the number of chunks per rank.
import { interleavedOrder } from "./interleaved-order.js";
import type { PipelineScheduleKind } from "./types.js";

export const INTERLEAVED: PipelineScheduleKind = {
  id: "interleaved",
  name: "interleaved 1F1B",
  matches: (n) => n.includes("interleav") || n.includes("virtual"),
  withVirtualStages: () => "interleaved",
  bubbleS: (p, vpp, mean) => ((p - 1) * (mean.forwardS + mean.backwardS)) / vpp,
  // Stage 0 holds p micro-batches of chunk 0 plus (p - 1) / p of a micro-batch per further chunk (Narayanan et al. 2021).
  searchVirtualStages: (_p, evenSplits) => evenSplits(),
  inFlightMicroBatches: (m, p, vpp) => (p > 1 ? Math.min(m, p) * (1 + (p - 1) / (p * vpp)) : Math.min(m, p)),
  weightCopies: 1,
  mirrorsStages: false,
  overlapsExpertCommByDefault: false,
  splitsBackward: false,
  chunks: (vpp, m, p) => (vpp > 1 && m % p === 0 ? vpp : 1),
  order: interleavedOrder,
};
