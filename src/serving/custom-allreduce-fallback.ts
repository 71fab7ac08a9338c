// A tensor-parallel all-reduce that the engine's custom all-reduce refuses (a buffer not a multiple of its alignment) runs on NCCL: which measured call prices it.

import type { TpAllReduceCallTable } from "../catalog/families/types.js";
import { requireAt } from "../core/errors.js";

const PATH: readonly (string | number)[] = ["customAllReduce"];

/**
 * Whether the engine's custom all-reduce refuses a buffer of `bytes` per rank: true when the engine declares an
 * alignment (`alignBytes`, vLLM and SGLang: 16) and `bytes` is not a multiple of it. vLLM's `should_custom_ar` returns
 * False for such a buffer and `CudaCommunicator.all_reduce` hands it to pynccl; SGLang's does the same. The only TP
 * all-reduce of a step whose size can miss 16 bytes is the across-heads QK norm's (8 bytes a token: a one-token step's
 * 8-byte buffer); activation all-reduces carry `tokens x hidden x 2` bytes. False without an alignment or bytes.
 * `bytes` not a finite number >= 0, or an alignment that is not a positive integer, is a named error. O(1), no allocation unless it throws.
 */
export function customAllReduceRefuses(
  bytes: number,
  alignBytes: number | undefined,
  path: readonly (string | number)[] = PATH,
): boolean {
  // The error paths are built only when they are thrown: this runs on every serving step.
  requireAt(Number.isFinite(bytes) && bytes >= 0, path, "bytes", "expected bytes >= 0", bytes);
  if (alignBytes === undefined) return false;
  requireAt(
    Number.isInteger(alignBytes) && alignBytes >= 1,
    path,
    "alignBytes",
    "expected an integer >= 1",
    alignBytes,
  );
  return bytes > 0 && bytes % alignBytes !== 0;
}

/**
 * The measured table that prices a TP all-reduce of `bytes` per rank: the family's NCCL table (`nccl`) where the
 * engine's custom all-reduce refuses the buffer and the family gives one, else the engine's own (`engine`, possibly
 * undefined: the ring formula alone). O(1).
 */
export function allReduceCallTable(
  bytes: number,
  alignBytes: number | undefined,
  engine: TpAllReduceCallTable | undefined,
  nccl: TpAllReduceCallTable | undefined,
): TpAllReduceCallTable | undefined {
  return nccl !== undefined && customAllReduceRefuses(bytes, alignBytes) ? nccl : engine;
}
