// Small systems and a one-call collective runner shared by the simulator's tests and benchmarks.
import { resolveSystem } from "../catalog/resolve.js";
import type { System } from "../catalog/types.js";
import { type PhaseRecord, runCollective } from "./collectives/run.js";
import type { CollectiveOp } from "./collectives/types.js";
import { AnalyticalNetwork, FlowNetwork } from "./engine/flows.js";
import type { Network } from "./engine/network.js";
import { EventQueue } from "./engine/queue.js";
import { Fabric, type RoutingOptions } from "./topology/fabric.js";

/** A tier written the scenario-file way, for building test systems. */
export interface TierSpec {
  name?: string;
  topology: string | { kind: string; dims?: number[]; radix?: number };
  groupSize?: number;
  bandwidthGBps: number;
  latencyUs?: number;
  oversubscription?: number;
  protocol?: string | object;
}

/** An ideal protocol (no header, no stack latency) so closed forms are exact. */
export const IDEAL_PROTOCOL = { id: "ideal", name: "ideal", headerEfficiency: 1, staticLatencyUs: 0 };

/** Builds a System from tiers (ideal protocol unless given), on a generic chip. */
export function testSystem(chips: number, tiers: TierSpec[]): System {
  return resolveSystem({
    id: "test",
    name: "test",
    vendor: "test",
    chip: {
      id: "test-chip",
      name: "test chip",
      vendor: "test",
      peakTflops: { bf16: 1000 },
      memoryGB: 100,
      memoryBandwidthTBps: 4,
      scaleUpBandwidthGBps: 100,
      scaleOutBandwidthGBps: 10,
      powerW: 1000,
    },
    chips,
    tiers: tiers.map((t, i) => ({ name: t.name ?? `tier${i}`, protocol: IDEAL_PROTOCOL, ...t })),
  });
}

/** Result of one simulated collective. */
export interface CollectiveRun {
  timeS: number;
  phases: PhaseRecord[];
  events: number;
  net: Network;
}

/**
 * Simulates one collective on a fresh network and returns its time. `ranks` defaults to every chip.
 * Cost: the events of the collective (O(representative flows x steps) in symmetric mode).
 */
export function runOneCollective(
  system: System,
  op: CollectiveOp,
  bytes: number,
  opts: {
    ranks?: readonly number[];
    algorithm?: string;
    symmetric?: boolean;
    backend?: "flow" | "analytical";
    routing?: RoutingOptions;
    allGroups?: readonly (readonly number[])[];
  } = {},
): CollectiveRun {
  const fabric = new Fabric(system, opts.routing);
  const queue = new EventQueue();
  const net: Network =
    opts.backend === "analytical" ? new AnalyticalNetwork(fabric, queue) : new FlowNetwork(fabric, queue);
  const ranks = opts.ranks ?? Array.from({ length: system.chips }, (_, i) => i);
  let phases: PhaseRecord[] = [];
  let end = -1;
  runCollective(
    net,
    {
      op,
      ranks,
      bytes,
      algorithm: opts.algorithm,
      symmetric: opts.symmetric ?? true,
      allGroups: opts.allGroups,
      tag: 1,
    },
    (p) => {
      phases = p;
      end = queue.now;
    },
  );
  const events = queue.run();
  if (end < 0) throw new Error("internal error: collective never finished");
  return { timeS: end, phases, events, net };
}
