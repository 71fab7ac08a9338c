// Blackwell (B200, GB200, GB300): training profile from published Blackwell kernel benchmarks, serving profile fitted on SGLang GB200 figures.

import { caseFitValue } from "./case-fit-values.js";
import { withheld, withheldAll } from "./engine-figures.js";
import { fitRecords, fp8LinearCallRecords, nvidiaServingRecords } from "./fits.js";
import { EXPERT_GEMM_HOST_S, lowLatencyScaleOutFloorS } from "./hopper.js";
import { NVIDIA_BLACKWELL_MEMORY } from "./memory.js";
import {
  MLA_DECODE_BATCHES,
  MLA_DECODE_GRIDS_US,
  MLA_DECODE_STEPS,
} from "./mla-decode-aiconfigurator.data.js";
import { MLA_MODULE_B200_TRTLLM, MLA_MODULE_B200_VLLM } from "./mla-module-tables.js";
import { BLACKWELL_NCCL_ALLREDUCE } from "./nccl-allreduce-tables.js";
import type { PowerLimitCurve } from "./power-limit.js";
import type { ChipFamily, KernelEfficiency, TrainingEfficiency } from "./types.js";
import { VLLM_MOE_B200 } from "./vllm-moe-tables.js";

/** What scripts/fit/kernels-blackwell.ts derives from the published Blackwell kernel benchmarks and the Hopper fit. */
const KERNEL_FIT: Record<string, number> = {
  "gemm.bf16.halfWorkMN": 676000,
  "gemm.bf16.halfDepthK": 58.5,
  "gemm.bf16.fixedS": 5.6e-6,
  "gemm.bf16.peakFraction": 0.6394,
  "gemm.fp8.halfWorkMN": 923000,
  "gemm.fp8.halfDepthK": 377,
  "gemm.fp8.fixedS": 5.32e-6,
  "gemm.fp8.peakFraction": 0.6714,
  "gemm.fp4.halfWorkMN": 923000,
  "gemm.fp4.halfDepthK": 377,
  "gemm.fp4.fixedS": 5.32e-6,
  "gemm.fp4.peakFraction": 0.5147,
  "groupedGemm.bf16.fraction": 1,
  "groupedGemm.fp8.fraction": 0.868,
  "groupedGemm.fp4.fraction": 0.868,
  "groupedGemm.bf16.tokenPad": 122,
  "groupedGemm.fp8.tokenPad": 320,
  "groupedGemm.fp4.tokenPad": 320,
  memory: 0.84,
  "memoryOps.norm": 0.527,
  "memoryOps.activation": 0.494,
  "memoryOps.cast": 0.645,
  "memoryOps.permute": 0.785,
  "memoryOps.unpermute": 0.107,
  "memoryOps.softmax": 0.209,
  "memoryOps.optimizer": 0.677,
};

/**
 * NCCL's all-to-all inside a GB200 NVL72 rack at EP 32, as a fraction of the 900 GB/s NVLink5 payload rate: NVIDIA's
 * nsys timeline of one DeepSeek-V3 layer forward on 256 GB200 (Megatron-LM docs/discussions/deepseek-v3-gb200-
 * optimization/images/image1.png, commit eb0783b6d3, the write-up's baseline: MXFP8, TP 1, EP 32, one 4,096-token
 * micro-batch, top-8 of 256 experts, hidden 7,168, bf16 dispatch, Megatron's `alltoall` dispatcher over NCCL) shows
 * the dispatch and the combine `ncclDevKernel` each 63 pixels long on a ruler of 54.2 pixels per ms (labels every
 * 2 ms, 108.45 pixels apart): 1.16 ms for the 455 MB a rank sends to its 31 peers (4,096 x 8 x 7,168 x 2 B x 31/32),
 * 392 GB/s = 0.44 of 900 GB/s, against the 0.8 (`collective`) taken from all-reduce bus bandwidth. A kernel's
 * duration includes waiting for its slowest peer, so this bounds the rate from below; the same write-up (sec.
 * 2.2.1) says that DeepEP at about 400 GB/s dispatch and 190 GB/s combine at EP 32 "did not get the communication
 * benefits" over it, which puts NCCL's rate at most about there. Read off the figure, not fitted on any case
 * (docs/training.md, "MoE training misses, session 15"). Applied to more than 8 ranks in one NVLink domain: the
 * measured point is EP 32; EP 16 and 64 take it unmeasured.
 */
