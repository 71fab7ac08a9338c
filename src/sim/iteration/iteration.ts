// One training iteration as explicit per-stage state and small event handlers (compute, TP/CP/EP/PP/DP communication), run on the network.
import {
  type PipelineScheduleKind,
  pipelineSchedule,
  type StageTask,
} from "../../catalog/schedules/index.js";
import { requireArgument } from "../../core/errors.js";
import type { TrainingBreakdown } from "../../training/estimate.js";
import type { CommOp, Parallelism, StagePlan, TrainingPlan } from "../../training/types.js";
import type { AlgorithmSpec, PhaseRecord } from "../collectives/run.js";
import { NETWORK_KEYS, type Network } from "../network.js";
import { CommRunner } from "./comm.js";

/** Exposed time per cause on a stage, s (the same causes as `train`'s breakdown, so they compare column by column). */
export type SimBreakdown = TrainingBreakdown;

/** A Chrome Trace Event: "X" complete events and "C" counters (microseconds). */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: "X" | "C";
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

export interface IterationOptions {
  /** Simulate one representative rank per stage and count its peers as copies (default true). */
  symmetric?: boolean;
  /** Collective algorithm: "auto" (default), "hierarchical", a flat id, or one per tier name. */
  algorithm?: AlgorithmSpec;
  /** Chunks each collective's buffer is pipelined in across its phases (default 1). */
  chunks?: number;
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

/** The kinds whose overlap the analytical model's mechanisms answer for (pass-overlap.ts): tp 0, cp 1, ep 2; -1 for the rest. */
const MECHANISM_KIND: Record<Parallelism, number> = { tp: 0, cp: 1, ep: 2, pp: -1, dp: -1 };
const MECHANISM_FIELD: (keyof SimBreakdown)[] = ["tpCommS", "cpCommS", "epCommS"];

/** The 1F1B order of one stage (the schedule registry's, kept here for the simulator's callers). */
export function oneFOneB(stage: number, stages: number, micro: number): StageTask[] {
  return pipelineSchedule("1f1b").order(stage, stages, micro, 1);
}

const zero = (): SimBreakdown => ({
  computeS: 0,
  recomputeS: 0,
  tpCommS: 0,
  cpCommS: 0,
  epCommS: 0,
  ppCommS: 0,
  dpCommS: 0,
  bubbleS: 0,
  optimizerS: 0,
  gradCheckS: 0,
  offloadS: 0,
});

/** Where one stage is: its task order and position, what it waits for, deferred weight-gradient work, its gradient reduction. */
interface StageState {
  order: StageTask[];
  plan: StagePlan;
  idx: number;
  /** When the stage began waiting for an input (-1: not waiting). */
  waitSince: number;
  /** What the stage waits for: a forward or backward input of (chunk x M + micro-batch), and how to resume. */
  waiting: { fwd: boolean; i: number } | undefined;
  /** Zero-bubble: weight-gradient compute deferred from each backward, run when the stage would idle, s. */
  pendingW: number[];
  flushing: boolean;
  gradsRunning: boolean;
  afterGrads: (() => void) | undefined;
  acc: SimBreakdown;
  /** Per (chunk x M + micro-batch): when its forward / backward input arrived, and when it was sent (-1: not yet). */
  arrivedF: Float64Array;
  arrivedB: Float64Array;
  sentF: Float64Array;
  sentB: Float64Array;
  endS: number;
}

/** A stage's task order for `runs` schedule runs of `perRun` micro-batches each: the run's order again per run. */
function runOrder(order: StageTask[], runs: number, perRun: number): StageTask[] {
  if (runs === 1) return order;
  const out: StageTask[] = [];
  for (let r = 0; r < runs; r++) for (const t of order) out.push({ ...t, mb: t.mb + r * perRun });
  return out;
}

/**
 * One optimizer step of a training plan as explicit state (one StageState per pipeline stage) advanced
 * by small handlers: `next` picks a stage's next task or waits for its input, `runTask` runs its compute
 * with the task's communication beside or after it, `afterTask` sends the output to the next virtual
 * stage, `endStage` finishes the gradient reduction, optimizer and parameter gathers.
 */
class IterationSim {
  private comm: CommRunner;
  private schedule: PipelineScheduleKind;
  private P: number;
  private M: number;
  private V: number;
  private stages: StageState[] = [];
  private ops: Record<"fwdExposed" | "fwdHidden" | "bwdExposed" | "bwdHidden" | "ppFwd" | "ppBwd", CommOp[]>;
  private gradOps: CommOp[];
  private paramOps: CommOp[];
  private finished = 0;
  private stepEnd = 0;
  readonly trace: TraceEvent[] = [];
  private traceEvery: number;

