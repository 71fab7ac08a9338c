// Google TPU (v4, v5p): training profile from TPU matmul and collective microbenchmarks (assumptions where none exist); serving generic (A) plus XLA's VMEM weight prefetch, hop-by-hop ICI collective latency, 8-row MXU decode attention and SGL-JAX's measured attention calls.

import { fitRecords } from "./fits.js";
import { GENERIC_SERVING } from "./generic.js";
import { TPU_MEMORY } from "./memory.js";
import type {
  ChipFamily,
  GemmShape,
  KernelEfficiency,
  RaggedDecodeLine,
  TrainingEfficiency,
} from "./types.js";

/**
 * MXU GEMMs: 0.9 of the bf16 peak for large matmuls in device time, as trace-timed JAX matmuls on TPU v6e and
 * v7 reach ("90%+ MFU" excluding host dispatch: yangwhale/gpu-tpu-pedia tpu/v7_perf, after Google's
 * accelerator-microbenchmarks method); Google's own TPU7x sweep gives 0.83 at 16K-32K cubes (both in
 * data/kernels/tpu7x-2026.json, which a test checks the shape model against); no v5p-specific figure was found,
 * so v5p and v4 take it (A). Shape:
 * 128 x 128 MXU tiles over 8 MXUs per chip (v5p: 2 TensorCores x 4 MXUs) need ~1.3e5 output elements to be
 * busy; the pipeline fills in ~128 of K; XLA runs a compiled program, ~1 us per op (A).
 */
const gemm = (peakFraction: number): GemmShape => ({
  peakFraction,
  halfWorkMN: 131072,
  halfDepthK: 128,
  fixedS: 1e-6,
});

/**
 * Rows of padding per expert group in a TPU grouped matmul: MaxText runs routed experts through megablox's Pallas
 * `gmm` in row tiles of `tile_batch_seq` = 512 tokens (MaxText's MoE kernel default, also set by the tpu-recipes
 * configs), and `make_group_metadata` (jax/experimental/pallas/ops/tpu/megablox/gmm.py) computes every tile a group
 * touches in full, visiting a tile once more for each group that starts inside it: with routed group sizes that are
 * not multiples of 512, each expert group costs one extra 512-row tile. Not fitted.
 */
const GMM_ROW_TILE = 512;

/**
 * TPU v4/v5p (MXU systolic arrays, XLA fusion): see `gemm`. Attention (Pallas splash kernels) at 0.5 of
 * the bf16 peak with Hopper's sequence dependence (A: no published v5p attention microbenchmark found); the first
 * Pallas flash kernel at its own measured rate (`TPU_PALLAS_FLASH_V1`).
 * Memory-bound work is mostly fused by XLA into its neighbours; what is left streams at 0.85 of HBM (A).
 * Collectives over ICI: Pallas RDMA collectives on a 2x2 v5p mesh reach ~92 GB/s per ICI link
 * (beshrislambouli/TPU-Collectives); XLA's own collectives over the 3D torus are taken at 0.7 of the
 * per-chip payload rate (A).
 * fp8 (TPU7x only; v4/v5e/v5p/v6e have no fp8 units): TPU7x runs fp8 in the same MXUs at twice the bf16 rate
 * (4,614 against 2,307 TFLOP/s per chip; "native FP8 support in MXUs for up to 2x throughput over BF16", Google
 * Cloud blog "Training large models on Ironwood TPUs"; "FP8 doubles the peak FLOPs", Cloud TPU docs "TPU7x
 * performance optimizations"): the same systolic arrays fill and drain the same way, so an fp8 matmul reaches the
 * bf16 fraction of its doubled peak, with the same shape terms (`FP8_GEMM_FRACTION`). No fp8 matmul
 * microbenchmark on TPU7x is published (data/kernels/tpu7x-2026.json); the one low-precision figure there (int8
 * at 31% of a 2x int8 peak, at the bf16 rate) is of a format Ironwood does not run at 2x. The former 0.7 was an
 * assumption (A). fp4: no TPU has fp4 units; set for completeness (A).
 */