export const NCCL_ALLTOALL_WIDE_NVLINK_GB200 = (4096 * 8 * 7168 * 2 * 31) / 32 / (63 / 54.2e3) / 900e9;

/**
 * B200/GB200/GB300 (Blackwell), from published kernel-level figures (scripts/fit/kernels-blackwell.ts):
 * - GEMM level: maximum achievable (burst, boost-clock) matmul TFLOPS of S. Bekman's ml-engineering table (B200
 *   1,771 bf16 / 3,435 fp8, GB200 1,822 / 3,616, B300 1,769 / 3,353), each chip against its own datasheet peak
 *   (B300's 2,250 / 4,500), reduced to sustained clocks by B200's own measured ratio: its maximum sustainable matmul
 *   rate (MSMF, soaked at ~990 W of 1,000, ~1,335 MHz of 1,965) over its burst in the same run, 0.79 for both
 *   precisions once shapes are accounted for (data/kernels/sustained-gemm-clocks-published.json): 0.64 of the bf16
 *   and 0.67 of the fp8 peak for unbounded shapes. GB200 (1,200 W) and GB300 (1,400 W) have no published sustained
 *   rate: they are taken to settle in B200's proportion (A), so the power ceiling is not modelled per chip.
 *   FP4: cuBLAS 12.9 block-scaled FP4 at up to 2.3x the FP8 rate on the 3x-FP4 Blackwell Ultra (NVIDIA blog).
 * - GEMM shape: 3x Hopper's output per kernel to fill the SMs (2-SM 256-wide tiles) and ~5 us of fixed device
 *   time, fitted on 15 shapes per precision of XLA's sm_100 matmul performance table (RMS 3.7% and 5%).
 * - Grouped expert GEMMs: Hopper's measured fraction of the dense rate (Transformer Engine's grouped GEMMs are
 *   cuBLAS kernels like the dense ones); rows padded to 2-SM tiles (twice Hopper's padding, A). torchao's
 *   prototype MXFP8 kernels on B200 reach 0.62 of the dense model (a lower bound the NeMo MoE rows exceed).
 * - Attention: cuDNN on B200 reaches the same fraction of the bf16 peak as on H200 (FlashAttention-4, arXiv
 *   2603.05451: 1,605 TFLOPS forward = 71%, 1.1-1.3x cuDNN 9.13, i.e. cuDNN ~59% forward as on H200): the
 *   Hopper curve, at head dim 128. Blackwell's attention waits on its softmax exponentials (one per score, NVIDIA's
 *   Blackwell Ultra measurement, kernels.ts), so other head dims run at the curve scaled by their exponential share
 *   (`expReferenceHeadDims` 256: head dim 64 takes 1.40x per FLOP, MLA's 192 + 128 0.92x). Memory-bound: 6.72 of 8 TB/s for an fp16 add (NVIDIA/cccl pull request 7391); kernel kinds
 *   keep their Hopper ratio to it. Launch costs and collective efficiency as Hopper (same CUDA, NCCL); the
 *   overlap cost is fitted on end-to-end NVIDIA runs (src/validate/case-fits.ts).
 */