  constructor(
    private net: Network,
    private plan: TrainingPlan,
    private opts: IterationOptions,
  ) {
    this.comm = new CommRunner(net, plan, {
      symmetric: opts.symmetric ?? true,
      replay: opts.replay ?? true,
      algorithm: opts.algorithm,
      chunks: opts.chunks,
    });
    this.P = plan.degrees.pp;
    this.M = plan.microBatches;
    // Interleaved schedules: each rank holds V model chunks and runs V times as many, V times smaller tasks.
    this.schedule = pipelineSchedule(plan.schedule);
    // A step of several schedule runs (local batches) runs each over its share of the micro-batches, one after another.
    const runs = Math.max(1, plan.pipelineRuns ?? 1);
    const perRun = this.M / runs;
    this.V = this.schedule.chunks(plan.degrees.vpp, perRun, this.P);
    const perChunk = (ops: CommOp[]) =>
      this.V === 1 ? ops : ops.map((o) => ({ ...o, count: o.count / this.V }));
    const byPer = (per: CommOp["per"], overlappable: boolean) =>
      perChunk(
        plan.comm.filter((c) => c.per === per && c.overlappable === overlappable && c.parallelism !== "pp"),
      );
    const pp = (per: CommOp["per"]) =>
      perChunk(plan.comm.filter((c) => c.parallelism === "pp" && c.per === per));
    this.ops = {
      fwdExposed: byPer("microbatch-forward", false),
      fwdHidden: byPer("microbatch-forward", true),
      bwdExposed: byPer("microbatch-backward", false),
      bwdHidden: byPer("microbatch-backward", true),
      ppFwd: pp("microbatch-forward"),
      ppBwd: pp("microbatch-backward"),
    };
    const stepOps = plan.comm.filter((c) => c.per === "step");
    this.gradOps = stepOps.filter((c) => !c.name.includes("parameter"));
    this.paramOps = stepOps.filter((c) => c.name.includes("parameter"));
    this.traceEvery = opts.traceStages ? Math.max(1, Math.ceil(this.P / opts.traceStages)) : 0;
    const MV = this.M * this.V;
    for (let s = 0; s < this.P; s++) {
      this.stages.push({
        order: runOrder(this.schedule.order(s, this.P, perRun, this.V), runs, perRun),
        plan: plan.stages[s] ?? plan.stages[plan.stages.length - 1],
        idx: 0,
        waitSince: -1,
        waiting: undefined,
        pendingW: [],
        flushing: false,
        gradsRunning: false,
        afterGrads: undefined,
        acc: zero(),
        arrivedF: new Float64Array(MV).fill(-1),
        arrivedB: new Float64Array(MV).fill(-1),
        sentF: new Float64Array(MV).fill(-1),
        sentB: new Float64Array(MV).fill(-1),
        endS: 0,
      });
    }
  }

  /** Runs every stage to the end of the step. Cost: the events of the collectives it simulates. */
  run(): IterationResult {
    for (let s = 0; s < this.P; s++) this.next(s);
    this.net.queue.run(Number.POSITIVE_INFINITY, this.opts.onProgress);
    if (this.finished !== this.P)
      throw new Error(`internal error: ${this.P - this.finished} pipeline stages never finished`);
    const acc = this.stages.map((st) => st.acc);
    const ends = this.stages.map((st) => st.endS);
    let slowest = 0;
    for (let s = 1; s < this.P; s++) if (ends[s] > ends[slowest]) slowest = s;
    const work = (x: SimBreakdown) => x.computeS + x.recomputeS + x.optimizerS;
    let busiest = 0;
    for (let s = 1; s < this.P; s++) if (work(acc[s]) > work(acc[busiest]) * (1 + 1e-12)) busiest = s;
    return {
      stepTimeS: this.stepEnd,
      breakdownS: acc[slowest],
      slowestStage: slowest,
      busiestStage: busiest,
      stageBreakdownS: acc,
      stageEndS: ends,
      collectivesSimulated: this.comm.simulated,
      collectivesReplayed: this.comm.replayed,
      phases: this.comm.phases,
      trace: this.trace,
    };
  }

