// SGLang's DeepEP-Ascend low-latency all-to-all on 910C dies: the per-call fixed cost the serving model's form (fixed part plus payload at the all-to-all rate) needs to reproduce the published kernel table.
import { ZettasimError } from "../../core/errors.js";
import { CHIP_FILES } from "../chips.js";
import { PROTOCOL_FILES } from "../protocols.js";

/** One published low-latency row: EP degree in ranks (910C dies) and the latency of one dispatch and one combine, us. */
export interface LowLatencyRow {
  ep: number;
  dispatchUs: number;
  combineUs: number;
}

/** A published low-latency kernel table at one setting (tokens per rank, hidden, top-k, bytes per element each way). */
export interface LowLatencyTable {
  tokensPerRank: number;
  hidden: number;
  topK: number;
  /** Bytes per dispatched element (INT8 plus one fp32 scale per 128 values). */
  dispatchBytesPerElem: number;
  /** Bytes per combined element (BF16). */
  combineBytesPerElem: number;
  rows: LowLatencyRow[];
  source: string;
}

/**
 * DeepEP-Ascend (SGLang's `--moe-a2a-backend deepep` on Ascend) low-latency kernels on 910C dies of an A3 SuperPoD over
 * pure HCCS/UB, 128 tokens per rank, hidden 7,168, top-8, INT8 dispatch and BF16 combine: sgl-project/sgl-kernel-npu
 * README, 'DeepEP-Ascend Performance', table 'Low-Latency Kernels with Pure HCCS' (kept whole, EP 32 included, in
 * data/kernels/deepep-ascend-low-latency-published.json). The rows within one A3 server's 16 dies (EP 8 and 16) are
 * taken: an EP group of an SGLang-on-Ascend instance beyond one server crosses RoCE, which the EP 32 row (still on UB)
 * does not measure.
 */
export const DEEPEP_ASCEND_LL: LowLatencyTable = {
  tokensPerRank: 128,
  hidden: 7168,
  topK: 8,
  dispatchBytesPerElem: 1 + 4 / 128,
  combineBytesPerElem: 2,
  rows: [
    { ep: 8, dispatchUs: 132, combineUs: 126 },
    { ep: 16, dispatchUs: 139, combineUs: 135 },
  ],
  source:
    "sgl-project/sgl-kernel-npu README, DeepEP-Ascend low-latency kernels with pure HCCS (INT8 dispatch)",
};

/** A scale-up link as one rank sees it: payload bytes/s per direction (after protocol headers) and the static latency, s. */
export interface RankLink {
  bytesPerS: number;
  latencyS: number;
}

/**
 * One 910C die's share of the A3 scale-up link as the serving model prices it: the catalog's 910C scale-up bandwidth per
 * package and direction (392 GB/s, CloudMatrix384, arXiv 2506.12708) over its two dies, times UnifiedBus's header
 * efficiency (0.95), and UB's static latency (0.2 us): the same figures the cost model takes for an A3 server's HCCS tier
 * (src/serving/cost.ts, the EP tiers). O(catalog).
 */
export function ascend910cDieUbLink(): RankLink {
  const chip = CHIP_FILES.find((c) => c.id === "ascend-910c");
  const ub = PROTOCOL_FILES.find((p) => p.id === "unifiedbus");
  if (!chip || !ub) throw new Error("catalog: ascend-910c chip or unifiedbus protocol missing");
  const dies = chip.devicesPerPackage ?? 1;
  return {
    bytesPerS: ((chip.scaleUpBandwidthGBps * 1e9) / dies) * ub.headerEfficiency,
    latencyS: ub.staticLatencyUs * 1e-6,
  };
}

function refuse(field: string, value: unknown, expected: string): never {
  throw new ZettasimError([{ path: [field], message: `bad ${field}`, value, expected }]);
}

/**
 * The fixed part of one low-latency dispatch or combine, s, under the serving model's form for a call inside one
 * scale-up tier (`fixed + tier latency + payload / (link x allToAll)`, src/serving/cost.ts `comm`): each published
 * latency less the latency and its payload at that rate (a rank sends `topK x (ep - 1) / ep` remote copies of each
 * token), averaged over dispatch and combine and over the rows, as the Hopper scale-out floor is derived from DeepEP's
 * H800 table (hopper.ts `lowLatencyScaleOutFloorS`). With the A3 die's link and the Ascend family's allToAll 0.75:
 * EP 8 dispatch 84.4 / combine 33.8 us, EP 16 88.0 / 36.2 us, mean 60.6 us. The table has one token count, so the
 * split between a fixed cost and a per-token-copy cost is not pinned; the model's form puts it all in the fixed part.
 * Throws ZettasimError naming a bad field (non-positive link rate or latency below 0, allToAll outside (0, 1], a row
 * whose latency is below its own payload term). O(rows).
 */
export function lowLatencyCallFixedS(
  link: RankLink,
  allToAll: number,
  t: LowLatencyTable = DEEPEP_ASCEND_LL,
): number {
  if (!(Number.isFinite(link.bytesPerS) && link.bytesPerS > 0)) {
    refuse("link.bytesPerS", link.bytesPerS, "a payload rate > 0 (bytes/s)");
  }
  if (!(Number.isFinite(link.latencyS) && link.latencyS >= 0)) {
    refuse("link.latencyS", link.latencyS, "a latency >= 0 (s)");
  }
  if (!(allToAll > 0 && allToAll <= 1)) refuse("allToAll", allToAll, "a fraction in (0, 1]");
  if (t.rows.length === 0) refuse("rows", t.rows, "at least one published row");
  const rate = link.bytesPerS * allToAll;
  let sum = 0;
  for (const r of t.rows) {
    if (!(r.ep > 1)) refuse("rows.ep", r.ep, "an EP degree > 1");
    const elems = t.tokensPerRank * ((t.topK * (r.ep - 1)) / r.ep) * t.hidden;
    const d = r.dispatchUs * 1e-6 - (elems * t.dispatchBytesPerElem) / rate - link.latencyS;
    const c = r.combineUs * 1e-6 - (elems * t.combineBytesPerElem) / rate - link.latencyS;
    if (d < 0 || c < 0) {
      refuse("rows", r, "published latencies above their payload at the link rate (is the link too slow?)");
    }
    sum += (d + c) / 2;
  }
  return sum / t.rows.length;
}
