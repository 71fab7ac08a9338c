// The step's collectives as the flow simulator runs them, consistent with the analytical model: TP, CP, expert dispatch/combine by dispatcher, pipeline sends, and data-parallel reduction and FSDP gathers as sharded.

import { amaxAllReduceS, tpAmaxReductions } from "./amax-reduction.js";
import type { Inputs } from "./analyze.js";
import { collectiveTime } from "./comm.js";
import { channelRateCap } from "./comm-channels.js";
import { type DataParallelCost, dpGroupStride, shardTier } from "./fsdp.js";
import { type LayerCost, routedSerial } from "./layer.js";
import { bufferTpCollectives } from "./moe-buffer.js";
import {
  BF16_GATHER_BYTES,
  gradOutputGatherBytes,
  inputGatherBytes,
  quantizedGatherBlocksIn,
} from "./quantized-gather.js";
import { tpCollectiveBlocks, tpCollectives } from "./sequence-parallel.js";
import type { StageCost } from "./stage.js";
import type { CommOp, RankLayout } from "./types.js";

type Per = CommOp["per"];
type Push = (op: Omit<CommOp, "timeS">, timeS?: number) => void;
type CollTime = (k: CommOp["collective"], b: number, n: number, st: number, ti: number) => number;
const side = (per: Per) => (per === "microbatch-forward" ? "forward" : "backward");

/**
 * The TP collectives of a step (d.tp > 1): per block that gathers over TP, as sequence-parallel.ts counts them (with
 * sequence parallelism the backward gathers the inputs again) and `tpCollectiveBlocks` counts the blocks (an MoE
 * layer's own); a full-recompute backward reruns the forward's too. Quantised gathers, a dispatcher's serial
 * routed-copy collectives and current scaling's amax all-reduces beside them. Cost O(kinds).
 */
function pushTpOps(
  push: Push,
  ct: CollTime,
  inp: Inputs,
  layout: RankLayout,
  dense: LayerCost,
  moe: LayerCost | undefined,
  layers: number,
): void {
  const { t, shape: s } = inp;
  const d = t.degrees;
  const sp = t.sequenceParallel && d.tp > 1;
  const full = t.recompute === "full";
  const moeLayers = moe ? Math.min(layers, s.moeLayers) : 0;
  // A dispatcher that gathers the routed copies itself (routed-tp-gather.ts) leaves an MoE layer its attention pair.
  const serial = routedSerial(inp, moeLayers > 0);
  // So does a capacity-buffer dispatch (moe-buffer.ts), whose routed experts reduce the buffer over TP apart.
  const buffered = moe !== undefined && moe.tpBufferBytes > 0;
  const moeBlocks = tpCollectiveBlocks(true, s.sharedExperts, serial || buffered ? 1 : d.etp);
  const blocks = (layers - moeLayers) * 2 + moeLayers * moeBlocks;
  const qBlocks =
    (layers - moeLayers) * quantizedGatherBlocksIn(t, sp, false) +
    moeLayers * quantizedGatherBlocksIn(t, sp, true);
  for (const per of ["microbatch-forward", "microbatch-backward"] as const) {
    const n = tpCollectives(sp, side(per), blocks);
    const rerun = per === "microbatch-backward" && full ? tpCollectives(sp, "forward", blocks) : undefined;
    const kinds: [CommOp["collective"], number][] = [
      ["all-gather", n.allGather + (rerun?.allGather ?? 0)],
      ["reduce-scatter", n.reduceScatter + (rerun?.reduceScatter ?? 0)],
      ["all-reduce", n.allReduce + (rerun?.allReduce ?? 0)],
    ];
    // Transformer Engine's gathers of quantised tensors (quantized-gather.ts): inputs at one layout each pass (the
    // full-recompute rerun's too), output gradients backward at one or two; the rest of the gathers move bf16.
    const qIn = qBlocks * (per === "microbatch-backward" && full ? 2 : 1);
    const qGrad = per === "microbatch-backward" ? qBlocks : 0;
    const elems = dense.tpBytes / BF16_GATHER_BYTES;
    const quantised: [string, number, number][] = [
      ["quantised input", qIn, elems * inputGatherBytes(t.recipe, true)],
      ["quantised output gradient", qGrad, elems * gradOutputGatherBytes(t.recipe, true, t.overlap.tpComm)],
    ];
    const pushTp = (name: string, collective: CommOp["collective"], bytesPerRank: number, count: number) => {
      if (count > 0)
        push({
          name: `${name} (${side(per)})`,
          parallelism: "tp",
          collective,
          bytesPerRank,
          groupSize: d.tp,
          stride: 1,
          tierIndex: layout.tierIndex.tp,
          per,
          count,
          overlappable: t.overlap.tpComm,
        });
    };
    for (const [k, count] of kinds)
      pushTp(`tp ${k}`, k, dense.tpBytes, k === "all-gather" ? count - qIn - qGrad : count);
    for (const [what, count, bytes] of quantised)
      pushTp(`tp all-gather, ${what}`, "all-gather", bytes, count);
  }
  if (serial && moe) pushRoutedTp(push, moe, moeLayers, d.tp, d.etp, layout.tierIndex.tp, full);
  if (buffered && moe) pushBufferTp(push, moe, moeLayers, d.tp, layout.tierIndex.tp, sp, full);
  // Current per-tensor scaling's amax all-reduces (amax-reduction.ts): a few bytes, latency-bound, never hidden.
  const amax = tpAmaxReductions(t.recipe, sp, blocks);
  if (amax > 0)
    for (const per of ["microbatch-forward", "microbatch-backward"] as const)
      push(
        {
          name: `tp amax all-reduce (${side(per)})`,
          parallelism: "tp",
          collective: "all-reduce",
          bytesPerRank: 4,
          groupSize: d.tp,
          stride: 1,
          tierIndex: layout.tierIndex.tp,
          per,
          count: amax * (per === "microbatch-backward" && full ? 2 : 1),
          overlappable: false,
        },
        amaxAllReduceS(ct("all-reduce", 4, d.tp, 1, layout.tierIndex.tp)),
      );
}

