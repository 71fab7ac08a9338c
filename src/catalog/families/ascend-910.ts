// Ascend 910B/910C: training profile from Ascend kernel benchmarks (cube GEMM, FlashAttention, HCCL all-reduce/all-gather on a 910B server), serving from CloudMatrix-Infer's operator microbenchmarks.
import { ascend910cDieUbLink, lowLatencyCallFixedS } from "./ascend-deepep.js";
import { caseFitValue } from "./case-fit-values.js";
import { fitRecords } from "./fits.js";
import { HOPPER_TRAINING } from "./hopper.js";
import { DECIMAL_MEMORY } from "./memory.js";
import type { ChipFamily, GemmShape, KernelEfficiency, TrainingEfficiency } from "./types.js";

/** What scripts/fit/kernels-ascend.ts fits to the PTO GEMM rows on a 24-core A3 die (data/kernels/ascend-910b-published.json). */
const KERNEL_FIT: Record<string, number> = {
  "gemm.bf16.peakFraction": 0.858,
  "gemm.bf16.halfWorkMN": 1050000,
  "gemm.bf16.halfDepthK": 58.5,
  "gemm.bf16.fixedS": 5e-6,
};

/**
 * What scripts/fit/kernels-ascend-hccl.ts derives from HCCL all-reduce / all-gather algorithm bandwidths on 2, 4 and 8
 * NPUs of one 910B server (data/kernels/ascend-hccl-published.json): the geometric mean of each row's share of the
 * model's payload rate over the group's links of the HCCS full mesh (0.56-0.71 by row).
 */
const HCCL_FIT: Record<string, number> = { collective: 0.653 };

const cube = (peakFraction: number): GemmShape => ({
  peakFraction,
  halfWorkMN: 1050000,
  halfDepthK: HOPPER_TRAINING.gemm.bf16.halfDepthK,
  fixedS: 5e-6,
});
const CUBE_BF16 = 0.858;
const opScale = 0.75 / HOPPER_TRAINING.memory;

/**
 * Ascend 910B/910C (Da Vinci cube units, CANN/HCCL, MindSpeed).
 * - Cube GEMMs: fitted (scripts/fit/kernels-ascend.ts) to a hand-tiled PTO GEMM on a 24-core A3 die, fp16, m = k = n
 *   of 1,536-6,144 (186-308 TFLOP/s; pto-isa gemm_performance): 0.858 of the catalog's per-die peak for unbounded
 *   sizes, half busy at 1.05 M outputs, about one wave of 128 x 256 base blocks over the 24 cores (the 910B2's
 *   platform description: 24 cube cores of 16x16x16 at 1,800 MHz). Corroborated by the Ascend 910's 216 of 256
 *   TFLOPS fp16 (AIBench, 0.84). Hopper's tile prologue, ~5 us per CANN kernel on the device (A).
 * - Attention: FlashAttention on the 910B2 (pto-isa flash_atten demo, head 128): forward 85 TFLOPS at 1K
 *   keys to 190 at 8K normalised to 24 cores, i.e. S / (S + 1,750) saturation (the demo README's later rows fit
 *   1,220); forward + backward at 0.5 of the bf16 peak for long sequences, Hopper's forward/backward split (A).
 * - HCCL's achieved fraction of the payload rate, 0.653: derived (scripts/fit/kernels-ascend-hccl.ts) from HCCL
 *   all-reduce and all-gather through torch.distributed on 2, 4 and 8 NPUs of one 910B server (gameofdimension/
 *   limulidae: 8 NPUs all-reduce 72 GB/s algbw = 126 bus, all-gather 149 = 130 bus), against the catalog's 196 GB/s
 *   per direction over the group's links of the full mesh; corroborated by DeepEP-Ascend's all-to-all on 910C dies
 *   over UB (0.64-0.74 of 196 GB/s at EP 8). Taken for RoCE between servers and for the 910C's UB as well (A: no
 *   published HCCL figure for either). Rows: data/kernels/ascend-hccl-published.json. The cost of overlapping
 *   communication (MC2) is held at the NVIDIA prior 0.15 (A); what MC2 can hide is MindSpeed's to say: each TP
 *   collective only behind the matmul it is fused with (training/fused-tp-overlap.ts, mindspeed's tpOverlapScope); memory-bound kernels 0.75 of HBM (A) at Hopper's
 *   ratios, CANN op launch ~10 us (A). Rows: data/kernels/ascend-910b-published.json.
 * The 910C is two 910B-class dies in one package and takes the same profile. fp8/fp4: no such units.
 */
