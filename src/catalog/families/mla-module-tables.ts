// The measured MLA attention-module decode tables (aiconfigurator: vLLM 0.19.0, TensorRT-LLM 1.3.0rc10; H200, B200) as family figures.

import {
  MLA_MODULE_BATCHES,
  MLA_MODULE_GRIDS_US,
  MLA_MODULE_STEPS,
} from "./mla-module-aiconfigurator.data.js";
import type { MlaModuleTable } from "./types.js";

/**
 * DeepSeek-V3's attention shape, which aiconfigurator's MLA module collectors build (deepseek-ai/DeepSeek-V3
 * config.json: hidden_size 7168, q_lora_rank 1536, kv_lora_rank 512, qk_nope_head_dim 128, qk_rope_head_dim 64,
 * v_head_dim 128); Kimi K2 has the same (its config.json), with 64 heads.
 */
const DEEPSEEK_V3_MLA = {
  hiddenSize: 7168,
  qLoraRank: 1536,
  kvLoraRank: 512,
  qkNopeHeadDim: 128,
  qkRopeHeadDim: 64,
  vHeadDim: 128,
} as const;

function table(key: string, measured: string): MlaModuleTable {
  const grids = MLA_MODULE_GRIDS_US[key];
  if (grids === undefined) throw new Error(`no MLA module table ${key}`);
  return { measured, shape: DEEPSEEK_V3_MLA, batches: MLA_MODULE_BATCHES, steps: MLA_MODULE_STEPS, grids };
}

/** vLLM 0.19.0's DeepseekV2MLAAttention module in decode on H200 SXM (data/kernels/mla-module-aiconfigurator-2026.json). */
export const MLA_MODULE_H200_VLLM = table("h200/vllm-0.19.0", "vLLM 0.19.0 on H200 SXM");
/** vLLM 0.19.0's DeepseekV2MLAAttention module in decode on B200 SXM. */
export const MLA_MODULE_B200_VLLM = table("b200/vllm-0.19.0", "vLLM 0.19.0 on B200 SXM");
/** TensorRT-LLM 1.3.0rc10's MLA module in decode on H200 SXM. */
export const MLA_MODULE_H200_TRTLLM = table("h200/trtllm-1.3.0rc10", "TensorRT-LLM 1.3.0rc10 on H200 SXM");
/** TensorRT-LLM 1.3.0rc10's MLA module in decode on B200 SXM (BF16 KV cache only). */
export const MLA_MODULE_B200_TRTLLM = table("b200/trtllm-1.3.0rc10", "TensorRT-LLM 1.3.0rc10 on B200 SXM");
