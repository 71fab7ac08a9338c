// The network the simulator's layers talk to: the engine's back-end interface over this system's Fabric, and the back ends by name.
import { AnalyticalNetwork } from "../engine/analytical.js";
import { FlowNetwork } from "../engine/flow.js";
import type { NetworkBackend } from "../engine/network.js";
import type { EventQueue } from "../engine/queue.js";
import type { Fabric } from "./topology/fabric.js";

/** A network back end over a system's fabric (`net.topology` is the Fabric). */
export type Network = NetworkBackend<Fabric>;

/** The members of a Network that the simulators call first (a hand-built `{}` is refused by name). */
export const NETWORK_KEYS = ["topology", "queue", "send", "now"] as const;

/** The back ends a scenario can name. */
export type BackendId = "flow" | "analytical";

/**
 * A fresh back end over `fabric`: `flow` shares links max-min fairly between flows; `analytical` lets each
 * link carry one message at a time at its bottleneck rate. `tierSamples` keeps per-tier throughput over
 * time (flow only) for counter tracks. Cost O(1).
 */
export function makeNetwork(
  backend: BackendId,
  fabric: Fabric,
  queue: EventQueue,
  opts: { tierSamples?: boolean } = {},
): Network {
  return backend === "analytical"
    ? new AnalyticalNetwork(fabric, queue)
    : new FlowNetwork(fabric, queue, opts);
}