export const BLACKWELL_TRAINING: TrainingEfficiency = {
  gemm: {
    bf16: { peakFraction: 0.6394, halfWorkMN: 676000, halfDepthK: 58.5, fixedS: 5.6e-6 },
    fp8: { peakFraction: 0.6714, halfWorkMN: 923000, halfDepthK: 377, fixedS: 5.32e-6 },
    fp4: { peakFraction: 0.5147, halfWorkMN: 923000, halfDepthK: 377, fixedS: 5.32e-6 },
  },
  groupedGemm: {
    bf16: { tokenPad: 122, fraction: 1 },
    fp8: { tokenPad: 320, fraction: 0.868 },
    fp4: { tokenPad: 320, fraction: 0.868 },
  },
  // The curve is cuDNN's at head dim 128 (q/k + v = 256); other head dims scale by their exponential share.
  attention: {
    fused: { peakFraction: 0.574, halfSeq: 921, forwardShare: 0.243, expReferenceHeadDims: 256 },
  },
  attentionScoreBytes: 0,
  memory: 0.84,
  memoryOps: {
    norm: 0.527,
    activation: 0.494,
    cast: 0.645,
    permute: 0.785,
    unpermute: 0.107,
    softmax: 0.209,
    optimizer: 0.677,
  },
  collective: 0.8,
  /**
   * One NCCL channel (CTA) at most 77.4 GB/s on Blackwell inside one NVLink domain: NCCL's cost model
   * (NVIDIA/nccl src/graph/tuning.cc, perChMaxTreeBws, Blackwell N1 = 2 x Hopper's 38.7; LL128 ring 2 x 36.7).
   */
  collectiveChannelBytesPerS: 77.4e9,
  allToAllWideNvlink: NCCL_ALLTOALL_WIDE_NVLINK_GB200,
  overlapCost: caseFitValue("families.blackwell.training.overlapCost", 0.15),
  expertGemmHostS: EXPERT_GEMM_HOST_S,
  launchS: { eager: 5.57e-6, graph: 1.1e-6, gemmEager: 1.8e-5 },
  source:
    "Blackwell: MAMF/MSMF tables (ml-engineering), XLA sm_100 matmul table, torchao MXFP8 MoE kernels, FlashAttention-4 paper, CCCL B200 stream benchmark; scripts/fit/kernels-blackwell.ts",
};

/**
 * Blackwell (B200, GB200, GB300) profile, fitted on SGLang's DeepSeek-R1 runs on GB200 NVL72 (LMSYS
 * Part II, validation/serving-extra.json: prefill 18,471 / 26,156 and decode 9,087 / 13,386 tokens/s
 * per GPU at FP8 / NVFP4). GEMM fractions as the generic profile (0.6 dense, 0.5 grouped of the FP8 or
 * FP4 peak); MLA decode attention a fitted share (serving-fits.data.ts) of the BF16 (or FP8 with an FP8 cache) peak, about the absolute
 * rate of Hopper's FlashMLA: Blackwell MLA kernels of mid-2025 had not caught up with the doubled
 * tensor peak; expert all-to-all a fitted share of NVLink5's 900 GB/s per direction (DeepEP over multi-node
 * NVLink copies with a limited share of SMs). No B200 kernel benchmark pins these separately (A).
 */
/**
 * torch._scaled_mm with row-wise scales on Blackwell (torchao per-row FP8 checkpoints, src/serving/torchao-rowwise-fp8.ts),
 * over the FP8 peak: measured, 0.573. On SM100 the op has only PyTorch's CUTLASS RowwiseScaledMM kernel (cuBLASLt's
 * outer-vector scaling is SM90-only: NVIDIA/CUDALibrarySamples issue 270, pytorch/pytorch PR 160693). pytorch/helion PR
 * 2987 times it on one B200 beside vLLM's CUTLASS scaled_mm (CUDA graphs, cold L2; data/kernels/
 * torch-rowwise-fp8-b200-published.json): at 4,096 cubed, the one compute-bound shape of the table, 53.29 us, i.e.
 * 2 x 4,096^3 / 53.29 us = 2,579 TFLOP/s = 0.573 of 4,500 (vLLM's kernel 49.65 us, 0.615, beside the family's 0.6
 * `gemm`). The table's other shapes (M = 1-512, K <= 2,048 at M = 512) are per-call latency of 6-30 us, not a rate of
 * the peak, and are not read as one; there torch takes 0.93-1.53x vLLM's time. Caveats: the run's torch is a 2026
 * nightly and its power limit is unstated; the holdout rows ran torch 2.9.0, whose SM100 kernel is the same template
 * (A). Not fitted on any case; it replaces the BF16-rate stand-in 0.3 (0.6 x 2,250 / 4,500) of s11-prefill.
 */
