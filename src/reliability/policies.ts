// Recovery policies as data the failure model reads: each policy says which failures (by blast radius) it handles
// and what they cost; the model asks them in order and never asks which kind of component failed.
import { own } from "../core/records.js";
import type { TierInventory } from "./inventory.js";
import type { BlastRadius, ComponentKind } from "./rates.js";

/** What a failure does to the job once a policy has handled it. */
export type Effect =
  /** Job stops, restarts on replacement hardware and rolls back to the last checkpoint. */
  | "restart"
  /** The failed chip is swapped for an in-rack hot spare: short migration, roll back, no full restart. */
  | "migrate"
  /** Job drops the data-parallel replicas that held the failed part and continues with fewer until repair. */
  | "shrink"
  /** Traffic is routed around the failure: no interruption, some bandwidth lost until repair. */
  | "degrade";

/** Times of the recovery steps, s. */
export interface Recovery {
  /** From the failure to knowing which part failed. */
  detectionS: number;
  /** Rescheduling the job on healthy hardware and re-initialising (communicators, data loaders). */
  restartS: number;
  /** Moving a failed chip's work onto a hot spare. */
  migrationS: number;
  /** Rebuilding communicators without the dropped replicas (elastic data parallel). */
  reconfigureS: number;
  /** Until the failed part is replaced: spares stay used, replicas stay dropped, links stay degraded. */
  repairS: number;
}

/** What each effect costs the job: downtime per event (recovery steps plus reloading the checkpoint) and whether it rolls back. */
export const EFFECT_COSTS: Readonly<
  Record<Effect, { downtimeS(r: Recovery, reloadS: number): number; losesWork: boolean; needsSpare: boolean }>
> = {
  restart: {
    downtimeS: (r, reload) => r.detectionS + r.restartS + reload,
    losesWork: true,
    needsSpare: false,
  },
  migrate: {
    downtimeS: (r, reload) => r.detectionS + r.migrationS + reload,
    losesWork: true,
    needsSpare: true,
  },
  shrink: {
    downtimeS: (r, reload) => r.detectionS + r.reconfigureS + reload,
    losesWork: true,
    needsSpare: false,
  },
  degrade: { downtimeS: () => 0, losesWork: false, needsSpare: false },
};

/** The policy settings a scenario gives (see schema/reliability.ts). */
export interface Policy {
  /** In-rack hot spares: `spares` chips stand by for every group of `groupChips` chips (UB-Mesh: 64 + 1). */
  hotSpares?: { groupChips: number; spares: number };
  /** Continue with fewer data-parallel replicas of `replicaChips` chips each after chip, host or link failures. */
  elasticDataParallel?: { replicaChips: number };
  /** What a lost link in a mesh tier does: routed around (default) or a restart. */
  meshLinkFailures: "reroute" | "restart";
  /** Fraction of throughput lost while a link is routed around. */
  degradedThroughputFraction: number;
  /** Fraction of link and switch failures in switched tiers that multipath absorbs without interrupting the job. */
  switchedAbsorbFraction: number;
  /**
   * Per-tier override of the absorbed fraction (by tier name), for mesh and switched tiers alike; one number for
   * both, or separate fractions keyed as the inventory counts them (a Clos whose chip-to-leaf links and leaves are
   * single points of failure).
   */
  tierAbsorbFraction?: Record<string, number | { opticalModules?: number; switches?: number }>;
}

/** Where failures land: one component kind, its blast radius, how many of it the job depends on, and its tier. */
export interface FailureSite {
  kind: ComponentKind;
  radius: BlastRadius;
  count: number;
  /** For network parts: the tier, and which of its counts this kind is. */
  tier?: TierInventory;
  tierCount?: "opticalModules" | "switches";
}

/** What the policies see of the job. */
export interface PolicyContext {
  policy: Policy;
  recovery: Recovery;
  jobChips: number;
  chipsPerHost: number;
}

