// Streaming serving statistics in bounded memory: latency sketches and rates over a measurement window that leaves out warm-up and drain.
import { BatchMeans, QuantileSketch, RateSeries } from "../core/stats.js";
import { MS } from "../core/units.js";

/** Latency percentiles, ms, with the mean's 95% confidence half-width (batch means; 0 when too few requests). */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  meanHalfWidth95: number;
}

/**
 * Share of the requests (by arrival order) left out at each end of the run: the first ones meet
 * an empty system (warm-up), the last ones a system that empties as arrivals stop (drain).
 * Runs of fewer than MIN_TRIMMED_REQUESTS keep every request.
 */
export const WARMUP_FRACTION = 0.1;
export const DRAIN_FRACTION = 0.1;
export const MIN_TRIMMED_REQUESTS = 50;
/**
 * Most batches behind a batch-means interval (16-32 in use): few and long, because queueing makes
 * neighbouring requests' latencies strongly correlated near saturation.
 */
const BATCHES = 32;

/** One latency figure streamed: a quantile sketch and a batch-means interval of its mean. */
class Latency {
  readonly sketch = new QuantileSketch();
  readonly ci = new BatchMeans(BATCHES);
  add(s: number): void {
    this.sketch.add(s);
    this.ci.add(s);
  }
  report(): Percentiles {
    const k = this.sketch;
    return {
      p50: k.quantile(0.5) / MS,
      p90: k.quantile(0.9) / MS,
      p99: k.quantile(0.99) / MS,
      mean: k.mean / MS,
      meanHalfWidth95: this.ci.result().halfWidth95 / MS,
    };
  }
}

/**
 * What the run measures. Requests whose arrival index lies in [firstMeasured, lastMeasured) are
 * "measured": their latencies form the percentiles, and tokens produced between the arrival of
 * the first and of the last measured request form the rates. Memory O(1) in the request count.
 */
export class ServingMetrics {
  readonly firstMeasured: number;
  readonly lastMeasured: number;
  readonly ttft = new Latency();
  readonly tpot = new Latency();
  readonly e2e = new Latency();
  /** Whole-run latencies, used when the run has no steady window (a burst, a short trace). */
  readonly ttftAll = new Latency();
  readonly tpotAll = new Latency();
  readonly e2eAll = new Latency();
  measuredDone = 0;
  good = 0;
  goodAll = 0;
  completed = 0;
  inTokAll = 0;
  outTokAll = 0;
  windowStartS = -1;
  windowEndS = -1;
  firstArrivalS = -1;
  lastArrivalS = 0;
  lastDoneS = 0;
  private outRate: RateSeries | null = null;
  private inRate: RateSeries | null = null;
  private reqRate: RateSeries | null = null;

  constructor(
    readonly totalRequests: number,
    private readonly ttftSloS: number | undefined,
    private readonly tpotSloS: number | undefined,
    /** Expected span of the measurement window, s (sizes the first rate bins; any positive guess works). */
    expectedWindowS: number,
  ) {
    const trim = totalRequests >= MIN_TRIMMED_REQUESTS;
    this.firstMeasured = trim ? Math.floor(WARMUP_FRACTION * totalRequests) : 0;
    this.lastMeasured = trim ? totalRequests - Math.floor(DRAIN_FRACTION * totalRequests) : totalRequests;
    this.binS = Math.max(expectedWindowS / BATCHES, 1e-6);
  }
  private readonly binS: number;

  /** True while tokens count towards the rates. */
  private inWindow(): boolean {
    return this.windowStartS >= 0 && this.windowEndS < 0;
  }

  /** A request arrived (arrival order). */
  arrived(index: number, nowS: number): void {
    if (this.firstArrivalS < 0) this.firstArrivalS = nowS;
    this.lastArrivalS = nowS;
    if (index === this.firstMeasured) {
      this.windowStartS = nowS;
      this.outRate = new RateSeries(nowS, this.binS, BATCHES);
      this.inRate = new RateSeries(nowS, this.binS, BATCHES);
      this.reqRate = new RateSeries(nowS, this.binS, BATCHES);
    }
    if (index === this.lastMeasured) this.windowEndS = nowS;
  }

