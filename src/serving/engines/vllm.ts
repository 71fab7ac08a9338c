// vLLM (V1 engine, 0.11 and later): full CUDA-graph decode (FULL_AND_PIECEWISE), host work in series with the GPU unless async scheduling is on.
import { VLLM_V1_CAPTURE_SIZES } from "../cuda-graph-padding.js";
import { PYTHON_EAGER_HOST_PER_KERNEL_S } from "../eager-launch.js";
import type { ServingEngine } from "./types.js";

/**
 * Serial host time of one vLLM V1 engine step at the 10 sequences of vLLM PR 25444's benchmark, s, when decode replays
 * full CUDA graphs: what `--async-scheduling` hides. PR 25444 (mgoin, 2025-09-23; it made FULL_AND_PIECEWISE the
 * default, in v0.11.0) measured Qwen3-Coder-30B-A3B-Instruct-FP8 on one H100, `vllm bench serve --num-prompts 10`
 * (10 requests of 1,024 in and 128 out, all at once): 5.83 req/s with `-O.cudagraph_mode=FULL` and 6.03 with
 * `--async-scheduling` added; 5.98 and 6.20 with FULL_AND_PIECEWISE. The benchmark lasts 10 / (req/s), so async
 * scheduling saves 10/5.83 - 10/6.03 = 56.9 ms and 10/5.98 - 10/6.20 = 59.3 ms over the 128 steps of the run: 0.44 and
 * 0.46 ms per step. That build's async path runs the whole host step ahead of the GPU (scheduling since vLLM PR 19970;
 * input preparation and sampling bookkeeping since PR 23569, opened 2025-08-25 and ported by vllm-ascend PR 2783 on
 * 2025-09-05), so the saving is the host work that runs in series without the flag. 0.45 ms.
 */
export const VLLM_FULL_GRAPH_HOST_AT_10_SEQS_S = 0.45e-3;
/** Sequences in flight in PR 25444's benchmark (10 prompts at an infinite request rate). */
export const PR25444_SEQS = 10;
/**
 * Per-sequence host units the step charges at a decode step of PR 25444's sequences: `InstanceCost.step` counts each
 * decoding sequence and each logit row (one per decoding sequence) once, so 2 x 10.
 */
export const PR25444_HOST_UNITS = 2 * PR25444_SEQS;
/** Host time per running sequence per step, s: no split of the step's host time by batch was found (A). */
export const VLLM_HOST_PER_SEQ_S = 10e-6;

/**
 * vLLM V1 from 0.11. The V1 blog (vLLM, 2025-01-24) names the host work between forward passes (scheduling, input
 * preparation, detokenisation) as the bottleneck once a GPU step is ~5 ms; V1 moves the API server and detokenisation
 * off the engine core, but scheduling, input preparation and output bookkeeping stay in series with the forward pass
 * unless `--async-scheduling` (off by default in 0.10-0.11) is given. Host per step: PR 25444's measured 0.45 ms at
 * 10 sequences, split as 0.25 ms + 10 us per sequence and logit row (20 at 10 decoding sequences; the per-sequence
 * share assumed, A). From v0.11.0 the default
 * CUDA-graph mode is FULL_AND_PIECEWISE (PR 25444): a uniform decode batch replays one full graph, attention included,
 * so its kernel count is the model's (kernelFactor 1); earlier V1 releases are `vllm-0.10`.
 */
export const VLLM: ServingEngine = {
  id: "vllm",
  name: "vLLM",
  hostStepS: VLLM_FULL_GRAPH_HOST_AT_10_SEQS_S - PR25444_HOST_UNITS * VLLM_HOST_PER_SEQ_S,
  hostPerSeqS: VLLM_HOST_PER_SEQ_S,
  hostOverlap: false,
  decodeGraphs: true,
  graphMaxBatchPerRank: 512,
  kernelFactor: 1,
  // Eager steps (no graph) issue every op from Python: SGLang PR 1401's eager Llama 3 8B step, 23.1 us per kernel.
  eagerHostPerKernelS: PYTHON_EAGER_HOST_PER_KERNEL_S,
  // FP8 per-tensor linears on ROCm: the wvSplitKQ skinny kernel only for a single token (`qinput.shape[0] == 1` in
  // rocm_per_tensor_w8a8_scaled_mm, vLLM 0.9-0.10, read in ROCm/vllm main of 2025-08-28, f8c9a3852), else
  // torch._scaled_mm (hipBLASLt). Families without a separate BLAS rate are not affected.
  fp8SkinnyMaxRows: 1,
  // A uniform decode step pads its token count to the next CUDA-graph capture size and replays that FULL graph; the
  // logits are computed after the graph over the real rows (`compute_logits` on `logits_indices`, gpu_model_runner.py).
  decodeBatchBuckets: VLLM_V1_CAPTURE_SIZES,
  decodeBucketsCountTokens: true,
  logitsOutsideGraph: true,
  // CustomAllreduce.should_custom_ar refuses a buffer that is not a multiple of 16 bytes ('custom allreduce requires
  // input byte size to be multiples of 16'), and CudaCommunicator.all_reduce then calls pynccl
  // (vllm/distributed/device_communicators/{custom_all_reduce,cuda_communicator}.py, read at 0ad80649 and 00b5a01d).
  customAllReduceAlignBytes: 16,
  draftHostS: 0.2e-3,
  // EAGLE/MTP drafting (V1's EagleProposer.propose, vllm/v1/spec_decode/eagle.py, read at vllm-project/vllm 008603a39f)
  // runs the draft model's first forward over every target token of the step (`num_tokens`, the verified window of each
  // decoding request) and takes logits at one row per request, then `num_speculative_tokens - 1` one-row passes: the
  // draft-extend shape of draft-passes.ts. Taken for earlier V1 releases too (A).
  draftExtendsVerified: true,
  // vLLM: --enable-expert-parallel and data-parallel attention are off by default; --tensor-parallel-size shards both.
  defaultLayout: "tensor-parallel",
  source:
    "vLLM PR 25444 (2025-09-23): async scheduling saves 0.44-0.46 ms per step at 10 sequences on one H100 under full decode graphs, the FULL_AND_PIECEWISE default from v0.11.0; per-sequence share assumed (A)",
};
