// Hopper (H100, H800, H200, H20): training profile from H200 kernel measurements, serving profile from published kernel benchmarks.

import { caseFitValue } from "./case-fit-values.js";
import { withheld, withheldAll } from "./engine-figures.js";
import { fitRecords, fp8LinearCallRecords, nvidiaServingRecords } from "./fits.js";
import { flashV1Shape } from "./flash-v1.js";
import { NVIDIA_HOPPER_MEMORY } from "./memory.js";
import {
  MLA_DECODE_BATCHES,
  MLA_DECODE_GRIDS_US,
  MLA_DECODE_STEPS,
} from "./mla-decode-aiconfigurator.data.js";
import { MLA_MODULE_H200_TRTLLM, MLA_MODULE_H200_VLLM } from "./mla-module-tables.js";
import { HOPPER_NCCL_ALLREDUCE } from "./nccl-allreduce-tables.js";
import type { PowerLimitCurve } from "./power-limit.js";
import {
  HOPPER_SGLANG_TP_ALLREDUCE,
  HOPPER_TRTLLM_TP_ALLREDUCE,
  HOPPER_VLLM_TP_ALLREDUCE,
} from "./tp-allreduce-tables.js";
import type {
  AttentionShape,
  ChipFamily,
  CrossNodeAllReducePoint,
  KernelEfficiency,
  TrainingEfficiency,
} from "./types.js";
import { VLLM_MOE_H200 } from "./vllm-moe-tables.js";

/** What scripts/fit/kernels-hopper.ts computes from the H200 measurements (data/kernels/h200-2026-11-30*.json). */
const KERNEL_FIT: Record<string, number> = {
  memory: 0.891,
  "gemm.bf16.peakFraction": 0.6844,
  "gemm.bf16.halfWorkMN": 180000,
  "gemm.bf16.halfDepthK": 58.5,
  "gemm.bf16.fixedS": 2.9e-6,
  "gemm.fp8.peakFraction": 0.6414,
  "gemm.fp8.halfWorkMN": 264000,
  "gemm.fp8.halfDepthK": 377,
  "gemm.fp8.fixedS": 2.51e-6,
  "groupedGemm.bf16.tokenPad": 60.9,
  "groupedGemm.bf16.fraction": 1,
  "groupedGemm.fp8.tokenPad": 160,
  "groupedGemm.fp8.fraction": 0.868,
  "attention.fused.peakFraction": 0.574,
  "attention.fused.halfSeq": 921,
  "attention.fused.forwardShare": 0.243,
  "attention.sdpa.peakFraction": 0.335,
  "attention.sdpa.halfSeq": 929,
  "attention.sdpa.forwardShare": 0.245,
  "memoryOps.norm": 0.559,
  "memoryOps.activation": 0.524,
  "memoryOps.cast": 0.684,
  "memoryOps.permute": 0.833,
  "memoryOps.unpermute": 0.114,
  "memoryOps.softmax": 0.222,
  "memoryOps.optimizer": 0.718,
  "launchS.eager": 5.57e-6,
  "launchS.graph": 1.1e-6,
  "launchS.gemmEager": 1.8e-5,
};

/**
 * H100/H800/H200 (Hopper), from kernel measurements on one H200 (700 W, torch 2.11, CUDA 13.0, cuBLAS and
 * cuDNN; data/kernels/h200-2026-11-30*.json, scripts in scripts/device/), fitted by scripts/fit/kernels-hopper.ts:
 * - GEMM: the shape model (kernels.ts) over a 316-point M x N x K grid per precision (CUDA-graph replays,
 *   device time), its asymptote pinned to the sustained runs: 670 TFLOPS bf16 at 8192^3 over 20 s (~1,470
 *   MHz, 685 W of 700) and 1,240 fp8 at 16384^3 over 15 s: long runs of large GEMMs hold these, not the
 *   boost-clock rates smaller shapes keep. Asymptotes 0.684 of 989 (bf16) and 0.641 of 1,979 (fp8, per-tensor
 *   scaled); RMS log error 10% and 9.2% over the grid. The H100 has the same SMs, clocks and power cap.
 * - Grouped expert GEMMs (torch._grouped_mm and row-scaled _scaled_grouped_mm) against tokens per expert:
 *   about 61 (bf16) and 160 (fp8) rows of padding per expert, at 1.0 and 0.87 of the dense rate.
 * - Attention: cuDNN fused causal attention forward + backward (what Transformer Engine runs) reaches
 *   0.57 of the bf16 peak x S / (S + 921): 300 TFLOPS at 1K, 550 at 32K; PyTorch's FlashAttention-2
 *   backend 0.335 x S / (S + 929). MLA head dims (192/128) measured ~410-420 at 4K, within the fit's spread.
 * - Memory-bound kernels (eager PyTorch) as fractions of 4.8 TB/s; fused AdamW 3.4-3.5 TB/s; kernel launch
 *   5.6 us eager, 1.1 us from a CUDA graph.
 * FP4 has no Hopper units (a precision check refuses it); its shape is the fp8 one. `collective` 0.8: NCCL
 * bus bandwidth over the payload rate for large messages (nccl-tests on DGX H100). `overlapCost` is fitted on
 * end-to-end runs (src/validate/case-fits.ts): no kernel benchmark measures it.
 */
