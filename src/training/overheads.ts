// Per-kernel, per-layer and per-step overheads: host launch cost against device time, host-device syncs, the slowest chip of a synchronous job, and the optimizer step.
import { expectedMaxNormal } from "./moe.js";

/**
 * Chip-to-chip spread of sustained speed (coefficient of variation): "5% and higher differences on an 8-GPU
 * node" from silicon lottery, power and cooling (S. Bekman, ml-engineering, compute/accelerator, "Not all
 * accelerators are created equal"); the expected range of 8 normal draws is 2.85 sigma, so sigma ~ 1.75%.
 */
export const CHIP_SPEED_SPREAD = 0.05 / 2.85;

/**
 * Slowdown of a synchronous job on `chips` chips against one typical chip: every step waits for the slowest,
 * whose sustained speed lies z(chips) spreads below the mean (z: expected maximum of n normal draws).
 * 1 for one chip; ~1.025 for 8, ~1.066 for 8,192. Cost O(1).
 */
export function slowestChipFactor(chips: number): number {
  return 1 / (1 - CHIP_SPEED_SPREAD * expectedMaxNormal(chips));
}

/**
 * Device-to-host round trip of a host-device sync (a small copy and a stream synchronise), s, after which the
 * host must launch the next kernels before the device has work again (A: CUDA event latency ~5-10 us).
 */
export const HOST_SYNC_S = 10e-6;
/** Kernels the host launches after a sync before the device's queue is ahead again (the layer's next few small kernels). */
export const KERNELS_AFTER_SYNC = 4;

/**
 * Time of one pass (forward or backward) over a layer on one rank, s: the device's work, unless the host takes
 * longer to launch its kernels (`hostS`: kernels x launch cost, eager dispatch or replay from a CUDA graph), plus
 * the device idle time after each host-device sync. Cost O(1).
 */
export function passTime(deviceS: number, hostS: number, launchS: number, syncs: number): number {
  return Math.max(deviceS, hostS) + syncs * (HOST_SYNC_S + KERNELS_AFTER_SYNC * launchS);
}

/**
 * Time of one forward pass over an MoE layer whose host waits once on the device for the routed-token counts, s.
 * Before the sync the host launches the static part (attention, norms, router, dispatch preprocess) and then
 * blocks until the device has run it; after it, it launches the routed-expert path (permute, dispatch, expert
 * GEMMs, combine) while the device runs it. Neither side can run ahead across the sync, so each part costs the
 * longer of its host and device time: max(H_dyn, D_dyn) + max(H - H_dyn, D - D_dyn), never less than
 * `passTime` without the sync (max(H, D)) and never more than H + D. `dynamicDeviceS`/`dynamicHostS` are the
 * routed-expert path's shares of `deviceS`/`hostS`. Without a sync (`syncs` 0) this is `passTime`. Cost O(1).
 */
export function syncedPassTime(
  deviceS: number,
  hostS: number,
  dynamicDeviceS: number,
  dynamicHostS: number,
  launchS: number,
  syncs: number,
): number {
  if (syncs <= 0) return passTime(deviceS, hostS, launchS, 0);
  const dynamic = Math.max(dynamicDeviceS, dynamicHostS);
  const rest = Math.max(deviceS - dynamicDeviceS, hostS - dynamicHostS);
  return dynamic + rest + syncs * (HOST_SYNC_S + KERNELS_AFTER_SYNC * launchS);
}
