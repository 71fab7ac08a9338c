// Rubin (Vera Rubin NVL144): not yet measured; training by analogy with Blackwell, serving generic (A).
import { BLACKWELL_TRAINING } from "./blackwell.js";
import { GENERIC_SERVING } from "./generic.js";
import { NVIDIA_RUBIN_MEMORY } from "./memory.js";
import type { ChipFamily, KernelEfficiency, TrainingEfficiency } from "./types.js";

/** Same software generation as Blackwell (Transformer Engine, cuDNN, NCCL): the Blackwell kernel profile (A). */
const training: TrainingEfficiency = BLACKWELL_TRAINING;

/** No Rubin serving data: the generic serving profile (A). */
const serving: KernelEfficiency = GENERIC_SERVING;

export const RUBIN: ChipFamily = {
  id: "rubin",
  name: "NVIDIA Rubin",
  xlaBackend: "gpu",
  memory: NVIDIA_RUBIN_MEMORY,
  training,
  serving,
  fits: [],
};