export const ASCEND_910_TRAINING: TrainingEfficiency = {
  gemm: { bf16: cube(CUBE_BF16), fp8: cube(0.9 * CUBE_BF16), fp4: cube(0.75 * CUBE_BF16) },
  groupedGemm: {
    bf16: { tokenPad: 128, fraction: 0.85 },
    fp8: { tokenPad: 128, fraction: 0.85 },
    fp4: { tokenPad: 128, fraction: 0.85 },
  },
  attention: { fused: { peakFraction: 0.5, halfSeq: 1750, forwardShare: 0.243 } },
  attentionScoreBytes: 0,
  memory: 0.75,
  memoryOps: Object.fromEntries(
    Object.entries(HOPPER_TRAINING.memoryOps).map(([k, v]) => [k, Math.min(1, v * opScale)]),
  ) as unknown as TrainingEfficiency["memoryOps"],
  collective: HCCL_FIT.collective,
  overlapCost: 0.15,
  launchS: { eager: 10e-6, graph: 2e-6, gemmEager: 10e-6 },
  source:
    "Ascend 910B/910C: cube GEMM fitted to pto-isa GEMM rows on an A3 die, pto-isa FlashAttention on 910B2, HCCL collective from all-reduce/all-gather bandwidths on a 910B server; the rest assumed (A)",
};

/**
 * Ascend 910B/910C serving profile, one 910C die as one rank. Kernel fractions from CloudMatrix-Infer's own
 * operator microbenchmarks on one die (arXiv 2506.12708, Sec. 5; data/kernels/ascend-910c-cloudmatrix-2025.json):
 * - dense GEMM: the int8 GEMM kernel reaches 0.774-0.827 of the int8 peak over DeepSeek-R1's shapes, compute-bound
 *   on each; the middle of the range, 0.80, is taken (P).
 * - attention: the fused MLA operator reaches 0.654 of the bf16 peak when compute-bound (FlashMLA on H800: 0.667)
 *   and 0.841 of HBM bandwidth when memory-bound (FlashMLA: 0.896); the latter is the streaming fraction (P).
 * - grouped (MoE expert) GEMM: no published kernel figure; fitted with xDeepServe's kernel count on
 *   CloudMatrix-Infer's DeepSeek-R1 prefill and decode figures (validation/serving-extra.json; src/validate/serving-fits.ts).
 * - kernel floor: 4.4 us, the device time of a near-zero-work AscendC kernel under graph replay on an A3 die (a
 *   vector-core paged-attention kernel at 1-128 KV tokens: 4.37-4.72 us; vllm-project/vllm-ascend PR 15526,
 *   CANN 9.0; data/kernels/ascend-fia-published.json), the smallest row rounded (P on the A3 die; the 910B taken
 *   alike, A). It was H200's 3.25 us, assumed alike. The CloudMatrix fits above reproduce unchanged with it.
 */
const serving: KernelEfficiency = {
  gemm: 0.8,
  groupedGemm: caseFitValue("families.ascend-910.serving.groupedGemm", 0.5),
  attentionCompute: 0.654,
  memory: 0.841,
  // The rest (but the kernel floor, above) as the 950 profile (ascend-950.ts), written out so neither module
  // imports the other's serving side.
  allToAll: 0.75,
  allToAllFixedS: 30e-6,
  weightStreaming: 0.8,
  kernelFloorS: 4.4e-6,
  launchEagerS: 10e-6,
  allReduceFixedS: 15e-6,
  overlapNormal: 0.5,
  overlapLowLatency: 0.5,
  source:
    "dense int8 GEMM, MLA attention and HBM streaming from CloudMatrix-Infer operator microbenchmarks on one 910C die (arXiv 2506.12708); grouped GEMM fitted on its DeepSeek-R1 serving figures",
};

// The 910C packages two 910B-class dies that software drives as two ranks: the catalog gives it
// `devicesPerPackage: 2`, and the serving model runs one rank per die (CloudMatrix-Infer runs EP320 on
// 160 packages), each with half the package's compute, HBM and links and its own attention and dense weights.

