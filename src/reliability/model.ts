// Turns a system, failure rates and a recovery policy into event classes: what each failure costs the job.

import type { System } from "../catalog/types.js";
import { require_, requireArgument, requireSystem } from "../core/errors.js";
import { fmtInt, HOUR } from "../core/units.js";
import { RELIABILITY_LIMITS } from "./estimate.js";
import { failureSites, type Inventory, type InventoryOptions, inventory } from "./inventory.js";
import { type LemonNodes, lemonNodesMultiplier, withLemonNodes } from "./lemon-nodes.js";
import {
  EFFECT_COSTS,
  type Effect,
  handle,
  type Policy,
  type PolicyContext,
  type Recovery,
} from "./policies.js";
import { type ComponentKind, type FailureRate, ratesWithOverrides } from "./rates.js";

export type { Effect, Policy, Recovery } from "./policies.js";

const MINUTE_S = 60;

export const EFFECTS: readonly Effect[] = ["restart", "migrate", "shrink", "degrade"];

export interface CheckpointOptions {
  /** Bytes saved per checkpoint for the whole job (weights, optimizer state). */
  sizeBytes: number;
  /** Aggregate storage write and read bandwidth available to the job, bytes/s. */
  writeBytesPerS: number;
  readBytesPerS: number;
  /** Checkpoints go to host or peer memory instead of storage (and come back from there). */
  inMemory: boolean;
  /** Per-chip copy bandwidth for in-memory checkpoints, bytes/s. */
  inMemoryBytesPerSPerChip: number;
  /** Compute time between checkpoints, s; Young/Daly sqrt(2 C M) when absent. */
  intervalS?: number;
  /** Training step time, s: a checkpoint can only be taken between steps, so the Young/Daly interval is rounded up to whole steps. */
  stepS?: number;
}

export interface ReliabilityOptions extends InventoryOptions {
  recovery?: Partial<Recovery>;
  checkpoint: CheckpointOptions;
  policy?: Partial<Policy>;
  rates?: Partial<Record<ComponentKind, { failuresPerMillionHours: number }>>;
  /** Lemon nodes in service multiply the node-resident kinds' job failures (lemon-nodes.ts); none when absent. */
  lemonNodes?: LemonNodes & { source: string };
}

/** Lemon nodes as applied to a model: the setting, where its share came from, and the multiplier on node kinds. */
export interface AppliedLemonNodes extends LemonNodes {
  source: string;
  /** Job failures of each node-resident kind per lemon-free one (lemonNodesMultiplier). */
  multiplier: number;
}

/** One way a failure can go: its rate in the job's footprint and what it costs. */
export interface EventClass {
  kind: ComponentKind;
  /** Tier name for network parts. */
  tier?: string;
  effect: Effect;
  /** Events per second of job up-time. */
  ratePerS: number;
  /** Job down (not computing) per event, s. */
  downtimeS: number;
  /** Rolls back to the last checkpoint. */
  losesWork: boolean;
  /** Full-speed seconds lost while running degraded after the event (fraction lost x repair time). */
  degradedS: number;
  /** Needs a free hot spare; without one it becomes a restart (downtime `fallbackDowntimeS`). */
  needsSpare: boolean;
  fallbackDowntimeS: number;
}

/** The fields of a ReliabilityModel that the closed form, the Monte Carlo and the report read first. */
const RELIABILITY_MODEL_KEYS = ["inventory", "rates", "classes", "checkpoint"] as const;

/** The ReliabilityModel argument check of the closed form, the Monte Carlo and the report, in one place. */
export function requireReliabilityModel(model: unknown): void {
  requireArgument(
    model,
    "model",
    "object",
    "a ReliabilityModel (buildReliabilityModel gives one)",
    RELIABILITY_MODEL_KEYS,
  );
}

export interface ReliabilityModel {
  inventory: Inventory;
  rates: Record<ComponentKind, FailureRate>;
  recovery: Recovery;
  policy: Policy;
  classes: EventClass[];
  checkpoint: {
    sizeBytes: number;
    inMemory: boolean;
    /** Blocking time to write one checkpoint, s. */
    writeS: number;
    /** Time to load one back after a roll-back, s. */
    reloadS: number;
    /** Compute between checkpoints, s. */
    intervalS: number;
    /** True when the interval is the Young/Daly optimum rather than set by the scenario. */
    youngDaly: boolean;
  };
  /** Hot-spare groups in the job (0 without spares). */
  spareGroups: number;
  /** Present only when the scenario puts lemon nodes in service. */
  lemonNodes?: AppliedLemonNodes;
}

/** Defaults: MegaScale (arXiv 2402.15627, P) detects and diagnoses in under 10 minutes and is back within 15; UB-Mesh (arXiv 2503.20377, S) migrates to a spare in 3 minutes. Repair 4 h and reconfigure 2 min are our assumptions (A). */
export const DEFAULT_RECOVERY: Recovery = {
  detectionS: 10 * MINUTE_S,
  restartS: 5 * MINUTE_S,
  migrationS: 3 * MINUTE_S,
  reconfigureS: 2 * MINUTE_S,
  repairS: 4 * HOUR,
};

/** Defaults: links reroute in meshes losing 2% throughput (A); no multipath absorption in Clos tiers (A). */
export const DEFAULT_POLICY: Policy = {
  meshLinkFailures: "reroute",
  degradedThroughputFraction: 0.02,
  switchedAbsorbFraction: 0,
};

/**
 * Builds the event classes for a job on `system`. Each component kind declares its blast radius; the policy maps
 * it to an effect. Cost: O(kinds x tiers).
 */
