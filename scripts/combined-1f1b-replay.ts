// Replays Megatron-Core's combined 1F1B (the EP all-to-all overlap) for an MoE training case on two CUDA streams and a host thread, in the source's issue order, and compares it with the analytical model's pooled overlap: a diagnostic, never a model term (docs/training.md, "MoE training misses, session 16").
//
// Usage: npx tsx scripts/combined-1f1b-replay.ts [--set field=value ...] id ...
//   `--set` replaces a training field of every named case before it is replayed (a what-if; the value is read as
//   JSON where it parses, else as a string), e.g. `--set precision=bf16 --set moeDispatcher=alltoall`.
// Reads validation/*.json; changes nothing. Holdout cases named here must be logged in validation/inspections.jsonl
// (COMMON rule 4).
//
// The schedule is TransformerLayerSchedulePlan.run (NVIDIA/Megatron-LM megatron/core/models/common/
// model_chunk_schedule_plan.py, main d98e8a64dd of 2026-08-22): per layer pair the host issues b.combine_bwd (comm
// stream), f.pre_dispatch (attention, router, shared experts; compute stream), b.mlp_bwd (compute), f.dispatch (comm;
// the all-to-all dispatcher first waits on the host for the split sizes, token_dispatcher.py
// `_maybe_dtoh_and_synchronize`), b.dispatch_bwd (comm), f.mlp (compute), f.combine (comm), b.pre_dispatch_bwd
// (compute). Each ScheduleNode waits on its micro-batch's event and records it again (pipeline_parallel/utils.py
// `stream_acquire_context`), so one micro-batch's nodes run in order while the two micro-batches interleave.
// A compute node starts when its stream, its input and its host issue allow and cannot end before the host has issued
// it; a communication node costs the host two launches. Host and device times per node are the model's own (the
// same sums as stage.ts's stageCost; the backward's routed-expert device share is taken equal to the forward's (A)).
import { layerCosts } from "../src/training/analyze.js";
import { prepareTraining } from "../src/training/estimate.js";
import type { LayerCost } from "../src/training/layer.js";
import { HOST_SYNC_S } from "../src/training/overheads.js";
import { routerPreprocessHostS } from "../src/training/router-host.js";
import { splitAllocHostS } from "../src/training/split-quantize.js";
import { trainingCaseInputs } from "../src/validate/training.js";
import { projectCases } from "./validation-files.js";

interface Node {
  host: number;
  device: number;
}

/** Steady-state time of one layer pair, s, over `n` pairs of the same layer. */
function replay(
  n: number,
  af: Node,
  mb: Node,
  mf: Node,
  ab: Node,
  dispatchS: number,
  combineS: number,
  commHost: number,
  sync: boolean,
): number {
  let host = 0;
  let comp = 0;
  let comm = 0;
  let fReady = 0;
  let bReady = 0;
  const compute = (x: Node, dep: number): number => {
    const start = Math.max(comp, dep, host);
    host += x.host;
    comp = Math.max(start + x.device, host);
    return comp;
  };
  const exchange = (s: number, dep: number): number => {
    host += commHost;
    comm = Math.max(comm, dep, host) + s;
    return comm;
  };
  for (let i = 0; i < n; i++) {
    const cb = exchange(combineS, bReady);
    const a = compute(af, fReady);
    const m = compute(mb, cb);
    if (sync) host = Math.max(host, a, cb) + HOST_SYNC_S;
    const df = exchange(dispatchS, a);
    const db = exchange(dispatchS, m);
    const f = compute(mf, df);
    fReady = exchange(combineS, f);
    bReady = compute(ab, db);
  }
  return Math.max(comp, comm, host) / n;
}

const args = process.argv.slice(2);
const sets: [string, unknown][] = [];
const ids: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--set") {
    const [k, ...v] = (args[++i] ?? "").split("=");
    const raw = v.join("=");
    let val: unknown = raw;
    try {
      val = JSON.parse(raw);
    } catch {
      val = raw;
    }
    sets.push([k, val]);
  } else ids.push(args[i]);
}

