// Counts of each failing component in a job's footprint, read from the system's tiers (per-group counts x groups).
import type { System, Tier, TopologyKind } from "../catalog/types.js";

/** Topologies where a lost link is routed around (other paths of equal length exist through peer chips). */
const MESH_KINDS: readonly TopologyKind[] = ["full-mesh", "nd-full-mesh", "torus"];

/** Network components of one tier in the job's footprint. */
export interface TierInventory {
  tier: string;
  /** True when the tier is a direct mesh (links reroute), false when it is switched (Clos, fat tree, rail). */
  mesh: boolean;
  switches: number;
  opticalModules: number;
  /** True when `switches` / `opticalModules` were derived here because the catalog gave none. */
  derived: { switches: boolean; opticalModules: boolean };
}

/** How many of each component the job depends on. Fractional counts are allowed (a job's share of a shared tier). */
export interface Inventory {
  jobChips: number;
  chipsPerHost: number;
  accelerators: number;
  hosts: number;
  nics: number;
  tiers: TierInventory[];
  /** Which counts were derived here rather than read from the catalog, in words. */
  assumptions: string[];
}

export interface InventoryOptions {
  /** Chips the job uses (default: all). Counts scale by jobChips / system.chips. */
  jobChips?: number;
  /** Chips per host when the catalog gives no host count (default 8). */
  chipsPerHost?: number;
  /** Totals for the job's footprint that replace what the catalog gives or the derivation below. */
  counts?: { hosts?: number; nics?: number; switches?: number; opticalModules?: number };
}

/** Switch levels a fat tree of this radix needs for `endpoints` ports at full bisection: 2 (k/2)^L >= n. */
function fatTreeLevels(endpoints: number, radix: number): number {
  let levels = 1;
  while (levels < 6 && (levels === 1 ? radix : 2 * (radix / 2) ** levels) < endpoints) levels++;
  return levels;
}

function isMesh(t: Tier): boolean {
  return MESH_KINDS.includes(t.topology.kind);
}

/**
 * Switches and optical modules of one switched tier when the catalog gives none, per group: a full-bisection fat
 * tree of radix k (default 64) and L levels has (2L - 1) n / k switches and L link layers of n links, each with an
 * optical module at both ends. The innermost tier (inside a host or rack: NVSwitch, UB L1 switches) gets none
 * derived; its failures are in the accelerator and host rates.
 */
function derivedSwitched(t: Tier, index: number): { switches: number; opticalModules: number } {
  if (index === 0 || isMesh(t)) return { switches: 0, opticalModules: 0 };
  const n = t.groupSize;
  const k = t.topology.radix ?? 64;
  const levels = t.topology.kind === "switch" ? 1 : (t.topology.levels ?? fatTreeLevels(n, k));
  return { switches: ((2 * levels - 1) * n) / k, opticalModules: 2 * levels * n };
}

/**
 * Counts every failing component in the job's footprint from the system's tiers. Per-chip parts (accelerators,
 * hosts, NICs) and network parts scale with the job's share of the system. Cost: O(tiers).
 */
export function inventory(system: System, opts: InventoryOptions = {}): Inventory {
  const jobChips = opts.jobChips ?? system.chips;
  const share = jobChips / system.chips;
  const assumptions: string[] = [];
  const groups = (t: Tier) => system.chips / t.groupSize;
  let hosts = 0;
  let nics = 0;
  for (const t of system.tiers) {
    hosts += t.perGroup.hosts * groups(t);
    nics += t.perGroup.nics * groups(t);
  }
  const chipsPerHost = opts.chipsPerHost ?? (hosts > 0 ? system.chips / hosts : 8);
  if (hosts === 0) {
    hosts = system.chips / chipsPerHost;
    assumptions.push(`hosts: none in the catalog; one per ${chipsPerHost} chips assumed`);
  }
  if (nics === 0 && system.tiers.length > 1) {
    nics = system.chips;
    assumptions.push("NICs: none in the catalog; one scale-out NIC per chip assumed");
  }
  const tiers: TierInventory[] = system.tiers.map((t, i) => {
    const d = derivedSwitched(t, i);
    const catSw = t.perGroup.switches * groups(t);
    const catOpt = t.perGroup.opticalModules * groups(t);
    const swDerived = catSw === 0 && d.switches > 0;
    const optDerived = catOpt === 0 && d.opticalModules > 0;
    const switches = (swDerived ? d.switches * groups(t) : catSw) * share;
    const opticalModules = (optDerived ? d.opticalModules * groups(t) : catOpt) * share;
    if (swDerived || optDerived) {
      assumptions.push(
        `tier ${t.name}: ${[swDerived ? "switches" : "", optDerived ? "optical modules" : ""].filter(Boolean).join(" and ")} not in the catalog; derived as a full-bisection fat tree of radix ${t.topology.radix ?? 64}`,
      );
    }
    return {
      tier: t.name,
      mesh: isMesh(t),
      switches,
      opticalModules,
      derived: { switches: swDerived, opticalModules: optDerived },
    };
  });
  const c = opts.counts ?? {};
  if (c.switches !== undefined) rescale(tiers, "switches", c.switches);
  if (c.opticalModules !== undefined) rescale(tiers, "opticalModules", c.opticalModules);
  return {
    jobChips,
    chipsPerHost,
    accelerators: jobChips,
    hosts: c.hosts ?? hosts * share,
    nics: c.nics ?? nics * share,
    tiers,
    assumptions,
  };
}

/** Sets a total across tiers, keeping each tier's share (or putting it all on the outermost tier if all are 0). */
function rescale(tiers: TierInventory[], key: "switches" | "opticalModules", total: number): void {
  const sum = tiers.reduce((a, t) => a + t[key], 0);
  if (sum > 0) for (const t of tiers) t[key] = (t[key] * total) / sum;
  else if (tiers.length > 0) tiers[tiers.length - 1][key] = total;
}

/** Total switches and optical modules over all tiers. */
export function networkTotals(inv: Inventory): { switches: number; opticalModules: number } {
  let switches = 0;
  let opticalModules = 0;
  for (const t of inv.tiers) {
    switches += t.switches;
    opticalModules += t.opticalModules;
  }
  return { switches, opticalModules };
}
