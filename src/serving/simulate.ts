// Request-level discrete-event serving simulation on the engine's event queue: continuous batching, chunked prefill, paged KV with preemption, disaggregated pools.

import { require_, requireArgument, SCENARIO_ARG, SCENARIO_KEYS } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { EventQueue } from "../engine/queue.js";
import type { Scenario } from "../scenario/load.js";
import { PAGE_TOKENS, type ServingPlan, servingPlan } from "./config.js";
import { emptyLoad, type RankLoad } from "./cost.js";
import { ServingMetrics } from "./metrics.js";
import { type ServingResult, servingReport } from "./report.js";
import { admitPrompts, type BatchCounters, growOrPreempt, joinRunning } from "./scheduler.js";
import { Instance, newReq, pagesFor, type Rank, type Req } from "./state.js";
import { meanLength, type RequestSpec, type RequestStream, requestStream } from "./workload.js";

export type { Percentiles } from "./metrics.js";
export type { PoolReport, ServingResult } from "./report.js";

export interface SimulateOptions {
  /** Called after each completed request with (completed, total expected). */
  onProgress?: (completed: number, total: number) => void;
  /** Called as each request completes: time to first token, time per output token (undefined for a one-token output) and end to end, s. */
  onRequest?: (ttftS: number, tpotS: number | undefined, e2eS: number) => void;
}

/**
 * Runs a serving scenario to completion (or `maxSimulatedS`) and returns latency, throughput,
 * goodput, KV use and cost. Deterministic for a seed. Cost: O(events x log events + steps x ranks),
 * about one step event per batch iteration per instance; memory O(requests in flight).
 */
export function simulateServing(s: Scenario, opts: SimulateOptions = {}): ServingResult {
  requireArgument(s, "scenario", "object", SCENARIO_ARG, SCENARIO_KEYS);
  return runPlan(servingPlan(s), s.seed, opts);
}

/** Simulates an already-built plan (see servingPlan). */
export function runPlan(plan: ServingPlan, seed: number, opts: SimulateOptions = {}): ServingResult {
  requireArgument(plan, "plan", "object", "a ServingPlan from servingPlan", ["pools", "model", "workload"]);
  require_(
    Number.isSafeInteger(seed) && seed >= 0,
    ["seed"],
    "must be a whole number >= 0",
    seed,
    "a seed in [0, 2^53 - 1]",
  );
  const sim = new ServingSim(plan, seed, opts);
  sim.run();
  return servingReport(plan, seed, sim);
}

/** Expected span of arrivals, s, from the workload (sizes the rate bins; a rough guess is enough). */
function expectedArrivalSpanS(plan: ServingPlan, n: number): number {
  const a = plan.workload.arrival;
  if (a.kind === "trace") {
    const t = a.requests.map((r) => r.arrivalS);
    return Math.max(...t) - Math.min(...t) || 1;
  }
  const dutyCycle = a.kind === "on-off" ? a.onS / (a.onS + a.offS) : 1;
  return n / a.ratePerS / dutyCycle;
}

/**
 * The simulation's state and its event handlers: `arrive` (a request comes in), `endStep` (an
 * instance finishes a batch iteration) and `transferred` (a KV transfer lands), each scheduled on
 * the engine's queue. Every step's work is chosen by `startStep` from the ranks' queues.
 */
export class ServingSim {
  readonly q = new EventQueue();
  readonly instances: Instance[] = [];
  readonly metrics: ServingMetrics;
  readonly counts: BatchCounters = { preemptions: 0 };
  arrived = 0;
  rejected = 0;
  xferSumS = 0;
  xferCount = 0;
  /** Decode steps of sequences that verified drafts, and the tokens they gained (speculative decoding). */
  specSeqSteps = 0;
  specTokens = 0;
  private readonly stream: RequestStream;
  private readonly routeRng: Rng;
  /** Draws of accepted draft tokens (its own stream, so speculation leaves arrivals and routing unchanged). */
  private readonly specRng: Rng;
  private readonly frontRanks: Rank[];
  private readonly decodeRanks: Rank[];
  private readonly decodePool: number;
  private readonly xferBytesPerToken: number;
  private readonly agg: RankLoad = emptyLoad();

