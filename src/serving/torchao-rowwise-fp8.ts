// FP8 GEMM rate of torchao per-row FP8 checkpoints, whose linears run torch._scaled_mm with row-wise scales whatever the engine.

import type { KernelEfficiency } from "../catalog/families/types.js";
import type { WeightQuantization } from "./block-fp8-gemm.js";

/**
 * Fraction of the FP8 peak that a dense FP8 linear of a torchao per-row checkpoint (`quantization:
 * "torchao-rowwise-fp8"`, torchao's Float8DynamicActivationFloat8WeightConfig with PerRow granularity) reaches on this
 * family: the family's `gemmFp8TorchRowwise`, O(1). undefined when the checkpoint is not one, the matmul is not FP8,
 * or the family gives no figure (the caller keeps its engine's rate).
 *
 * Why: such a checkpoint keeps its weights as torchao tensor subclasses, and an engine that loads it (vLLM's torchao
 * integration) calls `F.linear` on them, so torchao picks the kernel, not the engine's own FP8 kernels: torch._scaled_mm
 * with per-row scales unless fbgemm_gpu_genai is installed (torchao float8_tensor.py, `_float8_linear_impl`,
 * KernelPreference.AUTO, at pytorch/ao aa2528724). In PyTorch 2.9 that op runs cuBLASLt's outer-vector-scaled kernels
 * or PyTorch's own CUTLASS RowwiseScaledMM kernel on Hopper, which perform "very closely" on a 700 W H100 (pytorch/
 * pytorch PR 157905), and on SM100 only PyTorch's CUTLASS kernel, since cuBLASLt's outer-vector scaling is SM90-only
 * (NVIDIA/CUDALibrarySamples issue 270). That SM100 kernel is the SM90 one re-tagged without its large-tile schedule
 * and left untuned (pytorch/pytorch PRs 148274, 148421: "performance optimization will be done in separate follow up
 * PRs"; issue 153555: "template is not optimal").
 */
export function torchaoRowwiseFp8Fraction(
  eff: Pick<KernelEfficiency, "gemmFp8TorchRowwise">,
  quantization: WeightQuantization | undefined,
  precision: string,
): number | undefined {
  if (quantization !== "torchao-rowwise-fp8" || precision !== "fp8") return undefined;
  return eff.gemmFp8TorchRowwise;
}
