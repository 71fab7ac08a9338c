// Measured tensor-parallel all-reduce calls of each serving engine on Hopper (NVLink 4 HGX), by group and message size.

import type { TpAllReduceCallTable } from "./types.js";

/** Message sizes of the rows, bytes: 1,024 to 33,554,432 bf16 elements per rank, doubling. */
const BYTES = Array.from({ length: 16 }, (_, i) => 2 * 1024 * 2 ** i);

/** Times in ms per call by engine and group size (8 GPUs, 4, 2), CUDA-graph replay, as the data file holds them. */
const MS: Record<"sglang" | "vllm" | "trtllm", Record<2 | 4 | 8, readonly number[]>> = {
  sglang: {
    2: [
      0.00447, 0.00457, 0.00465, 0.00463, 0.00457, 0.00467, 0.00488, 0.00525, 0.00635, 0.00844, 0.01244,
      0.02035, 0.03521, 0.0783, 0.13844, 0.24811,
    ],
    4: [
      0.00454, 0.00469, 0.00481, 0.00483, 0.0049, 0.00526, 0.0059, 0.00727, 0.01135, 0.01275, 0.01865,
      0.03049, 0.05386, 0.09994, 0.17233, 0.32407,
    ],
    8: [
      0.00475, 0.00498, 0.00526, 0.00547, 0.00568, 0.00657, 0.00815, 0.01488, 0.01576, 0.01752, 0.02099,
      0.03431, 0.0614, 0.1229, 0.19909, 0.32288,
    ],
  },
  vllm: {
    2: [
      0.00422, 0.00435, 0.00436, 0.00441, 0.00441, 0.00452, 0.00475, 0.00516, 0.00629, 0.0083, 0.01236,
      0.0202, 0.04546, 0.0823, 0.15844, 0.24687,
    ],
    4: [
      0.00453, 0.00465, 0.00477, 0.00486, 0.00485, 0.00523, 0.00583, 0.00712, 0.01118, 0.01262, 0.01846,
      0.03036, 0.05323, 0.09875, 0.17369, 0.32503,
    ],
    8: [
      0.00455, 0.00474, 0.00498, 0.0052, 0.00545, 0.00635, 0.00778, 0.0107, 0.01187, 0.01482, 0.01937,
      0.03057, 0.05071, 0.09237, 0.17775, 0.32088,
    ],
  },
  trtllm: {
    2: [
      0.00277, 0.00287, 0.0028, 0.00285, 0.00292, 0.00306, 0.00329, 0.00376, 0.00452, 0.0061, 0.00941,
      0.01713, 0.03752, 0.07853, 0.14265, 0.25423,
    ],
    4: [
      0.00302, 0.00314, 0.00314, 0.00327, 0.00344, 0.00368, 0.00426, 0.00548, 0.00792, 0.01291, 0.02613,
      0.03974, 0.06375, 0.10074, 0.17488, 0.32923,
    ],
    8: [
      0.00341, 0.00353, 0.00354, 0.00356, 0.00384, 0.00459, 0.0062, 0.01017, 0.0176, 0.02596, 0.03549, 0.0519,
      0.07943, 0.12232, 0.19723, 0.32247,
    ],
  },
};

function table(engine: keyof typeof MS, source: string): TpAllReduceCallTable {
  const secondsByGroup: Record<number, readonly number[]> = {};
  for (const [g, row] of Object.entries(MS[engine])) secondsByGroup[Number(g)] = row.map((ms) => ms * 1e-3);
  return { bytes: BYTES, secondsByGroup, source };
}

const AIC =
  "ai-dynamo/aiconfigurator h100_sxm/comm/<framework>/<release>/custom_allreduce_perf.parquet at commit 095f58a51c4c (bf16, CUDA graph), " +
  "data/kernels/tp-allreduce-aiconfigurator-2026.json";

/** SGLang's custom all-reduce (SGLang 0.5.10 on 8 H100s). */
export const HOPPER_SGLANG_TP_ALLREDUCE = table("sglang", `SGLang 0.5.10 custom all-reduce; ${AIC}`);
/** vLLM's custom all-reduce (vLLM 0.19.0 on 8 H100s). */
export const HOPPER_VLLM_TP_ALLREDUCE = table("vllm", `vLLM 0.19.0 custom all-reduce; ${AIC}`);
/** TensorRT-LLM's AllReduce op, strategy AUTO (TensorRT-LLM 1.3.0rc20 on 8 H100s). */
export const HOPPER_TRTLLM_TP_ALLREDUCE = table("trtllm", `TensorRT-LLM 1.3.0rc20 AllReduce (AUTO); ${AIC}`);
