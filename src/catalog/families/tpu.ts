// Google TPU (v4, v5p): training profile fitted on PaLM and MaxText rows; serving generic (A).
import { GENERIC_SERVING } from "./generic.js";
import type { ChipFamily, KernelEfficiency, TrainingEfficiency } from "./types.js";

/**
 * TPU v4/v5p (MXU systolic arrays, XLA fusion). gemm.bf16 fitted once, by grid search over gemm.bf16,
 * attention and collective, on the six TPU rows of the validation files: PaLM 540B on 6,144 TPU v4
 * (extra set) and five MaxText v5p rows, 64-512 chips, 32B-256B, one of them two slices over the
 * data-center network (training-ascend-tpu.json): all within 2.5%. The MaxText rows reach 66-71% MFU
 * with FSDP and 4-8-way tensor parallelism; that needs large matmuls at about 0.85 of the MXU peak,
 * where the earlier 0.8 (from PaLM's 57.8% HFU) left every v5p row 3-7% slow. attention 0.5 (Pallas
 * flash kernel) and collective 0.7 kept: the fit is flat in both (attention 0.4-0.6 and collective
 * 0.7-0.8 all stay within 4%). fp8 and fp4 are assumptions (A): v5p has int8, not fp8, matrix units.
 */
const training: TrainingEfficiency = {
  gemm: { bf16: 0.85, fp8: 0.7, fp4: 0.6 },
  gemmHalfDim: 128,
  attention: 0.5,
  attentionScoreBytes: 0,
  memory: 0.8,
  collective: 0.7,
  overlapCost: 0.15,
  source:
    "TPU: gemm.bf16 fitted once on PaLM 540B (6,144 TPU v4) and five MaxText TPU v5p rows (64-512 chips; training-ascend-tpu.json): all within 2.5%; attention and collective unchanged (fit flat there); fp8/fp4 assumed (A)",
};

/** No TPU serving case has been fitted: the generic serving profile (A). */
const serving: KernelEfficiency = GENERIC_SERVING;

export const TPU: ChipFamily = { id: "tpu", name: "Google TPU", training, serving };
