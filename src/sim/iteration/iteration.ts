// One training iteration as a task graph per pipeline stage (compute, TP/CP/EP/PP/DP communication), run on the flow network.
import { pipelineSchedule, type StageTask } from "../../catalog/schedules/index.js";
import type { TrainingBreakdown } from "../../training/estimate.js";
import type { CommOp, Parallelism, TrainingPlan } from "../../training/types.js";
import { type PhaseRecord, runCollective } from "../collectives/run.js";
import type { CollectiveOp } from "../collectives/types.js";
import type { Network } from "../engine/network.js";

/** Exposed time per cause on a stage, s (the same causes as `train`'s breakdown, so they compare column by column). */
export type SimBreakdown = TrainingBreakdown;

/** A Chrome Trace Event ("X" complete events, microseconds). */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: "X";
  ts: number;
  dur: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

export interface IterationOptions {
  /** Simulate one representative rank per stage and count its peers as copies (default true). */
  symmetric?: boolean;
  /** Collective algorithm for every op: "auto" (default), "hierarchical" or a flat id. */
  algorithm?: string;
  /**
   * Replay: an op repeated with the same size on the same stage is simulated in full the first time
   * and replayed as a delay afterwards (default true); off simulates every occurrence.
   */
  replay?: boolean;
  /** Collect trace events for at most this many stages (sampled evenly); 0 = no trace. */
  traceStages?: number;
  /** Called now and then with the simulated time, s. */
  onProgress?: (simTimeS: number) => void;
}

export interface IterationResult {
  stepTimeS: number;
  breakdownS: SimBreakdown;
  /** Stage that finished last (its breakdown is `breakdownS`, which sums to the step time). */
  slowestStage: number;
  /**
   * Stage with the most compute (compute + recompute + optimizer; lowest index on a tie): the stage an
   * analytical pipeline model charges, since it sets the pace of the steady state.
   */
  busiestStage: number;
  /** Exposed time by cause for every stage, s (each sums to that stage's end time). */
  stageBreakdownS: SimBreakdown[];
  stageEndS: number[];
  /** Collectives simulated in full and replayed. */
  collectivesSimulated: number;
  collectivesReplayed: number;
  /** Phase records of the collectives simulated in full, by op name. */
  phases: Map<string, PhaseRecord[]>;
  trace: TraceEvent[];
}

const KIND: Record<Parallelism, keyof SimBreakdown> = {
  tp: "tpCommS",
  cp: "cpCommS",
  ep: "epCommS",
  pp: "ppCommS",
  dp: "dpCommS",
};

const MAX_TRACE_EVENTS = 200_000;

/** The 1F1B order of one stage (the schedule registry's, kept here for the simulator's callers). */
export function oneFOneB(stage: number, stages: number, micro: number): StageTask[] {
  return pipelineSchedule("1f1b").order(stage, stages, micro, 1);
}

/**
 * Distance between neighbouring ranks of an op's group. Data-parallel groups (dense or expert) spread
 * evenly over the stage's block of ranks, so their stride is block / group size: tp x cp for dense
 * gradients, ep x etp... for expert gradients, whose replicas share the expert-parallel index.
 */
function strideOf(plan: TrainingPlan, op: CommOp): number {
  const L = plan.layout.stride;
  if (op.parallelism === "dp" && L.pp % op.groupSize === 0) return L.pp / op.groupSize;
  return L[op.parallelism];
}

/**
 * Simulates one optimizer step of `plan` on `net`. Each stage walks its 1F1B order on one compute
 * stream; per micro-batch ops run after the compute (or beside it when overlappable); pipeline sends
 * are asynchronous and the next stage waits for them; step ops (gradient reduction) start with the
 * last backward when overlappable, parameter all-gathers follow the optimizer. Symmetric mode: one
 * representative rank per stage, its peers' identical traffic counted as copies on shared links.
 * Cost: the events of the collectives it simulates (replayed repeats cost one event each).
 */
