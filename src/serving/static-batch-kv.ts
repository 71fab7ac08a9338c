// The KV-cache precision a static batch must have run with when its source does not say: without preemption, every sequence's whole cache is resident by the batch's last step.

import { ZettasimError } from "../core/errors.js";
import type { KvPrecision } from "./cost.js";

/** What one attention rank of a static-batch run holds at its last step. */
export interface StaticBatchKvInput {
  /** Sequences on the rank (the instance's batch over its attention ranks; every TP rank holds all of them). */
  sequencesPerRank: number;
  /** Tokens of each sequence by the last step: its prompt plus its generated output. */
  tokensPerSequence: number;
  /** Weight bytes resident on the chip. */
  weightBytesPerChip: number;
  /** KV-cache bytes per token on the chip with a 16-bit cache (the engine's default, the model's dtype). */
  kvBytesPerToken16Bit: number;
  /** Device memory a process can allocate on the chip, bytes (`chipUsableMemoryBytes`). */
  usableMemoryBytes: number;
}

/**
 * The KV-cache precision of a static batch whose source leaves it unstated, for an engine that runs a batch without
 * preemption (`staticBatchWholeKv`): "bf16" (a 16-bit cache, the engine's default: TensorRT-LLM's GptSession takes
 * the model's dtype unless the engine was built with an FP8 or INT8 KV cache, `createKvCacheManagers`) when weights
 * plus every sequence's cache at full length fit in the chip's memory, else "fp8" (an 8-bit cache: the run
 * completed, so it cannot have held a 16-bit one). A static batch starts all its sequences together and runs each to
 * the stated output length with nothing evicted, so at its last step it holds sequences x (prompt + output) tokens of
 * KV; GptSession even sizes its paged pool for that up front (`maxNumTokens = batchSize x beamWidth x maxBlocksPerSeq
 * x tokensPerBlock`, maxBlocksPerSeq from the maximum sequence length; cpp/tensorrt_llm/runtime/gptSession.cpp of
 * 2023). The bound leaves out activations, workspace and the runtime's reserve, so a 16-bit cache is refused only
 * where it cannot fit even on an otherwise empty chip: no fitted margin. Throws ZettasimError naming the field of
 * `path` when an input is not a finite number > 0 (weights may be 0). Cost O(1).
 */
export function staticBatchKvCache(x: StaticBatchKvInput, path: (string | number)[] = []): KvPrecision {
  for (const [field, v, min] of [
    ["sequencesPerRank", x.sequencesPerRank, Number.MIN_VALUE],
    ["tokensPerSequence", x.tokensPerSequence, Number.MIN_VALUE],
    ["weightBytesPerChip", x.weightBytesPerChip, 0],
    ["kvBytesPerToken16Bit", x.kvBytesPerToken16Bit, Number.MIN_VALUE],
    ["usableMemoryBytes", x.usableMemoryBytes, Number.MIN_VALUE],
  ] as const) {
    if (!Number.isFinite(v) || v < min) {
      throw new ZettasimError([
        {
          path: [...path, field],
          message: "a static batch's KV precision needs finite sizes",
          value: v,
          expected: min === 0 ? "a finite number >= 0" : "a finite number > 0",
        },
      ]);
    }
  }
  const kv16 = x.sequencesPerRank * x.tokensPerSequence * x.kvBytesPerToken16Bit;
  return x.weightBytesPerChip + kv16 <= x.usableMemoryBytes ? "bf16" : "fp8";
}