  constructor(
    readonly plan: ServingPlan,
    seed: number,
    private readonly opts: SimulateOptions,
  ) {
    this.stream = requestStream(plan.workload, new Rng(seed));
    this.routeRng = new Rng((seed ^ 0x5bd1e995) >>> 0);
    this.specRng = new Rng((seed ^ 0x27d4eb2f) >>> 0);
    plan.pools.forEach((p, pi) => {
      for (let i = 0; i < p.instances; i++) this.instances.push(new Instance(this.instances.length, p, pi));
    });
    this.decodePool = plan.mode === "disaggregated" ? 1 : 0;
    const ranksOf = (pool: number) =>
      this.instances.filter((x) => x.poolIndex === pool).flatMap((x) => x.ranks);
    this.frontRanks = ranksOf(0);
    this.decodeRanks = ranksOf(this.decodePool);
    this.xferBytesPerToken = plan.pools[this.decodePool].cost.kvBytesPerToken();
    const n = this.stream.total;
    this.metrics = new ServingMetrics(n, plan.ttftSloS, plan.tpotSloS, expectedArrivalSpanS(plan, n));
  }

  /** Expected mean output length (for reports). */
  meanOutputTokens(): number {
    const w = this.plan.workload;
    return w.outputTokens === undefined ? 0 : meanLength(w.outputTokens);
  }

  /** Runs every event up to the plan's time limit. */
  run(): void {
    this.scheduleNextArrival();
    this.q.run(this.plan.maxSimulatedS);
  }

  get events(): number {
    return this.q.processed;
  }

  private scheduleNextArrival(): void {
    const spec = this.stream.next();
    if (spec === undefined) return;
    const index = this.drawn++;
    this.q.at(spec.arrivalS, () => this.arrive(index, spec));
  }
  /** Requests drawn from the stream so far (the next one's arrival index). */
  private drawn = 0;

  private pick2(ranks: Rank[], score: (r: Rank) => number): Rank {
    const a = ranks[this.routeRng.int(ranks.length)];
    const b = ranks[this.routeRng.int(ranks.length)];
    return score(b) < score(a) ? b : a;
  }

  /** Handler: a request arrives; it is rejected when no rank could ever hold it, else queued on a front rank. */
  private arrive(index: number, spec: RequestSpec): void {
    const now = this.q.now;
    this.arrived++;
    this.metrics.arrived(index, now);
    this.scheduleNextArrival();
    const plan = this.plan;
    const total = pagesFor(spec.inputTokens + spec.outputTokens);
    if (
      total > plan.pools[this.decodePool].kvPagesPerRank ||
      pagesFor(spec.inputTokens) > plan.pools[0].kvPagesPerRank
    ) {
      this.rejected++;
      return;
    }
    const r = newReq(index, spec);
    const rank = this.pick2(
      this.frontRanks,
      (x) => x.queuedTokens + (x.capPages - x.freePages) * PAGE_TOKENS,
    );
    rank.waiting.push(r);
    rank.queuedTokens += r.target - r.prefilled;
    this.wake(rank.inst);
  }

  private wake(inst: Instance): void {
    if (!inst.busy) this.startStep(inst);
  }

  private finish(r: Req): void {
    const now = this.q.now;
    this.metrics.served(r.spec.inputTokens, r.spec.outputTokens);
    this.metrics.finished(r.index, r.spec.arrivalS, r.firstTokenS, r.spec.outputTokens, now);
    if (this.opts.onRequest) {
      const n = r.spec.outputTokens;
      const perTok = n > 1 ? (now - r.firstTokenS) / (n - 1) : undefined;
      this.opts.onRequest(r.firstTokenS - r.spec.arrivalS, perTok, now - r.spec.arrivalS);
    }
    this.opts.onProgress?.(this.metrics.completed, this.stream.total);
  }

