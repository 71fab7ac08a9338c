// KV-cache demand of a decode benchmark against a chip's memory: the share each engine's memory setting must grant for its sequences to fit.
import { ZettasimError } from "../core/errors.js";

/** What one attention rank holds and serves: memory, weights, KV bytes per token and the benchmark's sequences. */
export interface KvDemandInput {
  /** Device memory a process can allocate on the rank's chip, bytes. */
  memoryBytes: number;
  /** Weight bytes the chip holds. */
  weightBytes: number;
  /** KV-cache bytes per token of one sequence on the chip. */
  kvBytesPerToken: number;
  /** Sequences decoding on the rank at the published batch. */
  batchPerRank: number;
  /** Mean KV length of a decoding sequence, tokens. */
  meanContextTokens: number;
  /** Requests the benchmark keeps in flight per rank, when published (else the batch). */
  concurrencyPerRank?: number;
  /** Longest a sequence grows, prompt + output tokens, when published (else the mean context). */
  fullSequenceTokens?: number;
}

/** KV demand in tokens and the memory shares it needs, in each engine family's own meaning of its setting. */
export interface KvDemand {
  /** Tokens cached at the published batch and mean context (a staggered closed loop's steady state). */
  meanTokens: number;
  /**
   * Tokens cached when every request in flight has grown to its full length: a one-wave run's end, and what
   * TensorRT-LLM's GUARANTEED_NO_EVICT capacity scheduler reserves for each request it admits.
   */
  peakTokens: number;
  /**
   * (weights + peak KV) / memory: the share that SGLang's `mem_fraction_static` ("(model weights + KV cache
   * pool) / GPU memory capacity", server_args.py `_handle_gpu_memory_settings`) and, activations aside, vLLM's
   * `gpu_memory_utilization` must reach for the peak to fit.
   */
  staticShareAtPeak: number;
  /** (weights + mean KV) / memory, the same share at the mean. */
  staticShareAtMean: number;
  /**
   * peak KV / (memory - weights): the share of the memory left after the weights that TensorRT-LLM's
   * `kv_cache_free_gpu_mem_fraction` must reach (activations aside, which only raise it). Infinity when the
   * weights alone fill the memory.
   */
  freeShareAtPeak: number;
}

function check(name: keyof KvDemandInput, v: number | undefined, positive: boolean): void {
  if (v === undefined) return;
  if (!Number.isFinite(v) || v < 0 || (positive && v === 0)) {
    throw new ZettasimError([
      { path: [name], message: "invalid KV demand input", value: v, expected: positive ? "> 0" : ">= 0" },
    ]);
  }
}

/**
 * KV demand of a decode benchmark on one attention rank and the memory shares it needs (see KvDemand).
 * Throws ZettasimError naming the field for a negative, zero (memory, KV bytes) or non-finite input. Cost O(1).
 */
export function kvDemand(x: KvDemandInput): KvDemand {
  check("memoryBytes", x.memoryBytes, true);
  check("weightBytes", x.weightBytes, false);
  check("kvBytesPerToken", x.kvBytesPerToken, true);
  check("batchPerRank", x.batchPerRank, false);
  check("meanContextTokens", x.meanContextTokens, false);
  check("concurrencyPerRank", x.concurrencyPerRank, false);
  check("fullSequenceTokens", x.fullSequenceTokens, false);
  const meanTokens = x.batchPerRank * x.meanContextTokens;
  const peakTokens = (x.concurrencyPerRank ?? x.batchPerRank) * (x.fullSequenceTokens ?? x.meanContextTokens);
  const free = x.memoryBytes - x.weightBytes;
  const peakBytes = peakTokens * x.kvBytesPerToken;
  return {
    meanTokens,
    peakTokens,
    staticShareAtPeak: (x.weightBytes + peakBytes) / x.memoryBytes,
    staticShareAtMean: (x.weightBytes + meanTokens * x.kvBytesPerToken) / x.memoryBytes,
    freeShareAtPeak: free > 0 ? peakBytes / free : Number.POSITIVE_INFINITY,
  };
}
