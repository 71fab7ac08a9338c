// How far a published failure figure could move by chance alone: the exact Poisson interval on the count it rests on.

/**
 * A failure figure resting on n observed events (10 GPU failures, 24 uncorrectable errors) is itself uncertain: had
 * the same fleet been watched over another window of the same length, the count would differ by Poisson chance.
 * This is the exact (Garwood 1936) two-sided interval on the Poisson mean for n events: the lower end is the mean at
 * which n or more events have probability (1 - level) / 2, the upper end the mean at which n or fewer do. For n = 10
 * at 95% it is [4.795, 18.39] (the standard table value; Garwood, Biometrika 28(3/4), 1936). A prediction outside
 * the interval (scaled to the figure) misses by more than counting noise; one inside cannot be told from the
 * measurement by the count alone. Nothing here depends on the model or moves a prediction.
 */

/** log P(X <= n) for X ~ Poisson(mean), summed in log space from the largest term down. Cost: O(n). */
function logPoissonCdf(n: number, mean: number): number {
  if (mean === 0) return 0;
  // log of the term k: -mean + k ln(mean) - ln(k!); accumulate ln(k!) as k grows.
  const terms: number[] = [];
  let logFact = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logFact += Math.log(k);
    const t = -mean + k * Math.log(mean) - logFact;
    terms.push(t);
    if (t > max) max = t;
  }
  let s = 0;
  for (const t of terms) s += Math.exp(t - max);
  return max + Math.log(s);
}

/** The mean at which P(X <= n) equals p (P falls as the mean rises), by bisection to 1e-10 relative. Cost: O(n x 200). */
function meanWithCdf(n: number, p: number): number {
  const logP = Math.log(p);
  let lo = 0;
  let hi = Math.max(10, 2 * n + 10 * Math.sqrt(n + 1) + 10);
  while (logPoissonCdf(n, hi) > logP) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-10 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (logPoissonCdf(n, mid) > logP) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The exact two-sided Poisson interval [lower, upper] on the mean count for `events` observed (a whole number >= 1)
 * at confidence `level` (default 0.95). Throws RangeError for a count that is not a whole number >= 1 or a level
 * outside (0, 1): the callers check their inputs first (the schema's count field), so this is a programming error.
 * Cost: O(events x 400).
 */
export function poissonInterval(events: number, level = 0.95): { lower: number; upper: number } {
  if (!Number.isInteger(events) || events < 1)
    throw new RangeError(`events must be a whole number >= 1, got ${events}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const tail = (1 - level) / 2;
  // Lower: P(X >= n) = tail, i.e. P(X <= n - 1) = 1 - tail. Upper: P(X <= n) = tail.
  return { lower: meanWithCdf(events - 1, 1 - tail), upper: meanWithCdf(events, tail) };
}