/**
 * Host time per local expert and GEMM call of an eager per-expert grouped linear beyond the eager GEMM launch, s,
 * on an x86 host: the published nsys profile of Megatron-Core's MoE layer (Qwen3-30B-A3B, EP 8, one DGX B200,
 * yanring/Megatron-MoE-ModelZoo issue 7; data/kernels/moe-host-published.json,
 * megatron_moe_layer_forward_host_b200) has its expert range at 2.187 ms median for 16 local experts x 2 GEMM
 * calls, 68.3 us per call all-in; less the 18 us eager GEMM launch charged separately (launchS.gemmEager) leaves
 * 50.3 us (the grouped linear's split, allocations and quantisation bookkeeping, NVIDIA/TransformerEngine issue
 * 1499). Not fitted on any case. Blackwell and Ampere take it: it is the host's cost.
 */
export const EXPERT_GEMM_HOST_S = 2.187e-3 / 32 - 1.8e-5;

/**
 * Exponential time over MMA time per attention score of a fused BF16 forward at q/k plus v head dims 320 on Hopper:
 * FlashAttention-3 (Shah et al. 2024, arXiv 2407.08608, sec. 3.1) gives the H100 SXM5 989 TFLOPS of BF16 matmul
 * against 3.9 TFLOPS of special functions, so one exponential (1 / 3.9e12 s) against a score's 2 x 320 MMA FLOPs
 * (640 / 989e12 s): 989 / (3.9 x 640) = 0.396. With cuDNN's curve measured at head dim 128 it makes head dim 64 take
 * 1.33x per FLOP forward; the same paper's H100 forward figures give 1.34x (FlashAttention-3, 638 against 476 TFLOPS at
 * 4K) and 1.49x (cuDNN, 609 against 408) between head dims 128 and 64.
 */
export const HOPPER_EXP_PER_MMA_D320 = 989 / (3.9 * 640);

/**
 * A compiler-fused language-model cross-entropy, forward + backward, as a fraction of HBM bandwidth for the model's 24
 * bytes per logit (output-layer.ts): Liger-Kernel's published H100 benchmark table (linkedin/Liger-Kernel
 * benchmark/data/h100_all_benchmark_data.csv, liger 0.5.2, 2025-01-25, "NVIDIA H100 NVL", 3.9 TB/s) times
 * `torch.compile`d `CrossEntropyLoss` forward + backward over B 8 x T 2048 = 16,384 rows of fp32 logits: 21.24 ms at
 * V = 131,072, 10.70 ms at 65,536, 4.95 ms at 32,768, i.e. 16,384 x V x 24 B / t / 3.9 TB/s = 0.622, 0.618, 0.668;
 * the largest vocabulary's figure is taken. Inductor's fused reductions stand in for XLA's, which no published
 * measurement covers (A). The same table's eager PyTorch rows (32.55 ms at 131,072: 0.41) are also faster than
 * the `softmax` rate the eager loss is charged at; that is not changed here (docs/training.md, "Levanter (JAX) and
 * small models").
 */
export const HOPPER_CROSS_ENTROPY_FUSED = (16384 * 131072 * 24) / 21.24e-3 / 3.9e12;

/** PyTorch's FlashAttention-2 backend (SDPA) forward + backward on the H200 (scripts/fit/kernels-hopper.ts). */
const HOPPER_FA2: AttentionShape = { peakFraction: 0.335, halfSeq: 929, forwardShare: 0.245 };

export const HOPPER_TRAINING: TrainingEfficiency = {
  gemm: {
    bf16: { peakFraction: 0.6844, halfWorkMN: 180000, halfDepthK: 58.5, fixedS: 2.9e-6 },
    fp8: { peakFraction: 0.6414, halfWorkMN: 264000, halfDepthK: 377, fixedS: 2.51e-6 },
    fp4: { peakFraction: 0.6414, halfWorkMN: 264000, halfDepthK: 377, fixedS: 2.51e-6 },
  },
  groupedGemm: {
    bf16: { tokenPad: 60.9, fraction: 1 },
    fp8: { tokenPad: 160, fraction: 0.868 },
    fp4: { tokenPad: 160, fraction: 0.868 },
  },
  // cuDNN's curve was measured at head dim 128 (q/k + v = 256); other head dims scale by their exponential share.
  attention: {
    fused: {
      peakFraction: 0.574,
      halfSeq: 921,
      forwardShare: 0.243,
      expReferenceHeadDims: 256,
      expPerMmaD320: HOPPER_EXP_PER_MMA_D320,
    },
    sdpa: HOPPER_FA2,
    // FlashAttention-1-class kernels (LLM Foundry's Triton port): the FlashAttention-2 curve at half its rate.
    flashV1: flashV1Shape(HOPPER_FA2),
  },
  attentionScoreBytes: 0,
  memory: 0.891,
  memoryOps: {
    norm: 0.559,
    activation: 0.524,
    cast: 0.684,
    permute: 0.833,
    unpermute: 0.114,
    softmax: 0.222,
    optimizer: 0.718,
    crossEntropyFused: HOPPER_CROSS_ENTROPY_FUSED,
  },
  collective: 0.8,
  /**
   * One NCCL channel (CTA) at most 38.7 GB/s on Hopper inside one NVLink domain: NCCL's cost model
   * (NVIDIA/nccl src/graph/tuning.cc, perChMaxTreeBws, Hopper N1; its LL128 ring cap per channel is 36.7).
   */
  collectiveChannelBytesPerS: 38.7e9,
  overlapCost: caseFitValue("families.hopper.training.overlapCost", 0.15),
  expertGemmHostS: EXPERT_GEMM_HOST_S,
  launchS: { eager: 5.57e-6, graph: 1.1e-6, gemmEager: 1.8e-5 },
  source:
    "H200 kernel measurements (data/kernels/h200-2026-11-30*.json): GEMM shape model, grouped GEMMs, cuDNN and FA2 attention, memory-bound kernels and launch costs fitted by scripts/fit/kernels-hopper.ts",
};

