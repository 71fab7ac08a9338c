// Megatron-Core's NaN check of the gradients before the data-parallel reduce (`check_for_nan_in_grad`): a read of every
// gradient bucket and a host-device sync per bucket, once per step.
import { HOST_SYNC_S, KERNELS_AFTER_SYNC } from "./overheads.js";

/**
 * Step time of Megatron-Core DDP's `check_for_nan_in_grad`, s. Before each bucket's reduce-scatter (all-reduce),
 * `start_grad_sync` computes the norm of the bucket's whole local gradient buffer and asserts it is not NaN
 * (megatron/core/distributed/param_and_grad_buffer.py: `norm = bucket.grad_data.norm(p=2)`, then `assert not
 * norm.isnan()`; later releases route the same check through `check_grads` and the rerun state machine). The norm is
 * a memory-bound kernel reading every gradient of the rank once per step on the compute stream (`readS`: the buffer's
 * bytes through HBM), and the assert turns the norm into a Python bool: one device-to-host sync per bucket, after
 * which the device idles while the host launches the next kernels (`overheads.ts`: HOST_SYNC_S +
 * KERNELS_AFTER_SYNC launches). Both are exposed: the read runs on the stream the backward runs on, and the sync stops
 * the host from running ahead. 0 when the check is off (the caller turns it off under ZeRO-3, which has no DDP
 * buckets). Cost O(1).
 */
export function gradNanCheckS(on: boolean, readS: number, buckets: number, launchS: number): number {
  if (!on) return 0;
  return readS + buckets * (HOST_SYNC_S + KERNELS_AFTER_SYNC * launchS);
}
