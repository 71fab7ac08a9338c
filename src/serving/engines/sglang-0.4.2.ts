// SGLang 0.4.2 (early 2025): the SGLang profile at a release whose ROCm build ran MLA decode through its Triton kernel, before aiter.
import { deriveEngine } from "./lineage.js";
import { SGLANG } from "./sglang.js";
import type { ServingEngine } from "./types.js";

/**
 * SGLang 0.4.2 (2025-01/02). On CUDA it is the SGLang profile as it stands. On ROCm this release ran DeepSeek's MLA
 * decode attention through SGLang's own Triton split-KV kernel (the `triton` attention backend's grouped MLA path,
 * decode_attention.py; 16 KV tokens a tile and 16 splits on HIP, sgl-project/sglang PR 3255): aiter's MLA kernels
 * came later, and the ROCm images of later releases turn them on (SGLANG_USE_AITER=1 in the Instinct Dockerfile;
 * InferenceMAX's MI355X launch scripts pass `--attention-backend aiter`), so what that Triton kernel costs on a CDNA
 * chip is the family's answer for this release only (`servingByEngine["sglang-0.4.2"]`), not for `sglang`. Later
 * 0.4.x releases were not checked one by one.
 */
export const SGLANG_0_4_2: ServingEngine = deriveEngine(SGLANG, {
  id: "sglang-0.4.2",
  name: "SGLang 0.4.2 (early 2025)",
  source:
    "the SGLang profile; ROCm MLA decode through SGLang's Triton split-KV kernel before aiter (sgl-project/sglang PR 3255, decode_attention.py)",
});