export const BLACKWELL_TORCH_ROWWISE_FP8_GEMM = (2 * 4096 ** 3) / 53.29e-6 / 4.5e15;

/**
 * torchao's NVFP4 linear on B200 against BF16, by the side of a square problem: the observed end-to-end speedup
 * (`b_fp8_e2e_spdp`) of a torch.compile'd `ReLU -> Linear` with NVFP4DynamicActivationNVFP4WeightConfig(
 * use_dynamic_per_tensor_scale=True) over the BF16 one, benchmarks/float8/float8_inference_roofline.py --recipe_name
 * nvfp4, as published in pytorch/ao docs/source/workflows/inference.md by PR 4030 (6d859491e, 2026-03-10; torch
 * 2.12.0.dev20260218+cu130, torchao 0.17.0+git3075bb624): 0.28, 0.52, 0.90, 1.41, 2.14 at 1,024-16,384 cubed. That run
 * quantises activations with torchao's Triton NVFP4 kernel (the config's default), as the torchao vLLM recipe of the
 * holdout (i) cases does (`use_triton_kernel=True`); three days later PR 4031 (5c0c81487) switched the workflow to
 * mslk's to_nvfp4 kernel and the table was re-run at 0.46-2.77 (torch 2.12.0.dev20260312), later than those cases'
 * torchao. Taken for GB200 and GB300 as well (A). Not fitted on any case.
 */
export const BLACKWELL_TORCHAO_NVFP4_SPEEDUP_BY_CUBE: readonly { side: number; speedup: number }[] = [
  { side: 1024, speedup: 0.28 },
  { side: 2048, speedup: 0.52 },
  { side: 4096, speedup: 0.9 },
  { side: 8192, speedup: 1.41 },
  { side: 16384, speedup: 2.14 },
];

