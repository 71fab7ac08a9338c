// One training iteration as a task graph per pipeline stage (compute, TP/CP/EP/PP/DP communication), run on the flow network.
import type { CommOp, Parallelism, TrainingPlan } from "../../training/types.js";
import { type PhaseRecord, runCollective } from "../collectives/run.js";
import type { CollectiveOp } from "../collectives/types.js";
import type { Network } from "../engine/network.js";

/** Exposed time per cause on the slowest stage, s; the parts sum to the step time. */
export interface SimBreakdown {
  computeS: number;
  recomputeS: number;
  tpCommS: number;
  cpCommS: number;
  epCommS: number;
  ppCommS: number;
  dpCommS: number;
  bubbleS: number;
  optimizerS: number;
}

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
  /** Stage that finished last. */
  slowestStage: number;
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

/** The 1F1B order of one stage: warm-up forwards, steady one-forward-one-backward, cool-down backwards. */
export function oneFOneB(stage: number, stages: number, micro: number): { fwd: boolean; mb: number }[] {
  const warm = Math.min(micro, stages - stage - 1);
  const out: { fwd: boolean; mb: number }[] = [];
  let f = 0;
  let b = 0;
  for (; f < warm; f++) out.push({ fwd: true, mb: f });
  while (f < micro) {
    out.push({ fwd: true, mb: f++ });
    out.push({ fwd: false, mb: b++ });
  }
  while (b < micro) out.push({ fwd: false, mb: b++ });
  return out;
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
  const groupsFor = (s: number, op: CommOp): { ranks: number[]; all?: number[][] } => {
    const r0 = rep(s);
    if (op.parallelism === "pp") {
      const to = s + 1 < P ? rep(s + 1) : rep(s - 1);
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
  const runOp = (s: number, op: CommOp, done: () => void) => {
    // Stages whose groups sit at the same place inside the tier group the op spans see the network
    // the same way (an equivalence class), so they share one memo entry.
    const g0 = groupsFor(s, op).ranks;
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
    const g = symmetric ? { ranks: g0 } : groupsFor(s, op);
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
  const sequence = (s: number, ops: CommOp[], done: () => void) => {
    let i = 0;
    const next = () => (i < ops.length ? runOp(s, ops[i++], next) : done());
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
  const ppFwd = plan.comm.filter((c) => c.parallelism === "pp" && c.per === "microbatch-forward");
  const ppBwd = plan.comm.filter((c) => c.parallelism === "pp" && c.per === "microbatch-backward");
  const stepOps = plan.comm.filter((c) => c.per === "step");
  const gradOps = stepOps.filter((c) => !c.name.includes("parameter"));
  const paramOps = stepOps.filter((c) => c.name.includes("parameter"));

  // Per-stage state.
  const acc: SimBreakdown[] = [];
  const stageEnd = new Array<number>(P).fill(0);
  const arrivedF: number[][] = []; // arrival time of micro-batch m's activation at stage s, or -1
  const arrivedB: number[][] = [];
  const sentAt: { f: number[][]; b: number[][] } = { f: [], b: [] };
  const waiting: ((() => void) | undefined)[] = new Array(P).fill(undefined);
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
    });
    arrivedF.push(new Array(M).fill(-1));
    arrivedB.push(new Array(M).fill(-1));
    sentAt.f.push(new Array(M).fill(-1));
    sentAt.b.push(new Array(M).fill(-1));
  }

  /** Adds exposed time [t0, t1] of a sequence of ops to their kinds in proportion to their sizes. */
  const chargeComm = (s: number, ops: CommOp[], dt: number) => {
    if (dt <= 0 || ops.length === 0) return;
    const total = ops.reduce((a, o) => a + o.timeS * o.count, 0);
    for (const o of ops) {
      const share = total > 0 ? (o.timeS * o.count) / total : 1 / ops.length;
      acc[s][KIND[o.parallelism]] += dt * share;
    }
  };

  const runStage = (s: number) => {
    const order = oneFOneB(s, P, M);
    const sp = plan.stages[s] ?? plan.stages[plan.stages.length - 1];
    let idx = 0;
    const next = () => {
      if (idx === order.length) return endStage();
      const task = order[idx];
      const arr = task.fwd ? arrivedF[s] : arrivedB[s];
      const needs = task.fwd ? s > 0 : s < P - 1;
      if (needs && arr[task.mb] < 0) {
        const w0 = net.now();
        waiting[s] = () => {
          waiting[s] = undefined;
          const w1 = net.now();
          const sent = (task.fwd ? sentAt.f[s - 1] : sentAt.b[s + 1])[task.mb];
          const pp = Math.max(0, w1 - Math.max(w0, sent));
          acc[s].ppCommS += pp;
          acc[s].bubbleS += w1 - w0 - pp;
          if (w1 > w0) record(s, 0, "wait", "bubble", w0, w1);
          next();
        };
        return;
      }
      idx++;
      const isLastB = !task.fwd && task.mb === M - 1;
      const t0 = net.now();
      const per = task.fwd ? "microbatch-forward" : "microbatch-backward";
      const exposed = byPer(per, false);
      const hidden = byPer(per, true);
      // Overlapped ops run beside the compute; the exposed ones follow it; the task ends when both are done.
      let hiddenDone = hidden.length === 0;
      let onHidden: (() => void) | undefined;
      parallel(s, hidden, () => {
        hiddenDone = true;
        onHidden?.();
      });
      if (isLastB) {
        const early = gradOps.filter((o) => o.overlappable);
        if (early.length > 0) startGrads(s, early);
      }
      net.schedule(task.fwd ? sp.forwardS : sp.backwardS, () => {
        const computeEnd = net.now();
        acc[s].computeS += task.fwd ? sp.forwardS : sp.backwardS - sp.recomputeS;
        if (!task.fwd) acc[s].recomputeS += sp.recomputeS;
        record(s, 0, `${task.fwd ? "F" : "B"}${task.mb}`, "compute", t0, computeEnd);
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

    const afterTask = (task: { fwd: boolean; mb: number }) => {
      // Pipeline send to the neighbour stage, asynchronous for this stage.
      const to = task.fwd ? s + 1 : s - 1;
      if (to >= 0 && to < P) {
        const ops = task.fwd ? ppFwd : ppBwd;
        (task.fwd ? sentAt.f : sentAt.b)[s][task.mb] = net.now();
        const arrive = () => {
          (task.fwd ? arrivedF : arrivedB)[to][task.mb] = net.now();
          const w = waiting[to];
          if (w) w();
        };
        if (ops.length === 0) arrive();
        else sequence(s, ops, arrive);
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
  const b = acc[slowest];
  return {
    stepTimeS: stepEnd,
    breakdownS: b,
    slowestStage: slowest,
    stageEndS: stageEnd,
    collectivesSimulated: simulated,
    collectivesReplayed: replayed,
    phases,
    trace,
  };
}