/**
 * JAX's first Pallas TPU flash-attention kernel (jax.experimental.pallas.ops.tpu.flash_attention), the one AXLearn's
 * FlashAttention layer ran on TPU until SplashAttention entered it (apple/axlearn a5f0b462, 2024-10-02): the
 * family's FlashAttention-1-class curve (`attention.flashV1`), at 0.355 of the bf16 peak with a forward share of
 * 0.199. Solved from AXLearn's own TPU v4 benchmark (axlearn/common/flash_attention/tpu_attention_benchmark.py
 * docstring, 6789f847 of 2023-10-18, unchanged at the 2024 commits of its step times;
 * data/kernels/axlearn-tpu-attention-v4.json): forward + backward of seven causal layer shapes at batch 2, 2,048
 * tokens, 32-140 heads, block 512, 5.4-23.7 ms, against the fused curve's time (3.5 x causal forward FLOPs, MXU
 * fill factor for head dim 64, `halfSeq` 921 kept: one sequence length measured), the median over the rows. The
 * benchmark passes a [batch, heads, seq, seq] bias that training without one does not read: its 8 bytes per score
 * element (read forward and in both backward kernels, gradient written) are removed as if serial, which gives the
 * fastest kernel the data allows (left in: 0.223). Either way far under the 0.5 assumed for splash (`fused`).
 * Test: tpu-flash-v1.test.ts recomputes both figures from the data.
 */
export const TPU_PALLAS_FLASH_V1 = { peakFraction: 0.355, halfSeq: 921, forwardShare: 0.199 } as const;

/** bf16 MXU GEMMs' fraction of peak (see `gemm`). */
const BF16_GEMM_FRACTION = 0.9;
/** fp8 on TPU7x: the same MXUs at twice the rate, so the same fraction of the fp8 peak (see `training`). */
export const FP8_GEMM_FRACTION = BF16_GEMM_FRACTION;

const training: TrainingEfficiency = {
  gemm: { bf16: gemm(BF16_GEMM_FRACTION), fp8: gemm(FP8_GEMM_FRACTION), fp4: gemm(0.6) },
  groupedGemm: {
    bf16: { tokenPad: GMM_ROW_TILE, fraction: 0.9 },
    fp8: { tokenPad: GMM_ROW_TILE, fraction: 0.9 },
    fp4: { tokenPad: GMM_ROW_TILE, fraction: 0.9 },
  },
  attention: {
    fused: { peakFraction: 0.5, halfSeq: 921, forwardShare: 0.243 },
    flashV1: { ...TPU_PALLAS_FLASH_V1 },
  },
  fusedAttentionIsSplash: true,
  attentionScoreBytes: 0,
  memory: 0.85,
  memoryOps: {
    norm: 0.85,
    activation: 0.85,
    cast: 0.85,
    permute: 0.7,
    unpermute: 0.7,
    softmax: 0.6,
    optimizer: 0.8,
  },
  collective: 0.7,
  overlapCost: 0.15,
  launchS: { eager: 1e-6, graph: 1e-6, gemmEager: 1e-6 },
  source:
    "TPU: trace-timed matmul microbenchmarks on v6e/v7 (90%+ of MXU peak), Pallas ICI collectives on v5p; other figures assumed (A)",
};

/**
 * Fixed cost of one XLA collective call on TPU ICI beyond its hops, s: 4 us. A barriered JAX `lax.ppermute` (one hop
 * to a neighbour) on v5p-8 takes 4.5-5.5 us from 1 to 16 KiB per device, in device time (repeat-count slopes of a
 * `fori_loop` with `optimization_barrier`; marin-community/marin issue 6736, 2026-06-28); less its one ~1 us ICI hop
 * (the `ici` protocol's latency) that leaves ~4 us. The same sweep on v6e-8 gives 5.6-5.9 us (4.6-4.9 us less the
 * hop). data/kernels/tpu-ici-collective-latency.json; test: src/serving/collective-hops.test.ts.
 */
export const TPU_COLLECTIVE_FIXED_S = 4e-6;