const serving: KernelEfficiency = {
  gemm: 0.6,
  gemmFp8TorchRowwise: BLACKWELL_TORCH_ROWWISE_FP8_GEMM,
  torchaoNvfp4SpeedupByCube: BLACKWELL_TORCHAO_NVFP4_SPEEDUP_BY_CUBE,
  groupedGemm: 0.5,
  attentionCompute: caseFitValue("families.blackwell.serving.attentionCompute", 0.5),
  memory: 0.85,
  allToAll: caseFitValue("families.blackwell.serving.allToAll", 0.7),
  allToAllFixedS: 30e-6,
  // A decode all-to-all that leaves the NVLink domain (B200 8-GPU nodes, EP past 72 on GB200) runs DeepEP's
  // low-latency kernels over the same 400 Gb/s InfiniBand NICs as Hopper: the zero-token floor measured on H800
  // + CX7 (47 us) is taken (A); DeepEP issue #576 (2026-01) finds B200 no faster than H100 there. Over EFA with a
  // CPU proxy (UCCL-EP on p6-b200) the floor is about 160 us (data/kernels/ep-low-latency-scaleout.json).
  allToAllScaleOutFixedS: lowLatencyScaleOutFloorS(),
  weightStreaming: 0.8,
  // Fused-MoE calls stream each further touched expert at 0.74 of HBM: the slopes of the two published B200
  // tables, SGLang's tuned Triton FP8 kernel for DeepSeek-R1 TP 8 (0.737, 1-24 tokens) and vLLM's default-config
  // Triton BF16 kernel for Qwen3-30B-A3B (0.744, 1-4 tokens), averaged (data/kernels/fused-moe-small-batch-published.json,
  // derivedLinearFits; both linear within 6%).
  groupedWeightStreaming: 0.74,
  kernelFloorS: 3.25e-6,
  // One BF16 linear call at one token row costs 4.84 us beyond its weight bytes: the median intercept of the
  // latency-over-bytes lines of aiconfigurator's SGLang 0.5.10, vLLM 0.19.0 and TensorRT-LLM 1.3.0rc10 BF16 GEMM tables
  // on B200 at M = 1, 2 MiB-2 GiB of weights (4.57-4.93 us; data/kernels/gemv-call-fixed-published.json).
  linearCallFixedS: 4.84e-6,
  launchEagerS: 5.6e-6,
  // One GQA/MHA decode-attention call (KV write + split-KV decode kernel) takes 10.39 us at KV reads under 2 MB: the median
  // of 1,872 rows of aiconfigurator's SGLang 0.5.10 table on B200 (TRT-LLM-gen (trtllm_mha), CUDA-graph replay), three kernel floors
  // (data/kernels/decode-attention-aiconfigurator-2026.json; src/serving/decode-attention.ts). MLA calls: no figure here.
  attentionCallFixedS: { gqa: 10.39e-6 },
  allReduceFixedS: 8e-6,
  // NCCL ring all-gather / reduce-scatter at decode sizes on B200 (NCCL 2.27.5): 8.38 us + 1.394 us per peer, the line
  // through the medians of aiconfigurator's per-op table at 2, 4 and 8 GPUs (9.8 / 12.6 / 18.1 us); two decode traces
  // time the 8-GPU all-gather at ~20 us (vLLM PR 55021, SGLang PR 32551). data/kernels/nccl-small-gather-published.json.
  gatherScatter: { fixedS: 8.38e-6, perPeerS: 1.394e-6 },
  // NCCL 2.27.5's all-reduce at 512 B-128 KB on 2, 4 and 8 B200 (nccl-tests, aiconfigurator nccl_perf; 15.2 us on 4 GPUs
  // and 25.5 us on 8 at the smallest message): what an all-reduce the engine's custom kernel refuses costs
  // (custom-allreduce-fallback.ts).
  ncclAllReduceCall: BLACKWELL_NCCL_ALLREDUCE,
  // Shortest fused-MoE call at one token (routing, input quantisation, both grouped GEMMs, activation, finalize;
  // cold L2, median of 100): FlashInfer's DeepSeek MoE benchmark on one B300 (SM103), TRT-LLM-gen kernels,
  // H 7168, I 2048, 256 experts top-8, EP8 (flashinfer-ai/flashinfer PR 5301, 'Inference per-tensor', repeat 1;
  // data/kernels/fused-moe-small-batch-published.json). FP8 is the MXFP8 arm (the nearest published to
  // DeepSeek's 128-block FP8); SGLang's Triton FP8 kernel on B200 takes 52.65 us at one token (same file).
  fusedMoeMinS: { fp4: 26.08e-6, fp8: 40.88e-6, bf16: 50.05e-6 },
  overlapNormal: 0.5,
  overlapLowLatency: 0.5,
  source: "fitted on SGLang DeepSeek-R1 prefill and decode on GB200 NVL72 (LMSYS, 2025), assumption (A)",
};

/**
 * Blackwell figures under TensorRT-LLM (servingByEngine.trtllm, inherited by trtllm-pytorch-0.17): its fused MoE op (the default
 * CUTLASS backend) by expert weight format, from NVIDIA's aiconfigurator table of TensorRT-LLM 1.2.0rc5 on B200 (DeepSeek
 * expert shape, EP8, balanced routing; data/kernels/trtllm-moe-aiconfigurator-2026.json, recomputed by
 * src/serving/grouped-moe.test.ts). Compute-bound the expert GEMMs reach 0.743 of the BF16 peak, 0.360 of the FP8 peak
 * and 0.153 of the NVFP4 peak (about 1.4-1.7 PFLOP/s whatever the format); each further touched expert streams at 0.82
 * (BF16) and 0.77 (FP8) of HBM but 0.38 at NVFP4 (about 8 us per expert at FP8 and NVFP4 alike: the call is not bound
 * by the NVFP4 bytes). TensorRT-LLM's other MoE backend (TRTLLM-gen, `moe_config.backend: TRTLLM`) is not tabulated.
 */
