// Request-level discrete-event serving simulation: continuous batching, chunked prefill, paged KV with preemption, disaggregated pools.
import { assertFinite } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { HOUR, MS } from "../core/units.js";
import type { Scenario } from "../scenario/load.js";
import { PAGE_TOKENS, type PoolPlan, type ServingPlan, servingPlan } from "./config.js";
import { emptyLoad, type RankLoad } from "./cost.js";
import { EventQueue } from "./events.js";
import { generateRequests, type RequestSpec } from "./workload.js";

/** Latency percentiles, ms. */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

export interface PoolReport {
  role: string;
  chip: string;
  instances: number;
  instanceChips: number;
  tp: number;
  attentionDp: number;
  ep: number;
  chips: number;
  weightGBPerChip: number;
  kvCapacityTokensPerRank: number;
  /** Time-averaged share of KV pages in use while instances ran. */
  kvUsedMeanFraction: number;
  kvUsedPeakFraction: number;
  /** Share of the simulated span that instances spent running steps. */
  busyFraction: number;
  steps: number;
  meanStepMs: number;
  /** Where the mean step's time goes, ms: compute (of which attention core and matmuls), all-to-all and TP traffic (of which exposed after overlap). */
  meanStepBreakdownMs: {
    compute: number;
    attentionCore: number;
    matmul: number;
    communication: number;
    exposedCommunication: number;
  };
}

export interface ServingResult {
  mode: string;
  seed: number;
  requests: { arrived: number; completed: number; inFlight: number; rejected: number; preemptions: number };
  /** First arrival to last completion, s. */
  simulatedS: number;
  ttftMs: Percentiles;
  tpotMs: Percentiles;
  e2eMs: Percentiles;
  /**
   * Rates over the arrival window (first to last arrival), when the offered load is steady;
   * tokens count when produced, so the drain after the last arrival is left out.
   */
  throughput: {
    /** What the rates cover: the arrival window, or the whole run when arrivals cover under half of it. */
    over: "arrival window" | "whole run";
    windowS: number;
    requestsPerS: number;
    inputTokensPerS: number;
    outputTokensPerS: number;
    inputTokensPerSecondPerChip: number;
    outputTokensPerSecondPerChip: number;
  };
  /** Requests meeting every given SLO per second, and their share (absent without an SLO). */
  goodput?: { requestsPerS: number; fractionMeetingSlo: number; ttftSloMs?: number; tpotSloMs?: number };
  kvTransfer?: { tier: string; meanMs: number };
  pools: PoolReport[];
  chips: number;
  costUsdPerMillionOutputTokens?: number;
  costUsdPerMillionTokens?: number;
  /** Simulator events processed (for benchmarks). */
  events: number;
}

interface Req {
  id: number;
  spec: RequestSpec;
  /** Prompt tokens whose KV must exist before decoding (grows after a recompute preemption). */
  target: number;
  prefilled: number;
  generated: number;
  /** KV pages held on the rank that owns the request now. */
  pages: number;
  /** Pages still held on the prefill rank until the KV transfer completes. */
  prefillPages: number;
  prefillRank: Rank | null;
  firstTokenS: number;
  doneS: number;
}

/** Array-backed FIFO with cheap push-front (for preempted requests). */
class Deque<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  at(i: number): T {
    return this.items[this.head + i];
  }
  push(x: T): void {
    this.items.push(x);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  unshift(x: T): void {
    if (this.head > 0) this.items[--this.head] = x;
    else this.items.unshift(x);
  }
}

class Rank {
  waiting = new Deque<Req>();
  running: Req[] = [];
  incoming = new Deque<Req>();
  ready: Req[] = [];
  inTransfer = 0;
  /** When this rank's KV link is next free, s (transfers into a decode rank or out of a prefill rank). */
  linkFreeS = 0;
  freePages: number;
  queuedTokens = 0;
  /** Prompt chunks of the current step: the first `nChunks` entries (arrays reused across steps). */
  chunks: Req[] = [];
  chunkN: number[] = [];
  nChunks = 0;
  /** The first `stepDecode` entries of `running` decode in the current step. */
  stepDecode = 0;
  /** Sum over running sequences of their context (prompt + generated tokens). */
  kvSum = 0;
  /** Pages the running sequences need before their next token (allocated at the next step start). */
  growNeed = 0;
  load: RankLoad = emptyLoad();
  constructor(
    readonly inst: Instance,
    readonly capPages: number,
  ) {
    this.freePages = capPages;
  }
}