/** Lists the step's collectives into `out` (not needed by the closed-form estimate). Cost O(kinds). */
export function buildComm(
  out: CommOp[],
  inp: Inputs,
  layout: RankLayout,
  dense: LayerCost,
  moe: LayerCost | undefined,
  ppOne: number,
  sl: StageCost,
  dp: DataParallelCost,
  microBatches: number,
): void {
  const { system, t, shape: s } = inp;
  const collEff = inp.eff.collective;
  const d = t.degrees;
  const layers = sl.layers;
  const ct = (k: CommOp["collective"], b: number, n: number, st: number, ti: number, maxRate?: number) =>
    collectiveTime(system, k, b, n, st, ti, collEff, maxRate);
  // The channel caps a run publishes per communicator (comm-channels.ts), as the analytical model applies them.
  const perChannel = inp.eff.collectiveChannelBytesPerS;
  const caps: Partial<Record<CommOp["parallelism"], number | undefined>> = {
    dp: channelRateCap(t.commMaxCtas.dp, perChannel),
    cp: channelRateCap(t.commMaxCtas.cp, perChannel),
  };
  const push = (op: Omit<CommOp, "timeS">, timeS?: number) =>
    out.push({
      ...op,
      timeS:
        timeS ??
        ct(op.collective, op.bytesPerRank, op.groupSize, op.stride, op.tierIndex, caps[op.parallelism]),
    });
  if (d.tp > 1) pushTpOps(push, ct, inp, layout, dense, moe, layers);
  if (d.cp > 1) {
    // The backward's traffic (chunks again and their gradients, ring-grad-rotation.ts) spread over its ring steps.
    for (const [per, bytes] of [
      ["microbatch-forward", dense.cpBytes],
      ["microbatch-backward", dense.cpBytesB / (d.cp - 1)],
    ] as const)
      push({
        name: `cp ring K/V exchange (${side(per)})`,
        parallelism: "cp",
        collective: "send-recv",
        bytesPerRank: bytes,
        groupSize: d.cp,
        stride: layout.stride.cp,
        tierIndex: layout.tierIndex.cp,
        per,
        count: (d.cp - 1) * layers,
        overlappable: true,
      });
  }
  if (moe && d.ep > 1) {
    const moeLayers = Math.min(layers, s.moeLayers);
    const gathered = t.moeDispatcher === "allgather";
    for (const per of ["microbatch-forward", "microbatch-backward"] as const)
      for (const [what, b, time, kind] of [
        ["dispatch", moe.epDispatchBytes, moe.epDispatchS, gathered ? "all-gather" : "all-to-all"],
        ["combine", moe.epCombineBytes, moe.epCombineS, gathered ? "reduce-scatter" : "all-to-all"],
      ] as const)
        push(
          {
            name: `ep ${t.moeDispatcher} ${what} (${side(per)})`,
            parallelism: "ep",
            collective: kind,
            bytesPerRank: b,
            groupSize: d.ep,
            stride: layout.stride.ep,
            tierIndex: layout.tierIndex.ep,
            per,
            // A full recompute's backward reruns the forward's exchange (stage.ts `epRecomputeS`).
            count: moeLayers * (per === "microbatch-backward" && t.recompute === "full" ? 2 : 1),
            overlappable: t.overlap.epComm,
            ...(moe.epRateShare < 1 ? { rateShare: moe.epRateShare } : {}),
          },
          time,
        );
  }
  if (d.pp > 1) {
    const T = (t.microBatchSize * t.seqLength) / d.cp;
    for (const per of ["microbatch-forward", "microbatch-backward"] as const)
      push(
        {
          name: `pp activation ${per === "microbatch-forward" ? "send" : "gradient send"}`,
          parallelism: "pp",
          collective: "send-recv",
          bytesPerRank: (T * s.hidden * 2) / d.tp,
          groupSize: 2,
          stride: layout.stride.pp,
          tierIndex: layout.tierIndex.pp,
          per,
          count: d.vpp,
          overlappable: false,
        },
        ppOne,
      );
  }
  dataParallelComm(push, inp, layout, dp, microBatches);
}

