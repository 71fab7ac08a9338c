// Derives a system's headline figures (compute, memory, bandwidth, cabinets, floor, power) from per-chip and per-tier facts.

import { topologyTraits } from "../catalog/topology.js";
import { PRECISIONS, type Precision, type System } from "../catalog/types.js";
import { assertFinite, requireSystem } from "../core/errors.js";
import { emptyRecord } from "../core/records.js";

/** Figures for one network tier of a system. Bandwidths are per direction unless named otherwise. */
export interface TierSpec {
  name: string;
  topology: string;
  protocol: string;
  /** Chips per group at this tier. */
  groupSize: number;
  /** Groups of this tier in the system. */
  groups: number;
  /** Sub-groups (or chips) one group joins. */
  members: number;
  /** Per chip, per direction. */
  bandwidthPerChipBytesPerS: number;
  /** Across the worst balanced cut of one group, per direction. */
  bisectionPerGroupBytesPerS: number;
  /** Bisection of one group x groups: what all groups of this tier carry across their cuts at once. */
  bisectionAllGroupsBytesPerS: number;
  linksPerMember: number;
  diameterHops: number;
  /** One-hop latency plus the protocol's static latency, s. */
  latencyS: number;
  /** Payload bytes per wire byte. */
  headerEfficiency: number;
  switches: number;
  opticalModules: number;
  powerW: number;
}

/** A system's derived specification. SI units throughout; keys name their unit. */
export interface SystemSpec {
  id: string;
  name: string;
  chip: string;
  chipName: string;
  chips: number;
  /** Dense peak FLOP/s per precision. */
  peakFlops: Partial<Record<Precision, number>>;
  /** HBM (accelerator memory). */
  memoryBytes: number;
  /** Host (CPU) memory. */
  cpuMemoryBytes: number;
  /** HBM + CPU memory: the "fast memory" Nvidia quotes for NVL144. */
  fastMemoryBytes: number;
  memoryBandwidthBytesPerS: number;
  /** Sum over chips of scale-up bandwidth, both directions (the vendor convention: 8,192 x 2 TB/s = 16.4 PB/s). */
  scaleUpBandwidthBytesPerS: number;
  /** Sum over chips of scale-out bandwidth, both directions. */
  scaleOutBandwidthBytesPerS: number;
  tiers: TierSpec[];
  cabinets: { byKind: Record<string, number>; total: number };
  /** Cabinets times floor per cabinet, m2; 0 when the system gives no floorM2PerCabinet. */
  floorAreaM2: number;
  /** IT power: chips plus every per-group item and topology-implied switch and optic. */
  powerW: number;
  pue: number;
  /** IT power x PUE. */
  facilityPowerW: number;
  switches: number;
  opticalModules: number;
  hosts: number;
  cpus: number;
  nics: number;
  /** Dense peak FLOP/s per IT watt, per precision. */
  peakFlopsPerW: Partial<Record<Precision, number>>;
  /** Dense peak FLOP/s per square metre of floor, per precision (0 where the floor is unknown). */
  peakFlopsPerM2: Partial<Record<Precision, number>>;
}

/**
 * Derives the specification of a resolved system. Every total is per-chip facts x chips or per-group facts x groups,
 * summed over tiers; nothing is stored as a total. Cost: O(tiers x dims).
 */