/**
 * The HBM fraction at which a W8A8 linear streams its int8 weights at decode under the engines that run torch_npu's
 * npu_quant_matmul (aclnn QuantBatchMatmul): SGLang's NPUW8A8Int8LinearMethod / NPUW8A8Int8DynamicLinearMethod
 * (python/sglang/srt/hardware_backend/npu/quantization/linear_method_npu.py) and vLLM-Ascend's w8a8 scheme. An
 * Ascend profiler trace of QwQ-32B decode at one sequence, TP 4 (vllm-project/vllm-ascend issue 4167, 2025-11-13,
 * vLLM-Ascend 0.11.0rc1) times the merged gate/up projection (5,120 x 13,824 per rank) at 110 us in BF16 (MatMulV2,
 * 'MTE2 bound') and 93 us in W8A8 (the int8 matmul kernel): half the bytes take 0.85 of the time, so int8 weights
 * stream at 0.591 of the BF16 rate. The family's BF16 figure (0.80, which the same trace's 1.29 TB/s reproduces on a
 * 1.6 TB/s 910B) times that ratio: 0.473 (P for that shape at M = 1; A for other shapes, batches of up to a few
 * hundred rows, and the 910C die). data/kernels/ascend-w8a8-decode-matmul-published.json; src/serving/int8-linear.ts.
 * CloudMatrix-Infer (xDeepServe) runs its own int8 GEMM and keeps `weightStreaming`.
 */
const ASCEND_W8A8_LINEAR_STREAMING = 0.473;

/**
 * Ascend 910B/910C figures under SGLang (servingByEngine.sglang): SGLang's Ascend attention backend
 * (hardware_backend/npu/attention/ascend_backend.py) runs CANN's FusedInferAttentionScore (FIA) for decode,
 * speculative verify and draft passes, whose device time under graph replay is 22.1 us at one KV token
 * (vllm-project/vllm-ascend PR 15526, A3 die, CANN 9.0; data/kernels/ascend-fia-published.json): its fixed cost per
 * call, charged per layer and forward pass for either cache form (`attentionCallFixedS`, P on the A3 die; the 910B's
 * FIA taken alike, A).
 * Its MoE all-to-all (`--moe-a2a-backend deepep`) runs DeepEP-Ascend, whose low-latency dispatch and combine are
 * published at 128 tokens per die (132/126 us at EP 8, 139/135 us at EP 16, INT8 dispatch, pure HCCS on an A3;
 * sgl-project/sgl-kernel-npu README): `allToAllFixedS` is the fixed part those rows leave under the model's form
 * (latency less the payload at allToAll x the die's UB link and the UB latency, averaged: 60.6 us;
 * ascend-deepep.ts `lowLatencyCallFixedS`), in place of the family's assumed 30 us. The ascend_fuseep backend (fused
 * dispatch, grouped GEMM and combine) is taken alike (A).
 * CloudMatrix-Infer (xDeepServe) runs its own fused MLA operator and all-to-all kernels and keeps the family's figures.
 */
const servingSglang: Partial<KernelEfficiency> = {
  attentionCallFixedS: { gqa: 22e-6, mla: 22e-6 },
  allToAllFixedS: lowLatencyCallFixedS(ascend910cDieUbLink(), serving.allToAll),
  int8LinearWeightStreaming: ASCEND_W8A8_LINEAR_STREAMING,
};

/**
 * Ascend 910B/910C figures under vLLM (vLLM-Ascend: the entry reaches `vllm-ascend-0.9` through its lineage): its
 * W8A8 linears run the same torch_npu npu_quant_matmul as SGLang's (vllm_ascend/quantization w8a8), at the same
 * int8 streaming rate.
 */
const servingVllm: Partial<KernelEfficiency> = {
  int8LinearWeightStreaming: ASCEND_W8A8_LINEAR_STREAMING,
};

export const ASCEND_910: ChipFamily = {
  id: "ascend-910",
  name: "Huawei Ascend 910 generation",
  memory: DECIMAL_MEMORY,
  training: ASCEND_910_TRAINING,
  serving,
  servingByEngine: { sglang: servingSglang, vllm: servingVllm },
  fits: [
    ...fitRecords(
      "families.ascend-910.training",
      "scripts/fit/kernels-ascend.ts",
      "least squares on log time over the compute-bound PTO GEMM rows on a 24-core A3 die (data/kernels/ascend-910b-published.json, pto_gemm), Hopper's prologue depth and 5 us per kernel held",
      KERNEL_FIT,
    ),
    ...fitRecords(
      "families.ascend-910.training",
      "scripts/fit/kernels-ascend-hccl.ts",
      "least squares on log time (geometric mean of row fractions) over HCCL all-reduce / all-gather algorithm bandwidths on 2, 4 and 8 NPUs of one 910B server (data/kernels/ascend-hccl-published.json, hccl_torch_910b) against src/training/comm.ts collectiveTime on an 8-NPU HCCS full mesh of 196 GB/s per direction, 1 GB messages",
      HCCL_FIT,
    ),
  ],
};
