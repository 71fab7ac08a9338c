// Counts of each failing component in a job's footprint, read from the system's tiers (per-group counts x groups).
import { topologyKind } from "../catalog/topologies/index.js";
import type { System, Tier } from "../catalog/types.js";
import { require_ } from "../core/errors.js";
import { fmtInt } from "../core/units.js";
import type { FailureSite } from "./policies.js";
import { type BlastRadius, COMPONENT_KINDS, type ComponentKind, type FailureRate } from "./rates.js";

const fmt = fmtInt;

/** Network components of one tier in the job's footprint. */
export interface TierInventory {
  tier: string;
  /** True when the tier is a direct mesh (links reroute), false when it is switched (Clos, fat tree, rail). */
  mesh: boolean;
  switches: number;
  opticalModules: number;
  /** The part of those counts implied by the topology rather than listed per group. */
  implied: { switches: number; opticalModules: number };
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
  /** Chips per host when the catalog gives no host count (default 8). NICs come only from the catalog (none: the chips speak the scale-out protocol natively, as with UBoE). */
  chipsPerHost?: number;
  /** Totals for the job's footprint that replace what the catalog gives or the derivation below. */
  counts?: { hosts?: number; nics?: number; switches?: number; opticalModules?: number };
  /**
   * Network parts outside the system's tiers that the job still depends on: its hosts' own scale-out links
   * (optical modules) and the switches they land on, for a job confined to its hosts whose operator takes a host
   * out on a link error. Counted as one more switched tier, ATTACHMENT_TIER. Absent: none.
   */
  attachment?: { switches: number; opticalModules: number };
}

/** Name of the tier that holds `InventoryOptions.attachment`. */
export const ATTACHMENT_TIER = "host attachment";

/** Whether a lost link of this tier is routed around (its kind says: meshes and tori have paths through peers). */
function isMesh(t: Tier): boolean {
  return topologyKind(t.topology.kind).linksReroute;
}

/** Switches and optical modules the tier's topology implies per group (added to those perGroup lists). */
function implied(t: Tier, prevGroupSize: number): { switches: number; opticalModules: number } {
  const traits = topologyKind(t.topology.kind).traits;
  const shape = {
    topology: t.topology,
    chips: t.groupSize,
    members: t.groupSize / prevGroupSize,
    bandwidthBytesPerS: t.bandwidthBytesPerS,
    oversubscription: t.oversubscription,
  };
  return { switches: traits.switches(shape), opticalModules: traits.opticalModules(shape) };
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
  const tiers: TierInventory[] = system.tiers.map((t, i) => {
    const d = implied(t, i === 0 ? 1 : system.tiers[i - 1].groupSize);
    const switches = (t.perGroup.switches + d.switches) * groups(t) * share;
    const opticalModules = (t.perGroup.opticalModules + d.opticalModules) * groups(t) * share;
    if (d.switches > 0 || d.opticalModules > 0) {
      assumptions.push(
        `tier ${t.name}: ${fmt(d.switches * groups(t))} switches and ${fmt(d.opticalModules * groups(t))} optical modules implied by its ${t.topology.kind} topology (catalog topology counts)`,
      );
    }
    return {
      tier: t.name,
      mesh: isMesh(t),
      switches,
      opticalModules,
      implied: {
        switches: d.switches * groups(t) * share,
        opticalModules: d.opticalModules * groups(t) * share,
      },
    };
  });
  const c = opts.counts ?? {};
  if (c.switches !== undefined) rescale(tiers, "switches", c.switches);
  if (c.opticalModules !== undefined) rescale(tiers, "opticalModules", c.opticalModules);
  const a = opts.attachment;
  if (a) {
    for (const key of ["switches", "opticalModules"] as const) {
      require_(
        Number.isFinite(a[key]) && a[key] >= 0,
        ["reliability", "attachment", key],
        "must be a finite count >= 0",
        a[key],
        ">= 0",
      );
    }
    tiers.push({
      tier: ATTACHMENT_TIER,
      mesh: false,
      switches: a.switches,
      opticalModules: a.opticalModules,
      implied: { switches: 0, opticalModules: 0 },
    });
    assumptions.push(
      `${ATTACHMENT_TIER}: ${fmt(a.opticalModules)} optical modules and ${fmt(a.switches)} switches of the hosts' own scale-out links, outside the system's tiers`,
    );
  }
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

/** Order of the sites: smallest blast radius first; a tier's links and switches together, tier by tier. */
const RADIUS_RANK: Record<BlastRadius, number> = { chip: 0, host: 1, link: 2, switch: 2, job: 3 };

/**
 * Where failures land in the job: one site per component kind, counted as its rate says (per tier for network
 * parts), with the kind's blast radius, in RADIUS_RANK order. Cost O(kinds x tiers).
 */
export function failureSites(inv: Inventory, rates: Record<ComponentKind, FailureRate>): FailureSite[] {
  const rank = (k: ComponentKind) => RADIUS_RANK[rates[k].blastRadius];
  const kinds = [...COMPONENT_KINDS].sort((a, b) => rank(a) - rank(b));
  const jobWide = (k: ComponentKind): FailureSite[] => {
    const at = rates[k].countedAs;
    return at === "opticalModules" || at === "switches"
      ? []
      : [{ kind: k, radius: rates[k].blastRadius, count: inv[at] }];
  };
  const inTier = (t: TierInventory, k: ComponentKind): FailureSite[] => {
    const at = rates[k].countedAs;
    return at === "opticalModules" || at === "switches"
      ? [{ kind: k, radius: rates[k].blastRadius, count: t[at], tier: t, tierCount: at }]
      : [];
  };
  return [
    ...kinds.filter((k) => rank(k) < RADIUS_RANK.link).flatMap(jobWide),
    ...inv.tiers.flatMap((t) => kinds.flatMap((k) => inTier(t, k))),
    ...kinds.filter((k) => rank(k) >= RADIUS_RANK.link).flatMap(jobWide),
  ];
}