const ms = (x: number) => (x * 1e3).toFixed(2);
for (const { case: c } of projectCases("training")) {
  if (!ids.includes(c.id as string)) continue;
  const inp = trainingCaseInputs(c);
  const training = { ...inp.training } as Record<string, unknown>;
  for (const [k, v] of sets) training[k] = v;
  training.moeOverlap = "dualpipe";
  training.overlap = { ...(training.overlap as object | undefined), epComm: true };
  const p = prepareTraining(inp.system, inp.model, training as unknown as typeof inp.training);
  const { t, eff } = p;
  const l: LayerCost | undefined = layerCosts(p).moe;
  if (l === undefined || l.epF <= 0) {
    console.log(`${c.id}: no MoE layer with an expert exchange`);
    continue;
  }
  // The host sums of stage.ts's stageCost, split into the routed-expert part and the rest.
  const rel = inp.system.chip.hostOpTimeRelative;
  const launch = t.cudaGraphs ? eff.launchS.graph : eff.launchS.eager * rel;
  const dynLaunch = t.graphsCoverExperts ? launch : eff.launchS.eager * rel;
  const eagerGemm = rel * Math.max(0, eff.launchS.gemmEager - eff.launchS.eager);
  const gemmX = t.cudaGraphs ? 0 : eagerGemm;
  const dynGemmX = t.graphsCoverExperts ? gemmX : eagerGemm;
  const expertX = t.graphsCoverExperts ? 0 : rel * (eff.expertGemmHostS ?? 0);
  const allocX = splitAllocHostS(rel, t.graphsCoverExperts);
  const routerX = routerPreprocessHostS(
    t.framework.routerHostS,
    t.moeDispatcher,
    t.cudaGraphs,
    t.framework.routerKernels,
    eff.launchS.eager,
    rel,
  );
  const dynHost = (k: number, g: number, e: number, a: number) =>
    k * dynLaunch + g * dynGemmX + e * expertX + a * allocX;
  const dynF = dynHost(l.dynamicKernelsF, l.dynamicGemmsF, l.expertCallsF, l.expertAllocsF);
  const dynB = dynHost(l.dynamicKernelsB, l.dynamicGemmsB, l.expertCallsB, l.expertAllocsB);
  const hostF =
    (l.kernelsF - l.dynamicKernelsF) * launch +
    (l.gemmsF - l.dynamicGemmsF) * gemmX +
    l.routerPassesF * routerX +
    dynF;
  const hostB = (l.kernelsB - l.dynamicKernelsB) * launch + (l.gemmsB - l.dynamicGemmsB) * gemmX + dynB;
  const devF = l.gemmF + l.attnF + l.memF;
  const devB = l.gemmB + l.attnB + l.memB;
  const share = devF > 0 ? l.dynamicDeviceF / devF : 0;
  const mf = { host: dynF, device: l.dynamicDeviceF };
  const af = { host: hostF - dynF, device: devF - l.dynamicDeviceF };
  const mb = { host: dynB, device: devB * share };
  const ab = { host: hostB - dynB, device: devB * (1 - share) };
  const pair = replay(64, af, mb, mf, ab, l.epDispatchS, l.epCombineS, 2 * launch, l.syncsF > 0);
  // The analytical model's pooled figure: each pass the longer of host and device, the whole exchange behind both.
  const passes = Math.max(hostF, devF) + Math.max(hostB, devB);
  const exchange = l.epF + l.epB;
  const pooled = passes + Math.max(0, exchange - passes);
  console.log(
    `${c.id}: host F/B ${ms(hostF)}/${ms(hostB)} ms, device F/B ${ms(devF)}/${ms(devB)} ms, exchange ${ms(exchange)} ms per layer and micro-batch; pooled ${ms(pooled)} ms, replayed ${ms(pair)} ms (${((pair / pooled - 1) * 100).toFixed(1)}%)`,
  );
}
