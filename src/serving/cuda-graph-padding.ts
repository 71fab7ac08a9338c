// CUDA-graph batch sizes of the GPU serving engines (vLLM, SGLang): a decode batch replays the smallest captured graph that holds it, its padded rows computed.
import { ZettasimError } from "../core/errors.js";

/**
 * Integers from `start` up to and including `stopInclusive` in steps of `step` (Python's `range(start, stop + 1,
 * step)`): the building block of the engines' capture lists. Empty when start > stop. O(length).
 */
export function steppedRange(start: number, stopInclusive: number, step: number): number[] {
  if (!Number.isInteger(step) || step < 1) {
    throw new ZettasimError([
      {
        path: ["step"],
        message: "a capture-list step must be a positive integer",
        value: step,
        expected: ">= 1",
      },
    ]);
  }
  const out: number[] = [];
  for (let v = start; v <= stopInclusive; v += step) out.push(v);
  return out;
}

/**
 * vLLM V1's default CUDA-graph capture sizes (tokens per step; one per sequence in plain decode):
 * `[1, 2, 4] + list(range(8, 256, 8)) + list(range(256, max_cudagraph_capture_size + 1, 16))`, with
 * `max_cudagraph_capture_size` = min(max_num_seqs x 2, 512) (docstring of `max_cudagraph_capture_size`,
 * vllm/config/compilation.py, vllm-project/vllm at 002284db; 512 at the default max_num_seqs of 256). A uniform decode
 * batch of n tokens is padded to the smallest size >= n and replays that FULL graph (`CudagraphDispatcher.dispatch`);
 * beyond the largest it runs without a graph. The 0.8-0.10 releases generated `[1, 2, 4] + range(8, 513, 8)`: the
 * same sizes below 256.
 */
export const VLLM_V1_CAPTURE_SIZES: readonly number[] = Object.freeze([
  1,
  2,
  4,
  ...steppedRange(8, 248, 8),
  ...steppedRange(256, 512, 16),
]);

/**
 * vLLM V0's decode graph batch sizes (0.4-0.7): `_BATCH_SIZES_TO_CAPTURE = [1, 2, 4] + [_BATCH_SIZE_ALIGNMENT * i for
 * i in range(1, 33)]` with `_BATCH_SIZE_ALIGNMENT = 8` (vllm/worker/model_runner.py of the 0.6 releases); a decode
 * batch is padded to the next one (`_get_graph_batch_size`).
 */
export const VLLM_V0_CAPTURE_SIZES: readonly number[] = Object.freeze([1, 2, 4, ...steppedRange(8, 256, 8)]);

/**
 * SGLang's default decode graph batch sizes without speculative decoding: `[1, 2, 4, 8] + list(range(16, 161, 8))`,
 * plus `range(160, 257, 8)` on a GPU of more than 96 GB (`get_batch_sizes_to_capture`,
 * python/sglang/srt/model_executor/cuda_graph_runner.py, sgl-project/sglang at 0021673c). `CudaGraphRunner.replay`
 * pads a batch of n to `capture_bs[bisect_left(capture_bs, n)]` unless `--disable-cuda-graph-padding`. Taken up to
 * 256 for every chip, as the engine's `graphMaxBatchPerRank` is (A: on an 80 GB GPU the default list stops at 160).
 * Later releases (`_generate_cuda_graph_batch_sizes` in server_args.py) add 12: not taken.
 */
export const SGLANG_CUDA_GRAPH_BS: readonly number[] = Object.freeze([
  1,
  2,
  4,
  8,
  ...steppedRange(16, 256, 8),
]);

/**
 * SGLang's default graph batch sizes with speculative decoding (the target-verify graphs, each sequence carrying
 * 1 + drafts tokens): `list(range(1, 9)) + list(range(10, 33, 2)) + list(range(40, 161, 16))`, plus `range(160, 257,
 * 8)` above 96 GB (same function and commit as `SGLANG_CUDA_GRAPH_BS`).
 */
export const SGLANG_SPECULATIVE_CUDA_GRAPH_BS: readonly number[] = Object.freeze([
  ...steppedRange(1, 8, 1),
  ...steppedRange(10, 32, 2),
  40,
  56,
  72,
  88,
  104,
  120,
  136,
  152,
  ...steppedRange(160, 256, 8),
]);
