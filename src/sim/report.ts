// What a run leaves behind for people: per-tier link usage, the hottest links, and the trace (phases, stages, per-tier utilisation counters).
import type { NetworkStats, TierSample } from "../engine/network.js";
import type { TraceEvent } from "./iteration/iteration.js";
import type { Fabric } from "./topology/fabric.js";

/** Load on one tier: links touched, bytes carried (symmetric copies counted) and utilisation over the run. */
export interface TierUsage {
  tier: string;
  kind: string;
  linksUsed: number;
  bytesCarried: number;
  /** Mean over the links used of bytes / (capacity x run time). */
  meanUtilisation: number;
  peakUtilisation: number;
}

export interface HotLink {
  link: string;
  tier: string;
  utilisation: number;
  bytesCarried: number;
}

/** Per-tier usage and the `keep` most utilised links over a run of `runS` seconds. Cost O(links used x log). */
export function linkUsage(
  fabric: Fabric,
  st: NetworkStats,
  runS: number,
  keep: number,
): { tiers: TierUsage[]; hottestLinks: HotLink[] } {
  const T = runS > 0 ? runS : 1;
  const perTier = fabric.system.tiers.map((t) => ({
    tier: t.name,
    kind: t.topology.kind,
    linksUsed: 0,
    bytesCarried: 0,
    sumU: 0,
    peakUtilisation: 0,
  }));
  const hottestLinks: HotLink[] = [];
  const ranked = st.links
    .map((l) => ({ l, u: l.bytes / (l.capacityBytesPerS * T) }))
    .sort((a, b) => b.u - a.u || a.l.id - b.l.id);
  for (const { l, u } of ranked) {
    const info = fabric.link(l.id);
    const pt = perTier[info.tier];
    pt.linksUsed++;
    pt.bytesCarried += l.bytes;
    pt.sumU += Number.isFinite(u) ? u : 0;
    pt.peakUtilisation = Math.max(pt.peakUtilisation, Number.isFinite(u) ? u : 0);
    if (hottestLinks.length < keep)
      hottestLinks.push({
        link: info.name,
        tier: pt.tier,
        utilisation: Number.isFinite(u) ? u : 0,
        bytesCarried: l.bytes,
      });
  }
  const tiers = perTier.map((p) => ({
    tier: p.tier,
    kind: p.kind,
    linksUsed: p.linksUsed,
    bytesCarried: p.bytesCarried,
    meanUtilisation: p.linksUsed > 0 ? p.sumU / p.linksUsed : 0,
    peakUtilisation: p.peakUtilisation,
  }));
  return { tiers, hottestLinks };
}

/** Trace process id of the per-tier utilisation counters (after any pipeline stage's). */
export const COUNTER_PID = 1_000_000;

/**
 * Perfetto counter tracks ("C" events), one per tier: the payload rate on the tier's links the run
 * touched over their capacity, each time it changes, ending at 0. Cost O(samples).
 */
export function counterEvents(fabric: Fabric, samples: readonly TierSample[], endS: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  const seen = new Set<number>();
  for (const s of samples) {
    seen.add(s.tier);
    out.push({
      name: `${fabric.system.tiers[s.tier].name} link utilisation`,
      cat: "utilisation",
      ph: "C",
      ts: s.timeS * 1e6,
      pid: COUNTER_PID,
      tid: s.tier,
      args: { utilisation: s.capacityBytesPerS > 0 ? s.bytesPerS / s.capacityBytesPerS : 0 },
    });
  }
  for (const t of seen)
    out.push({
      name: `${fabric.system.tiers[t].name} link utilisation`,
      cat: "utilisation",
      ph: "C",
      ts: endS * 1e6,
      pid: COUNTER_PID,
      tid: t,
      args: { utilisation: 0 },
    });
  return out;
}
