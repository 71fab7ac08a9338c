// vLLM V1 engine before 0.11 (0.8 to 0.10.x): piecewise CUDA-graph decode, attention run between the graph pieces.
import { deriveEngine } from "./lineage.js";
import type { ServingEngine } from "./types.js";
import { PR25444_HOST_UNITS, VLLM, VLLM_HOST_PER_SEQ_S } from "./vllm.js";

/**
 * Serial host time of one V1 engine step at PR 25444's 10 sequences when decode replays piecewise graphs, s. The
 * same PR and benchmark as `VLLM_FULL_GRAPH_HOST_AT_10_SEQS_S` (Qwen3-Coder-30B-A3B FP8 on one H100, 10 requests of
 * 1,024 in and 128 out) in the default mode of that time, PIECEWISE: 4.07 req/s, 4.29 with `--async-scheduling`,
 * so 10/4.07 - 10/4.29 = 126 ms over 128 steps, 0.98 ms per step that async scheduling hides.
 */
export const VLLM_PIECEWISE_HOST_AT_10_SEQS_S = 0.98e-3;

/**
 * vLLM's V1 engine from 0.8 (V1 the default) through 0.10.x, whose default CUDA-graph mode was PIECEWISE (vLLM PR
 * 25444 changed it to FULL_AND_PIECEWISE for v0.11.0): torch.compile splits each layer's graph at the attention op,
 * which runs eagerly between the captured pieces. Host per step from PR 25444's PIECEWISE rows (0.98 ms at 10
 * sequences, per-sequence share as `vllm`, A); kernels 1.1x the unfused count for the attention calls outside the
 * pieces, assumed (A) as before.
 */
export const VLLM_0_10: ServingEngine = deriveEngine(VLLM, {
  id: "vllm-0.10",
  name: "vLLM 0.8-0.10 (V1, piecewise graphs)",
  hostStepS: VLLM_PIECEWISE_HOST_AT_10_SEQS_S - PR25444_HOST_UNITS * VLLM_HOST_PER_SEQ_S,
  kernelFactor: 1.1,
  source:
    "vLLM PR 25444 (2025-09-23), PIECEWISE rows: async scheduling saves 0.98 ms per step at 10 sequences on one H100; kernels 1.1x for attention between graph pieces (A)",
});