  /** Starts KV transfers into a decode rank while it has pages and batch room. */
  private admitDecode(rank: Rank): void {
    const now = this.q.now;
    const maxB = rank.inst.pool.maxBatchPerRank;
    while (rank.incoming.length > 0 && rank.running.length + rank.ready.length + rank.inTransfer < maxB) {
      const r = rank.incoming.at(0);
      const ctx = r.spec.inputTokens + r.generated;
      const need = pagesFor(ctx + 1);
      const busy = rank.running.length + rank.ready.length + rank.inTransfer;
      const reserve = busy > 0 ? busy + Math.ceil(0.01 * rank.capPages) : 0;
      if (need + reserve > rank.freePages) break;
      rank.incoming.shift();
      rank.freePages -= need;
      r.pages = need;
      rank.inTransfer++;
      // Transfers into one rank share its link, and so do those out of one prefill rank: each waits
      // for both ends to be free (swap-ins after preemption have no prefill end).
      const dt = (ctx * this.xferBytesPerToken) / this.plan.kvLink.bytesPerS;
      const src = r.prefillRank;
      const start = Math.max(now, rank.linkFreeS, src ? src.linkFreeS : 0);
      rank.linkFreeS = start + dt;
      if (src) src.linkFreeS = start + dt;
      const done = start + dt + this.plan.kvLink.latencyS;
      this.xferSumS += done - now;
      this.xferCount++;
      r.xferRank = rank;
      this.q.at(done, () => this.transferred(r));
    }
  }

  /** Handler: a KV transfer lands on its decode rank; the prefill rank frees its pages. */
  private transferred(r: Req): void {
    const rank = r.xferRank as Rank;
    r.xferRank = null;
    rank.inTransfer--;
    rank.ready.push(r);
    const pr = r.prefillRank;
    if (pr) {
      pr.freePages += r.prefillPages;
      r.prefillPages = 0;
      r.prefillRank = null;
      this.wake(pr.inst);
    }
    this.wake(rank.inst);
  }

  /** Forms the next step of an instance from its ranks' queues and schedules its end; idles when there is no work. */
  private startStep(inst: Instance): void {
    const pool = inst.pool;
    const role = pool.role;
    const agg = this.agg;
    agg.prefillTokens = 0;
    agg.prefillPairs = 0;
    agg.decodeSeqs = 0;
    agg.decodeKvTokens = 0;
    agg.logitTokens = 0;
    agg.draftTokens = 0;
    let instanceTokens = 0;
    let used = 0;
    for (const rank of inst.ranks) {
      const L = rank.load;
      L.prefillTokens = 0;
      L.prefillPairs = 0;
      L.decodeSeqs = 0;
      L.decodeKvTokens = 0;
      L.logitTokens = 0;
      L.draftTokens = 0;
      if (rank.nChunks > 0) {
        rank.chunks.fill(undefined as unknown as Req, 0, rank.nChunks);
        rank.nChunks = 0;
      }
      let preempted = false;
      if (role !== "prefill") {
        preempted = growOrPreempt(rank, role, this.counts);
        if (role === "decode" && !preempted) this.admitDecode(rank);
      }
      // No new prompt work in a step that had to preempt (it would thrash).
      if (role !== "decode" && !preempted) admitPrompts(rank, pool);
      agg.prefillTokens = Math.max(agg.prefillTokens, L.prefillTokens);
      agg.prefillPairs = Math.max(agg.prefillPairs, L.prefillPairs);
      agg.decodeSeqs = Math.max(agg.decodeSeqs, L.decodeSeqs);
      agg.decodeKvTokens = Math.max(agg.decodeKvTokens, L.decodeKvTokens);
      agg.logitTokens = Math.max(agg.logitTokens, L.logitTokens);
      agg.draftTokens = Math.max(agg.draftTokens ?? 0, L.draftTokens ?? 0);
      // Every verified token (the next one and its drafts) goes through the experts.
      instanceTokens += L.prefillTokens + L.decodeSeqs * (1 + (L.draftTokens ?? 0));
      used += (rank.capPages - rank.freePages) / rank.capPages;
    }
    if (instanceTokens === 0) {
      inst.busy = false;
      return;
    }
    const cost = pool.cost.step(agg, instanceTokens);
    const dt = cost.timeS;
    inst.computeS += cost.computeS;
    inst.attnS += cost.attentionCoreS;
    inst.gemmS += cost.gemmS;
    inst.commS += cost.commS;
    inst.exposedS += cost.exposedCommS;
    inst.overheadS += cost.overheadS;
    const frac = used / inst.ranks.length;
    inst.busy = true;
    inst.steps++;
    inst.busyS += dt;
    inst.kvFracS += frac * dt;
    inst.kvPeak = Math.max(inst.kvPeak, frac);
    this.q.schedule(dt, () => this.endStep(inst));
  }

