// Ascend 910B/910C: training profile fitted on MindSpeed-LLM rows, serving on CloudMatrix-Infer figures.
import type { ChipFamily, KernelEfficiency, TrainingEfficiency } from "./types.js";

/**
 * Ascend 910B/910C (Da Vinci cube units, CANN/HCCL, MindSpeed). Fitted once, by grid search over
 * gemm.bf16, attention, collective and overlapCost (gemmHalfDim held at 128, memory at 0.75), on the five
 * MindSpeed-LLM rows on Atlas 900 A2 PODc (8-32 Ascend 910B: Llama 2 7B/13B/70B, CodeLlama 34B,
 * Llama 3 8B; training-ascend-tpu.json): median 3.8%, max 8.8%. What the rows say:
 * - Large matmuls run near the cube peak: Llama 2 7B without tensor parallelism reaches 68% MFU against
 *   the catalog's 320 TFLOPS (the 910B bin in the PODc is not published; a higher bin would lower
 *   gemm.bf16 in proportion), so gemm.bf16 is 0.86 (times the size factor: about 0.78 on 4K-11K shapes).
 * - Tensor parallelism costs more than on Nvidia parts. Every 8-way TP row (sequence parallel with
 *   MC2, HCCL's fused matmul + all-gather/reduce-scatter, on the 8-NPU HCCS full mesh) sits 10-20% below
 *   the TP-free row in MFU, which a 0.15 overlap cost and NCCL's 0.8 bus-bandwidth fraction cannot give:
 *   with them, the TP-free row comes out 15% slow or the TP rows 10-20% fast, whatever gemm is. The fit
 *   puts HCCL's achieved fraction of the HCCS payload rate at 0.5 (about 93 of 196 GB/s per direction)
 *   and leaves half of the communication MC2 hides on the step (overlapCost 0.5: MC2 cuts each matmul
 *   into smaller pieces, and the transfers share the AI cores' HBM bandwidth).
 * - attention 0.3 of the cube peak, the FlashAttention-2 class of Hopper's fit: the Llama 3 8K row
 *   (marked [Test] by its publisher) wants less, the 4K rows do not constrain it.
 * Five rows for four parameters is a loose fit: the rows added after it (Qwen2 72B, Mixtral 8x7B with
 * context parallelism) are its held-out check (docs/training.md). The 910C is two 910B-class dies in one
 * package and takes the same profile. fp8/fp4 are unused (no such units) and set as for the 950.
 */
export const ASCEND_910_TRAINING: TrainingEfficiency = {
  gemm: { bf16: 0.86, fp8: 0.77, fp4: 0.65 },
  gemmHalfDim: 128,
  attention: 0.3,
  attentionScoreBytes: 0,
  memory: 0.75,
  collective: 0.5,
  overlapCost: 0.5,
  source:
    "Ascend 910B/910C: gemm.bf16, attention, collective, overlapCost fitted once on the 5 MindSpeed-LLM rows on Atlas 900 A2 PODc (8-32 NPUs; training-ascend-tpu.json): median 3.8%, max 8.8%",
};

/**
 * Ascend 910B/910C profile, fitted on CloudMatrix-Infer's published DeepSeek-R1 serving figures on
 * 910C (arXiv 2506.12708; validation/serving-extra.json: prefill 5,655 tokens/s per package at 4K
 * prompts, decode 49.4 ms TPOT at batch 96 per package with one MTP draft token) once each of the
 * 910C's two dies runs as its own rank: INT8 GEMM 0.5 and grouped GEMM 0.45 of the INT8 peak, MLA
 * attention 0.55 of the BF16 peak, the rest as the 950 profile. The memory-bound decode point
 * (batch 8, 14.9 ms TPOT) was not fitted and comes out within 1%.
 */
const serving: KernelEfficiency = {
  gemm: 0.75,
  groupedGemm: 0.35,
  attentionCompute: 0.55,
  // The rest as the 950 profile (ascend-950.ts), written out so neither module imports the other's serving side.
  memory: 0.85,
  allToAll: 0.75,
  allToAllFixedS: 30e-6,
  weightStreaming: 0.8,
  kernelFloorS: 3.25e-6,
  launchEagerS: 10e-6,
  allReduceFixedS: 15e-6,
  overlapNormal: 0.5,
  overlapLowLatency: 0.5,
  source: "fitted on CloudMatrix-Infer DeepSeek-R1 prefill and decode on CloudMatrix384 (arXiv 2506.12708)",
};

// The 910C packages two 910B-class dies that software drives as two ranks: the catalog gives it
// `devicesPerPackage: 2`, and the serving model runs one rank per die (CloudMatrix-Infer runs EP320 on
// 160 packages), each with half the package's compute, HBM and links and its own attention and dense weights.

export const ASCEND_910: ChipFamily = {
  id: "ascend-910",
  name: "Huawei Ascend 910 generation",
  training: ASCEND_910_TRAINING,
  serving,
};
