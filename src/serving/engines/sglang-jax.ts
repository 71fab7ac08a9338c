// SGL-JAX (sgl-project/sglang-jax): SGLang's scheduler in Python driving one jitted JAX/XLA step on TPU, padded to precompiled shapes, host one step ahead.
import { SGLJAX_DECODE_BS_BUCKETS, SGLJAX_PREFILL_TOKEN_BUCKETS } from "../bucket-padding.js";
import type { ServingEngine } from "./types.js";

/**
 * Host time of one SGL-JAX decode step, s: the span of the forward thread's host work for one decode batch
 * (building the ForwardBatch and its device arrays, attention and sampling metadata, dispatching `jitted_run_model`
 * and `jitted_sampler`), measured in XProf on Qwen3-8B by sgl-project/sglang-jax PR 1652 (Yanko-7, 2026-09-14,
 * "perf(scheduler): reduce decode host overhead and precompile token gather"): "A device forward takes 6.183 ms,
 * while the corresponding host processing span on the runner thread takes 6.621 ms", the sampler's dispatch alone
 * 1.814 ms (`cpp_pjit_shard_arg_fallback`). That is the build before the PR's fixes; earlier builds spent more:
 * sglang-jax issue 67 (2025-08-26, before the overlap scheduler) gives 15 ms of "scheduler control plane" against a
 * 7 ms decode forward for Qwen-7B-Chat, and PR 104 / PR 115 (2025-08-30 / 2025-09-02) jitted the metadata and moved
 * the batch's construction into the overlap. So 6.6 ms is a lower bound for the 2025-2026 builds the published runs
 * used. The PR names no batch size, so no per-sequence share is split off (hostPerSeqS 0, A).
 */
export const SGLJAX_HOST_STEP_S = 6.621e-3;

/**
 * SGL-JAX on TPU. One jitted program per step (`jitted_run_model`, docs/architecture/04-model-executor.md): no
 * per-kernel host launch, so decode pays the device's per-op cost only (decodeGraphs), at every batch, since the
 * server compiles its largest padded batch too (`CompilationManager._compute_bs_buckets`). The step runs at the
 * smallest precompiled batch (decode) or token count (prefill) that holds it (`decodeBatchBuckets`,
 * `prefillTokenBuckets`, src/serving/bucket-padding.ts). The overlap scheduler is on by default
 * (`disable_overlap_schedule: bool = False` in python/sgl_jax/srt/server_args.py since PR 84, 2025-08-30): the
 * scheduler builds batch N+1 while the device runs batch N with future token ids (docs/architecture/03-scheduler.md
 * 'Overlap Mode'), so a step lasts max(device, host). Host step: `SGLJAX_HOST_STEP_S`. Default layout: `--tp-size`
 * shards attention and MLP (no DP attention, no EP unless set). Kernel count and factor as the generic engine (A).
 * What its Pallas kernels cost on a TPU is the family's answer for this engine: the ragged paged attention decode call
 * (`servingByEngine["sglang-jax"].raggedDecodeCall`, `SGLJAX_RPA_DECODE` in src/catalog/families/tpu.ts).
 */
export const SGLANG_JAX: ServingEngine = {
  id: "sglang-jax",
  name: "SGL-JAX (SGLang on JAX/TPU)",
  hostStepS: SGLJAX_HOST_STEP_S,
  hostPerSeqS: 0,
  hostOverlap: true,
  decodeGraphs: true,
  // every batch runs a compiled program: the largest padded batch is compiled as the last bucket.
  graphMaxBatchPerRank: Number.POSITIVE_INFINITY,
  decodeBatchBuckets: SGLJAX_DECODE_BS_BUCKETS,
  prefillTokenBuckets: SGLJAX_PREFILL_TOKEN_BUCKETS,
  kernelFactor: 1,
  draftHostS: 0,
  defaultLayout: "tensor-parallel",
  source:
    "sgl-project/sglang-jax: server_args.py and common_utils.py at cddbf6f1 (overlap scheduler on, bs buckets 1-256, token buckets 64-8,192); PR 1652 (host span 6.621 ms per decode step, Qwen3-8B, XProf); kernel count assumed (A)",
};
