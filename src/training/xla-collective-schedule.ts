// Whether XLA schedules a ZeRO-3/FSDP step's parameter gathers and gradient reduce-scatters beside compute: only under its latency-hiding scheduler, which XLA leaves off on GPU unless the launcher turns it on.

import type { XlaBackend } from "../catalog/families/types.js";

export type { XlaBackend };

/**
 * XLA's own default for its latency-hiding scheduler, by backend, where the source states one: on GPU it is off
 * (openxla/xla `xla/debug_options_flags.cc`, `opts.set_xla_gpu_enable_latency_hiding_scheduler(false)`, unchanged from
 * 2023 to 2026; the JAX "GPU performance tips" page, as of jaxlib 0.4.18, lists `--xla_gpu_enable_latency_hiding_scheduler=true`
 * among flags a user sets, "some of these may be set by default in future releases"). libtpu's defaults are not
 * published: absent, i.e. the framework must say.
 */
export const XLA_LATENCY_HIDING_DEFAULT: Readonly<Partial<Record<XlaBackend, boolean>>> = { gpu: false };

/**
 * Whether the per-layer ZeRO-3/FSDP all-gathers and reduce-scatters of a step compiled by XLA run beside compute.
 * `turnedOnFor` is the framework's `latencyHidingBackends` (the backends whose launcher sets the scheduler's flag);
 * `backend` the chip family's `xlaBackend`. Without the latency-hiding scheduler, XLA's GPU schedule
 * (`xla/service/gpu/gpu_hlo_schedule.cc`, the post-processing pass after the memory-minimising list scheduler) moves
 * only all-reduce and collective-permute starts as early as possible and their dones as late as possible
 * (`ShouldScheduleAsEarlyAsPossible`: kAllReduceStart, kCollectivePermuteStart); an all-gather or reduce-scatter stays
 * where the list scheduler put it, next to the op that reads or produces its data, so the step waits for it. The
 * cross-replica all-reduce of hybrid sharding still moves early and keeps its overlap.
 *
 * True (overlap as the model assumes) when the framework states nothing (`turnedOnFor` undefined: not an XLA stack, or
 * one whose recipes set the flag everywhere), when the family names no XLA backend, when the launcher turns the
 * scheduler on for this backend, or when XLA's default for the backend is on or unknown. Cost O(backends).
 */
export function xlaLatencyHiding(
  turnedOnFor: readonly XlaBackend[] | undefined,
  backend: XlaBackend | undefined,
): boolean {
  if (turnedOnFor === undefined || backend === undefined) return true;
  if (turnedOnFor.includes(backend)) return true;
  return XLA_LATENCY_HIDING_DEFAULT[backend] ?? true;
}