export function deriveSpec(system: System): SystemSpec {
  requireSystem(system);
  const chip = system.chip;
  const n = system.chips;
  const byKind = emptyRecord<number>();
  const addCabinets = (kind: string, count: number) => {
    if (count > 0) byKind[kind] = (byKind[kind] ?? 0) + count;
  };
  let cpuMemoryBytes = 0;
  let powerW = n * chip.powerW;
  let switches = 0;
  let opticalModules = 0;
  let hosts = 0;
  let cpus = 0;
  let nics = 0;

  const tiers = system.tiers.map((t, i): TierSpec => {
    const groups = n / t.groupSize;
    const members = t.groupSize / (i === 0 ? 1 : system.tiers[i - 1].groupSize);
    const traits = topologyTraits(t.topology.kind);
    const shape = {
      topology: t.topology,
      chips: t.groupSize,
      members,
      bandwidthBytesPerS: t.bandwidthBytesPerS,
      oversubscription: t.oversubscription,
    };
    const g = t.perGroup;
    const derivedSwitches = traits.switches(shape);
    const derivedOptics = traits.opticalModules(shape);
    const tierSwitches = groups * (g.switches + derivedSwitches);
    const tierOptics = groups * (g.opticalModules + derivedOptics);
    const tierPower =
      groups *
      (g.powerW + derivedSwitches * (t.switchPowerW ?? 0) + derivedOptics * (t.opticalModulePowerW ?? 0));
    for (const [kind, count] of Object.entries(g.cabinets)) addCabinets(kind, groups * count);
    if (t.switchesPerCabinet)
      addCabinets("network", groups * Math.ceil(derivedSwitches / t.switchesPerCabinet));
    cpuMemoryBytes += groups * g.cpuMemoryBytes;
    powerW += tierPower;
    switches += tierSwitches;
    opticalModules += tierOptics;
    hosts += groups * g.hosts;
    cpus += groups * g.cpus;
    nics += groups * g.nics;
    const bisection = traits.bisectionBytesPerS(shape);
    return {
      name: t.name,
      topology: t.topology.kind,
      protocol: t.protocol.id,
      groupSize: t.groupSize,
      groups,
      members,
      bandwidthPerChipBytesPerS: t.bandwidthBytesPerS,
      bisectionPerGroupBytesPerS: bisection,
      bisectionAllGroupsBytesPerS: bisection * groups,
      linksPerMember: traits.linksPerMember(shape),
      diameterHops: traits.diameterHops(shape),
      latencyS: t.latencyS + t.protocol.staticLatencyS,
      headerEfficiency: t.protocol.headerEfficiency,
      switches: tierSwitches,
      opticalModules: tierOptics,
      powerW: tierPower,
    };
  });

  const peakFlops: Partial<Record<Precision, number>> = {};
  for (const p of PRECISIONS) {
    const f = chip.peakFlops[p];
    if (f !== undefined) peakFlops[p] = f * n;
  }
  const cabinetsTotal = Object.values(byKind).reduce((a, b) => a + b, 0);
  const floorAreaM2 = cabinetsTotal * system.floorM2PerCabinet;
  const memoryBytes = n * chip.memoryBytes;
  const per = (denominator: number) => {
    const out: Partial<Record<Precision, number>> = {};
    for (const [p, f] of Object.entries(peakFlops) as [Precision, number][]) {
      out[p] = denominator > 0 ? f / denominator : 0;
    }
    return out;
  };

  const spec: SystemSpec = {
    id: system.id,
    name: system.name,
    chip: chip.id,
    chipName: chip.name,
    chips: n,
    peakFlops,
    memoryBytes,
    cpuMemoryBytes,
    fastMemoryBytes: memoryBytes + cpuMemoryBytes,
    memoryBandwidthBytesPerS: n * chip.memoryBandwidthBytesPerS,
    scaleUpBandwidthBytesPerS: 2 * n * chip.scaleUpBandwidthBytesPerS,
    scaleOutBandwidthBytesPerS: 2 * n * chip.scaleOutBandwidthBytesPerS,
    tiers,
    cabinets: { byKind, total: cabinetsTotal },
    floorAreaM2,
    powerW,
    pue: system.pue,
    facilityPowerW: powerW * system.pue,
    switches,
    opticalModules,
    hosts,
    cpus,
    nics,
    peakFlopsPerW: per(powerW),
    peakFlopsPerM2: per(floorAreaM2),
  };
  assertFinite(spec, "deriveSpec");
  return spec;
}