/** A policy's answer for a site: it takes `share` of the failures still unhandled, with this effect. */
export interface Claim {
  share: number;
  effect: Effect;
  /** Full-speed seconds lost while degraded after each event (fraction lost x repair time). */
  degradedS: number;
}

/** One recovery policy: which failures it handles, and how. */
export interface FailurePolicy {
  /** For docs and listings. */
  readonly summary: string;
  /** This policy's claim on a site's failures, or undefined when it does not handle them. Cost O(1). */
  claim(site: FailureSite, ctx: PolicyContext): Claim | undefined;
}

/** Full-speed seconds lost by dropping the replicas that held `lostChips` chips until repair, spread over the job. */
function shrinkLossS(ctx: PolicyContext, lostChips: number): number {
  const e = ctx.policy.elasticDataParallel;
  if (!e) return 0;
  return (Math.ceil(lostChips / e.replicaChips) * e.replicaChips * ctx.recovery.repairS) / ctx.jobChips;
}

/** Links and switches a tier routes around: its topology's default (meshes reroute), or the scenario's fraction. */
const reroute: FailurePolicy = {
  summary: "a tier whose paths survive a lost link or switch routes around it and runs degraded until repair",
  claim(site, ctx) {
    const t = site.tier;
    if (!t || (site.radius !== "link" && site.radius !== "switch")) return undefined;
    const p = ctx.policy;
    const byDefault = t.mesh ? (p.meshLinkFailures === "reroute" ? 1 : 0) : p.switchedAbsorbFraction;
    const o = own(p.tierAbsorbFraction, t.tier);
    const share =
      typeof o === "number" ? o : ((site.tierCount ? o?.[site.tierCount] : undefined) ?? byDefault);
    if (!(share > 0)) return undefined;
    return { share, effect: "degrade", degradedS: p.degradedThroughputFraction * ctx.recovery.repairS };
  },
};

/** A failed chip's work moves to an in-rack hot spare (when one is free; otherwise the job restarts). */
const hotSpares: FailurePolicy = {
  summary: "a failed chip's work moves to a hot spare of its group",
  claim: (site, ctx) =>
    ctx.policy.hotSpares && site.radius === "chip"
      ? { share: 1, effect: "migrate", degradedS: 0 }
      : undefined,
};

/** The replicas that held the failed chip, host or link are dropped; the job continues with fewer until repair. */
const elastic: FailurePolicy = {
  summary: "the data-parallel replicas that held the failed part are dropped until repair",
  claim(site, ctx) {
    if (!ctx.policy.elasticDataParallel) return undefined;
    const lost =
      site.radius === "chip" || site.radius === "link" ? 1 : site.radius === "host" ? ctx.chipsPerHost : 0;
    return lost > 0 ? { share: 1, effect: "shrink", degradedS: shrinkLossS(ctx, lost) } : undefined;
  },
};

/** Whatever no other policy handles stops the job: restart on healthy hardware from the last checkpoint. */
const restart: FailurePolicy = {
  summary: "the job restarts on healthy hardware from its last checkpoint",
  claim: () => ({ share: 1, effect: "restart", degradedS: 0 }),
};

/** The policies in the order the model asks them; the last takes whatever is left. */
export const FAILURE_POLICIES: readonly FailurePolicy[] = [reroute, hotSpares, elastic, restart];

/**
 * Splits a site's failures among the policies in order: each takes its share of what is left. Returns the
 * fraction of the site's failures each effect gets (shares sum to 1). Cost O(policies).
 */
export function handle(site: FailureSite, ctx: PolicyContext): { fraction: number; claim: Claim }[] {
  const out: { fraction: number; claim: Claim }[] = [];
  let left = 1;
  for (const p of FAILURE_POLICIES) {
    if (left <= 0) break;
    const c = p.claim(site, ctx);
    if (!c) continue;
    const take = Math.min(1, c.share) * left;
    if (take > 0) out.push({ fraction: take, claim: c });
    left -= take;
  }
  return out;
}