/**
 * Hopper (H100/H800/H200) profile. Sources: DeepGEMM README (FP8 dense GEMM up to ~1,550 TFLOPS,
 * grouped MoE GEMM ~1,200-1,300 TFLOPS on H800 of 1,979 peak); FlashMLA (decode up to 3,000 GB/s
 * memory-bound, 0.90 of 3.35 TB/s; compute-bound 580 TFLOPS in its README, 66.7% of the H800 peak
 * as the AMLA paper, arXiv 2509.25224, measures its later version: 0.667 taken);
 * DeepEP README (low-latency kernels at EP 128-256 reach ~39-40 GB/s of the 50 GB/s CX7 NIC,
 * normal kernels 43-58 GB/s RDMA incl. NVLink forwarding; ~10 us fixed per call inside a node; a
 * low-latency call across nodes at least ~47 us, `lowLatencyScaleOutFloorS`).
 * Overlap: `overlapNormal` 0.5 reproduces SGLang's reported 27-35% prefill gain from two-batch
 * overlap (LMSYS 2025-05-05); `overlapLowLatency` 0.5 was fitted on DeepSeek's 144xH800 decode figure
 * (day-6 overview) once the all-to-all matched DeepEP's EP128 benchmark (587 us vs 561 us per layer
 * for 128 tokens): one value serves both kernel kinds.
 */
/**
 * DeepEP's published low-latency kernel latencies at EP16 over two H800 nodes with one 400 Gb/s CX7 NIC per GPU
 * (deepseek-ai/DeepEP, docs/legacy.md, "Low-latency kernels with pure RDMA": 128 tokens per rank, hidden
 * 7168, top-8, FP8 dispatch, BF16 combine): latency and the logical bandwidth it implies.
 */
export const DEEPEP_LL_EP16 = {
  dispatch: { latencyS: 118e-6, logicalBytesPerS: 63e9 },
  combine: { latencyS: 195e-6, logicalBytesPerS: 74e9 },
  nicBytesPerS: 50e9,
  /** Share of the copies that leave the node: peers on the other node of two (same-node peers go over NVLink P2P). */
  remoteShare: 8 / 16,
};

/**
 * The zero-token latency of one low-latency dispatch or combine across nodes, s: each published latency less
 * the time its cross-node bytes (latency x logical bandwidth x remote share) take at the NIC's line rate,
 * averaged over dispatch (44 us) and combine (51 us): 47 us. Independent small-token measurements on 2 x 8
 * GPUs with CX7 NICs at EP16 land either side (ROCm/mori PR 614, MI300X, 4 and 64 tokens per rank: zero-token
 * intercepts 34/54 us with that PR's kernels, 57/67 us without). O(1).
 */
export function lowLatencyScaleOutFloorS(t: typeof DEEPEP_LL_EP16 = DEEPEP_LL_EP16): number {
  const f = lowLatencyCallFloorsS(t);
  return (f.dispatchS + f.combineS) / 2;
}

/**
 * The zero-token latency of each kind of low-latency call across nodes, s: the published EP16 latency less its
 * cross-node bytes at line rate (dispatch 43.7 us, combine 50.7 us from DeepEP's H800 table). DeepEP publishes
 * only the 128-token point, so a call at another token count is this floor plus its cross-node bytes at the
 * NIC's line rate; that reproduces every EP16-EP256 row of the table within 5% but combine at EP128/256
 * (13%/8% low) (`mechanisms.test.ts`). The cost model charges the mean of the two per call (`2 x` per layer
 * is the same sum). O(1).
 */
export function lowLatencyCallFloorsS(t: typeof DEEPEP_LL_EP16 = DEEPEP_LL_EP16): {
  dispatchS: number;
  combineS: number;
} {
  const floor = (k: { latencyS: number; logicalBytesPerS: number }) =>
    k.latencyS - (k.latencyS * k.logicalBytesPerS * t.remoteShare) / t.nicBytesPerS;
  return { dispatchS: floor(t.dispatch), combineS: floor(t.combine) };
}

/**
 * Dense FP8 GEMM rate of per-tensor-scaled cuBLASLt kernels at prefill shapes on Hopper, over the FP8 peak: the median
 * of the 40 per-tensor FP8 rows of the H200 GEMM grid with M >= 2,048, N >= 1,024 and K >= 4,096 (torch._scaled_mm,
 * cuBLASLt of CUDA 13.0, CUDA-graph device time; data/kernels/h200-2026-11-30-b.json, gemm_grid): 0.611 (range
 * 0.530-0.669); the model-shaped rows of the same session (Llama 7B/70B, GPT-3 175B, DeepSeek shapes,
 * h200-2026-11-30.json gemm_fp8) give 0.595. Long FP8 GEMMs pull the H200 to its 700 W cap (about 1,290 MHz in the
 * sustained FP8 run), which these rates carry. H100 SXM: same die, SMs, clocks and power cap. The 2023 cuBLASLt
 * (CUDA 12.2) and TensorRT 9.1 kernels that TensorRT-LLM v0.5 ran are taken as no faster (A). Not fitted on any case.
 */
export const HOPPER_FP8_PER_TENSOR_GEMM = 0.611;

