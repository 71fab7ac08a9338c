// MindIE (Huawei's serving engine on Ascend): graph-mode decode (TorchAir/aclgraph), host scheduling in series.
import type { ServingEngine } from "./types.js";

/**
 * MindIE on Ascend. Decode runs in graph mode (TorchAir; aclgraph captures and replays operator
 * tasks on the device, "reducing host scheduling overhead", per the TorchAir guide), so kernels pay
 * the device floor. Its Python/C++ scheduler is taken as in series with the device, 2 ms per step
 * and 10 us per sequence: assumed (A), no published breakdown.
 */
export const MINDIE: ServingEngine = {
  id: "mindie",
  name: "MindIE",
  hostStepS: 2e-3,
  hostPerSeqS: 10e-6,
  hostOverlap: false,
  decodeGraphs: true,
  graphMaxBatchPerRank: 256,
  kernelFactor: 1,
  draftHostS: 0.2e-3,
  // MindIE: tensor-parallel by default (A).
  defaultLayout: "tensor-parallel",
  source: "TorchAir/aclgraph docs (graph-mode decode on Ascend); host figures assumed (A)",
};
