// Link failures and slow-downs during a run: found by the names reports print, announced to the fabric, applied at their time.
import { ZettasimError } from "../core/errors.js";
import type { SimulationConfig } from "../schema/simulation.js";
import type { Network } from "./network.js";
import type { Fabric } from "./topology/fabric.js";

/** A fault the run applies: the link's global id, when, and the capacity left. */
export interface Fault {
  link: string;
  id: number;
  atS: number;
  bandwidthFactor: number;
}

/** A few link names of a tier group, as examples for an error. */
function exampleNames(fabric: Fabric): string {
  const t = fabric.tiers.length - 1;
  const names: string[] = [];
  for (
    let l = 0;
    l < fabric.tiers[t].linkCount && names.length < 3;
    l += Math.max(1, Math.floor(fabric.tiers[t].linkCount / 3))
  )
    names.push(fabric.link(fabric.linkBase(t) + l).name);
  return names.map((n) => `"${n}"`).join(", ");
}

/**
 * The scenario's faults with their links found in the fabric (a name it does not know is an error naming
 * the field, with examples of names it does know). Cost O(faults x links of a tier group).
 */
export function resolveFaults(fabric: Fabric, cfg: SimulationConfig): Fault[] {
  return (cfg.faults ?? []).map((f, i) => {
    const id = fabric.findLink(f.link);
    if (id === undefined)
      throw new ZettasimError([
        {
          path: ["simulation", "faults", i, "link"],
          message: "no link of the system has this name",
          value: f.link,
          expected: `a link name as reports print it, "<tier>[<group>] <link>", e.g. ${exampleNames(fabric)}`,
        },
      ]);
    return { link: f.link, id, atS: f.atS ?? 0, bandwidthFactor: f.bandwidthFactor };
  });
}

/**
 * Schedules each fault on the network at its time. Their tiers are marked faulty at once, so every
 * phase there simulates every rank (a fault breaks the symmetry a representative relies on). Cost O(faults).
 */
export function scheduleFaults(net: Network, faults: readonly Fault[]): void {
  for (const f of faults) {
    net.topology.declareFault(f.id);
    net.queue.at(f.atS, () => net.setCapacityFactor(f.id, f.bandwidthFactor));
  }
}
