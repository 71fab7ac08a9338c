// vLLM (V1 engine): piecewise CUDA-graph decode, host scheduling in series with the GPU unless async scheduling is on.
import { PYTHON_EAGER_HOST_PER_KERNEL_S } from "../eager-launch.js";
import type { ServingEngine } from "./types.js";

/**
 * vLLM V1. The V1 blog (vLLM, 2025-01-24) names the host work between forward passes (scheduling,
 * input preparation, detokenisation) as the bottleneck once a GPU step is ~5 ms; V1 moves the API
 * server and detokenisation off the engine core, but scheduling and input preparation stay in series
 * with the forward pass unless `--async-scheduling` (off by default through 2025) is given. Decode
 * runs from piecewise CUDA graphs (capture sizes up to 512). Host 1.5 ms per step plus 10 us per
 * sequence, kernels 1.1x the unfused count (attention outside the graph pieces): assumed (A).
 */
export const VLLM: ServingEngine = {
  id: "vllm",
  name: "vLLM",
  hostStepS: 1.5e-3,
  hostPerSeqS: 10e-6,
  hostOverlap: false,
  decodeGraphs: true,
  graphMaxBatchPerRank: 512,
  kernelFactor: 1.1,
  // Eager steps (no graph) issue every op from Python: SGLang PR 1401's eager Llama 3 8B step, 23.1 us per kernel.
  eagerHostPerKernelS: PYTHON_EAGER_HOST_PER_KERNEL_S,
  // FP8 per-tensor linears on ROCm: the wvSplitKQ skinny kernel only for a single token (`qinput.shape[0] == 1` in
  // rocm_per_tensor_w8a8_scaled_mm, vLLM 0.9-0.10, read in ROCm/vllm main of 2025-08-28, f8c9a3852), else
  // torch._scaled_mm (hipBLASLt). Families without a separate BLAS rate are not affected.
  fp8SkinnyMaxRows: 1,
  draftHostS: 0.2e-3,
  // vLLM: --enable-expert-parallel and data-parallel attention are off by default; --tensor-parallel-size shards both.
  defaultLayout: "tensor-parallel",
  source: "vLLM V1 blog 2025-01-24 (host work in series with the GPU step); figures assumed (A)",
};