export function simulateIteration(
  net: Network,
  plan: TrainingPlan,
  opts: IterationOptions = {},
): IterationResult {
  const symmetric = opts.symmetric ?? true;
  const replay = opts.replay ?? true;
  const fabric = net.fabric;
  const P = plan.degrees.pp;
  const M = plan.microBatches;
  const stridePP = plan.layout.stride.pp;
  const rep = (s: number) => s * stridePP;
  const stageOf = (r: number) => Math.floor(r / stridePP) % P;
  const trace: TraceEvent[] = [];
  const traceEvery = opts.traceStages ? Math.max(1, Math.ceil(P / opts.traceStages)) : 0;
  const traced = (s: number) => traceEvery > 0 && s % traceEvery === 0 && trace.length < MAX_TRACE_EVENTS;
  const record = (s: number, tid: number, name: string, cat: string, t0: number, t1: number) => {
    if (traced(s) && t1 > t0)
      trace.push({ name, cat, ph: "X", ts: t0 * 1e6, dur: (t1 - t0) * 1e6, pid: s, tid });
  };
  const memo = new Map<string, { timeS: number; load: Map<number, number> }>();
  const phases = new Map<string, PhaseRecord[]>();
  let simulated = 0;
  let replayed = 0;
  let tag = 1;

  // Peer groups sharing a member at each tier, per (stage, op): same-stage ranks in the representative's member / the group's ranks there.
  const peerCache = new Map<string, number>();
  const peerGroups = (s: number, ranks: readonly number[]) => (tier: number) => {
    if (tier === 0) return 1;
    const S = fabric.memberSize[tier];
    const key = `${s}:${tier}:${ranks.length}:${ranks[1] - ranks[0]}`;
    const hit = peerCache.get(key);
    if (hit !== undefined) return hit;
    const m0 = Math.floor(ranks[0] / S) * S;
    let same = 0;
    for (let r = m0; r < m0 + S && r < plan.chips; r++) if (stageOf(r) === s) same++;
    let inGroup = 0;
    for (const r of ranks) if (r >= m0 && r < m0 + S) inGroup++;
    const v = Math.max(1, same / Math.max(1, inGroup));
    peerCache.set(key, v);
    return v;
  };

  /** The representative group of op on stage s, and (full mode) every group of the stage. */
  const groupsFor = (s: number, op: CommOp, toStage?: number): { ranks: number[]; all?: number[][] } => {
    const r0 = rep(s);
    if (op.parallelism === "pp") {
      const to = rep(toStage ?? (s + 1 < P ? s + 1 : s - 1));
      const ranks = [r0, to];
      if (symmetric) return { ranks };
      const all: number[][] = [];
      const d = to - r0;
      for (let x = 0; x < stridePP; x++) all.push([r0 + x, r0 + x + d]);
      return { ranks, all };
    }
    const st = strideOf(plan, op);
    const n = op.groupSize;
    if (op.collective === "send-recv") {
      // Ring exchange (context parallel): each rank sends to the next rank of its ring.
      const ranks = [r0, r0 + st];
      if (symmetric) return { ranks };
      const all: number[][] = [];
      for (let x = 0; x < stridePP; x++) {
        const r = r0 + x;
        const i = Math.floor(r / st) % n;
        all.push([r, r + (((i + 1) % n) - i) * st]);
      }
      return { ranks, all };
    }
    const ranks = Array.from({ length: n }, (_, i) => r0 + i * st);
    if (symmetric) return { ranks };
    const all: number[][] = [];
    for (let x = 0; x < stridePP; x++) {
      const r = r0 + x;
      if (Math.floor(r / st) % n !== 0) continue;
      all.push(Array.from({ length: n }, (_, i) => r + i * st));
    }
    return { ranks, all };
  };

  /** Runs one comm op of stage s; calls done when it has finished (simulated or replayed). */
  const runOp = (s: number, op: CommOp, done: () => void, toStage?: number) => {
    // Stages whose groups sit at the same place inside the tier group the op spans see the network
    // the same way (an equivalence class), so they share one memo entry.
    const g0 = groupsFor(s, op, toStage).ranks;
    const key = `${op.name}|${fabric.equivalenceKey(g0)}`;
    const t0 = net.now();
    const finish = () => {
      record(s, 1, op.name, op.parallelism, t0, net.now());
      done();
    };
    const known = memo.get(key);
    if (replay && known !== undefined) {
      replayed++;
      net.addLoad(known.load);
      net.schedule(known.timeS, finish);
      return;
    }
    simulated++;
    const g = symmetric ? { ranks: g0 } : groupsFor(s, op, toStage);
    if (g.all && g.all.length === 0) g.all = [g.ranks];
    // Record the load this op puts on links so that replays can credit it again.
    const load = new Map<number, number>();
    const recording: Network = replay
      ? {
          ...net,
          now: () => net.now(),
          schedule: (d, fn) => net.schedule(d, fn),
          recv: (a, b, t, fn) => net.recv(a, b, t, fn),
          stats: () => net.stats(),
          addLoad: (l) => net.addLoad(l),
          send: (src, dst, bytes, copies, fn, t) => {
            fabric.addLoad(src, dst, bytes, copies, t ?? 0, load);
            net.send(src, dst, bytes, copies, fn, t);
          },
          fabric,
          queue: net.queue,
        }
      : net;
    runCollective(
      recording,
      {
        op: op.collective as CollectiveOp,
        ranks: g.ranks,
        bytes: op.bytesPerRank,
        algorithm: opts.algorithm,
        symmetric,
        allGroups: g.all,
        peerGroups: peerGroups(s, g.ranks),
        repeat: op.count,
        tag: tag++,
      },
      (ph) => {
        if (!memo.has(key)) memo.set(key, { timeS: net.now() - t0, load });
        if (!phases.has(op.name)) phases.set(op.name, ph);
        finish();
      },
    );
  };

  /** Runs ops one after another. */
  const sequence = (s: number, ops: CommOp[], done: () => void, toStage?: number) => {
    let i = 0;
    const next = () => (i < ops.length ? runOp(s, ops[i++], next, toStage) : done());
    next();
  };
  /** Runs ops at once. */
  const parallel = (s: number, ops: CommOp[], done: () => void) => {
    let left = ops.length;
    if (left === 0) return done();
    for (const op of ops) runOp(s, op, () => --left === 0 && done());
  };

  const byPer = (per: CommOp["per"], overlappable: boolean, kinds?: Parallelism[]) =>
    plan.comm.filter(
      (c) =>
        c.per === per &&
        c.overlappable === overlappable &&
        c.parallelism !== "pp" &&
        (kinds === undefined || kinds.includes(c.parallelism)),
    );
  // Interleaved schedule: each rank holds V model chunks and runs V times as many, V times smaller tasks.
  const schedule = pipelineSchedule(plan.schedule);
  const V = schedule.chunks(plan.degrees.vpp, M, P);
  // Zero-bubble (ZB-H1 style) and DualPipe: backward split into input and weight gradients, the latter deferred.
  const zeroBubble = schedule.splitsBackward;
  const perChunk = (ops: CommOp[]) => (V === 1 ? ops : ops.map((o) => ({ ...o, count: o.count / V })));
  const ppFwd = perChunk(plan.comm.filter((c) => c.parallelism === "pp" && c.per === "microbatch-forward"));
  const ppBwd = perChunk(plan.comm.filter((c) => c.parallelism === "pp" && c.per === "microbatch-backward"));
  const opsFor = {
    fwdExposed: perChunk(byPer("microbatch-forward", false)),
    fwdHidden: perChunk(byPer("microbatch-forward", true)),
    bwdExposed: perChunk(byPer("microbatch-backward", false)),
    bwdHidden: perChunk(byPer("microbatch-backward", true)),
  };
  const stepOps = plan.comm.filter((c) => c.per === "step");
  const gradOps = stepOps.filter((c) => !c.name.includes("parameter"));
  const paramOps = stepOps.filter((c) => c.name.includes("parameter"));

  // Per-stage state, indexed by chunk x M + micro-batch: when the input arrived (-1: not yet) and when it was sent.
  const acc: SimBreakdown[] = [];
  const stageEnd = new Array<number>(P).fill(0);
  const arrivedF: Float64Array[] = [];
  const arrivedB: Float64Array[] = [];
  const sentF: Float64Array[] = [];
  const sentB: Float64Array[] = [];
  const waiting: ({ fwd: boolean; i: number; wake: () => void } | undefined)[] = new Array(P).fill(undefined);
  let finished = 0;
  let stepEnd = 0;

  for (let s = 0; s < P; s++) {
    acc.push({
      computeS: 0,
      recomputeS: 0,
      tpCommS: 0,
      cpCommS: 0,
      epCommS: 0,
      ppCommS: 0,
      dpCommS: 0,
      bubbleS: 0,
      optimizerS: 0,
      offloadS: 0, // offloaded state's host-link time: not simulated (plan.offloadStepS gives the analytical figure)
    });
    arrivedF.push(new Float64Array(M * V).fill(-1));
    arrivedB.push(new Float64Array(M * V).fill(-1));
    sentF.push(new Float64Array(M * V).fill(-1));
    sentB.push(new Float64Array(M * V).fill(-1));
  }

  /** Adds exposed time of a sequence of ops to their kinds in proportion to their analytical times. */
  const chargeComm = (s: number, ops: CommOp[], dt: number) => {
    if (dt <= 0 || ops.length === 0) return;
    const total = ops.reduce((a, o) => a + o.timeS * o.count, 0);
    for (const o of ops) {
      const share = total > 0 ? (o.timeS * o.count) / total : 1 / ops.length;
      acc[s][KIND[o.parallelism]] += dt * share;
    }
  };

  /** Where a task's output goes: the next (forward) or previous (backward) virtual stage, if any. */
  const target = (s: number, t: StageTask): { stage: number; chunk: number } | undefined => {
    if (t.fwd) {
      if (s + 1 < P) return { stage: s + 1, chunk: t.chunk };
      return t.chunk + 1 < V ? { stage: 0, chunk: t.chunk + 1 } : undefined;
    }
    if (s > 0) return { stage: s - 1, chunk: t.chunk };
    return t.chunk > 0 ? { stage: P - 1, chunk: t.chunk - 1 } : undefined;
  };

  const runStage = (s: number) => {
    const order = schedule.order(s, P, M, V);
    const sp = plan.stages[s] ?? plan.stages[plan.stages.length - 1];
    let idx = 0;
    let w0 = -1;
    // Zero-bubble: weight-gradient work deferred from each backward, run when the stage would idle.
    const pendingW: number[] = [];
    const runW = (then: () => void) => {
      const d = pendingW.shift()!;
      const t0 = net.now();
      net.schedule(d, () => {
        acc[s].computeS += d;
        record(s, 0, "W", "compute", t0, net.now());
        then();
      });
    };
    let flushing = false;
    const next = () => {
      if (idx === order.length) {
        if (pendingW.length === 0) return endStage();
        if (!flushing) {
          flushing = true;
          const early = gradOps.filter((o) => o.overlappable);
          if (early.length > 0) startGrads(s, early);
        }
        return runW(next);
      }
      const task = order[idx];
      const i = task.chunk * M + task.mb;
      const needs = task.fwd ? !(s === 0 && task.chunk === 0) : !(s === P - 1 && task.chunk === V - 1);
      if (needs && (task.fwd ? arrivedF : arrivedB)[s][i] < 0) {
        if (w0 < 0 && pendingW.length > 0) return runW(next);
        if (w0 < 0) w0 = net.now();
        waiting[s] = { fwd: task.fwd, i, wake: next };
        return;
      }
      if (w0 >= 0) {
        // Waited for the input: time with the message in flight is pipeline communication, the rest bubble.
        waiting[s] = undefined;
        const w1 = net.now();
        const sent = (task.fwd ? sentF : sentB)[s][i];
        const pp = sent >= 0 ? Math.max(0, w1 - Math.max(w0, sent)) : 0;
        acc[s].ppCommS += pp;
        acc[s].bubbleS += w1 - w0 - pp;
        if (w1 > w0) record(s, 0, "wait", "bubble", w0, w1);
        w0 = -1;
      }
      idx++;
      const isLastB = !task.fwd && idx === order.length;
      const t0 = net.now();
      const exposed = task.fwd ? opsFor.fwdExposed : opsFor.bwdExposed;
      const hidden = task.fwd ? opsFor.fwdHidden : opsFor.bwdHidden;
      // Overlapped ops run beside the compute; the exposed ones follow it; the task ends when both are done.
      let hiddenDone = hidden.length === 0;
      let onHidden: (() => void) | undefined;
      parallel(s, hidden, () => {
        hiddenDone = true;
        onHidden?.();
      });
      if (isLastB && !zeroBubble) {
        const early = gradOps.filter((o) => o.overlappable);
        if (early.length > 0) startGrads(s, early);
      }
      const fwdS = sp.forwardS / V;
      const recS = sp.recomputeS / V;
      const weightS = zeroBubble ? Math.min(sp.backwardWeightS, sp.backwardS - sp.recomputeS) / V : 0;
      const bwdS = sp.backwardS / V - weightS;
      if (!task.fwd && weightS > 0) pendingW.push(weightS);
      net.schedule(task.fwd ? fwdS : bwdS, () => {
        const computeEnd = net.now();
        acc[s].computeS += task.fwd ? fwdS : bwdS - recS;
        if (!task.fwd) acc[s].recomputeS += recS;
        const label = `${task.fwd ? "F" : "B"}${task.mb}${V > 1 ? `.${task.chunk}` : ""}`;
        record(s, 0, label, "compute", t0, computeEnd);
        sequence(s, exposed, () => {
          const exposedEnd = net.now();
          chargeComm(s, exposed, exposedEnd - computeEnd);
          const finishTask = () => {
            chargeComm(s, hidden, net.now() - exposedEnd);
            afterTask(task);
          };
          if (hiddenDone) finishTask();
          else onHidden = finishTask;
        });
      });
    };

    const afterTask = (task: StageTask) => {
      // Pipeline send to the next virtual stage, asynchronous for this stage.
      const to = target(s, task);
      if (to) {
        const i = to.chunk * M + task.mb;
        const ops = task.fwd ? ppFwd : ppBwd;
        (task.fwd ? sentF : sentB)[to.stage][i] = net.now();
        const arrive = () => {
          (task.fwd ? arrivedF : arrivedB)[to.stage][i] = net.now();
          const w = waiting[to.stage];
          if (w && w.fwd === task.fwd && w.i === i) w.wake();
        };
        if (ops.length === 0) arrive();
        else sequence(s, ops, arrive, to.stage);
      }
      next();
    };

    // Overlapped gradient reduction: started with the last backward; the stage waits for it at the end.
    let gradsRunning = false;
    let gradsCb: (() => void) | undefined;
    const startGrads = (st: number, ops: CommOp[]) => {
      gradsRunning = true;
      parallel(st, ops, () => {
        gradsRunning = false;
        gradsCb?.();
      });
    };

    const endStage = () => {
      const lastB = net.now();
      const afterGrads = () => {
        const tg = net.now();
        acc[s].dpCommS += tg - lastB;
        // Exposed (non-overlappable) gradient ops.
        sequence(
          s,
          gradOps.filter((o) => !o.overlappable),
          () => {
            const t1 = net.now();
            acc[s].dpCommS += t1 - tg;
            net.schedule(plan.optimizerStepS, () => {
              acc[s].optimizerS += plan.optimizerStepS;
              record(s, 0, "optimizer", "compute", t1, net.now());
              const t2 = net.now();
              sequence(s, paramOps, () => {
                acc[s].dpCommS += net.now() - t2;
                stageEnd[s] = net.now();
                stepEnd = Math.max(stepEnd, net.now());
                finished++;
              });
            });
          },
        );
      };
      if (gradsRunning) gradsCb = afterGrads;
      else afterGrads();
    };
    next();
  };

  for (let s = 0; s < P; s++) runStage(s);
  net.queue.run(Number.POSITIVE_INFINITY, opts.onProgress);
  if (finished !== P) throw new Error(`internal error: ${P - finished} pipeline stages never finished`);
  let slowest = 0;
  for (let s = 1; s < P; s++) if (stageEnd[s] > stageEnd[slowest]) slowest = s;
  const work = (x: SimBreakdown) => x.computeS + x.recomputeS + x.optimizerS;
  let busiest = 0;
  for (let s = 1; s < P; s++) if (work(acc[s]) > work(acc[busiest]) * (1 + 1e-12)) busiest = s;
  return {
    stepTimeS: stepEnd,
    breakdownS: acc[slowest],
    slowestStage: slowest,
    busiestStage: busiest,
    stageBreakdownS: acc,
    stageEndS: stageEnd,
    collectivesSimulated: simulated,
    collectivesReplayed: replayed,
    phases,
    trace,
  };
}