export const BLACKWELL_TRTLLM_SERVING: Partial<KernelEfficiency> = {
  groupedGemmByFormat: { bf16: 0.743, fp8: 0.36, fp4: 0.153 },
  groupedWeightStreamingByFormat: { bf16: 0.823, fp8: 0.771, fp4: 0.378 },
  // One FP8 linear call at one token row (src/serving/fp8-linear-call.ts): the least-squares lines through
  // aiconfigurator's TensorRT-LLM 1.3.0rc10 B200 GEMM table (CUDA-graph replay, M = 1, 2 MiB-2 GiB; torch flow per-tensor,
  // DeepGEMM block-scaled; data/kernels/fp8-call-fixed-published.json): per-tensor 15.42 us less the dynamic
  // activation-scale step its rows include (7.13 us; static input scales assumed, as on Hopper (A)), block-scaled
  // 13.94 us. Taken for the 0.17 PyTorch backend too (A).
  fp8LinearCall: {
    perTensor: { fixedS: 8.29e-6, hbmFraction: 0.8 },
    blockScaled: { fixedS: 13.94e-6, hbmFraction: 0.79 },
  },
};

/**
 * Blackwell figures under SGLang (servingByEngine.sglang): the MLA decode-attention call of SGLang's default MLA backend
 * for DeepSeek on the chip, trtllm_mla (the TRT-LLM-gen kernel through FlashInfer), as NVIDIA's aiconfigurator measured it in SGLang 0.5.10 on B200 (one
 * RadixAttention call in decode mode under CUDA-graph replay, by heads per rank, batch and KV length, BF16 and FP8 caches;
 * data/kernels/mla-decode-aiconfigurator-2026.json, src/serving/mla-decode-table.ts). At few heads per rank the call
 * reads the latent cache well below the HBM rate the roofline assumes (B200, 16 heads, BF16 cache: 45 us at 64
 * sequences of 2K where the roofline gives 20 us), so the attention core is charged at least the table's time beyond
 * the call's zero-KV latency; taken for GB200 and GB300 as well (same HBM3e rate; A).
 */
export const BLACKWELL_SGLANG_SERVING: Partial<KernelEfficiency> = {
  mlaDecodeCall: { batches: MLA_DECODE_BATCHES, steps: MLA_DECODE_STEPS, grids: MLA_DECODE_GRIDS_US.b200 },
  // SGLang on SM100 folds the residual add + RMSNorm after each TP all-reduce into FlashInfer's TRT-LLM all-reduce
  // fusion kernel for its MoE architectures: ServerArgs auto-enables `enable_flashinfer_allreduce_fusion` on SM100
  // for DeepseekV3ForCausalLM (Kimi K2 included) and GptOssForCausalLM (both by SGLang PR 12724, 2025-11-06, which
  // limited it to one node) and for Qwen3MoeForCausalLM and Glm4MoeForCausalLM in the model list of later releases,
  // always with no DP attention (PRs 12724, 22664, 28786); dense architectures are not in the list. PR 7621 (B200,
  // DeepSeek-R1 FP4, TP 8, batch 1): all-reduce + add-RMSNorm 13.5 us -> fused 8.7 us. src/serving/allreduce-norm-fusion.ts.
  allReduceNormFusion: "moe",
  // One FP8 linear call at one token row (src/serving/fp8-linear-call.ts): the least-squares lines through
  // aiconfigurator's SGLang 0.5.10 B200 GEMM table (CUDA-graph replay, M = 1, 2 MiB-2 GiB;
  // data/kernels/fp8-call-fixed-published.json); the block-scaled calls stream at only 0.42 of HBM at M = 1.
  fp8LinearCall: {
    perTensor: { fixedS: 9.84e-6, hbmFraction: 0.71 },
    blockScaled: { fixedS: 30.67e-6, hbmFraction: 0.42 },
  },
};

/**
 * Blackwell figures under vLLM (every vLLM engine id): one per-tensor FP8 linear call at one token row
 * (src/serving/fp8-linear-call.ts), the least-squares line through aiconfigurator's vLLM 0.19.0 B200 GEMM table
 * (CUDA-graph replay, M = 1, 2 MiB-2 GiB; data/kernels/fp8-call-fixed-published.json), taken for earlier releases (A).
 * The table has no block-scaled row at M = 1 (its rows start at M = 8, collected without CUDA graphs), so block-scaled
 * calls get no line.
 */
