// vLLM 0.19.0's measured fused-MoE layer tables (aiconfigurator; H200, B200) as family figures.

import type { FusedMoeCallTable } from "./types.js";
import { VLLM_MOE_SERIES, VLLM_MOE_TOKENS } from "./vllm-moe-aiconfigurator.data.js";

function table(key: string, measured: string): FusedMoeCallTable {
  const series = VLLM_MOE_SERIES[key];
  if (series === undefined) throw new Error(`no vLLM fused-MoE table ${key}`);
  return { measured, tokens: VLLM_MOE_TOKENS, series };
}

/** vLLM 0.19.0's FusedMoE layer call on H200 SXM (data/kernels/vllm-moe-aiconfigurator-2026.json). */
export const VLLM_MOE_H200 = table("h200/vllm-0.19.0", "vLLM 0.19.0 on H200 SXM");
/** vLLM 0.19.0's FusedMoE layer call on B200 SXM. */
export const VLLM_MOE_B200 = table("b200/vllm-0.19.0", "vLLM 0.19.0 on B200 SXM");
