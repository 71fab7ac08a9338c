// Collective communication time on a system's tiers, and the rank layout that decides which tier each parallel group spans.
import { topologyTraits } from "../catalog/topology.js";
import type { AllToAllCallRow, System } from "../catalog/types.js";
import { pow } from "../core/math.js";
import type { Collective, ParallelDegrees, Parallelism, RankLayout } from "./types.js";

/**
 * Rank layout, innermost first: tp, cp, dp, pp for the dense layers, as Megatron-Core orders its groups, so TP
 * fills the scale-up domain first. Expert layers are folded over the same ranks (Megatron-Core's MoE parallel
 * folding, Liu et al. 2025): expert tensor parallel innermost, then expert parallel, so EP neighbours are `etp`
 * ranks apart and CP and TP ranks can carry experts. Each group is a contiguous block of `size x stride` ranks;
 * it spans the smallest tier whose group holds that block. Cost O(tiers).
 */
export function rankLayout(system: System, d: ParallelDegrees): RankLayout {
  // Written out per parallelism (no keyed loop): this runs twice per evaluation.
  const stride: Record<Parallelism, number> = {
    tp: 1,
    cp: d.tp,
    ep: d.etp,
    dp: d.tp * d.cp,
    pp: d.tp * d.cp * d.dp,
  };
  const tierIndex: Record<Parallelism, number> = {
    tp: tierFor(system, d.tp * stride.tp),
    cp: tierFor(system, d.cp * stride.cp),
    ep: tierFor(system, d.ep * stride.ep),
    dp: tierFor(system, d.dp * stride.dp),
    pp: tierFor(system, d.pp * stride.pp),
  };
  return { order: ["tp", "cp", "ep", "dp", "pp"], stride, tierIndex };
}

/** Index of the smallest tier whose group holds `span` contiguous ranks. Cost O(tiers). */
export function tierFor(system: System, span: number): number {
  const tiers = system.tiers;
  for (let i = 0; i < tiers.length; i++) if (tiers[i].groupSize >= span) return i;
  return tiers.length - 1;
}

/** Payload bandwidth per chip per direction at tier i: link rate x header efficiency / oversubscription (bytes/s). */
export function tierBandwidth(system: System, i: number): number {
  const t = system.tiers[i];
  return (t.bandwidthBytesPerS * t.protocol.headerEfficiency) / t.oversubscription;
}

/** Per-tier figures that every collective reads, computed once per system (tierTable). */
interface TierTable {
  /** Mesh links per chip (meshLinks). */
  links: number[];
  /** tierBandwidth of each tier, bytes/s. */
  bandwidth: number[];
  /** tierLatency of each tier, s. */
  latency: number[];
  /** The tier's transport's measured all-to-all (Protocol.allToAllCall), where it has one. */
  allToAllCall: (readonly AllToAllCallRow[] | undefined)[];
  /** Line rate per chip per direction over oversubscription, before header efficiency, bytes/s. */
  lineRate: number[];
}

const tierTables = new WeakMap<System, TierTable>();

/**
 * The system's per-tier figures, computed on first use and cached per system object (systems are not changed once
 * resolved; a what-if copy is a new object). collectiveTime runs a dozen times per evaluation: one lookup here
 * replaces one per tier it crosses. Cost O(tiers) once, then O(1).
 */
function tierTable(system: System): TierTable {
  let table = tierTables.get(system);
  if (table) return table;
  table = {
    links: meshLinks(system),
    bandwidth: system.tiers.map((_, i) => tierBandwidth(system, i)),
    latency: system.tiers.map((_, i) => tierLatency(system, i)),
    allToAllCall: system.tiers.map((t) => t.protocol.allToAllCall),
    lineRate: system.tiers.map((t) => t.bandwidthBytesPerS / t.oversubscription),
  };
  tierTables.set(system, table);
  return table;
}

/**
 * Links per chip at each tier where every member of a group is one hop from every other over links of
 * its own (a full mesh, diameter 1: an 8-NPU HCCS node has 7), else 0 (switched, torus, multi-hop meshes).
 * From the topology kind's declared traits. Cost O(tiers).
 */
function meshLinks(system: System): number[] {
  return system.tiers.map((t, i) => {
    const below = i > 0 ? system.tiers[i - 1].groupSize : 1;
    const shape = {
      topology: t.topology,
      chips: t.groupSize,
      members: Math.max(1, Math.round(t.groupSize / below)),
      bandwidthBytesPerS: t.bandwidthBytesPerS,
      oversubscription: t.oversubscription,
    };
    const traits = topologyTraits(t.topology.kind);
    return traits.diameterHops(shape) === 1 ? traits.linksPerMember(shape) : 0;
  });
}

