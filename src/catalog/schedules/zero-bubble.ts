// Zero-bubble pipeline (ZB-H1, Qi et al. 2023): backward split into input and weight gradients, weight work fills the bubble.
import { interleavedOrder } from "./interleaved-order.js";
import type { PipelineScheduleKind } from "./types.js";

export const ZERO_BUBBLE: PipelineScheduleKind = {
  id: "zero-bubble",
  name: "zero-bubble (ZB-H1)",
  matches: (n) => n.includes("zero") || n.startsWith("zb"),
  withVirtualStages: () => "zero-bubble",
  // What the deferred weight gradients cannot fill of the 1F1B bubble.
  bubbleS: (p, _vpp, _mean, sl) =>
    Math.max(0, (p - 1) * (sl.forwardS + sl.backwardInputS - sl.backwardWeightS)),
  searchVirtualStages: () => [1],
  inFlightMicroBatches: (m, p) => Math.min(m, p),
  weightCopies: 1,
  mirrorsStages: false,
  overlapsExpertCommByDefault: false,
  splitsBackward: true,
  chunks: () => 1,
  order: (stage, stages, micro) => interleavedOrder(stage, stages, micro, 1),
};
