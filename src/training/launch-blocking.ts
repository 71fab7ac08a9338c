// Blocking kernel launches (CUDA_LAUNCH_BLOCKING=1): host and device take turns, every launch waits for its kernel, and no collective hides behind compute.
import { type Adjustment, ZettasimError } from "../core/errors.js";
import { HOST_SYNC_S } from "./overheads.js";

/**
 * Time of one pass over a layer when every kernel launch returns only after the kernel has finished, s.
 *
 * What the runtime does. CUDA_LAUNCH_BLOCKING=1 "globally disable[s] asynchronicity of kernel launches" (CUDA C++
 * Programming Guide, "Asynchronous Concurrent Execution"; a debugging switch, "should not be used" in production):
 * the launching call returns when the kernel is done. The host therefore never runs ahead of the device: for each
 * kernel it spends its dispatch time, then waits for the kernel, then learns of its completion, and only then starts
 * the next op. The pass costs the device's work plus the host's (`hostS`, the same launch costs `passTime` takes the
 * larger of) plus one completion round trip per kernel, taken as the model's host-device sync latency
 * (`HOST_SYNC_S`, overheads.ts; not measured for this path: A). Cost O(1).
 */
export function blockingPassTime(deviceS: number, hostS: number, kernels: number): number {
  return deviceS + hostS + kernels * HOST_SYNC_S;
}

/**
 * A run's `launchBlocking` resolved (null: false, asynchronous launches).
 *
 * A collective is a kernel too: with blocking launches its call returns after the collective has finished, so the
 * overlap settings of the run cannot hide any communication behind compute (the configuration resolves every
 * overlap switch off; config.ts). Refused, naming `path`, with CUDA graphs on: a graph replay is one launch for many
 * kernels, whose blocking cost this module does not describe. Cost O(1).
 */
export function resolveLaunchBlocking(
  value: boolean | null | undefined,
  cudaGraphs: boolean,
  path: (string | number)[],
): boolean {
  if (value !== true) return false;
  if (cudaGraphs)
    throw new ZettasimError([
      {
        path,
        message:
          "blocking launches are not modelled with CUDA graphs (a graph replay is one launch for many kernels)",
        value,
        expected: "null or false when cudaGraphs is on",
      },
    ]);
  return true;
}

/**
 * Share of overlapped communication that shows on the step: the family's `rho` with asynchronous launches, all of
 * it (1) with blocking ones, where a collective's call returns only once it has finished. Cost O(1).
 */
export function exposedOverlapShare(rho: number, blocking: boolean): number {
  return blocking ? 1 : rho;
}

/**
 * What blocking launches replace among the overlap settings a run published, for front ends to print: each overlap
 * switch given as `true` (`overlap.tpComm`, `dpComm`, `epComm`) resolves to false, and a published expert-overlap
 * scheme to none. Nothing when launches do not block. Cost O(1).
 */
export function blockingAdjustments(
  blocking: boolean,
  overlap: Record<string, unknown>,
  moeOverlap: string | null | undefined,
  path: (string | number)[],
): Adjustment[] {
  if (!blocking) return [];
  const why =
    "with blocking kernel launches (launchBlocking) a collective's call returns only when it has finished";
  const out: Adjustment[] = [];
  for (const k of ["tpComm", "dpComm", "epComm"])
    if (overlap[k] === true) out.push({ path: [...path, "overlap", k], from: true, to: false, reason: why });
  if (overlap.epComm !== true && moeOverlap != null && moeOverlap !== "none")
    out.push({ path: [...path, "moeOverlap"], from: moeOverlap, to: "none", reason: why });
  return out;
}