/**
 * Share of a chip's tier-i bandwidth that reaches `peers` other members of its tier-i group. A direct
 * mesh splits a chip's bandwidth evenly over its links and a transfer uses only those to its peers: a
 * send-recv inside an 8-NPU HCCS full mesh gets 1/7 of it, a 4-NPU group 3/7, all 8 NPUs all of it
 * (each 910B has 7 HCCS links of 56 GB/s both directions, one per peer: npu-smi topology in
 * https://www.meemx.com/p/hccl-contest-log-overall; HCCL's mesh algorithms drive all of them at once).
 * Through a switch any peer gets all of it. Cost O(1) after the first call for a system.
 */
export function peerShare(system: System, i: number, peers: number): number {
  return linkShare(tierTable(system).links[i], peers);
}

/** `peerShare` for a tier with `links` mesh links per chip (0 or undefined: switched). Cost O(1). */
function linkShare(links: number | undefined, peers: number): number {
  const l = links ?? 0;
  return l > 0 ? Math.min(l, Math.max(1, peers)) / l : 1;
}

/**
 * A transport's measured all-to-all among `ranks` ranks (Protocol.allToAllCall rows, ascending): its fixed time per
 * call, s, and the share of the line rate its payload reaches, each interpolated in log(ranks) between the rows and
 * held at the ends. Cost O(rows).
 */
export function allToAllCall(
  table: readonly AllToAllCallRow[],
  ranks: number,
): { s: number; lineShare: number } {
  const first = table[0];
  const last = table[table.length - 1];
  if (ranks <= first.ranks) return { s: first.s, lineShare: first.lineShare };
  for (let i = 1; i < table.length; i++) {
    const a = table[i - 1];
    const b = table[i];
    if (ranks <= b.ranks) {
      const f = Math.log(ranks / a.ranks) / Math.log(b.ranks / a.ranks);
      return { s: a.s + f * (b.s - a.s), lineShare: a.lineShare + f * (b.lineShare - a.lineShare) };
    }
  }
  return { s: last.s, lineShare: last.lineShare };
}

/** One message's fixed latency at tier i: hop latency plus the protocol stack's static latency (s). */
export function tierLatency(system: System, i: number): number {
  const t = system.tiers[i];
  return t.latencyS + t.protocol.staticLatencyS;
}

/**
 * Time of one collective, s. `bytes` is the full (unsharded) buffer per rank for all-reduce,
 * reduce-scatter and all-gather, the bytes each rank sends for all-to-all, and the message for send-recv.
 * Ring algorithms: all-reduce 2(n-1)/n, reduce-scatter and all-gather (n-1)/n of the buffer over the
 * slowest tier the group crosses, where a tier's per-chip bandwidth is multiplied by the group's members
 * inside one lower-tier group (parallel rings, one per NIC, as NCCL's bus bandwidth behaves), plus one
 * latency per ring step.
 * All-to-all splits each rank's bytes by the tier at which each peer is first reached and takes the
 * slowest tier. `efficiency` is the fraction of payload bandwidth the collective library reaches.
 * `maxRate` (bytes/s): the most one rank's share of a ring or send-recv can move, however fast the links, when the
 * library runs the group on a capped number of channels (`comm-channels.ts`); undefined: no cap.
 * Cost O(tiers).
 */
export function collectiveTime(
  system: System,
  kind: Collective,
  bytes: number,
  n: number,
  stride: number,
  tier: number,
  efficiency = 1,
  maxRate?: number,
): number {
  if (n <= 1 || bytes <= 0) return 0;
  // The tiers' links, bandwidths and latencies, looked up once per call.
  const table = tierTable(system);
  const { links, bandwidth, latency } = table;
  const bw = bandwidth[tier] * efficiency;
  const lat = latency[tier];
  const floorInv = maxRate !== undefined && maxRate > 0 ? 1 / maxRate : 0;
  // Ring collectives run one ring per member of the group inside each lower-tier group (NCCL channels,
  // one per NIC), so a tier's links carry the data in parallel through `inner` chips: the slowest of
  // bandwidth x inner over the tiers the group crosses sets the pace.
  let inv = 0;
  let inner = 1;
  for (let i = 0; i <= tier; i++) {
    const c = i === tier ? n : Math.min(n, Math.max(1, Math.floor(system.tiers[i].groupSize / stride)));
    if (c > inner) {
      const share = linkShare(links[i], Math.round(c / inner) - 1);
      const x = 1 / (bandwidth[i] * efficiency * inner * share);
      if (x > inv) inv = x;
      inner = c;
    }
  }
  if (floorInv > inv) inv = floorInv;
  switch (kind) {
    case "all-reduce":
      return ((2 * (n - 1)) / n) * bytes * inv + 2 * (n - 1) * lat;
    case "reduce-scatter":
    case "all-gather":
      return ((n - 1) / n) * bytes * inv + (n - 1) * lat;
    case "send-recv":
      return bytes * Math.max(1 / (bw * linkShare(links[tier], 1)), floorInv) + lat;
    case "all-to-all": {
      // A transport with a measured all-to-all (EFA: NCCL through aws-ofi-nccl over SRD) moves the bytes crossing it
      // at the measured share of its line rate and pays the measured fixed time per call, in place of the header
      // efficiency times the library's efficiency and the per-message latency.
      const rows = table.allToAllCall[tier];
      const measured = rows === undefined ? undefined : allToAllCall(rows, n);
      let worst = 0;
      let reached = 1;
      for (let i = 0; i <= tier; i++) {
        const within =
          i === tier ? n : Math.min(n, Math.max(1, Math.floor(system.tiers[i].groupSize / stride)));
        if (within > reached) {
          const share = linkShare(links[i], Math.round(within / reached) - 1);
          const rate =
            i === tier && measured !== undefined
              ? table.lineRate[i] * measured.lineShare * share
              : bandwidth[i] * efficiency * share;
          const t = (bytes * (within - reached)) / n / rate;
          if (t > worst) worst = t;
          reached = within;
        }
      }
      return worst + (measured === undefined ? lat : Math.max(lat, measured.s));
    }
  }
}