export function buildModel(system: System, opts: ReliabilityOptions): ReliabilityModel {
  requireSystem(system);
  requireArgument(opts, "opts", "object", "reliability options {jobChips, ...}");
  const inv = inventory(system, opts);
  const lemons = opts.lemonNodes;
  const baseRates = ratesWithOverrides(opts.rates, system.chip.memoryBytes);
  const rates = lemons ? withLemonNodes(baseRates, lemons) : baseRates;
  const recovery: Recovery = { ...DEFAULT_RECOVERY, ...definedOnly(opts.recovery) };
  const policy: Policy = { ...DEFAULT_POLICY, ...definedOnly(opts.policy) };
  const ck = opts.checkpoint;
  require_(
    ck.sizeBytes > 0,
    ["reliability", "checkpoint", "sizeGB"],
    "must be > 0",
    ck.sizeBytes / 1e9,
    "> 0",
  );
  const chips = inv.jobChips;
  const writeS = ck.inMemory
    ? ck.sizeBytes / chips / ck.inMemoryBytesPerSPerChip
    : ck.sizeBytes / ck.writeBytesPerS;
  const reloadS = ck.inMemory
    ? ck.sizeBytes / chips / ck.inMemoryBytesPerSPerChip
    : ck.sizeBytes / ck.readBytesPerS;

  const spares = policy.hotSpares;
  const elastic = policy.elasticDataParallel;
  if (spares) {
    const slots = Math.max(1, Math.floor(chips / spares.groupChips)) * spares.spares;
    require_(
      slots <= RELIABILITY_LIMITS.maxSpareSlots,
      ["reliability", "policy", "hotSpares", "spares"],
      `${slots.toExponential(1)} spare chips in the job: more than the Monte Carlo tracks`,
      spares.spares,
      `at most ${fmtInt(RELIABILITY_LIMITS.maxSpareSlots)} spares over the job (docs/limits.md)`,
    );
    require_(
      chips % spares.groupChips === 0 || chips < spares.groupChips,
      ["reliability", "policy", "hotSpares", "groupChips"],
      "the job's chips must be a whole number of spare groups",
      spares.groupChips,
      `a divisor of ${chips}`,
    );
  }
  if (elastic) {
    require_(
      elastic.replicaChips < chips,
      ["reliability", "policy", "elasticDataParallel", "replicaChips"],
      "a replica must be smaller than the job to drop one and continue",
      elastic.replicaChips,
      `< ${chips}`,
    );
  }

  checkTierNames(inv, policy);
  const ctx: PolicyContext = { policy, recovery, jobChips: chips, chipsPerHost: inv.chipsPerHost };
  const restartDown = EFFECT_COSTS.restart.downtimeS(recovery, reloadS);
  const classes: EventClass[] = [];
  for (const site of failureSites(inv, rates)) {
    for (const { fraction, claim } of handle(site, ctx)) {
      const ratePerS = site.count * fraction * rates[site.kind].ratePerS;
      if (!(ratePerS > 0)) continue;
      const cost = EFFECT_COSTS[claim.effect];
      const c: EventClass = {
        kind: site.kind,
        effect: claim.effect,
        ratePerS,
        downtimeS: cost.downtimeS(recovery, reloadS),
        losesWork: cost.losesWork,
        degradedS: claim.degradedS,
        needsSpare: cost.needsSpare,
        fallbackDowntimeS: restartDown,
      };
      if (site.tier) c.tier = site.tier.tier;
      classes.push(c);
    }
  }

  const losingRate = classes.reduce((a, c) => a + (c.losesWork ? c.ratePerS : 0), 0);
  const youngDaly = ck.intervalS === undefined;
  let intervalS = ck.intervalS ?? youngDalyIntervalS(writeS, losingRate > 0 ? 1 / losingRate : Infinity);
  if (youngDaly && ck.stepS !== undefined && ck.stepS > 0)
    intervalS = Math.ceil(intervalS / ck.stepS) * ck.stepS;
  const model: ReliabilityModel = {
    inventory: inv,
    rates,
    recovery,
    policy,
    classes,
    checkpoint: { sizeBytes: ck.sizeBytes, inMemory: ck.inMemory, writeS, reloadS, intervalS, youngDaly },
    spareGroups: spares ? Math.max(1, Math.floor(chips / spares.groupChips)) : 0,
  };
  if (lemons) model.lemonNodes = { ...lemons, multiplier: lemonNodesMultiplier(lemons) };
  return model;
}

/** Every tier named in tierAbsorbFraction must exist. */
function checkTierNames(inv: Inventory, policy: Policy): void {
  const tierNames = inv.tiers.map((t) => t.tier);
  for (const name of Object.keys(policy.tierAbsorbFraction ?? {})) {
    require_(
      tierNames.includes(name),
      ["reliability", "policy", "tierAbsorbFraction", name],
      "no tier of that name",
      name,
      `one of ${tierNames.join(", ")}`,
    );
  }
}

/**
 * Young's optimum compute time between checkpoints, sqrt(2 C M), for checkpoint cost C and mean time between
 * work-losing failures M (both s). Capped at 30 days when failures are absent. Cost: O(1).
 */
export function youngDalyIntervalS(checkpointS: number, mtbfS: number): number {
  const cap = 30 * 24 * HOUR;
  if (!Number.isFinite(mtbfS)) return cap;
  return Math.min(cap, Math.max(1e-3, Math.sqrt(2 * checkpointS * mtbfS)));
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