/**
 * The same per-tensor FP8 kernels at decode-sized M on Hopper, `{ rows: M, fraction of the FP8 peak }`: the median over the
 * six rows of each M with N and K >= 4,096 of the same H200 grid (torch._scaled_mm on cuBLASLt, CUDA 13.0, CUDA-graph
 * device time; data/kernels/h200-2026-11-30-b.json, gemm_grid): M 64 0.204 (range 0.145-0.235), 128 0.375
 * (0.251-0.451), 256 0.484 (0.394-0.574), 512 0.576 (0.526-0.647), 1,024 0.631 (0.555-0.664; capped at the
 * prefill-shape 0.611 where used). At M 64-128 these rows stream their weights at only 0.60-0.66 of HBM and at 256 are
 * at half the peak: part-empty tiles and few waves, not the roofline's compute or bandwidth limit. The 2023 libraries
 * are taken as no faster (A). Not fitted on any case.
 */
export const HOPPER_FP8_PER_TENSOR_GEMM_BY_ROWS: readonly { rows: number; fraction: number }[] = [
  { rows: 64, fraction: 0.204 },
  { rows: 128, fraction: 0.375 },
  { rows: 256, fraction: 0.484 },
  { rows: 512, fraction: 0.576 },
  { rows: 1024, fraction: 0.631 },
];

/**
 * torch._scaled_mm with row-wise scales on Hopper (torchao per-row FP8 checkpoints, src/serving/torchao-rowwise-fp8.ts),
 * over the FP8 peak: the per-tensor cuBLASLt rate measured at prefill shapes (HOPPER_FP8_PER_TENSOR_GEMM, 0.611). On
 * Hopper the op runs cuBLASLt's outer-vector-scaled kernels (CUDA 12.9 and later) or PyTorch's CUTLASS RowwiseScaledMM
 * kernel, and the two "perform very closely" on a 700 W H100 (pytorch/pytorch PR 157905, lw, 2025-07: the cuBLAS kernel
 * `nvjet_..._ovscale_TNT` against CUTLASS over the shape sweep of PR 134781); PR 134781's retuned CUTLASS row-wise
 * kernel holds 90-100% of the per-tensor cuBLAS rate on most shapes with fast accumulation (pytorch/pytorch issue
 * 147971), which torchao uses (Float8MMConfig default). Not fitted on any case.
 */
export const HOPPER_TORCH_ROWWISE_FP8_GEMM = HOPPER_FP8_PER_TENSOR_GEMM;

/**
 * NCCL's all-reduce when a tensor-parallel group spans nodes (src/serving/cross-node-allreduce.ts): 46.6 us per call on 16
 * H20 over two nodes of 8 (ConnectX-7 InfiniBand NDR per GPU, NCCL 2.21.5, CUDA 12.3, NVLSTree), the median of the
 * out-of-place rows at 4-512 B, which lie at 46.3-47.8 us (NVIDIA/nccl issue 1244, 2024-04-09;
 * data/kernels/nccl-allreduce-across-nodes-published.json). Stands for every Hopper chip and for RoCE at the same line
 * rate (A). No other node count or ranks per node is measured, so no other point is given.
 */
export const HOPPER_NCCL_ALLREDUCE_ACROSS_NODES: readonly CrossNodeAllReducePoint[] = [
  {
    nodes: 2,
    ranksPerNode: 8,
    fixedS: 46.6e-6,
    source: "nccl-tests all_reduce_perf on 2 x 8 H20, IB NDR, NCCL 2.21.5 (NVIDIA/nccl issue 1244)",
  },
];