/**
 * XLA's small collectives cross the ICI grid hop by hop (`collectiveHops`): a latency-bound all-gather over an axis
 * pays ~1 us per hop of its longest path and an all-reduce twice that (How to Scale Your Model, sharding.md at
 * jax-ml/scaling-book 0819a7d8, 'A note on ICI latency'). A slice is laid out as the most compact 2D grid (v5e and
 * v6e slices: 2x2, 2x4, 4x4, 8x8, ...), with wraparound only on axes of 16 chips ("TPU v5e only has a wraparound
 * connection when one axis has size 16", same page). v4 / v5p slices are 3D with wraparound on axes of 4: a tier that
 * gives its dims is read from them, but one without dims is laid out as v5e's 2D grid (no v4 / v5p serving case has
 * none; A).
 */
const TPU_COLLECTIVE_HOPS = { gridAxes: 2, wrapAxisFrom: 16 } as const;

/**
 * Rows of the MXU's left-hand block that decode attention pads its query group to: 8. The MXU multiplies a `[8,128]`
 * left-hand block by its `[128,128]` right-hand block every 8 cycles (How to Scale Your Model, tpus.md at
 * jax-ml/scaling-book 0819a7d8, Appendix B), and a TPU decode-attention kernel streams the KV cache as the right-hand
 * side with the query heads of one KV head as the rows (jax-llm-examples' ragged decode kernel, llama3_jax/
 * ragged_attention.py at 345dab9e). Decode attention is then bound by its KV bytes, as Google's Ragged Paged Attention
 * kernel measures it (up to 86% of HBM bandwidth in decode; arXiv 2604.15464). src/serving/decode-attention.ts.
 */
export const TPU_DECODE_ATTENTION_ROW_TILE = 8;

/**
 * TPU serving: the generic serving profile (A; no TPU serving figure has been fitted) plus what XLA on TPU does that a
 * GPU kernel stream does not: it prefetches the next layer's weights into VMEM while collectives and small ops run
 * (`weightPrefetchOverlap`, src/serving/vmem-prefetch.ts, after How to Scale Your Model's 'VMEM prefetching'), on the
 * chips whose VMEM size is published (`vectorMemoryMiB`); and its small collectives cost a measured per-call fixed
 * time plus ~1 us per ICI hop (`TPU_COLLECTIVE_FIXED_S`, `TPU_COLLECTIVE_HOPS`) instead of the generic 10 us (A); and
 * its decode attention pads a query group to the MXU's 8-row block, not its width (`TPU_DECODE_ATTENTION_ROW_TILE`), and
 * so do its linears' rows (`linearRowTile`).
 */
const serving: KernelEfficiency = {
  ...GENERIC_SERVING,
  weightPrefetchOverlap: true,
  decodeAttentionRowTile: TPU_DECODE_ATTENTION_ROW_TILE,
  // The same 8-row activation block for the linears: a decode linear's rows pad to 8, not to the MXU's width
  // (scaling-book tpus.md Appendix B; its applied-inference roofline prices decode matmuls at their real batch).
  linearRowTile: TPU_DECODE_ATTENTION_ROW_TILE,
  allReduceFixedS: TPU_COLLECTIVE_FIXED_S,
  collectiveHops: TPU_COLLECTIVE_HOPS,
  source: `${GENERIC_SERVING.source}; XLA's VMEM weight prefetch (How to Scale Your Model, tpus.md at jax-ml/scaling-book 0819a7d8); XLA collective call 4 us (JAX ppermute on v5p-8, marin-community/marin issue 6736) plus 1 us per ICI hop (scaling-book sharding.md); decode attention and linears on the MXU's 8-row block (scaling-book tpus.md Appendix B; jax-llm-examples ragged_attention.py 345dab9e; RPA arXiv 2604.15464)`,
};

