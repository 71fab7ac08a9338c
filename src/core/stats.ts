// Small statistics for every engine: nearest-rank percentiles, a deterministic streaming quantile sketch, running moments and batch-means confidence intervals.
//
// Self-contained (imports only the error type) and exact in IEEE arithmetic: no Math.log or other transcendental
// function decides a bucket or a rank, so results are bit-identical in Node and in every browser.
// A library sketch (DDSketch, t-digest) was not taken: DDSketch buckets by Math.log, whose last bit
// differs between JavaScript engines, and t-digest's centroids depend on insertion order heuristics.

import { ZettasimError } from "./errors.js";

/**
 * Throws a ZettasimError naming `name` unless `xs` is a non-empty array (or typed array) of finite numbers:
 * an empty sample has no quantile or mean, and one NaN would make every figure NaN. Cost O(n).
 */
function requireSample(xs: unknown, name: string): asserts xs is ArrayLike<number> {
  const arrayLike = Array.isArray(xs) || ArrayBuffer.isView(xs);
  if (!arrayLike)
    throw new ZettasimError([
      { path: [name], message: "not an array", value: xs, expected: "a non-empty array of finite numbers" },
    ]);
  const a = xs as ArrayLike<unknown>;
  if (a.length === 0)
    throw new ZettasimError([
      {
        path: [name],
        message: "empty sample: it has no quantile or mean",
        value: [],
        expected: "a non-empty array of finite numbers",
      },
    ]);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== "number" || !Number.isFinite(x))
      throw new ZettasimError([
        { path: [name, i], message: "not a finite number", value: x, expected: "a finite number" },
      ]);
  }
}

/** Throws a ZettasimError unless `p` is a probability (0 <= p <= 1). */
function requireProbability(p: unknown, path: (string | number)[]): void {
  if (typeof p !== "number" || !(p >= 0 && p <= 1))
    throw new ZettasimError([
      { path, message: "not a probability", value: p, expected: "a number from 0 to 1" },
    ]);
}

/**
 * The p-quantile (0 <= p <= 1) of an ascending array by nearest rank: the smallest value with at
 * least p of the sample at or below it. Throws a ZettasimError for an empty array, a p outside 0..1 or a
 * non-finite value at the rank read. Cost O(1).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (!(Array.isArray(sorted) || ArrayBuffer.isView(sorted)) || sorted.length === 0)
    requireSample(sorted, "sorted");
  requireProbability(p, ["p"]);
  const n = sorted.length;
  const i = Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));
  const x = sorted[i];
  if (typeof x !== "number" || !Number.isFinite(x))
    throw new ZettasimError([
      { path: ["sorted", i], message: "not a finite number", value: x, expected: "a finite number" },
    ]);
  return x;
}

/**
 * Several nearest-rank quantiles of an unsorted sample (copied, not modified). Throws a ZettasimError for an
 * empty sample, a non-finite value or a p outside 0..1. Cost O(n log n).
 */
export function quantiles(xs: ArrayLike<number>, ps: readonly number[]): number[] {
  requireSample(xs, "xs");
  if (!Array.isArray(ps))
    throw new ZettasimError([
      { path: ["ps"], message: "not an array", value: ps, expected: "an array of probabilities (0 to 1)" },
    ]);
  for (let i = 0; i < ps.length; i++) requireProbability(ps[i], ["ps", i]);
  const s = Float64Array.from(xs).sort();
  return ps.map((p) => quantileSorted(s, p));
}

/**
 * The median: the middle value of the sorted sample, or the mean of the two middle values for an even count (as
 * pandas and numpy compute it). Throws a ZettasimError for an empty sample or a non-finite value. Cost O(n log n).
 */
