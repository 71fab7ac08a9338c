// TensorRT-LLM v0.7a-v0.8 (TensorRT backend, early 2024): the 2023 engine with the XQA decode kernel for MQA/GQA.

import { deriveEngine } from "./lineage.js";
import { TRTLLM_2023 } from "./trtllm-2023.js";
import type { ServingEngine } from "./types.js";

/**
 * TensorRT-LLM from the v0.7a preview to v0.8 (2023-12 to 2024-03): still TensorRT engines run by the C++ GptSession
 * with the 2023 FP8 path (TensorRT's per-tensor-scaled FP8 matmuls: FP8 in the GEMM plugin came with v0.11, release
 * notes; context FMHA in FP16 over an FP8 cache: FP8 context FMHA is absent from v0.8.0's trtllm-build, issue 1463),
 * but its generation-phase attention for MQA/GQA is the XQA kernel, whose query group shares each loaded KV tile
 * (docs/source/blogs/XQA-kernel.md: Llama-70B FP8 on one H200 1,227 tok/s/GPU without XQA and 2,941 with it;
 * Falcon180B-H200.md: 'TensorRT-LLM GQA now 2.4x faster on H200 ... v0.7a vs v0.6a'), so the cache is read once per
 * KV head (`gqaDecodePerQueryHead` off; CHANGELOG.md, v0.7.0: 'FP8 KV cache support for XQA kernel', 'MMHA optimization
 * for MQA and GQA'). Other figures as `trtllm-2023` (A), the separate SwiGLU kernel included.
 */
export const TRTLLM_0_8: ServingEngine = deriveEngine(TRTLLM_2023, {
  id: "trtllm-0.8",
  name: "TensorRT-LLM v0.7a-v0.8 (TensorRT backend, XQA)",
  gqaDecodePerQueryHead: false,
  source:
    "TensorRT-LLM blogs/XQA-kernel.md and Falcon180B-H200.md (XQA for GQA from v0.7a, v0.8 release); FP8 linears as TensorRT per-tensor FP8 matmuls (FP8 GEMM plugin v0.11 release notes) and FP16 context FMHA (issue 1463); other figures as trtllm-2023 (A)",
});
