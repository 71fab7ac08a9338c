// DualPipe (DeepSeek-V3 report, 3.2.1): both pipeline directions at once, two weight copies, expert all-to-all hidden.
import { interleavedOrder } from "./interleaved-order.js";
import type { PipelineScheduleKind } from "./types.js";

export const DUALPIPE: PipelineScheduleKind = {
  id: "dualpipe",
  name: "DualPipe",
  matches: (n) => n.includes("dualpipe"),
  withVirtualStages: () => "dualpipe",
  // DeepSeek-V3 Table 2: (p/2 - 1)(F&B + B - 3W) against 1F1B's (p - 1)(F + B).
  bubbleS: (p, _vpp, mean, sl) =>
    Math.max(0, (p / 2 - 1) * (mean.forwardS + mean.backwardS + sl.backwardInputS - 3 * sl.backwardWeightS)),
  inFlightMicroBatches: (m, p) => Math.min(m, p + 1),
  // Both directions pair stage i with p - 1 - i: an even number of stages.
  searchVirtualStages: (p) => (p % 2 === 0 ? [1] : []),
  weightCopies: 2,
  mirrorsStages: true,
  overlapsExpertCommByDefault: true,
  // Simulated like zero-bubble: the bidirectional order is not simulated (docs/simulator.md).
  splitsBackward: true,
  chunks: () => 1,
  order: (stage, stages, micro) => interleavedOrder(stage, stages, micro, 1),
};