export const BLACKWELL_VLLM_SERVING: Partial<KernelEfficiency> = {
  fp8LinearCall: { perTensor: { fixedS: 9.72e-6, hbmFraction: 0.6 } },
};

/**
 * TensorRT-LLM's PyTorch backend after 0.17 fuses the residual add + RMSNorm after each TP all-reduce into its one-shot
 * all-reduce kernel for DeepSeek's MoE layers (modeling_deepseekv3.py: `PRE_MOE_FUSION` / `POST_MOE_FUSION` = eager
 * fusion on (TRTLLM_DEEPSEEK_EAGER_FUSION_DISABLED unset) and `mapping.has_tp()` and not attention DP; tech blog 1's
 * min-latency table: "Fuse oneshotAR + RMSNorm", 164 -> 168 tokens/s/user on 8 B200). Its Llama layers fuse only above
 * hidden 4,096 (modeling_llama.py `enable_fusion &= config.hidden_size > 4096`), which "moe" leaves out
 * (src/serving/allreduce-norm-fusion.ts). The early 0.17 backend (`trtllm-pytorch-0.17`) keeps the unfused count.
 */
export const BLACKWELL_TRTLLM_FUSED_SERVING: Partial<KernelEfficiency> = {
  ...BLACKWELL_TRTLLM_SERVING,
  allReduceNormFusion: "moe",
};

/**
 * Blackwell's tensor throughput under a power limit: one measured point below the rating, a GB300 (rated 1,400 W)
 * capped at 500 W runs a cuBLAS GEMM benchmark at ~617 TFLOPS against ~1,600-2,174 at 1,400 W
 * (facebookexperimental/triton pull request 2023, denoise.sh; data/kernels/power-limit-throughput-published.json):
 * 500 / 1,400 = 0.357 of the rating at 617 / sqrt(1,600 x 2,174) = 0.331 of the throughput (0.284-0.386 over the
 * stated range). Between that point and the rating the curve is the chord (power-limit.ts).
 */
export const BLACKWELL_POWER_LIMIT: PowerLimitCurve = {
  points: [
    { powerFraction: 500 / 1400, throughputFraction: 617 / Math.sqrt(1600 * 2174) },
    { powerFraction: 1, throughputFraction: 1 },
  ],
  source:
    "GB300 cuBLAS GEMM, SM clock locked at 2,070 MHz, 500 W cap ~617 TFLOPS vs 1,400 W ~1,600-2,174 TFLOPS (facebookexperimental/triton PR 2023)",
};

// vLLM 0.19.0's whole fused-MoE layer call as NVIDIA's aiconfigurator measured it on B200 SXM (FusedMoE forward from
// router logits: top-k, the routed experts' kernels of the backend vLLM picks for the format on the chip, the combine;
// 14 model shapes at BF16, FP8, block-scaled FP8 and MXFP4/NVFP4, expert TP x EP up to 8, powers of two from 1 to 4,096 tokens, balanced
// routing, CUDA-graph replay; data/kernels/vllm-moe-aiconfigurator-2026.json, src/serving/fused-moe-table.ts): each MoE
// layer's routed experts cost at least this under `vllm` (e.g. MiniMax-M2.5's block-FP8 experts at EP 8 on H200: 42 us
// at one token, 92 us at 16). Withheld from `vllm-0.10` and `vllm-v0` (below). GB200, B300 and GB300 take the B200 table (same generation, HBM bandwidth and dense rates within a few per cent, A).
/**
 * The engine's whole MLA attention module in decode as NVIDIA's aiconfigurator measured it on B200 SXM (vLLM 0.19.0 DeepseekV2MLAAttention, TensorRT-LLM 1.3.0rc10 MLA module, the latter with a BF16 KV cache only; one module
 * forward of DeepSeek-V3's shape at heads per rank 8-128, BF16 or block-scaled FP8 projections or NVFP4, under CUDA-graph
 * replay; data/kernels/mla-module-aiconfigurator-2026.json, src/serving/mla-module-table.ts): each MLA layer of a decode
 * step costs at least this (vLLM's module on H200 takes 94-104 us at 4 sequences of 1-8K tokens and 16 heads).
 * Attached only to the engine profile of the measured release line (the derived releases' entries in `servingByEngine` below withhold it): vLLM 0.19.0 to `vllm` (the V1 engine from 0.11), TensorRT-LLM 1.3.0rc10 to `trtllm` (not `trtllm-pytorch-0.17`). Blackwell chips other than B200 (GB200, B300, GB300) take the B200 module: same generation, HBM bandwidth and dense BF16/FP8 rate within a few per cent (A).
 */