const serving: KernelEfficiency = {
  gemm: 0.7,
  gemmFp8PerTensor: HOPPER_FP8_PER_TENSOR_GEMM,
  gemmFp8TorchRowwise: HOPPER_TORCH_ROWWISE_FP8_GEMM,
  gemmFp8PerTensorByRows: HOPPER_FP8_PER_TENSOR_GEMM_BY_ROWS,
  groupedGemm: 0.6,
  attentionCompute: 0.667,
  memory: 0.9,
  allToAll: 0.78,
  allToAllFixedS: 10e-6,
  allToAllScaleOutFixedS: lowLatencyScaleOutFloorS(),
  weightStreaming: 0.8,
  // Fused-MoE calls stream each further touched expert at 0.65 of HBM: the mean slope of the two published Hopper
  // tables, SGLang's default-config Triton FP8 kernel for Qwen3-235B TP 8 on H200 (0.543) and vLLM's default-config
  // Triton FP8 kernel for Qwen3-30B-A3B on H100 (0.766) (data/kernels/fused-moe-small-batch-published.json,
  // derivedLinearFits; each linear within 7%). The spread is the kernel configs' and chips' (A: one figure for both).
  groupedWeightStreaming: 0.65,
  kernelFloorS: 3.25e-6,
  // One BF16 linear call at one token row costs 4.21 us beyond its weight bytes: the median intercept of the
  // latency-over-bytes lines of aiconfigurator's SGLang 0.5.10, vLLM 0.19.0 and TensorRT-LLM 1.3.0rc10 BF16 GEMM tables
  // on H100 and H200 at M = 1, 2 MiB-2 GiB of weights (3.84-4.64 us; data/kernels/gemv-call-fixed-published.json).
  linearCallFixedS: 4.21e-6,
  launchEagerS: 5.6e-6,
  // One GQA/MHA decode-attention call (KV write + split-KV decode kernel) takes 10.33 us at KV reads under 2 MB: the median
  // of 1,872 rows of aiconfigurator's SGLang 0.5.10 table on H200 (FlashAttention-3 (fa3), CUDA-graph replay), three kernel floors
  // (data/kernels/decode-attention-aiconfigurator-2026.json; src/serving/decode-attention.ts). MLA calls: no figure here.
  attentionCallFixedS: { gqa: 10.33e-6 },
  // Block-scaled FP8 GEMM at decode M (Triton w8a8_block_fp8_matmul, one wave of tiles, K looped serially): 7.96 us +
  // 0.562 us per 128-wide K step, the least-squares line through five published Triton rows for DeepSeek shapes
  // (SGLang PRs 3893 (H200), 5207, 5820; data/kernels/block-fp8-gemm-decode-published.json, hopper_triton_decode).
  blockScaledGemmKLoop: { fixedS: 7.96e-6, perKStepS: 0.5623e-6 },
  // FP8 linears compute at least 64 token rows: Hopper's FP8 wgmma tile has 64 rows (PTX wgmma.mma_async m64nNk32), and
  // the H20-3e table of SGLang's DeepGEMM block-FP8 and CUTLASS per-tensor FP8 kernels takes the same time from 1 to 64
  // tokens, 2 x 64 x N x K FLOPs at a median 0.77 / 0.48 of the FP8 peak (aiconfigurator, SGLang 0.5.1.post1;
  // data/kernels/h20-gemm-aiconfigurator-2025.json). BF16 (cuBLAS) is not padded there: memory-bound at M 1-16. Binds
  // only on the H20 (296 TFLOP/s FP8 over 4.0 TB/s); on H100/H200 64 rows stay under the weight bytes. Other engines'
  // FP8 kernels on Hopper (cuBLASLt, vLLM's CUTLASS) are taken alike (A).
  gemmTileMinRows: { fp8: 64 },
  // SGLang's one-shot custom all-reduce replayed from a CUDA graph over 8 H200 at decode sizes (8K-32K bf16
  // elements): 5.2 / 5.6 / 6.4 us, median 5.6 us (aiconfigurator custom_allreduce_perf, SGLang 0.5.9), less the NVLink
  // tier's 0.5 us that every call adds: 5.1 us (was 8 us, an assumption). data/kernels/nccl-small-gather-published.json.
  allReduceFixedS: 5.1e-6,
  // NCCL ring all-gather / reduce-scatter at decode sizes on H200: 4.74 us + 1.237 us per peer, the line through the
  // medians of aiconfigurator's per-op table at 2, 4 and 8 GPUs (6.1 / 8.3 / 13.5 us);
  // data/kernels/nccl-small-gather-published.json.
  gatherScatter: { fixedS: 4.74e-6, perPeerS: 1.237e-6 },
  // NCCL's all-reduce at 512 B-128 KB on 2, 4 and 8 H200 (nccl-tests, aiconfigurator nccl_perf; 16.0 us on 8 GPUs at the
  // smallest message): what an all-reduce the engine's custom kernel refuses costs (custom-allreduce-fallback.ts).
  ncclAllReduceCall: HOPPER_NCCL_ALLREDUCE,
  // A TP group across nodes runs NCCL, not the engine's one-node custom kernel: 46.6 us on 16 H20 over two nodes.
  ncclAllReduceAcrossNodes: HOPPER_NCCL_ALLREDUCE_ACROSS_NODES,
  overlapNormal: 0.5,
  overlapLowLatency: caseFitValue("families.hopper.serving.overlapLowLatency", 0.5),
  source:
    "DeepGEMM, FlashMLA and DeepEP READMEs (H800 kernel benchmarks); overlap fitted on the public serving cases",
};

/**
 * Hopper figures under TensorRT-LLM (servingByEngine.trtllm, inherited by trtllm-pytorch-0.17): its fused MoE op (the torch flow's
 * CUTLASS kernels) by expert weight format, from NVIDIA's aiconfigurator table of TensorRT-LLM 1.2.0rc5 on H200 (DeepSeek
 * expert shape, EP8, balanced routing; data/kernels/trtllm-moe-aiconfigurator-2026.json, recomputed by
 * src/serving/grouped-moe.test.ts). Compute-bound (8K-16K tokens, 1-2K rows per local expert) the expert GEMMs reach
 * 0.722 of the BF16 peak but 0.467 of the FP8 peak with per-tensor scales and 0.276 with DeepSeek's 128 x 128 block
 * scales; each further touched expert streams at 0.80-0.85 of HBM (least squares over 1-1,024 tokens).
 */
