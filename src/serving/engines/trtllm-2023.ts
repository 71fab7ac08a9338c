// TensorRT-LLM v0.5-v0.7 (TensorRT backend, late 2023): the masked multi-head attention decode kernel, before XQA.

import { deriveEngine } from "./lineage.js";
import { TRTLLM } from "./trtllm.js";
import type { ServingEngine } from "./types.js";

/**
 * TensorRT-LLM as released in late 2023 (v0.5.0 2023-10, v0.6.1 2023-12, v0.7.1 2024-01): TensorRT engines run by the
 * C++ GptSession (gptSessionBenchmark: one static batch, one context phase then the generation steps). Its
 * generation-phase attention for MHA, MQA and GQA alike is the masked multi-head attention kernel
 * (cpp/tensorrt_llm/kernels/decoderMaskedMultiheadAttention, release/0.5.0 docs/source/gpt_attention.md): one thread
 * block per (query head, sequence), each loading its KV head's cache for every past token, so a GQA cache is streamed
 * once per query head (`gqaDecodePerQueryHead`, src/serving/decode-attention.ts). The XQA kernels, which load each KV
 * tile once for the whole query group, came with v0.8 (2024-03: docs/source/blogs/XQA-kernel.md, "XQA optimization
 * for MQA/GQA in generation phase"; issue 1240 "version 0.8.0 to support the xqa"), the Hopper XQA kernels for
 * Llama 2 70B with v0.10 (release notes, 2024-06). Its FP8 linears are TensorRT's per-tensor-scaled FP8 matmuls and
 * its context FMHA runs in FP16 over an FP8 cache (`perTensorFp8Gemm`, `fp16ContextAttention`). Host, graph and fusion
 * figures as `trtllm` (A). Runs stated as v0.7a-v0.8 (XQA for GQA) name `trtllm-0.8` (./trtllm-0.8.ts).
 */
export const TRTLLM_2023: ServingEngine = deriveEngine(TRTLLM, {
  id: "trtllm-2023",
  name: "TensorRT-LLM v0.5-v0.7 (TensorRT backend, 2023)",
  gqaDecodePerQueryHead: true,
  // FP8 linears as TensorRT 9.1 per-tensor-scaled matmuls (`--enable_fp8 --strongly_typed`, no GEMM plugin; FP8 in
  // the GEMM plugin came with v0.11) and context FMHA in FP16 over the FP8 cache (FP8 context FMHA after v0.8.0,
  // issue 1463): src/serving/fp8-gemm-library.ts.
  perTensorFp8Gemm: true,
  fp16ContextAttention: true,
  // Llama's gated MLP: gate/up matmuls then 'a separate SwiGLU kernel' (performance.md Known Issues, v0.6.1).
  separateGatedActivation: true,
  // GptSession runs one static batch to its full output length with nothing evicted, its paged pool sized for
  // batch x maximum sequence length (cpp/tensorrt_llm/runtime/gptSession.cpp, createKvCacheManagers): an unstated
  // KV dtype is 8-bit where a 16-bit cache of the stated batch cannot fit (src/serving/static-batch-kv.ts).
  staticBatchWholeKv: true,
  source:
    "TensorRT-LLM release/0.5.0 gpt_attention.md (masked MHA generation kernel); XQA for MQA/GQA from v0.8 (blogs/XQA-kernel.md, issue 1240), Hopper XQA for Llama 2 70B v0.10 (release notes); FP8 linears as TensorRT 9.1 per-tensor FP8 matmuls (`--enable_fp8 --strongly_typed`; FP8 GEMM plugin v0.11 release notes) and FP16 context FMHA (FP8 context FMHA absent from v0.8.0: issue 1463); other figures as trtllm (A)",
});