const BLACKWELL_VLLM_V1_SERVING: Partial<KernelEfficiency> = {
  ...BLACKWELL_VLLM_SERVING,
  mlaDecodeModule: MLA_MODULE_B200_VLLM,
  fusedMoeCall: VLLM_MOE_B200,
};
const BLACKWELL_TRTLLM_MODULE_SERVING: Partial<KernelEfficiency> = {
  ...BLACKWELL_TRTLLM_FUSED_SERVING,
  mlaDecodeModule: MLA_MODULE_B200_TRTLLM,
};

export const BLACKWELL: ChipFamily = {
  id: "blackwell",
  name: "NVIDIA Blackwell",
  xlaBackend: "gpu",
  memory: NVIDIA_BLACKWELL_MEMORY,
  training: BLACKWELL_TRAINING,
  serving,
  powerLimit: BLACKWELL_POWER_LIMIT,
  // Each entry reaches the engines derived from its engine (vllm-0.10, vllm-v0 and vllm-ascend-0.9 from vllm;
  // trtllm-pytorch-0.17 and trtllm-2023, then trtllm-0.8, from trtllm) unless withheld below for a release that does
  // not run the measured kernels (src/serving/efficiency.ts merges the lineage).
  servingByEngine: {
    trtllm: BLACKWELL_TRTLLM_MODULE_SERVING,
    // The first PyTorch-backend release: the torch-flow MoE, all-reduce and FP8 call figures (A), but neither the
    // all-reduce + RMSNorm fusion (tech blog 1, after 0.17) nor the 1.3.0rc10 MLA module.
    "trtllm-pytorch-0.17": withheld("allReduceNormFusion", "mlaDecodeModule"),
    // The 2023-2024 TensorRT backend (GptSession, TensorRT matmuls and plugins) runs none of the torch-flow kernels
    // the trtllm figures were measured on (1.2.0rc5 MoE, 1.3.0 all-reduce, GEMM and MLA tables): the family's own.
    "trtllm-2023": withheldAll(BLACKWELL_TRTLLM_MODULE_SERVING),
    sglang: BLACKWELL_SGLANG_SERVING,
    vllm: BLACKWELL_VLLM_V1_SERVING,
    // The MLA module was measured on vLLM 0.19's V1 engine with full decode graphs: not the piecewise 0.8-0.10 V1
    // releases or V0 (the all-reduce and FP8 call lines are taken for them, A).
    // Nor the fused-MoE layer table: which MoE kernels and configurations the 0.8-0.10 releases and V0 ran (gpt-oss's
    // MXFP4 experts first ran in 0.10.1) is not measured, and 0.19's backend choice is not theirs to assume.
    "vllm-0.10": withheld("mlaDecodeModule", "fusedMoeCall"),
    "vllm-v0": withheld("mlaDecodeModule", "fusedMoeCall"),
  },
  fits: [
    ...fitRecords(
      "families.blackwell.training",
      "scripts/fit/kernels-blackwell.ts",
      "derived from published Blackwell kernel benchmarks and the Hopper fit (MAMF burst levels, B200 MSMF sustained ratio, XLA sm_100 shapes by log least squares, torchao grouped GEMMs, CCCL stream)",
      KERNEL_FIT,
    ),
    ...nvidiaServingRecords("blackwell", serving, BLACKWELL_TRTLLM_SERVING),
    ...fp8LinearCallRecords("blackwell", {
      trtllm: BLACKWELL_TRTLLM_SERVING,
      sglang: BLACKWELL_SGLANG_SERVING,
      vllm: BLACKWELL_VLLM_SERVING,
    }),
  ],
};
