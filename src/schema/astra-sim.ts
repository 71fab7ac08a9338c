// ASTRA-sim's analytical network configuration file (one entry per dimension: topology, NPUs, link bandwidth and latency), read as it is, plus an optional zettasim `simulation` section.
import * as z from "zod";
import { simulationFile } from "./simulation.js";

/** Most NPUs an ASTRA-sim network may have here (2^24, sixteen times the largest catalog system). */
export const MAX_ASTRA_NPUS = 2 ** 24;

const list = <T extends z.ZodType>(item: T, what: string) =>
  z
    .array(item, { error: `expected a list with one ${what} per dimension` })
    .min(1)
    .max(8);

/**
 * The YAML ASTRA-sim's analytical back end reads (astra-sim/astra-network-analytical, NetworkParser):
 * `topology` (Ring, FullyConnected or Switch per dimension, innermost first), `npus_count` (NPUs per
 * dimension, each > 1), `bandwidth` (GB/s per link and direction, GB = 2^30 bytes) and `latency` (ns per
 * link). Its keys carry no units, as ASTRA-sim writes them; zettasim converts them on reading.
 */
export const astraSimNetworkFile = z.strictObject({
  topology: list(z.string().min(1), "building block name"),
  npus_count: list(
    z
      .number({ error: "expected a whole number of NPUs" })
      .int({ error: "must be a whole number of NPUs" })
      .min(2, { error: "must be larger than 1 (ASTRA-sim's rule)" }),
    "NPU count",
  ),
  bandwidth: list(
    z.number({ error: "expected GB/s" }).finite().positive({ error: "must be > 0 (GB/s)" }),
    "bandwidth",
  ),
  latency: list(
    z.number({ error: "expected ns" }).finite().nonnegative({ error: "must be >= 0 (ns)" }),
    "latency",
  ),
  /** zettasim's own: what to simulate on this network (default: a 1 GiB all-reduce over every NPU). */
  simulation: simulationFile.optional(),
  name: z.string().optional(),
});
export type AstraSimNetworkFile = z.output<typeof astraSimNetworkFile>;

/** Whether a parsed file looks like an ASTRA-sim network configuration rather than a scenario (no `system`, an `npus_count`). */
export function isAstraSimNetwork(value: unknown): boolean {
  return typeof value === "object" && value !== null && !("system" in value) && "npus_count" in value;
}
