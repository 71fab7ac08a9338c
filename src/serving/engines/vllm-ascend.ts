// vLLM-Ascend 0.9 (the vLLM plugin for Ascend NPUs on vLLM 0.9's V1 engine): ACLGraph piecewise decode, attention issued eagerly between pieces.
import { piecewiseHostPerLayerS, VLLM_ASCEND_PIECEWISE_LAYER } from "../piecewise-host.js";
import { deriveEngine } from "./lineage.js";
import type { ServingEngine } from "./types.js";
import { VLLM_0_10 } from "./vllm-0.10.js";

/**
 * vLLM-Ascend 0.9.x. Its graph-mode guide (docs.vllm.ai/projects/ascend, v0.9.1, 'Graph Mode Guide'): 'From v0.9.1rc1
 * with V1 Engine, vLLM Ascend will run models in graph mode by default' with ACLGraph 'the default graph mode', which
 * captures vLLM's piecewise graphs: the attention of every layer runs eagerly between the pieces (vLLM's PIECEWISE
 * mode of 0.8-0.10, `vllm-0.10`). On an Ascend host that eager part does not hide behind the device: a profiled decode
 * layer under vllm-ascend's default mode takes 832 us of which the NPU idles 591 (vllm-ascend issue 9404, 910B3;
 * FULL_DECODE_ONLY removes it), so a decode step lasts at least layers x 832 us (`piecewiseHostPerLayerS`; P for that
 * MoE layer on 0.18, A for other models and for 0.9.x, whose piecewise path is the same). Host per step and kernel
 * factor as `vllm-0.10` (A).
 */
export const VLLM_ASCEND_0_9: ServingEngine = deriveEngine(VLLM_0_10, {
  id: "vllm-ascend-0.9",
  name: "vLLM-Ascend 0.9 (V1, ACLGraph piecewise)",
  piecewiseHostPerLayerS: piecewiseHostPerLayerS(VLLM_ASCEND_PIECEWISE_LAYER),
  // vllm-ascend derives its own ACLGraph sizes from the stream budget (not read here): no padding charged (A).
  decodeBatchBuckets: undefined,
  decodeBucketsCountTokens: undefined,
  source:
    "vllm-ascend Graph Mode Guide v0.9.1 (ACLGraph piecewise by default); vllm-ascend issue 9404: 832 us per host-bound decode layer (591 us idle) under the default mode; the rest as vllm-0.10 (A)",
});
