// Memory per chip of the most loaded pipeline stage: model states as the data-parallel sharding leaves them, activations of the micro-batches in flight, buffers, less what offload moves to host memory.
import type { ResolvedTraining } from "./config.js";
import type { DataParallelCost } from "./fsdp.js";
import { ADAM_FP32_MASTER } from "./optimizer-state.js";
import type { StageCost } from "./stage.js";

/** Device memory the runtime keeps for itself (CUDA/CANN context, NCCL/HCCL channels, GEMM workspaces), bytes. */
export const RUNTIME_RESERVE_BYTES = 1.5e9;

/** Memory per chip by kind, bytes (after offload), and the weights before offload (what offload streams). */
export interface MemoryParts {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  buffers: number;
  weightsBeforeOffload: number;
  /** Bytes one gathered (compute-precision) parameter takes, all copies. */
  weightBytesPerParam: number;
}

/**
 * Memory of the most loaded stage: weights in bf16 (plus a low-precision copy when the GEMMs run in fp8/fp4;
 * twice for schedules that hold both pipeline directions; under ZeRO-3 only the gathered layers where the framework
 * casts per use, `FrameworkProfile.castPerUse`), gradients in the framework's bytes (fp32 or bf16), optimizer state (fp32 master
 * and two moments unless the framework names another optimizer, optimizer-state.ts) as sharded, activations of the micro-batches stage 0 holds (`inflight`; logits with one
 * stage), the runtime reserve and TP/EP communication buffers. Offloaded shares leave device memory; a
 * layer's worth of weights and two layers' worth of one micro-batch's activations stay as staging. Cost O(1).
 */
export function memoryPerChip(
  t: ResolvedTraining,
  weightCopies: number,
  dp: DataParallelCost,
  s0: StageCost,
  inflight: number,
  onlyStage: boolean,
  layers: {
    dense: { tpBytes: number };
    moe: { epDispatchBytes: number; epCombineBytes: number } | undefined;
  },
): MemoryParts {
  const bytesPerWeight = 2 + (t.recipe.matmul !== "bf16" ? t.recipe.operandBytes : 0);
  // A framework that keeps parameters in fp32 only and casts per use holds no bf16 copy of its ZeRO-3 shard.
  const computeParams =
    t.framework.castPerUse && t.zero === 3 ? dp.weightParams - dp.optimizerParams : dp.weightParams;
  const weightsFull = computeParams * bytesPerWeight * weightCopies;
  const o = t.offload;
  const staging = s0.layers > 0 ? weightsFull / s0.layers : 0;
  const weights =
    o.weights > 0 ? Math.max(weightsFull * (1 - o.weights), Math.min(weightsFull, staging)) : weightsFull;
  const actFull = s0.actBytesPerMicroBatch * inflight + (onlyStage ? s0.extraActBytes : 0);
  // Activations offload layer by layer as the forward produces them and come back one layer ahead of the
  // backward (MaxText's remat offload inside its scan over layers): two layers' worth stay as staging.
  const actStaging = s0.layers > 0 ? (2 * s0.actBytesPerMicroBatch) / s0.layers : s0.actBytesPerMicroBatch;
  const activations =
    o.activations > 0 ? Math.max(actFull * (1 - o.activations), Math.min(actFull, actStaging)) : actFull;
  const moe = layers.moe;
  return {
    weights,
    gradients: dp.gradParams * t.framework.gradBytes,
    optimizer: dp.optimizerParams * (t.framework.optimizer ?? ADAM_FP32_MASTER).state * (1 - o.optimizer),
    activations,
    buffers:
      RUNTIME_RESERVE_BYTES +
      2 * layers.dense.tpBytes +
      (moe ? 2 * (moe.epDispatchBytes + moe.epCombineBytes) : 0),
    weightsBeforeOffload: weightsFull,
    weightBytesPerParam: bytesPerWeight * weightCopies,
  };
}