class Instance {
  ranks: Rank[] = [];
  busy = false;
  steps = 0;
  busyS = 0;
  kvFracS = 0;
  kvPeak = 0;
  computeS = 0;
  attnS = 0;
  gemmS = 0;
  commS = 0;
  exposedS = 0;
  constructor(
    readonly id: number,
    readonly pool: PoolPlan,
    readonly poolIndex: number,
  ) {
    for (let i = 0; i < pool.layout.attentionDp; i++) this.ranks.push(new Rank(this, pool.kvPagesPerRank));
  }
}

const pagesFor = (tokens: number) => Math.ceil(tokens / PAGE_TOKENS);

export interface SimulateOptions {
  /** Called after each completed request with (completed, total expected). */
  onProgress?: (completed: number, total: number) => void;
  /** Called as each request completes: time to first token, time per output token (undefined for a one-token output) and end to end, s. */
  onRequest?: (ttftS: number, tpotS: number | undefined, e2eS: number) => void;
}

/**
 * Runs a serving scenario to completion (or `maxSimulatedS`) and returns latency, throughput,
 * goodput, KV use and cost. Deterministic for a seed. Cost: O(events x log events + steps x ranks),
 * about one step event per batch iteration per instance.
 */
export function simulateServing(s: Scenario, opts: SimulateOptions = {}): ServingResult {
  return runPlan(servingPlan(s), s.seed, opts);
}