export const HOPPER_TRTLLM_SERVING: Partial<KernelEfficiency> = {
  groupedGemmByFormat: { bf16: 0.722, fp8: 0.467, "fp8-block": 0.276 },
  groupedWeightStreamingByFormat: { bf16: 0.851, fp8: 0.82, "fp8-block": 0.804 },
  // TensorRT-LLM's AllReduce op (strategy AUTO: one-shot, two-shot or NCCL by size) as measured in 1.3.0rc20 on 8 H100s
  // (src/catalog/families/tp-allreduce-tables.ts): 35.5 us at 2 MB, where the ring formula gives 16.7 us.
  tpAllReduceCall: HOPPER_TRTLLM_TP_ALLREDUCE,
  // One FP8 linear call at one token row (src/serving/fp8-linear-call.ts): the medians over H100 and H200 of the
  // least-squares lines through aiconfigurator's TensorRT-LLM 1.3.0rc10 GEMM tables (torch flow, CUDA-graph replay,
  // M = 1, 2 MiB-2 GiB; data/kernels/fp8-call-fixed-published.json): per-tensor 13.34 / 13.75 us at 0.85 / 0.86 of
  // HBM less the dynamic activation-scale step the collector's rows include (5.95 / 5.97 us, the same release's
  // computescale table; aiconfigurator derives its static-FP8 figure the same way), since TensorRT-LLM's FP8 checkpoints
  // (ModelOpt) carry static input scales (A); block-scaled 10.22 / 10.80 us at 0.90 / 0.86. Taken for the 0.17
  // PyTorch backend too (A: the same torch-flow linear ops).
  fp8LinearCall: {
    perTensor: { fixedS: 7.58e-6, hbmFraction: 0.86 },
    blockScaled: { fixedS: 10.51e-6, hbmFraction: 0.88 },
  },
};

/**
 * Hopper figures under SGLang (servingByEngine.sglang): the MLA decode-attention call of SGLang's default MLA backend
 * for DeepSeek on the chip, fa3 (FlashAttention-3), as NVIDIA's aiconfigurator measured it in SGLang 0.5.10 on H200 (one
 * RadixAttention call in decode mode under CUDA-graph replay, by heads per rank, batch and KV length, BF16 and FP8 caches;
 * data/kernels/mla-decode-aiconfigurator-2026.json, src/serving/mla-decode-table.ts). At few heads per rank the call
 * reads the latent cache well below the HBM rate the roofline assumes (B200, 16 heads, BF16 cache: 45 us at 64
 * sequences of 2K where the roofline gives 20 us), so the attention core is charged at least the table's time beyond
 * the call's zero-KV latency; every Hopper chip has at most the H200's HBM bandwidth and tensor rate, so the H200 call is taken as a lower bound for H100, H800 and H20 too (A).
 */
export const HOPPER_SGLANG_SERVING: Partial<KernelEfficiency> = {
  mlaDecodeCall: { batches: MLA_DECODE_BATCHES, steps: MLA_DECODE_STEPS, grids: MLA_DECODE_GRIDS_US.h200 },
  // Block-scaled FP8 linears through SGLang's JIT DeepGEMM path (per-token-group quantisation + gemm_nt_f8f8bf16), not
  // SGLang 0.4's Triton kernel that the family's figure stands for: 4.22 us + 0.1196 us per 128-wide K step, the
  // least-squares line through aiconfigurator's SGLang 0.5.6.post2 H100 table at N 128-256, m 1-8 (residuals under
  // 0.25 us; the H200 table gives 3.68 + 0.1235), quantisation kernel included (an upper bound on the GEMM call).
  // data/kernels/block-fp8-gemm-decode-published.json, hopper_sglang_deepgemm_aiconfigurator.
  blockScaledGemmKLoop: { fixedS: 4.22e-6, perKStepS: 0.1196e-6 },
  // SGLang's custom all-reduce as measured in 0.5.10 on 8 H100s (src/catalog/families/tp-allreduce-tables.ts): 21.0 us at
  // 2 MB, where the ring formula gives 16.7 us; at decode's small sizes the formula's 5.1 us fixed part already matches it.
  tpAllReduceCall: HOPPER_SGLANG_TP_ALLREDUCE,
  // One FP8 linear call at one token row (src/serving/fp8-linear-call.ts): the medians over H100 and H200 of the
  // least-squares lines through aiconfigurator's SGLang 0.5.10 GEMM tables (CUDA-graph replay, M = 1, 2 MiB-2 GiB;
  // data/kernels/fp8-call-fixed-published.json): per-tensor 10.24 / 11.30 us at 0.80 / 0.75 of HBM, block-scaled
  // 13.51 / 15.45 us at 0.81 / 0.71. Taken for the 0.4-0.5 releases the cases ran (A).
  fp8LinearCall: {
    perTensor: { fixedS: 10.77e-6, hbmFraction: 0.78 },
    blockScaled: { fixedS: 14.48e-6, hbmFraction: 0.76 },
  },
};

/**
 * Hopper figures under vLLM (V1 and its V0 predecessor): vLLM's custom all-reduce as measured in 0.19.0 on 8 H100s
 * (src/catalog/families/tp-allreduce-tables.ts; 19.4 us at 2 MB). The kernel (one-shot and two-shot custom all-reduce
 * over IPC buffers) is older than V1; the 0.19 rows are taken for earlier releases too (A).
 */
export const HOPPER_VLLM_SERVING: Partial<KernelEfficiency> = {
  tpAllReduceCall: HOPPER_VLLM_TP_ALLREDUCE,
  // One FP8 linear call at one token row (src/serving/fp8-linear-call.ts): the medians over H100 and H200 of the
  // least-squares lines through aiconfigurator's vLLM 0.19.0 GEMM tables (CUDA-graph replay, M = 1, 2 MiB-2 GiB;
  // data/kernels/fp8-call-fixed-published.json): per-tensor 6.69 / 7.40 us at 0.88 / 0.90 of HBM. Taken for the V0 and
  // 0.10 releases too (A), as the all-reduce is. No block-scaled line: the collector ran vLLM's block-FP8 rows without
  // CUDA graphs (collector/vllm/collect_gemm.py), so their 25-26 us intercepts hold eager launch time.
  fp8LinearCall: { perTensor: { fixedS: 7.04e-6, hbmFraction: 0.89 } },
};

