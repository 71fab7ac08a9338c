// Shape buckets of a JIT-compiled serving step (SGL-JAX on TPU): a step runs at the smallest precompiled batch or token count that holds it.
import { ZettasimError } from "../core/errors.js";

/**
 * SGL-JAX's default decode batch buckets (`PRECOMPILE_DEFAULT_BS_PADDINGS = [1 << i for i in range(0, 9)]`,
 * python/sgl_jax/srt/utils/common_utils.py, sgl-project/sglang-jax at cddbf6f1; the same list since the
 * `--precompile-bs-paddings` flag of 2025-09): a decode batch of n sequences runs the program compiled for the
 * smallest bucket >= n (`pad_to_bucket` in managers/schedule_batch.py), the padded rows carrying no KV pages
 * (`out_cache_loc` -1). `CompilationManager._compute_bs_buckets` appends the server's largest padded batch
 * (`--max-running-requests`) when it exceeds the last bucket.
 */
export const SGLJAX_DECODE_BS_BUCKETS: readonly number[] = Object.freeze([1, 2, 4, 8, 16, 32, 64, 128, 256]);

/**
 * SGL-JAX's default extend (prefill) token buckets (`PRECOMPILE_DEFAULT_TOKEN_PADDINGS = [1 << i for i in
 * range(6, 14)]`, the same file): a prefill or mixed step of T new tokens runs at the smallest bucket >= T;
 * `_compute_token_buckets` appends the server's largest padded token count (the chunked-prefill budget) when it
 * exceeds 8,192.
 */
export const SGLJAX_PREFILL_TOKEN_BUCKETS: readonly number[] = Object.freeze([
  64, 128, 256, 512, 1024, 2048, 4096, 8192,
]);

/**
 * Refuses a bucket list that is empty, holds a value that is not a positive integer, or is not strictly increasing,
 * naming `path`, the value and what was expected. O(buckets).
 */
export function checkBuckets(buckets: readonly number[], path: (string | number)[]): void {
  if (buckets.length === 0) {
    throw new ZettasimError([
      {
        path,
        message: "a bucket list needs at least one size",
        value: buckets,
        expected: "a non-empty list",
      },
    ]);
  }
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    if (!Number.isInteger(b) || b < 1) {
      throw new ZettasimError([
        {
          path: [...path, i],
          message: "a bucket size must be a positive integer",
          value: b,
          expected: ">= 1",
        },
      ]);
    }
    if (i > 0 && b <= buckets[i - 1]) {
      throw new ZettasimError([
        {
          path: [...path, i],
          message: "bucket sizes must increase",
          value: b,
          expected: `> ${buckets[i - 1]}`,
        },
      ]);
    }
  }
}

/**
 * The size a step of `n` rows runs at: the smallest bucket >= n; `n` itself when no bucket list is given (an engine
 * that runs the exact shape), when n <= 0, or past the last bucket (SGL-JAX compiles its largest padded size as the
 * last bucket, so a real server never exceeds it; a scenario that does is charged its own size). Never below n.
 * O(log buckets).
 */
export function padToBucket(n: number, buckets: readonly number[] | undefined): number {
  if (buckets === undefined || buckets.length === 0 || !(n > 0)) return n;
  let lo = 0;
  let hi = buckets.length - 1;
  if (n > buckets[hi]) return n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (buckets[mid] >= n) hi = mid;
    else lo = mid + 1;
  }
  return buckets[lo];
}

/** What a step's padded shape depends on: the engine's bucket lists (absent: exact shapes). */
export interface StepBuckets {
  decodeBatchBuckets?: readonly number[];
  prefillTokenBuckets?: readonly number[];
  /**
   * Buckets of a decode step whose sequences carry speculative draft tokens (SGLang's target-verify graphs); absent:
   * `decodeBatchBuckets`.
   */
  verifyBatchBuckets?: readonly number[];
  /**
   * True when the decode buckets count tokens (1 + drafts per sequence) rather than sequences (vLLM V1 pads a uniform
   * decode batch's token count to its capture sizes). Absent: sequences.
   */
  decodeBucketsCountTokens?: boolean;
}

/**
 * Activation rows one rank's compiled or graph-replayed step computes its linears over: a decode-only step pads its
 * sequences to the decode batch bucket (each sequence carrying `tokensPerSeq` query tokens, 1 + drafts; the verify
 * buckets when drafts are carried and the engine gives them) or, where the buckets count tokens, its tokens to the
 * bucket; a step with prompt tokens pads all its new tokens to the prefill token bucket (SGL-JAX's EXTEND and MIXED
 * modes share the token buckets). Attention is not padded here: the paged attention kernels walk only real sequences'
 * pages (padded rows carry no KV pages or a length of 0-1). Never below the exact rows. O(log buckets).
 */
export function paddedStepRows(
  b: StepBuckets,
  prefillTokens: number,
  decodeSeqs: number,
  tokensPerSeq: number,
): number {
  if (prefillTokens > 0) return padToBucket(prefillTokens + decodeSeqs * tokensPerSeq, b.prefillTokenBuckets);
  const buckets =
    tokensPerSeq > 1 && b.verifyBatchBuckets !== undefined ? b.verifyBatchBuckets : b.decodeBatchBuckets;
  if (b.decodeBucketsCountTokens === true) return padToBucket(decodeSeqs * tokensPerSeq, buckets);
  return padToBucket(decodeSeqs, buckets) * tokensPerSeq;
}