/** Simulates an already-built plan (see servingPlan). */
export function runPlan(plan: ServingPlan, seed: number, opts: SimulateOptions = {}): ServingResult {
  const rng = new Rng(seed);
  const specs = generateRequests(plan.workload, rng);
  const routeRng = new Rng(seed ^ 0x5bd1e995);
  const q = new EventQueue<"arrival" | "step" | "xfer">();
  const instances: Instance[] = [];
  plan.pools.forEach((p, pi) => {
    for (let i = 0; i < p.instances; i++) instances.push(new Instance(instances.length, p, pi));
  });
  const frontPool = 0;
  const decodePool = plan.mode === "disaggregated" ? 1 : 0;
  const ranksOf = (pool: number) => instances.filter((x) => x.poolIndex === pool).flatMap((x) => x.ranks);
  const frontRanks = ranksOf(frontPool);
  const decodeRanks = ranksOf(decodePool);
  const reqs: Req[] = [];
  const xferOf: Rank[] = [];
  let completed = 0;
  let rejected = 0;
  let preemptions = 0;
  let events = 0;
  let xferSum = 0;
  let xferCount = 0;
  const ttft: number[] = [];
  const tpot: number[] = [];
  const e2e: number[] = [];
  let goodCount = 0;
  let inTok = 0;
  let outTok = 0;
  let lastDone = 0;
  const firstArrival = specs.length ? specs[0].arrivalS : 0;
  const lastArrival = specs.length ? specs[specs.length - 1].arrivalS : 0;
  let winIn = 0;
  let winOut = 0;
  let winDone = 0;
  const decodeCost = plan.pools[decodePool].cost;
  const xferBytesPerToken = decodeCost.kvBytesPerToken();

  const pick2 = (ranks: Rank[], score: (r: Rank) => number): Rank => {
    const a = ranks[routeRng.int(ranks.length)];
    const b = ranks[routeRng.int(ranks.length)];
    return score(b) < score(a) ? b : a;
  };

  const finish = (r: Req, now: number) => {
    r.doneS = now;
    completed++;
    if (now <= lastArrival) winDone++;
    lastDone = Math.max(lastDone, now);
    inTok += r.spec.inputTokens;
    outTok += r.spec.outputTokens;
    const t1 = r.firstTokenS - r.spec.arrivalS;
    const e = now - r.spec.arrivalS;
    ttft.push(t1);
    e2e.push(e);
    let perTok = 0;
    if (r.spec.outputTokens > 1) {
      perTok = (now - r.firstTokenS) / (r.spec.outputTokens - 1);
      tpot.push(perTok);
    }
    const okT = plan.ttftSloS === undefined || t1 <= plan.ttftSloS;
    const okP = plan.tpotSloS === undefined || perTok <= plan.tpotSloS;
    if (okT && okP) goodCount++;
    opts.onRequest?.(t1, r.spec.outputTokens > 1 ? perTok : undefined, e);
    opts.onProgress?.(completed, specs.length);
  };

  /** Adds a sequence to a rank's decode batch, keeping the rank's running sums. */
  const joinRunning = (rank: Rank, r: Req) => {
    const ctx = r.spec.inputTokens + r.generated;
    rank.kvSum += ctx;
    rank.growNeed += pagesFor(ctx + 1) - r.pages;
    rank.running.push(r);
  };

  const wake = (inst: Instance, now: number) => {
    if (!inst.busy) startStep(inst, now);
  };

  /** Starts KV transfers into a decode rank while it has pages and batch room. */
  const admitDecode = (rank: Rank, now: number) => {
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
      const dt = (ctx * xferBytesPerToken) / plan.kvLink.bytesPerS;
      const src = r.prefillRank;
      const start = Math.max(now, rank.linkFreeS, src ? src.linkFreeS : 0);
      rank.linkFreeS = start + dt;
      if (src) src.linkFreeS = start + dt;
      const done = start + dt + plan.kvLink.latencyS;
      xferSum += done - now;
      xferCount++;
      xferOf[r.id] = rank;
      q.push(done, "xfer", r.id);
    }
  };

  const startStep = (inst: Instance, now: number) => {
    const pool = inst.pool;
    const role = pool.role;
    const agg = emptyLoad();
    let instanceTokens = 0;
    let used = 0;
    for (const rank of inst.ranks) {
      let preempted = false;
      const L = rank.load;
      L.prefillTokens = 0;
      L.prefillPairs = 0;
      L.decodeSeqs = 0;
      L.decodeKvTokens = 0;
      L.logitTokens = 0;
      if (rank.nChunks > 0) {
        rank.chunks.fill(undefined as unknown as Req, 0, rank.nChunks);
        rank.nChunks = 0;
      }
      if (role !== "prefill") {
        if (rank.ready.length) {
          for (const r of rank.ready) joinRunning(rank, r);
          rank.ready.length = 0;
        }
        // Each running sequence needs room for one more token; preempt the newest until it fits.
        while (rank.growNeed > rank.freePages && rank.running.length > 0) {
          preempted = true;
          const v = rank.running.pop() as Req;
          const ctx = v.spec.inputTokens + v.generated;
          rank.growNeed -= pagesFor(ctx + 1) - v.pages;
          rank.kvSum -= ctx;
          rank.freePages += v.pages;
          v.pages = 0;
          preemptions++;
          if (role === "decode") rank.incoming.unshift(v);
          else {
            // Recompute: the prompt and the tokens generated so far are prefilled again.
            v.target = v.spec.inputTokens + v.generated;
            v.prefilled = v.spec.cachedTokens;
            rank.waiting.unshift(v);
            rank.queuedTokens += v.target - v.prefilled;
          }
        }
        // Allocate the growth in bulk; each sequence's own page count catches up when its step ends.
        rank.freePages -= rank.growNeed;
        rank.growNeed = 0;
        L.decodeKvTokens = rank.kvSum;
        L.decodeSeqs = rank.running.length;
        L.logitTokens = rank.running.length;
        rank.stepDecode = rank.running.length;
        if (role === "decode" && !preempted) admitDecode(rank, now);
      }
      // No new prompt work in a step that had to preempt (it would thrash); otherwise keep a reserve
      // of pages for the running sequences to grow into (a watermark, as vLLM does).
      if (role !== "decode" && !preempted) {
        const reserve = rank.running.length > 0 ? rank.running.length + Math.ceil(0.01 * rank.capPages) : 0;
        let budget = pool.chunkTokens - L.decodeSeqs;
        let seqs = rank.running.length;
        for (let i = 0; i < rank.waiting.length && budget > 0; i++) {
          const r = rank.waiting.at(i);
          const fresh = r.pages === 0;
          if (fresh && role === "colocated" && seqs >= pool.maxBatchPerRank) break;
          const remaining = r.target - r.prefilled;
          let n = Math.min(remaining, budget);
          const extra = pagesFor(r.prefilled + n) - r.pages;
          if (fresh && role === "colocated" && extra + reserve > rank.freePages) break;
          if (extra > rank.freePages) n = Math.min(n, (r.pages + rank.freePages) * PAGE_TOKENS - r.prefilled);
          if (n <= 0) break;
          const p = pagesFor(r.prefilled + n);
          rank.freePages -= p - r.pages;
          r.pages = p;
          rank.chunks[rank.nChunks] = r;
          rank.chunkN[rank.nChunks++] = n;
          L.prefillTokens += n;
          L.prefillPairs += n * r.prefilled + (n * (n + 1)) / 2;
          if (n === remaining) L.logitTokens++;
          budget -= n;
          if (fresh) seqs++;
          if (n < remaining) break;
        }
      }
      agg.prefillTokens = Math.max(agg.prefillTokens, L.prefillTokens);
      agg.prefillPairs = Math.max(agg.prefillPairs, L.prefillPairs);
      agg.decodeSeqs = Math.max(agg.decodeSeqs, L.decodeSeqs);
      agg.decodeKvTokens = Math.max(agg.decodeKvTokens, L.decodeKvTokens);
      agg.logitTokens = Math.max(agg.logitTokens, L.logitTokens);
      instanceTokens += L.prefillTokens + L.decodeSeqs;
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
    const frac = used / inst.ranks.length;
    inst.busy = true;
    inst.steps++;
    inst.busyS += dt;
    inst.kvFracS += frac * dt;
    inst.kvPeak = Math.max(inst.kvPeak, frac);
    q.push(now + dt, "step", inst.id);
  };

  const endStep = (inst: Instance, now: number) => {
    const role = inst.pool.role;
    for (const rank of inst.ranks) {
      const n = rank.stepDecode;
      if (n > 0) {
        // Sequences join `running` only at its end, so the first n are this step's; compact in place.
        const run = rank.running;
        if (now <= lastArrival) winOut += n;
        let keep = 0;
        for (let i = 0; i < run.length; i++) {
          const r = run[i];
          if (i < n) {
            const ctx = r.spec.inputTokens + r.generated;
            r.pages = pagesFor(ctx + 1);
            r.generated++;
            if (r.generated >= r.spec.outputTokens) {
              rank.kvSum -= ctx;
              rank.freePages += r.pages;
              r.pages = 0;
              finish(r, now);
              continue;
            }
            rank.kvSum++;
            rank.growNeed += pagesFor(ctx + 2) - r.pages;
          }
          run[keep++] = r;
        }
        run.length = keep;
        rank.stepDecode = 0;
      }
      for (let i = 0; i < rank.nChunks; i++) {
        const r = rank.chunks[i];
        r.prefilled += rank.chunkN[i];
        rank.queuedTokens -= rank.chunkN[i];
        if (r.prefilled < r.target) continue;
        rank.waiting.shift();
        if (r.firstTokenS < 0) {
          r.firstTokenS = now;
          r.generated = 1;
          if (now <= lastArrival) {
            winOut++;
            winIn += r.spec.inputTokens;
          }
        }
        if (r.generated >= r.spec.outputTokens) {
          rank.freePages += r.pages;
          r.pages = 0;
          finish(r, now);
        } else if (role === "prefill") {
          r.prefillPages = r.pages;
          r.prefillRank = rank;
          r.pages = 0;
          const d = pick2(decodeRanks, (x) => -(x.freePages - x.incoming.length * 64));
          d.incoming.push(r);
          admitDecode(d, now);
        } else joinRunning(rank, r);
      }
    }
    inst.busy = false;
    startStep(inst, now);
  };

  if (specs.length) q.push(specs[0].arrivalS, "arrival", 0);
  let now = 0;
  for (;;) {
    const e = q.pop();
    if (!e) break;
    if (e.timeS > plan.maxSimulatedS) break;
    now = e.timeS;
    events++;
    if (e.kind === "arrival") {
      const spec = specs[e.ref];
      const r: Req = {
        id: e.ref,
        spec,
        target: spec.inputTokens,
        prefilled: spec.cachedTokens,
        generated: 0,
        pages: 0,
        prefillPages: 0,
        prefillRank: null,
        firstTokenS: -1,
        doneS: -1,
      };
      reqs.push(r);
      if (e.ref + 1 < specs.length) q.push(specs[e.ref + 1].arrivalS, "arrival", e.ref + 1);
      const total = pagesFor(spec.inputTokens + spec.outputTokens);
      if (
        total > plan.pools[decodePool].kvPagesPerRank ||
        pagesFor(spec.inputTokens) > plan.pools[frontPool].kvPagesPerRank
      ) {
        rejected++;
        continue;
      }
      const rank = pick2(frontRanks, (x) => x.queuedTokens + (x.capPages - x.freePages) * PAGE_TOKENS);
      rank.waiting.push(r);
      rank.queuedTokens += r.target - r.prefilled;
      wake(rank.inst, now);
    } else if (e.kind === "step") {
      endStep(instances[e.ref], now);
    } else {
      const r = reqs[e.ref];
      const rank = xferOf[e.ref];
      rank.inTransfer--;
      rank.ready.push(r);
      const pr = r.prefillRank;
      if (pr) {
        pr.freePages += r.prefillPages;
        r.prefillPages = 0;
        r.prefillRank = null;
        wake(pr.inst, now);
      }
      wake(rank.inst, now);
    }
  }

  const span = Math.max(lastDone - firstArrival, 1e-9);
  // When arrivals cover less than half the run (a short trace, a burst), the drain dominates and the
  // arrival window says little: rates then cover the whole span, first arrival to last completion.
  const windowed = lastArrival - firstArrival >= 0.5 * span;
  const win = windowed ? lastArrival - firstArrival : span;
  if (!windowed) {
    winIn = inTok;
    winOut = outTok;
    winDone = completed;
  }
  const chips = plan.pools.reduce((a, p) => a + p.chips, 0);
  const pools: PoolReport[] = plan.pools.map((p, pi) => {
    const mine = instances.filter((x) => x.poolIndex === pi);
    const busy = mine.reduce((a, x) => a + x.busyS, 0);
    const steps = mine.reduce((a, x) => a + x.steps, 0);
    return {
      role: p.role,
      chip: p.system.chip.id,
      instances: p.instances,
      instanceChips: p.layout.chips,
      tp: p.layout.tp,
      attentionDp: p.layout.attentionDp,
      ep: p.layout.ep,
      chips: p.chips,
      weightGBPerChip: p.cost.weightBytesPerChip() / 1e9,
      kvCapacityTokensPerRank: p.kvPagesPerRank * PAGE_TOKENS,
      kvUsedMeanFraction: busy > 0 ? mine.reduce((a, x) => a + x.kvFracS, 0) / busy : 0,
      kvUsedPeakFraction: Math.max(0, ...mine.map((x) => x.kvPeak)),
      busyFraction: Math.min(1, busy / mine.length / span),
      steps,
      meanStepMs: steps > 0 ? busy / steps / MS : 0,
      meanStepBreakdownMs: {
        compute: perStep(mine, steps, (x) => x.computeS),
        attentionCore: perStep(mine, steps, (x) => x.attnS),
        matmul: perStep(mine, steps, (x) => x.gemmS),
        communication: perStep(mine, steps, (x) => x.commS),
        exposedCommunication: perStep(mine, steps, (x) => x.exposedS),
      },
    };
  });
  const arrived = reqs.length;
  const result: ServingResult = {
    mode: plan.mode,
    seed,
    requests: { arrived, completed, inFlight: arrived - completed - rejected, rejected, preemptions },
    simulatedS: completed > 0 ? span : 0,
    ttftMs: percentiles(ttft),
    tpotMs: percentiles(tpot),
    e2eMs: percentiles(e2e),
    throughput: {
      over: windowed ? "arrival window" : "whole run",
      windowS: win,
      requestsPerS: winDone / win,
      inputTokensPerS: winIn / win,
      outputTokensPerS: winOut / win,
      inputTokensPerSecondPerChip: winIn / win / chips,
      outputTokensPerSecondPerChip: winOut / win / chips,
    },
    pools,
    chips,
    events,
  };
  if (plan.ttftSloS !== undefined || plan.tpotSloS !== undefined) {
    result.goodput = {
      requestsPerS: completed > 0 ? (result.throughput.requestsPerS * goodCount) / completed : 0,
      fractionMeetingSlo: completed > 0 ? goodCount / completed : 0,
      ttftSloMs: plan.ttftSloS === undefined ? undefined : plan.ttftSloS / MS,
      tpotSloMs: plan.tpotSloS === undefined ? undefined : plan.tpotSloS / MS,
    };
  }
  if (plan.mode === "disaggregated") {
    result.kvTransfer = { tier: plan.kvLink.name, meanMs: xferCount ? xferSum / xferCount / MS : 0 };
  }
  if (plan.priceUsdPerChipHour.every((x) => x !== undefined) && outTok > 0) {
    const usd = plan.pools.reduce(
      (a, p, i) => a + p.chips * (plan.priceUsdPerChipHour[i] as number) * (span / HOUR),
      0,
    );
    result.costUsdPerMillionOutputTokens = (usd / outTok) * 1e6;
    result.costUsdPerMillionTokens = (usd / (outTok + inTok)) * 1e6;
  }
  assertFinite(result, "serving simulation");
  return result;
}

function perStep(insts: Instance[], steps: number, f: (x: Instance) => number): number {
  return steps > 0 ? insts.reduce((a, x) => a + f(x), 0) / steps / MS : 0;
}

/** p50/p90/p99/mean of durations in seconds, reported in ms (nearest-rank). Cost: O(n log n). */
export function percentiles(xs: number[]): Percentiles {
  if (xs.length === 0) return { p50: 0, p90: 0, p99: 0, mean: 0 };
  const s = Float64Array.from(xs).sort();
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] / MS;
  let sum = 0;
  for (const x of s) sum += x;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: sum / s.length / MS };
}
