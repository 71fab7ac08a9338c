// An ASTRA-sim analytical network configuration as a zettasim system: one tier per dimension, each a topology kind that names itself in ASTRA-sim's words.
import { ZettasimError } from "../core/errors.js";
import { type AstraSimNetworkFile, astraSimNetworkFile, MAX_ASTRA_NPUS } from "../schema/astra-sim.js";
import { issuesFromZod } from "../schema/issues.js";
import { astraSimBlocks, topologyFromAstraSim } from "./topologies/index.js";

/** ASTRA-sim's GB is 2^30 bytes (bw_GBps_to_Bpns); zettasim's GB/s keys are 10^9 bytes per second. */
const ASTRA_GB_IN_GB = 2 ** 30 / 1e9;

/** The NPU ASTRA-sim leaves unspecified: only its network matters to a collective; compute figures are placeholders. */
const ASTRA_NPU = {
  id: "astra-sim-npu",
  name: "ASTRA-sim NPU (network only)",
  vendor: "ASTRA-sim",
  peakTflops: { bf16: 1000 },
  memoryGB: 80,
  memoryBandwidthTBps: 3,
  scaleUpBandwidthGBps: 0,
  scaleOutBandwidthGBps: 0,
  powerW: 700,
};

/** An ideal protocol: ASTRA-sim's analytical network charges link bandwidth and latency only. */
const ASTRA_LINK = { id: "astra-sim-link", name: "ASTRA-sim link", headerEfficiency: 1, staticLatencyUs: 0 };

/** Throws a ZettasimError for the dimension lists' lengths, the NPU total and unknown building blocks. */
function check(f: AstraSimNetworkFile): void {
  const dims = f.topology.length;
  for (const key of ["npus_count", "bandwidth", "latency"] as const)
    if (f[key].length !== dims)
      throw new ZettasimError([
        {
          path: [key],
          message: `has ${f[key].length} entries but topology has ${dims} dimensions`,
          value: f[key],
          expected: `${dims} entries, one per dimension`,
        },
      ]);
  f.topology.forEach((name, i) => {
    if (!topologyFromAstraSim(name))
      throw new ZettasimError([
        {
          path: ["topology", i],
          message: "not a building block ASTRA-sim's analytical network knows",
          value: name,
          expected: astraSimBlocks().join(", "),
        },
      ]);
  });
  const npus = f.npus_count.reduce((a, b) => a * b, 1);
  if (npus > MAX_ASTRA_NPUS)
    throw new ZettasimError([
      {
        path: ["npus_count"],
        message: `${npus} NPUs in all`,
        value: f.npus_count,
        expected: `at most ${MAX_ASTRA_NPUS} NPUs`,
      },
    ]);
}

/**
 * A scenario value for an ASTRA-sim network file: an inline system with one tier per dimension
 * (innermost first, tier i joining npus_count[i] of tier i-1's groups, as ASTRA-sim numbers NPUs), each
 * chip's bandwidth there the links of its building block times the link bandwidth, each hop's latency
 * the block's links per hop times the link latency; and the file's `simulation` section or a 1 GiB
 * all-reduce over every NPU. Errors name the ASTRA-sim field. Cost O(dimensions).
 */
export function scenarioFromAstraSim(value: unknown, file: string): Record<string, unknown> {
  const r = astraSimNetworkFile.safeParse(value, { reportInput: true });
  if (!r.success) throw new ZettasimError(issuesFromZod(r.error, [], astraSimNetworkFile), file);
  const f = r.data;
  try {
    check(f);
  } catch (e) {
    if (e instanceof ZettasimError) throw new ZettasimError(e.issues, file);
    throw e;
  }
  let group = 1;
  const tiers = f.topology.map((name, i) => {
    const block = topologyFromAstraSim(name)!;
    const n = f.npus_count[i];
    group *= n;
    return {
      name: `dim${i}`,
      topology: block.kind,
      groupSize: group,
      bandwidthGBps: block.astraSim!.linksPerNpu(n) * f.bandwidth[i] * ASTRA_GB_IN_GB,
      latencyUs: (block.astraSim!.linksPerHop * f.latency[i]) / 1000,
      protocol: ASTRA_LINK,
    };
  });
  const shape = f.topology.map((t, i) => `${t} ${f.npus_count[i]}`).join(" x ");
  return {
    name: f.name ?? file,
    system: {
      id: "astra-sim-network",
      name: `ASTRA-sim network (${shape})`,
      vendor: "ASTRA-sim",
      description: `read from ${file}: ${shape}`,
      chip: ASTRA_NPU,
      chips: group,
      tiers,
    },
    simulation: f.simulation ?? { run: "collective", collective: { op: "all-reduce", sizeMiB: 1024 } },
  };
}
