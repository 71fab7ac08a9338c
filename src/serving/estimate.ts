// Up-front estimate of a serving simulation's work and memory, so a front end can say how long a run will take or refuse one that cannot finish.
import { ZettasimError } from "../core/errors.js";
import { fmtInt } from "../core/units.js";
import type { ServingPlan } from "./config.js";
import { DEFAULT_REQUESTS, meanRequestTokens } from "./workload.js";

/**
 * Bytes one request in flight holds (its record, its spec and its queue slots); measured with
 * `node --expose-gc` on the disaggregated example as heap growth per queued request, rounded up.
 */
export const BYTES_PER_REQUEST_IN_FLIGHT = 400;
/** Fixed heap of a run besides its requests: instances, ranks, sketches, queue (bytes per rank). */
export const BYTES_PER_RANK = 2048;
/**
 * Simulator events per second of wall time on one core, for the time estimate: `bench/serving.ts`
 * measured 30,000-90,000 on a quiet core and 8,000-10,000 on a loaded shared one; the low end is taken.
 */
export const EVENTS_PER_WALL_S = 10_000;

/** What a run will cost before it starts. */
export interface ServingRunEstimate {
  requests: number;
  /** Simulated events (arrivals, steps, KV transfers), approximate. */
  events: number;
  /** Offered load over the pools' estimated capacity (> 1: queues grow for the whole run). */
  loadRatio: number;
  /** Peak heap the run needs, bytes (requests in flight grow without bound when overloaded). */
  memoryBytes: number;
  /** Wall time at EVENTS_PER_WALL_S, s. */
  wallS: number;
}

/**
 * Estimates a plan's events, memory and wall time from its workload and one step of each pool's
 * cost model at full batch. Cost O(pools); no simulation runs.
 */
export function estimateServingRun(plan: ServingPlan): ServingRunEstimate {
  const w = plan.workload;
  const a = w.arrival;
  const n = a.kind === "trace" ? a.requests.length : (w.requests ?? DEFAULT_REQUESTS);
  const { inTok, outTok } = meanRequestTokens(w);
  let rate: number;
  if (a.kind === "trace") {
    const t = a.requests.map((r) => r.arrivalS);
    rate = n / Math.max(Math.max(...t) - Math.min(...t), 1e-3);
  } else rate = a.kind === "on-off" ? (a.ratePerS * a.onS) / (a.onS + a.offS) : a.ratePerS;
  let steps = 0;
  let ranks = 0;
  let loadRatio = 0;
  const spanS = n / rate;
  for (const p of plan.pools) {
    const dp = p.layout.attentionDp;
    ranks += p.instances * dp;
    const ctx = inTok + outTok / 2;
    const decode = p.role !== "prefill";
    const prefill = p.role !== "decode";
    const b = p.maxBatchPerRank;
    const dStep = p.cost.step(
      { prefillTokens: 0, prefillPairs: 0, decodeSeqs: b, decodeKvTokens: b * ctx, logitTokens: b },
      b * dp,
    ).timeS;
    const c = p.chunkTokens;
    const pStep = p.cost.step(
      {
        prefillTokens: c,
        prefillPairs: (c * inTok) / 2,
        decodeSeqs: 0,
        decodeKvTokens: 0,
        logitTokens: c / inTok,
      },
      c * dp,
    ).timeS;
    const stepS = decode ? dStep : pStep;
    // Instances idle without work, and each step moves every request in it by a token or a chunk at least: at
    // low load the requests' own token counts bound the steps, not the span.
    const perRequest = (decode ? outTok : 0) + (prefill ? Math.ceil(inTok / c) : 0);
    steps += Math.min((p.instances * spanS) / Math.max(stepS, 1e-9), n * perRequest);
    const need =
      (decode ? (rate * outTok * dStep) / (b * dp) : 0) + (prefill ? (rate * inTok * pStep) / (c * dp) : 0);
    loadRatio = Math.max(loadRatio, need / p.instances);
  }
  const events = Math.ceil(n * (plan.mode === "disaggregated" ? 2 : 1) + steps);
  const inFlight = loadRatio > 1 ? n : Math.min(n, ranks * 2 * plan.pools[0].maxBatchPerRank);
  return {
    requests: n,
    events,
    loadRatio,
    memoryBytes: inFlight * BYTES_PER_REQUEST_IN_FLIGHT + ranks * BYTES_PER_RANK,
    wallS: events / EVENTS_PER_WALL_S,
  };
}

/** Longest serving run started, estimated wall seconds (an hour), and the most heap one may take, bytes. */
export const MAX_SERVING_WALL_S = 3600;
export const MAX_SERVING_MEMORY_BYTES = 4e9;

/**
 * Refuses, before it starts, a run whose estimate passes MAX_SERVING_WALL_S or MAX_SERVING_MEMORY_BYTES, naming
 * `path` (the field or flag that sets the request count) and the count that would fit. Every front end (serve,
 * sweeps, the web app) runs plans through this. Cost O(pools).
 */
export function refuseRunawayServing(
  plan: ServingPlan,
  path: (string | number)[] = ["serving", "workload", "requests"],
): void {
  const e = estimateServingRun(plan);
  if (e.wallS <= MAX_SERVING_WALL_S && e.memoryBytes <= MAX_SERVING_MEMORY_BYTES) return;
  const why =
    e.memoryBytes > MAX_SERVING_MEMORY_BYTES
      ? `about ${(e.memoryBytes / 1e9).toFixed(1)} GB of memory (the offered load is ${e.loadRatio.toFixed(1)}x the pools' capacity, so requests pile up)`
      : `about ${fmtInt(e.events)} events, ${fmtInt(e.wallS / 60)} minutes at ${fmtInt(EVENTS_PER_WALL_S)} events/s`;
  const fit = Math.min(MAX_SERVING_WALL_S / e.wallS, MAX_SERVING_MEMORY_BYTES / e.memoryBytes);
  throw new ZettasimError([
    {
      path,
      message: `the run would need ${why}; limits: ${MAX_SERVING_WALL_S / 60} minutes, ${MAX_SERVING_MEMORY_BYTES / 1e9} GB. Figures are reported over a steady window with 95% intervals, so fewer requests suffice`,
      value: e.requests,
      expected: `fewer requests (at most about ${fmtInt(Math.floor(e.requests * fit))})`,
    },
  ]);
}