  private record(s: number, tid: number, name: string, cat: string, t0: number, t1: number): void {
    const traced = this.traceEvery > 0 && s % this.traceEvery === 0 && this.trace.length < MAX_TRACE_EVENTS;
    if (traced && t1 > t0)
      this.trace.push({ name, cat, ph: "X", ts: t0 * 1e6, dur: (t1 - t0) * 1e6, pid: s, tid });
  }

  /** Adds exposed time of a sequence of ops to their kinds in proportion to their analytical times. */
  private chargeComm(s: number, ops: CommOp[], dt: number): void {
    if (dt <= 0 || ops.length === 0) return;
    const total = ops.reduce((a, o) => a + o.timeS * o.count, 0);
    for (const o of ops) {
      const share = total > 0 ? (o.timeS * o.count) / total : 1 / ops.length;
      this.stages[s].acc[KIND[o.parallelism]] += dt * share;
    }
  }

  /** Runs one deferred weight-gradient piece, then `then`. */
  private runW(s: number, then: () => void): void {
    const st = this.stages[s];
    const d = st.pendingW.shift()!;
    const t0 = this.net.now();
    this.net.schedule(d, () => {
      st.acc.computeS += d;
      this.record(s, 0, "W", "compute", t0, this.net.now());
      then();
    });
  }

  /** A stage's main loop: run its next task, or fill the wait for its input with deferred work, or wait. */
  private next(s: number): void {
    const st = this.stages[s];
    if (st.idx === st.order.length) {
      if (st.pendingW.length === 0) {
        this.endStage(s);
        return;
      }
      if (!st.flushing) {
        st.flushing = true;
        this.startEarlyGrads(s);
      }
      this.runW(s, () => this.next(s));
      return;
    }
    const task = st.order[st.idx];
    const i = task.chunk * this.M + task.mb;
    const needs = task.fwd
      ? !(s === 0 && task.chunk === 0)
      : !(s === this.P - 1 && task.chunk === this.V - 1);
    if (needs && (task.fwd ? st.arrivedF : st.arrivedB)[i] < 0) {
      if (st.waitSince < 0 && st.pendingW.length > 0) {
        this.runW(s, () => this.next(s));
        return;
      }
      if (st.waitSince < 0) st.waitSince = this.net.now();
      st.waiting = { fwd: task.fwd, i };
      return;
    }
    if (st.waitSince >= 0) this.endWait(s, task, i);
    st.idx++;
    this.runTask(s, task);
  }

  /** The input arrived: time with the message in flight is pipeline communication, the rest bubble. */
  private endWait(s: number, task: StageTask, i: number): void {
    const st = this.stages[s];
    st.waiting = undefined;
    const w0 = st.waitSince;
    const w1 = this.net.now();
    const sent = (task.fwd ? st.sentF : st.sentB)[i];
    const pp = sent >= 0 ? Math.max(0, w1 - Math.max(w0, sent)) : 0;
    st.acc.ppCommS += pp;
    st.acc.bubbleS += w1 - w0 - pp;
    if (w1 > w0) this.record(s, 0, "wait", "bubble", w0, w1);
    st.waitSince = -1;
  }

  /** Gradient reduction that overlaps the last backward (started once, with it or with the deferred weight work). */
  private startEarlyGrads(s: number): void {
    const early = this.gradOps.filter((o) => o.overlappable);
    if (early.length === 0) return;
    const st = this.stages[s];
    st.gradsRunning = true;
    this.comm.parallel(s, early, () => {
      st.gradsRunning = false;
      st.afterGrads?.();
    });
  }

