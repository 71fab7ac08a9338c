// What a serving engine (vLLM, SGLang, TensorRT-LLM, MindIE, ...) contributes to a step's cost: host work, graph capture, kernel fusion, speculative drafting.

/**
 * One serving engine's profile. Each engine answers for itself in its own module
 * (src/serving/engines/<id>.ts); the cost model reads these fields and never the engine's name.
 */
export interface ServingEngine {
  /** The id scenarios and validation cases name (`serving.engine`). */
  id: string;
  /**
   * The id of the profile this one derives from (set by `deriveEngine`, src/serving/engines/lineage.ts): a chip
   * family's figures for the parent and its ancestors (`servingByEngine`) reach this engine unless the family says
   * otherwise for it. Absent: a profile of its own.
   */
  parent?: string;
  name: string;
  /** Host (CPU) time of one engine step, s: scheduling, batch metadata, sampling, output processing. */
  hostStepS: number;
  /** Host time per running sequence per step, s (sampling, stop checks, token bookkeeping). */
  hostPerSeqS: number;
  /**
   * True when the engine's scheduler runs one step ahead of the device (SGLang's zero-overhead
   * scheduler, TensorRT-LLM's overlap scheduler): a step then lasts max(device, host) instead of
   * device + host.
   */
  hostOverlap: boolean;
  /** Decode steps replay captured graphs (CUDA graphs, aclgraph): kernels pay the device floor, not the host launch. */
  decodeGraphs: boolean;
  /** Largest decode batch per attention rank that has a captured graph; larger batches launch eagerly. */
  graphMaxBatchPerRank: number;
  /**
   * Longest context, tokens, a captured decode graph covers; a step whose sequences are longer launches eagerly
   * (vLLM V0's `max_seq_len_to_capture`). Absent: graphs cover every context length.
   */
  graphMaxContextTokens?: number;
  /**
   * Host time per kernel when a step is not replayed from a graph, s: a Python-driven PyTorch engine issues each op
   * through Python module code, the dispatcher and the launch, so an eager step lasts at least kernels x this
   * (`eagerHostLaunchS`, src/serving/eager-launch.ts). Absent: not charged.
   */
  eagerHostPerKernelS?: number;
  /**
   * Host time per decoder layer when decode replays piecewise graphs whose eager attention the host cannot hide (a
   * decode step then lasts at least layers x this: `piecewiseHostS`, src/serving/piecewise-host.ts). Absent: not
   * charged (the host runs ahead of the device between pieces).
   */
  piecewiseHostPerLayerS?: number;
  /**
   * True when the engine runs a block-scaled FP8 checkpoint's dense linears (attention projections, dense and shared
   * expert MLPs) through tile kernels whose thread blocks loop over all of K (vLLM 0.7's Triton w8a8_block_fp8_matmul
   * and CUTLASS sm90 blockwise, SGLang 0.4's Triton kernel): at decode token counts each call then lasts the chip's
   * `blockScaledGemmKLoop` latency (src/serving/block-fp8-gemm.ts). Absent: such linears are priced by their roofline.
   */
  blockScaledTileGemm?: boolean;
  /**
   * Most activation rows (tokens per rank) for which the engine runs an FP8 per-tensor linear through a skinny GEMV
   * kernel; larger ones go to the BLAS library, at the family's `fp8BlasWeightStreaming` where it gives one
   * (`fp8LinearStreamingBytesPerS`, src/serving/skinny-gemm.ts). 0: no FP8 skinny kernel. Absent: not limited.
   */
  fp8SkinnyMaxRows?: number;
  /**
   * True when the engine's decode-attention kernel runs one thread block per (sequence, query head) and each block
   * streams its KV head's cache on its own, so a GQA/MQA cache is read once per query head that shares it
   * (TensorRT-LLM's masked multi-head attention kernel before the XQA kernels, v0.8): `decodeKvReadsPerKvHead`
   * (src/serving/decode-attention.ts). Absent: a group's query heads share one read of their KV head.
   */
  gqaDecodePerQueryHead?: boolean;
  /**
   * True when the engine runs its FP8 linears through per-tensor-scaled library GEMMs (TensorRT's FP8 matmul tactics
   * and cuBLASLt, one scale per operand) rather than the tuned FP8 kernels the family's `gemm` stands for: its FP8
   * GEMMs then run at the family's `gemmFp8PerTensor` (`fp8GemmFraction`, src/serving/fp8-gemm-library.ts). Absent:
   * the family's `gemm`.
   */
  perTensorFp8Gemm?: boolean;
  /**
   * True when the engine's context (prefill) attention runs in 16-bit even over an FP8 KV cache (TensorRT-LLM before
   * FP8 context FMHA, `--use_fp8_context_fmha`, which v0.8.0's trtllm-build does not have: issue 1463):
   * `prefillAttentionPrecision` (src/serving/fp8-gemm-library.ts). Absent: an FP8 cache runs the prefill core on FP8
   * tensor units.
   */
  fp16ContextAttention?: boolean;
  /**
   * True when the engine runs a gated MLP's activation (SwiGLU) as a kernel of its own between the GEMMs, reading gate
   * and up and writing their product (TensorRT-LLM v0.5-v0.6, performance.md 'Known Issues'):
   * `separateGatedActivationBytes` (src/serving/gated-activation.ts). Absent: fused into the GEMMs' traffic (A).
   */
  separateGatedActivation?: boolean;
  /**
   * True when the engine runs a batch without preemption, each sequence to its full output length, so the whole
   * batch's KV at prompt + output tokens is resident by the last step (TensorRT-LLM's GptSession, the static-batch
   * runtime of gptSessionBenchmark): a case silent on its KV-cache dtype whose static batch cannot hold a 16-bit cache
   * ran an 8-bit one (`staticBatchKvCache`, src/serving/static-batch-kv.ts). Absent: an unstated cache is 16-bit.
   */
  staticBatchWholeKv?: boolean;
  /**
   * Batch sizes the engine's decode step is compiled or graph-captured for, increasing: a decode batch runs its
   * linears and LM head at the smallest size that holds it (SGL-JAX's `--precompile-bs-paddings`; the CUDA-graph
   * capture sizes of vLLM and SGLang, src/serving/cuda-graph-padding.ts; `paddedStepRows`,
   * src/serving/bucket-padding.ts). Absent: the exact batch.
   */
  decodeBatchBuckets?: readonly number[];
  /**
   * Batch sizes of the engine's speculative target-verify graphs (each sequence carrying 1 + drafts tokens), increasing:
   * a verify step's sequences pad to the smallest that holds them (SGLang's speculative capture list). Absent:
   * `decodeBatchBuckets`.
   */
  verifyBatchBuckets?: readonly number[];
  /**
   * True when `decodeBatchBuckets` count tokens (1 + drafts per sequence) rather than sequences: vLLM V1 pads a uniform
   * decode step's token count to its CUDA-graph capture sizes. Absent: sequences.
   */
  decodeBucketsCountTokens?: boolean;
  /**
   * True when the engine computes the LM head and sampling after the replayed graph, over the real rows only (vLLM's
   * `compute_logits` on `logits_indices`), so the head is not padded to the graph's batch. Absent: padded with the step.
   */
  logitsOutsideGraph?: boolean;
  /**
   * True when every tensor-parallel rank holds the whole vocabulary tables (embedding and LM head) instead of a
   * vocabulary shard: each rank then streams the whole head every step and computes every logit itself, so no logits
   * gather runs. DeepSpeed inference's automatic tensor parallelism (AutoTP) on a model handed over in memory, as the
   * torchair samples do, replaces only the decoder layers' linears; its LM-head split (`set_lm_head`) runs only when a
   * checkpoint description is passed (DeepSpeed v0.14.1-v0.14.2, deepspeed/module_inject/replace_module.py,
   * `replace_transformer_layer`). Absent: vocabulary-parallel (vLLM's and SGLang's `ParallelLMHead`).
   */
  lmHeadReplicated?: boolean;
  /**
   * Token counts the engine's prefill (and mixed) step is compiled for, increasing: a step with prompt tokens runs its
   * linears at the smallest count that holds its new tokens (SGL-JAX's `--precompile-token-paddings`). Absent: exact.
   */
  prefillTokenBuckets?: readonly number[];
  /**
   * Bytes a tensor-parallel all-reduce's buffer must be a multiple of for the engine's custom all-reduce to take it; any
   * other buffer goes to NCCL, priced by the family's `ncclAllReduceCall` (src/serving/custom-allreduce-fallback.ts).
   * Absent: every TP all-reduce runs the engine's own call.
   */
  customAllReduceAlignBytes?: number;
  /** Kernels the engine launches per layer relative to the unfused count of the cost model (fusion < 1). */
  kernelFactor: number;
  /** Host time of each speculative draft pass that the overlap does not hide (draft/verify hand-offs), s. */
  draftHostS: number;
  /**
   * Whether the first draft pass of a speculative step re-runs the draft head over the step's whole verified window
   * (1 + drafts rows per sequence) rather than one row (src/serving/draft-passes.ts; SGLang's EAGLE draft extend).
   * Absent: false.
   */
  draftExtendsVerified?: boolean;
  /**
   * The layout the engine runs when a scenario or case gives none of tp, attentionDp and ep: "tensor-parallel"
   * (its launch defaults: attention and experts sharded by tensor parallelism over the instance, no expert
   * parallelism) or "dp-attention-ep" (data-parallel attention, experts spread by expert parallelism).
   */
  defaultLayout: "tensor-parallel" | "dp-attention-ep";
  /** Where the figures come from, and how sure they are. */
  source: string;
}