  /** Handler: an instance's step ends; decoded tokens and finished prompt chunks move on, and the next step starts. */
  private endStep(inst: Instance): void {
    for (const rank of inst.ranks) {
      this.endDecode(rank);
      this.endChunks(rank, inst.pool.role);
    }
    inst.busy = false;
    this.startStep(inst);
  }

  /**
   * Tokens one decoding sequence gains in a step: 1, plus the drafts accepted before the first rejection
   * when the pool decodes speculatively (each accepted with the pool's acceptance rate).
   */
  private gained(k: number, rate: number): number {
    let g = 1;
    while (g <= k && this.specRng.next() < rate) g++;
    return g;
  }

  /** The decoding sequences of a rank each gain their tokens; finished ones leave. */
  private endDecode(rank: Rank): void {
    const n = rank.stepDecode;
    if (n === 0) return;
    const now = this.q.now;
    const { draftTokens: k, acceptanceRate } = rank.inst.pool;
    // Sequences join `running` only at its end, so the first n are this step's; compact in place.
    const run = rank.running;
    let tokens = 0;
    let keep = 0;
    for (let i = 0; i < run.length; i++) {
      const r = run[i];
      if (i < n) {
        const ctx = r.spec.inputTokens + r.generated;
        const g = Math.min(k > 0 ? this.gained(k, acceptanceRate) : 1, r.spec.outputTokens - r.generated);
        tokens += g;
        r.pages = pagesFor(ctx + g);
        r.generated += g;
        if (r.generated >= r.spec.outputTokens) {
          rank.kvSum -= ctx;
          rank.freePages += r.pages;
          r.pages = 0;
          this.finish(r);
          continue;
        }
        rank.kvSum += g;
        // Room for the next step's token and its drafts.
        rank.growNeed += pagesFor(ctx + g + 1 + k) - r.pages;
      }
      run[keep++] = r;
    }
    this.metrics.tokens(now, tokens, 0);
    if (k > 0) {
      this.specSeqSteps += n;
      this.specTokens += tokens;
    }
    for (let i = keep; i < run.length; i++) run[i] = undefined as unknown as Req;
    run.length = keep;
    rank.stepDecode = 0;
  }

  /** Prompt chunks of a rank advance; a finished prompt yields its first token and moves to decode. */
  private endChunks(rank: Rank, role: string): void {
    const now = this.q.now;
    for (let i = 0; i < rank.nChunks; i++) {
      const r = rank.chunks[i];
      r.prefilled += rank.chunkN[i];
      rank.queuedTokens -= rank.chunkN[i];
      if (r.prefilled < r.target) continue;
      rank.waiting.shift();
      if (r.firstTokenS < 0) {
        r.firstTokenS = now;
        r.generated = 1;
        this.metrics.tokens(now, 1, r.spec.inputTokens);
      }
      if (r.generated >= r.spec.outputTokens) {
        rank.freePages += r.pages;
        r.pages = 0;
        this.finish(r);
      } else if (role === "prefill") {
        r.prefillPages = r.pages;
        r.prefillRank = rank;
        r.pages = 0;
        const d = this.pick2(this.decodeRanks, (x) => -(x.freePages - x.incoming.length * 64));
        d.incoming.push(r);
        this.admitDecode(d);
      } else joinRunning(rank, r);
    }
  }
}