  /**
   * A task's compute, with its overlapped ops beside it on the network and its exposed ops after it. How much of the
   * overlapped TP, CP and expert traffic shows is the analytical model's overlap mechanism for the stage
   * (pass-overlap.ts: MC2's per-GEMM fusion, layer-scope hiding behind the GEMMs, the attention core, the MoE overlap
   * scheme, each with its overlap cost), evaluated at the time the network took for that kind's ops against their
   * analytical time; the task never ends before its ops have finished on the network. Overlapped FSDP gathers and
   * reduce-scatters show where the network outlasts the compute and, as fsdp.ts charges them, the overlap share of the
   * part the compute hid (StageOverlap.dpHiddenCostS).
   */
  private runTask(s: number, task: StageTask): void {
    const st = this.stages[s];
    const sp = st.plan;
    const t0 = this.net.now();
    const exposed = task.fwd ? this.ops.fwdExposed : this.ops.bwdExposed;
    const hidden = task.fwd ? this.ops.fwdHidden : this.ops.bwdHidden;
    const doneAt = [-1, -1, -1];
    let dpDoneAt = -1;
    let left = hidden.length;
    let onHidden: (() => void) | undefined;
    for (const op of hidden) {
      const k = MECHANISM_KIND[op.parallelism];
      this.comm.runOp(s, op, () => {
        if (k >= 0) doneAt[k] = this.net.now();
        else if (op.parallelism === "dp") dpDoneAt = this.net.now();
        if (--left === 0) onHidden?.();
      });
    }
    const splits = this.schedule.splitsBackward;
    if (!task.fwd && st.idx === st.order.length && !splits) this.startEarlyGrads(s);
    const fwdS = sp.forwardS / this.V;
    const recS = sp.recomputeS / this.V;
    // Zero-bubble and DualPipe: the weight-gradient part of a backward is deferred.
    const weightS = splits ? Math.min(sp.backwardWeightS, sp.backwardS - sp.recomputeS) / this.V : 0;
    const bwdS = sp.backwardS / this.V - weightS;
    if (!task.fwd && weightS > 0) st.pendingW.push(weightS);
    this.net.schedule(task.fwd ? fwdS : bwdS, () => {
      const computeEnd = this.net.now();
      st.acc.computeS += task.fwd ? fwdS : bwdS - recS;
      if (!task.fwd) st.acc.recomputeS += recS;
      const label = `${task.fwd ? "F" : "B"}${task.mb}${this.V > 1 ? `.${task.chunk}` : ""}`;
      this.record(s, 0, label, "compute", t0, computeEnd);
      const afterHidden = () => {
        const mech = this.mechanismExposure(s, task.fwd, hidden, t0, doneAt);
        // Overlapped FSDP traffic costs the family's overlap share of the part the compute hid (fsdp.ts `hidden`).
        const ov = this.stages[s].plan.overlap;
        const dp = ov && dpDoneAt >= 0 ? ov.dpHiddenCostS(dpDoneAt - t0, computeEnd - t0) : 0;
        const stall = Math.max(this.net.now(), computeEnd + mech) + dp - this.net.now();
        const then = () => {
          // What the network took beyond the mechanisms' exposure, split over the overlapped ops.
          this.chargeComm(s, hidden, this.net.now() - computeEnd - mech);
          const exposedStart = this.net.now();
          this.comm.sequence(s, exposed, () => {
            this.chargeComm(s, exposed, this.net.now() - exposedStart);
            this.afterTask(s, task);
          });
        };
        if (stall > 0) this.net.schedule(stall, then);
        else then();
      };
      if (left === 0) afterHidden();
      else onHidden = afterHidden;
    });
  }

  /**
   * Exposed TP, CP and expert time of one task by the stage's overlap mechanisms (charged to their kinds here), each
   * kind's collectives scaled by the time the network took for them over their analytical time; 0 when the plan
   * carries no mechanisms. Cost O(ops + layer kinds).
   */
  private mechanismExposure(s: number, fwd: boolean, ops: CommOp[], t0: number, doneAt: number[]): number {
    const ov = this.stages[s].plan.overlap;
    if (!ov || ops.length === 0) return 0;
    let total = 0;
    for (let k = 0; k < 3; k++) {
      if (doneAt[k] < 0) continue;
      let planned = 0;
      for (const op of ops) if (MECHANISM_KIND[op.parallelism] === k) planned += op.timeS * op.count;
      const scale = planned > 0 ? (doneAt[k] - t0) / planned : 1;
      const e = (k === 0 ? ov.tpS(fwd, scale) : k === 1 ? ov.cpS(fwd, scale) : ov.epS(fwd, scale)) / this.V;
      this.stages[s].acc[MECHANISM_FIELD[k]] += e;
      total += e;
    }
    return total;
  }