/** Expert-parallel ranks (of `ep`, `stride` apart) inside one group of tier `i`: all of them at or above `tier`. */
function epWithin(system: System, i: number, tier: number, ep: number, stride: number): number {
  return i >= tier ? ep : Math.min(ep, Math.max(1, Math.floor(system.tiers[i].groupSize / stride)));
}

/**
 * Expected remote groups, of `groups`, that a token's `topK` copies reach when its experts are drawn independently
 * and spread uniformly over the groups: (G - 1)(1 - (1 - 1/G)^k). Cost O(1).
 */
export function learnedRemoteGroups(groups: number, topK: number): number {
  if (groups <= 1) return 0;
  return (groups - 1) * (1 - pow(1 - 1 / groups, topK));
}

/**
 * Expected EP ranks, of `ep`, that one token's copies reach (its own included) when `remoteGroups(g)` is the remote
 * groups it reaches of g groups: at one rank a group, remoteGroups(ep) x ep / (ep - 1). A de-duplicating dispatcher
 * (DeepEP, HybridEP) sends the token to each once. Cost: one call of `remoteGroups`.
 */
export function expertRanksReached(ep: number, remoteGroups: (groups: number) => number): number {
  return ep <= 1 ? 1 : (remoteGroups(ep) * ep) / (ep - 1);
}

/**
 * Time of one expert-parallel dispatch (or combine) with hierarchical de-duplication, s: a token goes once to each
 * remote group (at every tier) holding at least one of its top-k experts and is fanned out inside it to each rank
 * holding one of them, once per rank, as DeepEP and HybridEP do (the Ascend DeepEP ports are costed the same way).
 * With experts spread uniformly, a token reaches D = (G - 1)(1 - (1 - 1/G)^k) of the G - 1 other groups
 * (`learnedRemoteGroups`); a routing that places a token's copies otherwise passes its own `remoteGroups`
 * (moe-routing.ts). `tokens` is per rank and
 * `bytesPerToken` the hidden vector's size at the dispatch precision. Cost O(tiers) plus the routing's.
 */
export function expertAllToAllTime(
  system: System,
  tokens: number,
  topK: number,
  bytesPerToken: number,
  ep: number,
  stride: number,
  tier: number,
  efficiency = 1,
  remoteGroups: (groups: number) => number = (groups) => learnedRemoteGroups(groups, topK),
): number {
  if (ep <= 1 || tokens <= 0) return 0;
  let worst = 0;
  // Innermost tier: a token goes once to each other rank holding one of its experts, not once per expert copy
  // (DeepEP's get_dispatch_layout returns is_token_in_rank [tokens, ranks] and num_tokens_per_rank, "the number of
  // tokens to be sent to each rank", deepseek-ai/DeepEP deep_ep/buffer.py; HybridEP sizes a rank's receive buffer at
  // one row per token of every rank, "all tokens could be routed to a single expert", DeepEP hybrid-ep
  // Hybrid-EP_Implementation.md sec. 4.2). Of the ep ranks it reaches remoteGroups(ep) x ep / (ep - 1), a share
  // (c0 - 1) / c0 of them in the group's other ranks; remote arrivals are fanned out to their ranks the same way.
  const c0 = epWithin(system, 0, tier, ep, stride);
  const ranksReached = expertRanksReached(ep, remoteGroups);
  if (c0 > 1)
    worst =
      (tokens * ranksReached * bytesPerToken * (c0 - 1)) /
      c0 /
      (tierBandwidth(system, 0) * efficiency * peerShare(system, 0, c0 - 1));
  for (let i = 1; i <= tier; i++) {
    const inner = epWithin(system, i - 1, tier, ep, stride);
    if (inner >= ep) break;
    const groups = ep / inner;
    const reached = remoteGroups(groups);
    const share = peerShare(system, i, Math.round(groups) - 1);
    const t = (tokens * reached * bytesPerToken) / (tierBandwidth(system, i) * efficiency * share);
    if (t > worst) worst = t;
  }
  return worst + tierLatency(system, tier);
}