/**
 * SGL-JAX's Ragged Paged Attention decode call on TPU (`raggedDecodeCall` under the `sglang-jax` engine;
 * src/serving/ragged-decode.ts): 0.984 us per decoding sequence plus the KV bytes at 0.630 of HBM (1.032 TB/s on v6e).
 * Least squares over the "TPU v6e" decode rows of sglang-jax's CI kernel guard at page size 128 (the cookbook
 * recipes' `--page-size 128`): device times from a profiler trace of the kernel alone, 128 and 256 sequences of one
 * query token with KV lengths 1,025-2,048, 1, 2 and 4 KV heads per chip, head_dim 128, bf16, every sequence through
 * the kernel's mixed path as the server's decode ran until PR 934 (benchmark/kernels/flash_attention/
 * bench_flashattention.py at sgl-project/sglang-jax 87cd71a8, 2026-01-14; residuals within 9%;
 * data/kernels/sgljax-rpa-v6e-published.json). The April-2026 kernel (decode path) gives the same at 2 KV
 * heads (2.52-2.55 us per sequence at ~1,550 tokens, the line 2.52-2.54). Not carried beyond 4 KV heads per chip: the
 * kernel the server ran from 2025-09-17 measures 5.8 us per sequence at 8 (its CI baseline of c5e6c9f8, by difference
 * of two rows), where the line would say 7.2. Measured on v6e: other TPU generations take it as it is (A), the 8-bit
 * caches at their bytes (A); the page-256 line (0.714 us, 0.794) is in the data file, not used.
 */
export const SGLJAX_RPA_DECODE: RaggedDecodeLine = {
  measured:
    "sgl-project/sglang-jax CI RPA guard, TPU v6e, page 128, 1-4 KV heads, trace device time (87cd71a8, 2026-01-14)",
  perSeqS: 0.9844e-6,
  hbmFraction: 0.63,
  maxKvHeadsPerRank: 4,
};

/**
 * SGL-JAX's attention compute rate on TPU (`attentionCompute` under the `sglang-jax` engine): 0.243, so that its
 * prefill attention runs at 111.5 TFLOP/s of causal attention FLOPs on v6e (0.243 x 918 TFLOP/s over the serving
 * model's factor 2 for head_dim 128 on the 256-wide MXU, `fillPrefill`), against the family's generic 0.50 (A). The
 * mean of the same CI guard's prefill rows at 8 query heads per chip and 2,048-token sequences (the recipes'
 * `--chunked-prefill-size 2048`; 105.9-117.1 TFLOP/s over 1 and 4 KV heads and pages 128 and 256; trace device times,
 * 87cd71a8; data/kernels/sgljax-rpa-v6e-published.json). The kernel of 2025 ran its matmuls in f32
 * (`q_batch.astype(jnp.float32)`, flash_attention.py at a398921b) and its first CI rows, by difference, give 128-142
 * TFLOP/s at 16 query / 8 KV heads (84-102 at 16 KV heads): the same order. 4 query heads per chip measure 94,
 * 1,024-token single sequences 68-98 (not used); 16 query heads per chip (Qwen3-32B at TP 4) and a chunk after a cached
 * prefix are not measured (A). The decode attention's FLOPs take the same rate; its time is set by the ragged decode
 * call (`SGLJAX_RPA_DECODE`).
 */
export const SGLJAX_RPA_ATTENTION_COMPUTE = 0.243;

export const TPU: ChipFamily = {
  id: "tpu",
  name: "Google TPU",
  xlaBackend: "tpu",
  memory: TPU_MEMORY,
  training,
  serving,
  // What SGL-JAX's own kernels do on TPU: its Ragged Paged Attention decode call and attention compute rate.
  servingByEngine: {
    "sglang-jax": { raggedDecodeCall: SGLJAX_RPA_DECODE, attentionCompute: SGLJAX_RPA_ATTENTION_COMPUTE },
  },
  fits: fitRecords(
    "families.tpu.servingByEngine.sglang-jax",
    "scripts/fit/kernels-tpu.ts",
    "sglang-jax's CI RPA guard on TPU v6e (data/kernels/sgljax-rpa-v6e-published.json): the decode line by ordinary least squares of time per sequence on KV bytes per sequence over the page-128 decode rows (rpa_v6e_trace_2026_01), hbmFraction the slope's rate over the v6e's HBM bandwidth; attentionCompute the mean causal attention FLOP rate of the 2,048-token, 8-query-head prefill rows times the matrix-unit factor of head_dim 128 on the v6e's MXU, over the bf16 peak",
    {
      "raggedDecodeCall.perSeqS": SGLJAX_RPA_DECODE.perSeqS,
      "raggedDecodeCall.hbmFraction": SGLJAX_RPA_DECODE.hbmFraction,
      attentionCompute: SGLJAX_RPA_ATTENTION_COMPUTE,
    },
  ),
};