  /** `n` output tokens produced at `nowS` (with `inputTokens` prompt tokens served when they are first tokens). */
  tokens(nowS: number, n: number, inputTokens: number): void {
    if (!this.inWindow()) return;
    this.outRate?.add(nowS, n);
    if (inputTokens > 0) this.inRate?.add(nowS, inputTokens);
  }

  /** A request completed at `nowS`. */
  finished(index: number, arrivalS: number, firstTokenS: number, outputTokens: number, nowS: number): void {
    this.completed++;
    this.lastDoneS = Math.max(this.lastDoneS, nowS);
    const t1 = firstTokenS - arrivalS;
    const e = nowS - arrivalS;
    const perTok = outputTokens > 1 ? (nowS - firstTokenS) / (outputTokens - 1) : 0;
    const ok =
      (this.ttftSloS === undefined || t1 <= this.ttftSloS) &&
      (this.tpotSloS === undefined || perTok <= this.tpotSloS);
    this.ttftAll.add(t1);
    this.e2eAll.add(e);
    if (outputTokens > 1) this.tpotAll.add(perTok);
    if (ok) this.goodAll++;
    if (this.inWindow()) this.reqRate?.add(nowS, 1);
    if (index < this.firstMeasured || index >= this.lastMeasured) return;
    this.measuredDone++;
    this.ttft.add(t1);
    this.e2e.add(e);
    if (outputTokens > 1) this.tpot.add(perTok);
    if (ok) this.good++;
  }

  /** Counts whole-run tokens (for the fallback when there is no steady window). */
  served(inputTokens: number, outputTokens: number): void {
    this.inTokAll += inputTokens;
    this.outTokAll += outputTokens;
  }

  /**
   * Rates and latencies for the report. `steady`: the measurement window exists and covers at
   * least half of the run; otherwise (a burst, a short trace, an overload that outlasts arrivals by
   * far) every request and the whole span are used.
   */
  summary(): MetricSummary {
    const span = Math.max(this.lastDoneS - Math.max(this.firstArrivalS, 0), 1e-9);
    const end = this.windowEndS >= 0 ? this.windowEndS : this.lastArrivalS;
    const windowS = this.windowStartS >= 0 ? end - this.windowStartS : 0;
    const arrivalsS = this.lastArrivalS - Math.max(this.firstArrivalS, 0);
    const steady = this.windowStartS >= 0 && windowS > 0 && arrivalsS >= 0.5 * span && this.measuredDone > 0;
    if (!steady) {
      return {
        over: "whole run",
        windowS: span,
        requestsPerS: { mean: this.completed / span, halfWidth95: 0, batches: 0 },
        inputTokensPerS: { mean: this.inTokAll / span, halfWidth95: 0, batches: 0 },
        outputTokensPerS: { mean: this.outTokAll / span, halfWidth95: 0, batches: 0 },
        ttft: this.ttftAll.report(),
        tpot: this.tpotAll.report(),
        e2e: this.e2eAll.report(),
        goodFraction: this.completed > 0 ? this.goodAll / this.completed : 0,
        measuredRequests: this.completed,
      };
    }
    return {
      over: "measurement window",
      windowS,
      requestsPerS: (this.reqRate as RateSeries).result(end),
      inputTokensPerS: (this.inRate as RateSeries).result(end),
      outputTokensPerS: (this.outRate as RateSeries).result(end),
      ttft: this.ttft.report(),
      tpot: this.tpot.report(),
      e2e: this.e2e.report(),
      goodFraction: this.good / this.measuredDone,
      measuredRequests: this.measuredDone,
    };
  }
}

export interface MetricSummary {
  over: "measurement window" | "whole run";
  windowS: number;
  requestsPerS: { mean: number; halfWidth95: number; batches: number };
  inputTokensPerS: { mean: number; halfWidth95: number; batches: number };
  outputTokensPerS: { mean: number; halfWidth95: number; batches: number };
  ttft: Percentiles;
  tpot: Percentiles;
  e2e: Percentiles;
  goodFraction: number;
  measuredRequests: number;
}
