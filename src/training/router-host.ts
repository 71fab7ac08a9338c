// Host (Python/PyTorch) time of Megatron-Core's MoE router and dispatch preprocess beyond the kernels they launch: the measured host range of one eager layer forward.
import type { MoeDispatcher } from "./frameworks.js";

/**
 * Median host wall time of Megatron-Core's `#MOE_ROUTER_AND_PRE` NVTX range, one MoE layer forward, s: router
 * (logits GEMM, score function, top-k, routing map, auxiliary-loss terms) and the all-to-all dispatcher's
 * preprocess (token counts per expert and rank), launched eagerly from an x86 host. nsys NVTX summary of
 * Qwen3-30B-A3B on one 8-GPU DGX B200 (EP 8, 4,096-token micro-batch, BF16, all-to-all dispatcher), medians of
 * 6,137 layer forwards, posted in yanring/Megatron-MoE-ModelZoo issue 7 (2025-08-18);
 * data/kernels/moe-host-published.json, `megatron_moe_layer_forward_host_b200`. The layer's device work is about
 * 1 ms in the shape model, so the range is host time, not a wait on the device. Not fitted on any case.
 */
export const ROUTER_PREPROCESS_HOST_S = 1.871e-3;

/**
 * Host time one eager forward of a Megatron-Core router and dispatch preprocess adds beyond the kernel launches
 * the layer model already counts for it, s: the measured range (`measuredS`, the framework's; undefined where
 * the framework has no such measurement) less `countedKernels` launches at the x86 eager cost `eagerLaunchS`,
 * never negative, scaled by the host CPU (`hostOpTimeRelative`: Grace against the x86 host it was measured on).
 * None when CUDA graphs replay the router and preprocess (Megatron's partial graphs capture them: DeepSeek-V3
 * GB200 write-up, sec. 2.3) and none for the flex dispatchers (DeepEP, HybridEP), whose fused preprocess is
 * another code path the measurement did not cover. Cost O(1).
 */
export function routerPreprocessHostS(
  measuredS: number | undefined,
  dispatcher: MoeDispatcher,
  graphed: boolean,
  countedKernels: number,
  eagerLaunchS: number,
  hostOpTimeRelative: number,
): number {
  if (measuredS === undefined || graphed || dispatcher !== "alltoall") return 0;
  return hostOpTimeRelative * Math.max(0, measuredS - countedKernels * eagerLaunchS);
}