/**
 * TensorRT-LLM's PyTorch backend after 0.17 fuses the residual add + RMSNorm after each TP all-reduce into its one-shot
 * all-reduce kernel for DeepSeek's MoE layers (modeling_deepseekv3.py: `PRE_MOE_FUSION` / `POST_MOE_FUSION` = eager
 * fusion on (TRTLLM_DEEPSEEK_EAGER_FUSION_DISABLED unset) and `mapping.has_tp()` and not attention DP; tech blog 1's
 * min-latency table: "Fuse oneshotAR + RMSNorm", 164 -> 168 tokens/s/user on 8 B200). Its Llama layers fuse only above
 * hidden 4,096 (modeling_llama.py `enable_fusion &= config.hidden_size > 4096`), which "moe" leaves out
 * (src/serving/allreduce-norm-fusion.ts). The early 0.17 backend (`trtllm-pytorch-0.17`) keeps the unfused count.
 */
export const HOPPER_TRTLLM_FUSED_SERVING: Partial<KernelEfficiency> = {
  ...HOPPER_TRTLLM_SERVING,
  allReduceNormFusion: "moe",
};

/**
 * Hopper's tensor throughput under a power limit: MLPerf Inference v4.0's two NVIDIA submissions of one DGX H100
 * (8 x H100-SXM, rated 700 W), MaxP at the default limit and MaxQ whose configuration classes set only `power_limit`
 * per benchmark (data/kernels/power-limit-throughput-published.json, hopper_mlperf_maxq). Each point is, at one cap,
 * the lowest MaxQ/MaxP offline throughput ratio among the workloads run there (the most compute-bound one; a
 * workload's ratio bounds its tensor-unit fraction from above, since its memory-bound and host time do not slow):
 * ResNet-50 at 300 W 473,737 / 703,770 = 0.673, RetinaNet at 350 W 10,105.9 / 14,194.4 = 0.712 (SDXL 0.735, Llama 2
 * 70B 0.805 at the same cap), BERT-99 at 400 W 53,726.9 / 70,116.2 = 0.766, BERT-99.9 at 450 W 50,998.9 / 62,182.5 =
 * 0.820. Between 450 W and the rating the curve is the chord: 0.856 at torchtitan's 500 W (Meta's BF16 cuBLAS GEMM at
 * 500 W, FBGEMM PR 2546, sits at 0.74-0.83 of the 700 W rates published elsewhere: consistent, the points being upper
 * bounds). Workload-level, not a single-GEMM sweep (none was found), and TensorRT's INT8/FP8/FP16 kernels, not BF16
 * training GEMMs (A for the precision). Taken for H200 (same die and rating) as well. Not fitted on any case.
 */
export const HOPPER_POWER_LIMIT: PowerLimitCurve = {
  points: [
    { powerFraction: 300 / 700, throughputFraction: 473737 / 703770 },
    { powerFraction: 350 / 700, throughputFraction: 10105.9 / 14194.4 },
    { powerFraction: 400 / 700, throughputFraction: 53726.9 / 70116.2 },
    { powerFraction: 450 / 700, throughputFraction: 50998.9 / 62182.5 },
    { powerFraction: 1, throughputFraction: 1 },
  ],
  source:
    "MLPerf Inference v4.0 DGX H100 MaxQ vs MaxP offline throughput (mlcommons/inference_results_v4.0, NVIDIA closed): lowest ratio per cap, ResNet-50 300 W, RetinaNet 350 W, BERT-99 400 W, BERT-99.9 450 W",
};

// vLLM 0.19.0's whole fused-MoE layer call as NVIDIA's aiconfigurator measured it on H200 SXM (FusedMoE forward from
// router logits: top-k, the routed experts' kernels of the backend vLLM picks for the format on the chip, the combine;
// 14 model shapes at BF16, FP8, block-scaled FP8 and MXFP4/NVFP4, expert TP x EP up to 8, powers of two from 1 to 4,096 tokens, balanced
// routing, CUDA-graph replay; data/kernels/vllm-moe-aiconfigurator-2026.json, src/serving/fused-moe-table.ts): each MoE
// layer's routed experts cost at least this under `vllm` (e.g. MiniMax-M2.5's block-FP8 experts at EP 8 on H200: 42 us
// at one token, 92 us at 16). Withheld from `vllm-0.10` and `vllm-v0` (below). Every Hopper chip has at most the H200's HBM bandwidth and tensor rate, so the H200 table stands as a lower bound for H100, H800 and H20 too (A).
/**
 * The engine's whole MLA attention module in decode as NVIDIA's aiconfigurator measured it on H200 SXM (vLLM 0.19.0 DeepseekV2MLAAttention, TensorRT-LLM 1.3.0rc10 MLA module; one module
 * forward of DeepSeek-V3's shape at heads per rank 8-128, BF16 or block-scaled FP8 projections, under CUDA-graph
 * replay; data/kernels/mla-module-aiconfigurator-2026.json, src/serving/mla-module-table.ts): each MLA layer of a decode
 * step costs at least this (vLLM's module on H200 takes 94-104 us at 4 sequences of 1-8K tokens and 16 heads).
 * Attached only to the engine profile of the measured release line (the derived releases' entries in `servingByEngine` below withhold it): vLLM 0.19.0 to `vllm` (the V1 engine from 0.11 with full CUDA-graph decode; not `vllm-0.10` or `vllm-v0`), TensorRT-LLM 1.3.0rc10 to `trtllm` (the PyTorch backend with graphs and the overlap scheduler; not `trtllm-pytorch-0.17`). Every Hopper chip has at most the H200's HBM bandwidth and tensor rate, so the H200 module stands as a lower bound for H100, H800 and H20 too (A).
 */
