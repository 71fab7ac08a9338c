// Offload to host memory as Calculon models it: shares of optimizer state, weights and activations live in host memory and cross the chip's host link every step or micro-batch.
import type { OffloadShares } from "./config.js";
import { hidden } from "./moe.js";

/** Host-link traffic and its exposed time per step. */
export interface OffloadCost {
  /** Time on the host link per step, s: total and left exposed after overlap. */
  totalS: number;
  exposedS: number;
  /** Bytes kept in host memory per chip. */
  hostBytes: number;
}

const NO_OFFLOAD: OffloadCost = Object.freeze({ totalS: 0, exposedS: 0, hostBytes: 0 });

/**
 * Offload time per step for `m` micro-batches (after Calculon, Isaev et al. SC'23: offloaded tensors stream
 * over the host link; weights and activations prefetched behind compute, optimizer state around the step):
 * - optimizer: the offloaded share of the optimizer state read in and written back, and the gradient shard
 *   sent, once per step around the update, not overlapped;
 * - weights: the offloaded share of the resident weights streamed in for every forward and backward,
 *   prefetched behind the micro-batch's compute;
 * - activations: the offloaded share of each micro-batch's stored activations written out in the forward and
 *   read back in the backward, behind the compute.
 * `tMb` is the micro-batch's compute on the slowest stage, `rho` the overlap cost. Cost O(1).
 */
export function offloadCost(
  o: OffloadShares,
  hostBytesPerS: number,
  m: number,
  tMb: number,
  rho: number,
  state: {
    weightBytes: number;
    optimizerParams: number;
    optimizerStateBytes: number;
    gradBytes: number;
    actBytesPerMicroBatch: number;
  },
): OffloadCost {
  if (o.optimizer <= 0 && o.weights <= 0 && o.activations <= 0) return NO_OFFLOAD;
  const optBytes = state.optimizerParams * state.optimizerStateBytes * o.optimizer;
  const optS = (2 * optBytes + state.gradBytes * o.optimizer) / hostBytesPerS;
  const wBytes = state.weightBytes * o.weights;
  const aBytes = state.actBytesPerMicroBatch * o.activations;
  const perMb = (2 * wBytes + 2 * aBytes) / hostBytesPerS;
  return {
    totalS: optS + m * perMb,
    exposedS: optS + m * hidden(perMb, tMb, rho),
    hostBytes: optBytes + wBytes + aBytes,
  };
}
