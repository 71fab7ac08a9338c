// TensorRT-LLM 0.17's PyTorch backend (its first release, early 2025): eager decode and no overlap scheduler unless asked for.

import { deriveEngine } from "./lineage.js";
import { TRTLLM } from "./trtllm.js";
import type { ServingEngine } from "./types.js";

/**
 * TensorRT-LLM's PyTorch backend as first released (0.17, 2025-02; "available in version 0.17 and later", the
 * backend's docs page). Its `PyTorchConfig` (tensorrt_llm/_torch/pyexecutor/config.py of that period) defaults
 * `use_cuda_graph: bool = False` and `enable_overlap_scheduler: bool = False` (and `print_iter_log: bool = True`),
 * and `trtllm-serve`'s launcher of that period builds `PyTorchConfig(enable_overlap_scheduler=..., use_cuda_graph=...)`
 * from arguments that default to False, so a server started without an extra-options file (as dstack's
 * `trtllm-serve --backend pytorch ...` of 2025-03) decodes eagerly, op by op from Python, with host work in series
 * with the device. The 0.18 quick-start still passes `--enable_overlap_scheduler` as an opt-in flag (default False),
 * and users reproducing NVIDIA's DeepSeek-R1 figures in 2025-03 set `use_cuda_graph: true` and
 * `enable_overlap_scheduler: true` by hand (NVIDIA/TensorRT-LLM issue 3058). Kernel count: the unfused count
 * (kernelFactor 1): the fused all-reduce + norm and fused routing that the later `trtllm` profile's 0.8 stands for
 * are described in tech blog 1 (2025-05), after this release (A). Host step figures as `trtllm` (A).
 */
export const TRTLLM_PYTORCH_0_17: ServingEngine = deriveEngine(TRTLLM, {
  id: "trtllm-pytorch-0.17",
  name: "TensorRT-LLM 0.17 (PyTorch backend, defaults)",
  hostOverlap: false,
  decodeGraphs: false,
  kernelFactor: 1,
  source:
    "TensorRT-LLM 0.17 PyTorchConfig defaults use_cuda_graph=False, enable_overlap_scheduler=False (pyexecutor/config.py); trtllm-serve passes them through (default False); 0.18 quick-start (overlap opt-in); issue 3058",
});