/** Data-parallel collectives: ZeRO 0-2 once per step; ZeRO 3 per micro-batch or once per step, hybrid replicas. */
function dataParallelComm(
  push: (op: Omit<CommOp, "timeS">, timeS?: number) => void,
  inp: Inputs,
  layout: RankLayout,
  dp: DataParallelCost,
  microBatches: number,
): void {
  const { t } = inp;
  const d = t.degrees;
  const ti = layout.tierIndex.dp;
  const eStride = d.etp * d.ep;
  const op = (
    name: string,
    k: CommOp["collective"],
    b: number,
    n: number,
    stride: number,
    tier: number,
    per: Per,
    count = 1,
    share = 1,
  ) => {
    if (!(n > 1 && b > 0)) return;
    // Per-micro-batch FSDP collectives: only `share` of them prefetched beside compute (fsdp.ts `prefetchLimited`,
    // memory-limited prefetch); the rest runs in the critical path, as the closed form charges it.
    const ov = t.overlap.dpComm;
    const parts: [string, number, boolean][] =
      ov && share < 1
        ? [
            [name, share, true],
            [`${name}, beyond prefetch`, 1 - share, false],
          ]
        : [[name, 1, ov]];
    for (const [nm, f, overlappable] of parts)
      if (f > 0)
        push({
          name: nm,
          parallelism: "dp",
          collective: k,
          bytesPerRank: f * b,
          groupSize: n,
          stride,
          tierIndex: tier,
          per,
          count,
          overlappable,
        });
  };
  // The gradient/parameter group folds CP in (dp x cp ranks from TP's stride), as fsdp.ts costs it.
  const ds = dpGroupStride(layout);
  if (t.zero === 0) {
    op("dp gradient all-reduce", "all-reduce", dp.dGrad, dp.nDp, ds, ti, "step");
    op("expert-dp gradient all-reduce", "all-reduce", dp.eGrad, dp.nEdp, eStride, ti, "step");
    return;
  }
  if (t.zero <= 2) {
    op("dp gradient reduce-scatter", "reduce-scatter", dp.dGrad, dp.nDp, ds, ti, "step");
    op("expert-dp gradient reduce-scatter", "reduce-scatter", dp.eGrad, dp.nEdp, eStride, ti, "step");
    op("dp parameter all-gather", "all-gather", dp.dPar, dp.nDp, ds, ti, "step");
    op("expert-dp parameter all-gather", "all-gather", dp.ePar, dp.nEdp, eStride, ti, "step");
    return;
  }
  const hybrid = dp.shard < dp.nDp;
  const sTier = shardTier(inp.system, dp.shard, ds);
  // ZeRO-3 / FSDP: parameters gathered once per step (kept across micro-batches) or per micro-batch forward and,
  // when resharding, again for the backward; gradients reduce-scattered after every micro-batch's backward.
  const gathers: [string, Per][] = dp.gatherOncePerStep
    ? [["(once per step)", "step"]]
    : t.reshardAfterForward
      ? [
          ["(forward)", "microbatch-forward"],
          ["(backward)", "microbatch-backward"],
        ]
      : [["(forward)", "microbatch-forward"]];
  // Gathered once per step means once per schedule run where the framework runs the schedule per local batch
  // (`pipelineRuns`), as fsdp.ts charges it.
  for (const [when, per] of gathers) {
    const n = per === "step" ? t.pipelineRuns : 1;
    const g = per === "step" ? 1 : dp.gatherShare;
    op(`fsdp parameter all-gather ${when}`, "all-gather", dp.dPar, dp.shard, ds, sTier, per, n, g);
    op(`fsdp expert parameter all-gather ${when}`, "all-gather", dp.ePar, dp.nEdp, eStride, ti, per, n, g);
  }
  const rs = "microbatch-backward";
  const r = dp.reduceShare;
  op("fsdp gradient reduce-scatter", "reduce-scatter", dp.dGrad, dp.shard, ds, sTier, rs, 1, r);
  op("fsdp expert gradient reduce-scatter", "reduce-scatter", dp.eGrad, dp.nEdp, eStride, ti, rs, 1, r);
  if (hybrid)
    op(
      "hsdp gradient-shard all-reduce across replicas",
      "all-reduce",
      dp.dGrad / dp.shard,
      dp.nDp / dp.shard,
      ds * dp.shard,
      ti,
      "step",
    );
  void microBatches;
}