  /** Where a task's output goes: the next (forward) or previous (backward) virtual stage, if any. */
  private target(s: number, t: StageTask): { stage: number; chunk: number } | undefined {
    if (t.fwd) {
      if (s + 1 < this.P) return { stage: s + 1, chunk: t.chunk };
      return t.chunk + 1 < this.V ? { stage: 0, chunk: t.chunk + 1 } : undefined;
    }
    if (s > 0) return { stage: s - 1, chunk: t.chunk };
    return t.chunk > 0 ? { stage: this.P - 1, chunk: t.chunk - 1 } : undefined;
  }

  /** Sends the task's output to the next virtual stage (asynchronously for this stage) and moves on. */
  private afterTask(s: number, task: StageTask): void {
    const to = this.target(s, task);
    if (to) {
      const i = to.chunk * this.M + task.mb;
      const dest = this.stages[to.stage];
      (task.fwd ? dest.sentF : dest.sentB)[i] = this.net.now();
      const arrive = () => {
        (task.fwd ? dest.arrivedF : dest.arrivedB)[i] = this.net.now();
        const w = dest.waiting;
        if (w && w.fwd === task.fwd && w.i === i) this.next(to.stage);
      };
      const ops = task.fwd ? this.ops.ppFwd : this.ops.ppBwd;
      if (ops.length === 0) arrive();
      else this.comm.sequence(s, ops, arrive, to.stage);
    }
    this.next(s);
  }

  /**
   * After the last backward: the gradient NaN check on the compute stream (grad-check.ts's figure, `plan.gradCheckStepS`:
   * a read of the gradient buffer and a host sync per bucket), then wait for the overlapped gradient reduction, run the
   * exposed one, the optimizer, the offload transfers, the parameter gathers.
   */
  private endStage(s: number): void {
    const check = this.plan.gradCheckStepS;
    if (check > 0) {
      const t0 = this.net.now();
      this.net.schedule(check, () => {
        this.stages[s].acc.gradCheckS += check;
        this.record(s, 0, "grad NaN check", "compute", t0, this.net.now());
        this.reduceGrads(s);
      });
    } else this.reduceGrads(s);
  }

  /** Waits for the overlapped gradient reduction, then runs the exposed one and the optimizer. */
  private reduceGrads(s: number): void {
    const st = this.stages[s];
    const lastB = this.net.now();
    const afterGrads = () => {
      const tg = this.net.now();
      st.acc.dpCommS += tg - lastB;
      this.comm.sequence(
        s,
        this.gradOps.filter((o) => !o.overlappable),
        () => this.optimizer(s, tg),
      );
    };
    if (st.gradsRunning) st.afterGrads = afterGrads;
    else afterGrads();
  }

  private optimizer(s: number, tg: number): void {
    const st = this.stages[s];
    const t1 = this.net.now();
    st.acc.dpCommS += t1 - tg;
    // The optimizer, then the offloaded state's exposed host-link time (offload.ts's figure, `plan.offloadStepS`).
    const off = this.plan.offloadStepS;
    this.net.schedule(this.plan.optimizerStepS + off, () => {
      st.acc.optimizerS += this.plan.optimizerStepS;
      st.acc.offloadS += off;
      this.record(s, 0, "optimizer", "compute", t1, this.net.now());
      const t2 = this.net.now();
      this.comm.sequence(s, this.paramOps, () => {
        st.acc.dpCommS += this.net.now() - t2;
        st.endS = this.net.now();
        this.stepEnd = Math.max(this.stepEnd, this.net.now());
        this.finished++;
      });
    });
  }
}

/**
 * Simulates one optimizer step of `plan` on `net`. Each stage walks its schedule's order on one compute
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
  requireArgument(net, "net", "object", "a Network (makeNetwork or new FlowNetwork gives one)", NETWORK_KEYS);
  requireArgument(plan, "plan", "object", "a TrainingPlan from planTraining", [
    "degrees",
    "layout",
    "stages",
    "comm",
  ]);
  return new IterationSim(net, plan, opts).run();
}
