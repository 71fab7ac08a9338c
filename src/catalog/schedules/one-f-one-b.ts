// 1F1B (PipeDream-Flush): warm-up forwards, one forward one backward, cool-down backwards; bubble (p - 1) stage times.
import { interleavedOrder } from "./interleaved-order.js";
import type { PipelineScheduleKind } from "./types.js";

export const ONE_F_ONE_B: PipelineScheduleKind = {
  id: "1f1b",
  name: "1F1B",
  matches: (n) => n.includes("1f1b") || n.includes("gpipe") || n.includes("pipedream") || n === "afab",
  // A 1F1B pipeline run with virtual stages is Megatron's interleaved schedule.
  withVirtualStages: (vpp) => (vpp > 1 ? "interleaved" : "1f1b"),
  // Fill and drain pass through every stage once.
  bubbleS: (p, _vpp, mean) => (p - 1) * (mean.forwardS + mean.backwardS),
  searchVirtualStages: () => [1],
  inFlightMicroBatches: (m, p) => Math.min(m, p),
  weightCopies: 1,
  mirrorsStages: false,
  overlapsExpertCommByDefault: false,
  splitsBackward: false,
  chunks: () => 1,
  order: (stage, stages, micro) => interleavedOrder(stage, stages, micro, 1),
};