/**
 * A capacity-buffer dispatch's TP collectives (moe-buffer.ts `bufferTpCollectives`): the buffer's all-reduce each
 * pass and, with sequence parallelism, the block input's gather forward and its gradient's reduce-scatter backward;
 * a full-recompute backward reruns the forward's. Never hidden. Cost O(1).
 */
function pushBufferTp(
  push: (op: Omit<CommOp, "timeS">) => void,
  moe: LayerCost,
  moeLayers: number,
  tp: number,
  tierIndex: number,
  sp: boolean,
  full: boolean,
): void {
  const n = bufferTpCollectives(sp);
  for (const per of ["microbatch-forward", "microbatch-backward"] as const) {
    const back = per === "microbatch-backward";
    const ops: [CommOp["collective"], number, number][] = [
      ["all-reduce", moe.tpBufferBytes, n.bufferAllReduce * (back && full ? 2 : 1)],
      ["all-gather", moe.tpBytes, back ? (full ? n.tokenAllGatherF : 0) : n.tokenAllGatherF],
      ["reduce-scatter", moe.tpBytes, back ? n.tokenReduceScatterB : 0],
    ];
    for (const [k, bytes, count] of ops)
      if (count > 0)
        push({
          name: `tp moe buffer ${k} (${back ? "backward" : "forward"})`,
          parallelism: "tp",
          collective: k,
          bytesPerRank: bytes,
          groupSize: tp,
          stride: 1,
          tierIndex,
          per,
          count: moeLayers * count,
          overlappable: false,
        });
  }
}

/**
 * The routed copies' gather and reduce-scatter over expert TP and the sequence/hidden all-to-alls of a dispatcher that
 * runs them on the compute stream (routed-tp-gather.ts), forward and backward alike, never hidden. Cost O(1).
 */
function pushRoutedTp(
  push: (op: Omit<CommOp, "timeS">) => void,
  moe: LayerCost,
  moeLayers: number,
  tp: number,
  etp: number,
  tierIndex: number,
  full: boolean,
): void {
  for (const per of ["microbatch-forward", "microbatch-backward"] as const)
    for (const [k, bytes, count] of [
      ["all-gather", moe.tpSerialBytes, 1],
      ["reduce-scatter", moe.tpSerialBytes, 1],
      ["all-to-all", moe.tpSerialA2aBytes, 2],
    ] as const)
      push({
        name: `tp routed ${k} (${per === "microbatch-forward" ? "forward" : "backward"})`,
        parallelism: "tp",
        collective: k,
        bytesPerRank: bytes,
        groupSize: k === "all-to-all" ? tp : etp,
        stride: 1,
        tierIndex,
        per,
        count: moeLayers * count * (per === "microbatch-backward" && full ? 2 : 1),
        overlappable: false,
      });
}