const HOPPER_VLLM_V1_SERVING: Partial<KernelEfficiency> = {
  ...HOPPER_VLLM_SERVING,
  mlaDecodeModule: MLA_MODULE_H200_VLLM,
  fusedMoeCall: VLLM_MOE_H200,
};
const HOPPER_TRTLLM_MODULE_SERVING: Partial<KernelEfficiency> = {
  ...HOPPER_TRTLLM_FUSED_SERVING,
  mlaDecodeModule: MLA_MODULE_H200_TRTLLM,
};

export const HOPPER: ChipFamily = {
  id: "hopper",
  name: "NVIDIA Hopper",
  xlaBackend: "gpu",
  memory: NVIDIA_HOPPER_MEMORY,
  training: HOPPER_TRAINING,
  serving,
  powerLimit: HOPPER_POWER_LIMIT,
  // Each entry reaches the engines derived from its engine (vllm-0.10, vllm-v0 and vllm-ascend-0.9 from vllm;
  // trtllm-pytorch-0.17 and trtllm-2023, then trtllm-0.8, from trtllm) unless withheld below for a release that does
  // not run the measured kernels (src/serving/efficiency.ts merges the lineage).
  servingByEngine: {
    trtllm: HOPPER_TRTLLM_MODULE_SERVING,
    // The first PyTorch-backend release: the torch-flow MoE, all-reduce and FP8 call figures (A), but neither the
    // all-reduce + RMSNorm fusion (tech blog 1, after 0.17) nor the 1.3.0rc10 MLA module.
    "trtllm-pytorch-0.17": withheld("allReduceNormFusion", "mlaDecodeModule"),
    // The 2023-2024 TensorRT backend (GptSession, TensorRT matmuls and plugins) runs none of the torch-flow kernels
    // the trtllm figures were measured on (1.2.0rc5 MoE, 1.3.0 all-reduce, GEMM and MLA tables): the family's own.
    "trtllm-2023": withheldAll(HOPPER_TRTLLM_MODULE_SERVING),
    sglang: HOPPER_SGLANG_SERVING,
    vllm: HOPPER_VLLM_V1_SERVING,
    // The MLA module was measured on vLLM 0.19's V1 engine with full decode graphs: not the piecewise 0.8-0.10 V1
    // releases or V0 (the all-reduce and FP8 call lines are taken for them, A).
    // Nor the fused-MoE layer table: which MoE kernels and configurations the 0.8-0.10 releases and V0 ran (gpt-oss's
    // MXFP4 experts first ran in 0.10.1) is not measured, and 0.19's backend choice is not theirs to assume.
    "vllm-0.10": withheld("mlaDecodeModule", "fusedMoeCall"),
    "vllm-v0": withheld("mlaDecodeModule", "fusedMoeCall"),
  },
  fits: [
    ...fitRecords(
      "families.hopper.training",
      "scripts/fit/kernels-hopper.ts",
      "least squares on log time over the H200 kernel measurements (Nelder-Mead; grouped GEMMs L1)",
      KERNEL_FIT,
    ),
    ...nvidiaServingRecords("hopper", serving, HOPPER_TRTLLM_SERVING),
    ...fitRecords(
      "families.hopper.serving",
      "scripts/fit/kernels-fp8-gemm.ts",
      "medians of the per-tensor FP8 rows' rate over the H200 FP8 peak in the H200 GEMM grid (data/kernels/h200-2026-11-30-b.json, gemm_grid): prefill shapes (M >= 2,048, N >= 1,024, K >= 4,096), and each decode-sized M with N, K >= 4,096",
      Object.fromEntries([
        ["gemmFp8PerTensor", HOPPER_FP8_PER_TENSOR_GEMM],
        ...HOPPER_FP8_PER_TENSOR_GEMM_BY_ROWS.map((r, i) => [
          `gemmFp8PerTensorByRows.${i}.fraction`,
          r.fraction,
        ]),
      ]),
    ),
    ...fp8LinearCallRecords("hopper", {
      trtllm: HOPPER_TRTLLM_SERVING,
      sglang: HOPPER_SGLANG_SERVING,
      vllm: HOPPER_VLLM_SERVING,
    }),
    ...fitRecords(
      "families.hopper",
      "scripts/fit/kernels-block-fp8.ts",
      "least-squares line of call time on 128-wide K steps through the published block-scaled FP8 decode rows (data/kernels/block-fp8-gemm-decode-published.json): Hopper's Triton rows (hopper_triton_decode) for the family, aiconfigurator's H100 DeepGEMM rows (hopper_sglang_deepgemm_aiconfigurator) under SGLang",
      {
        "serving.blockScaledGemmKLoop.fixedS": serving.blockScaledGemmKLoop?.fixedS as number,
        "serving.blockScaledGemmKLoop.perKStepS": serving.blockScaledGemmKLoop?.perKStepS as number,
        "servingByEngine.sglang.blockScaledGemmKLoop.fixedS": HOPPER_SGLANG_SERVING.blockScaledGemmKLoop
          ?.fixedS as number,
        "servingByEngine.sglang.blockScaledGemmKLoop.perKStepS": HOPPER_SGLANG_SERVING.blockScaledGemmKLoop
          ?.perKStepS as number,
      },
    ),
  ],
};