export function median(xs: ArrayLike<number>): number {
  requireSample(xs, "xs");
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Arithmetic mean. Throws a ZettasimError for an empty sample or a non-finite value. Cost O(n). */
export function mean(xs: ArrayLike<number>): number {
  requireSample(xs, "xs");
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  return s / n;
}

/**
 * Two-sided 95% quantile of Student's t with `df` degrees of freedom (t such that P(|T| <= t) = 0.95).
 * Table for df <= 30, Cornish-Fisher expansion about the normal beyond (error < 1e-4). Cost O(1).
 */
export function studentT95(df: number): number {
  if (typeof df !== "number" || Number.isNaN(df))
    throw new ZettasimError([
      { path: ["df"], message: "not a number", value: df, expected: "degrees of freedom, a number >= 1" },
    ]);
  if (!(df >= 1)) return Number.POSITIVE_INFINITY;
  const d = Math.floor(df);
  if (d <= 30) return T95[d - 1];
  const z = 1.959963984540054;
  const z3 = z * z * z;
  const z5 = z3 * z * z;
  return z + (z3 + z) / (4 * d) + (5 * z5 + 16 * z3 + 3 * z) / (96 * d * d);
}
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Running count, mean and variance (Welford). O(1) memory and time per value. */
export class RunningMoments {
  count = 0;
  mean = 0;
  private m2 = 0;
  add(x: number): void {
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
  }
  /** Sample variance (n - 1 in the denominator); 0 below two values. */
  get variance(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : 0;
  }
}

/** A mean with its 95% confidence half-width (0 when it cannot be estimated). */
export interface MeanCI {
  mean: number;
  halfWidth95: number;
  /** Independent batches the interval rests on (0: no interval). */
  batches: number;
}

/**
 * Streaming batch-means confidence interval for the mean of a correlated, time-ordered series
 * (latencies in completion order, tokens per time bin). Values fill batches; when `maxBatches`
 * are full, neighbours merge pairwise and the batch size doubles, so memory stays O(maxBatches)
 * and the batches grow with the run, as batch means needs for the batches to decorrelate.
 * The interval uses the complete batches (at least 4) and Student's t. Cost O(1) amortised per value.
 */
export class BatchMeans {
  private sums: number[] = [];
  private batchSize = 1;
  private cur = 0;
  private curN = 0;
  private total = 0;
  private n = 0;
  constructor(private readonly maxBatches = 64) {
    if (!(maxBatches >= 8 && maxBatches % 2 === 0))
      throw new Error("internal error: maxBatches must be even and >= 8");
  }
  add(x: number): void {
    this.total += x;
    this.n++;
    this.cur += x;
    if (++this.curN < this.batchSize) return;
    this.sums.push(this.cur);
    this.cur = 0;
    this.curN = 0;
    if (this.sums.length === this.maxBatches) {
      const half: number[] = [];
      for (let i = 0; i < this.maxBatches; i += 2) half.push(this.sums[i] + this.sums[i + 1]);
      this.sums = half;
      this.batchSize *= 2;
    }
  }
  get count(): number {
    return this.n;
  }
  /** The mean of every value added, with a 95% interval from the complete batches. */
  result(): MeanCI {
    const mu = this.n > 0 ? this.total / this.n : 0;
    const k = this.sums.length;
    if (k < 4) return { mean: mu, halfWidth95: 0, batches: 0 };
    let m = 0;
    for (const s of this.sums) m += s / this.batchSize;
    m /= k;
    let v = 0;
    for (const s of this.sums) v += (s / this.batchSize - m) ** 2;
    v /= k - 1;
    return { mean: mu, halfWidth95: studentT95(k - 1) * Math.sqrt(v / k), batches: k };
  }
}

/** Scratch views to read a float64's bits without allocating. */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * Streaming quantile sketch of positive values: a log-linear histogram (HdrHistogram-style) whose
 * bucket is read from the float's exponent and top mantissa bits, so each octave [2^e, 2^(e+1))
 * splits into 2^`subBits` equal buckets. A quantile is the midpoint of the bucket holding the
 * nearest-rank value, clamped to the observed [min, max]: relative error at most 2^-(subBits+1)
 * (0.2% at the default 8). Values <= 0 are counted in their own bucket and read as 0. Memory grows
 * only with the span of octaves seen (256 counters per octave), never with the count. Exact count,
 * sum, min and max. Deterministic and order-independent: the same multiset gives the same answers.
 * Cost O(1) per value, O(buckets) per quantile.
 */
export class QuantileSketch {
  private counts: Float64Array = new Float64Array(0);
  /** Bucket key of counts[0]. */
  private base = 0;
  private zeros = 0;
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private readonly shift: number;
  constructor(readonly subBits = 8) {
    if (!(subBits >= 1 && subBits <= 20)) throw new Error("internal error: subBits must be in 1..20");
    this.shift = 20 - subBits;
  }

  /** Bucket key of a positive finite value: (biased exponent << subBits) | top mantissa bits. */
  private key(x: number): number {
    F64[0] = x;
    const hi = U32[HI];
    return hi >>> this.shift;
  }

  /** Lower edge of a bucket key. */
  private lower(k: number): number {
    U32[HI] = k << this.shift;
    U32[1 - HI] = 0;
    return F64[0];
  }

  add(x: number, weight = 1): void {
    if (Number.isNaN(x)) throw new Error("internal error: NaN added to a quantile sketch");
    this.count += weight;
    this.sum += x * weight;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (x <= 0) {
      this.zeros += weight;
      return;
    }
    const k = this.key(x);
    this.ensure(k);
    this.counts[k - this.base] += weight;
  }

  private ensure(k: number): void {
    const c = this.counts;
    if (c.length === 0) {
      this.counts = new Float64Array(1 << this.subBits);
      this.base = k - (k % (1 << this.subBits));
      return;
    }
    if (k >= this.base && k < this.base + c.length) return;
    const lo = Math.min(this.base, k - (k % (1 << this.subBits)));
    const hiEnd = Math.max(this.base + c.length, k + 1);
    const n = Math.ceil((hiEnd - lo) / (1 << this.subBits)) << this.subBits;
    const next = new Float64Array(n);
    next.set(c, this.base - lo);
    this.counts = next;
    this.base = lo;
  }

  /** Adds another sketch's values (same subBits). Cost O(buckets). */
  merge(o: QuantileSketch): void {
    if (o.subBits !== this.subBits)
      throw new Error("internal error: merging sketches of different resolution");
    if (o.count === 0) return;
    this.count += o.count;
    this.sum += o.sum;
    this.zeros += o.zeros;
    this.min = Math.min(this.min, o.min);
    this.max = Math.max(this.max, o.max);
    for (let i = 0; i < o.counts.length; i++) {
      const w = o.counts[i];
      if (w === 0) continue;
      const k = o.base + i;
      this.ensure(k);
      this.counts[k - this.base] += w;
    }
  }

  get mean(): number {
    return this.count > 0 ? this.sum / this.count : 0;
  }

  /** The sketch as plain JSON (only the buckets in use), for merging sketches made elsewhere. Cost O(buckets). */
  toState(): SketchState {
    const buckets: [number, number][] = [];
    for (let i = 0; i < this.counts.length; i++)
      if (this.counts[i] !== 0) buckets.push([this.base + i, this.counts[i]]);
    return {
      subBits: this.subBits,
      buckets,
      zeros: this.zeros,
      count: this.count,
      sum: this.sum,
      min: this.count > 0 ? this.min : 0,
      max: this.count > 0 ? this.max : 0,
    };
  }

  /** A sketch from its state (see toState). Cost O(buckets). */
  static fromState(s: SketchState): QuantileSketch {
    const q = new QuantileSketch(s.subBits);
    if (s.count === 0) return q;
    for (const [k, w] of s.buckets) {
      q.ensure(k);
      q.counts[k - q.base] += w;
    }
    q.zeros = s.zeros;
    q.count = s.count;
    q.sum = s.sum;
    q.min = s.min;
    q.max = s.max;
    return q;
  }

  /** Nearest-rank p-quantile (0 <= p <= 1) within the relative error above; 0 when empty. */
  quantile(p: number): number {
    requireProbability(p, ["p"]);
    if (this.count === 0) return 0;
    const rank = Math.min(this.count, Math.max(1, Math.ceil(p * this.count)));
    if (rank <= 1) return this.min;
    if (rank >= this.count) return this.max;
    let seen = this.zeros;
    if (seen >= rank) return Math.min(this.max, Math.max(this.min, 0));
    const c = this.counts;
    for (let i = 0; i < c.length; i++) {
      seen += c[i];
      if (seen >= rank) {
        const lo = this.lower(this.base + i);
        const hi = this.lower(this.base + i + 1);
        const mid = lo + (hi - lo) / 2;
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }
}

/** A quantile sketch as plain JSON: resolution, the buckets in use as [key, count], and its exact figures. */
export interface SketchState {
  subBits: number;
  buckets: [number, number][];
  zeros: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * A sum of doubles that is the correctly rounded exact sum whatever order the values come in or however they are
 * split and merged (Shewchuk's non-overlapping partials, as in Python's math.fsum): so figures summed over trials
 * run on any number of threads or queue workers are identical to the bit. Memory: a few doubles (the partials
 * stay few for values of like magnitude). Cost O(partials) per value.
 */
export class ExactSum {
  private partials: number[] = [];

  add(x: number): void {
    if (!Number.isFinite(x)) throw new Error(`internal error: ${x} added to an exact sum`);
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    p.push(x);
  }

  /** Adds another sum's values. Cost O(partials). */
  merge(o: ExactSum): void {
    for (const x of o.partials) this.add(x);
  }

  /** The exact sum rounded once to the nearest double (ties to even). Cost O(partials). */
  value(): number {
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round half to even across the partials below: when lo is exactly half an ulp and the next partial has its sign.
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  /** The partials as plain JSON (see fromState). */
  toState(): number[] {
    return this.partials.slice();
  }

  static fromState(partials: readonly number[]): ExactSum {
    const s = new ExactSum();
    for (const x of partials) s.add(x);
    return s;
  }
}

/**
 * Streaming rate of a time-ordered series of amounts (tokens produced at simulated times) with a
 * batch-means 95% interval: amounts fall into equal-width time bins from `startS`; when more than
 * `maxBins` would be needed the bins merge pairwise and their width doubles, so memory stays
 * O(maxBins) whatever the run's length. The interval rests on the complete bins (the one still
 * filling is left out of it). Cost O(1) amortised per amount.
 */
export class RateSeries {
  private bins: number[] = [0];
  private widthS: number;
  private total = 0;
  private lastS: number;
  constructor(
    private readonly startS: number,
    initialWidthS: number,
    private readonly maxBins = 64,
  ) {
    if (!(initialWidthS > 0)) throw new Error("internal error: bin width must be > 0");
    this.widthS = initialWidthS;
    this.lastS = startS;
  }
  /** Adds `amount` at time `timeS` (>= the previous time and the start). */
  add(timeS: number, amount: number): void {
    this.total += amount;
    if (timeS > this.lastS) this.lastS = timeS;
    let i = Math.floor((timeS - this.startS) / this.widthS);
    while (i >= this.maxBins) {
      const merged: number[] = [];
      for (let j = 0; j < this.bins.length; j += 2) merged.push(this.bins[j] + (this.bins[j + 1] ?? 0));
      this.bins = merged;
      this.widthS *= 2;
      i = Math.floor((timeS - this.startS) / this.widthS);
    }
    while (this.bins.length <= i) this.bins.push(0);
    this.bins[Math.max(0, i)] += amount;
  }
  /** Rate over [start, endS] (total / span), with a 95% half-width from the complete bins. */
  result(endS: number): MeanCI {
    const span = endS - this.startS;
    const rate = span > 0 ? this.total / span : 0;
    const full = Math.min(this.bins.length, Math.floor(span / this.widthS));
    if (full < 4) return { mean: rate, halfWidth95: 0, batches: 0 };
    let m = 0;
    for (let j = 0; j < full; j++) m += this.bins[j] / this.widthS;
    m /= full;
    let v = 0;
    for (let j = 0; j < full; j++) v += (this.bins[j] / this.widthS - m) ** 2;
    v /= full - 1;
    return { mean: rate, halfWidth95: studentT95(full - 1) * Math.sqrt(v / full), batches: full };
  }
}

/**
 * Ordinary least-squares line y = slope x + intercept through the points (xs[i], ys[i]). Throws a ZettasimError
 * naming the field for an empty or non-finite sample, for arrays of different lengths, and when every x is the same
 * (no slope is defined). Cost O(n).
 */
export function leastSquaresLine(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
): { slope: number; intercept: number } {
  requireSample(xs, "xs");
  requireSample(ys, "ys");
  const n = xs.length;
  if (ys.length !== n)
    throw new ZettasimError([
      {
        path: ["ys"],
        message: "length differs from xs",
        value: ys.length,
        expected: `${n} values, one per x`,
      },
    ]);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) * (xs[i] - mx);
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (!(sxx > 0))
    throw new ZettasimError([
      {
        path: ["xs"],
        message: "every x is the same: no slope is defined",
        value: Array.from(xs),
        expected: "at least two different x values",
      },
    ]);
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
