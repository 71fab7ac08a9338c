// Tests for the small statistics: nearest-rank quantiles, the streaming sketch's error bound and determinism, batch-means intervals.

import { describe, expect, test } from "vitest";
import { ZettasimError } from "./errors.js";
import { Rng } from "./rng.js";
import {
  BatchMeans,
  leastSquaresLine,
  mean,
  median,
  QuantileSketch,
  quantileSorted,
  quantiles,
  RateSeries,
  RunningMoments,
  studentT95,
} from "./stats.js";

describe("nearest-rank quantiles", () => {
  test("match the definition on a small sample", () => {
    const xs = [5, 1, 4, 2, 3];
    expect(quantiles(xs, [0, 0.2, 0.5, 0.99, 1])).toEqual([1, 1, 3, 5, 5]);
    expect(xs).toEqual([5, 1, 4, 2, 3]);
    expect(mean([1, 2, 3, 6])).toBe(3);
  });

  // An empty sample used to give 0 and a NaN entry NaN, both passed on as if measured: now each is refused by name.
  test("refuse an empty sample, a non-finite entry, a non-array and a p outside 0..1, naming the argument", () => {
    expect(() => quantileSorted([], 0.5)).toThrow(/sorted: empty sample/);
    expect(() => quantiles([], [0.5])).toThrow(/xs: empty sample/);
    expect(() => mean([])).toThrow(/xs: empty sample.*expected a non-empty array of finite numbers/);
    expect(() => mean([1, Number.NaN, 3])).toThrow(/xs\[1\]: not a finite number \(got NaN/);
    expect(() => quantiles([1, Number.POSITIVE_INFINITY], [0.5])).toThrow(/xs\[1\]: not a finite number/);
    expect(() => mean("12" as unknown as number[])).toThrow(/xs: not an array/);
    expect(() => quantiles([1, 2], [1.5])).toThrow(/ps\[0\]: not a probability \(got 1.5/);
    expect(() => quantileSorted([1, 2], Number.NaN)).toThrow(/p: not a probability/);
    expect(() => studentT95(Number.NaN)).toThrow(/df: not a number/);
    for (const f of [() => mean([]), () => quantiles([Number.NaN], [0.5])]) expect(f).toThrow(ZettasimError);
    expect(mean(new Float64Array([2, 4]))).toBe(3);
  });
});

describe("median", () => {
  test("is the middle value, or the mean of the two middle values, of the sorted sample (input not modified)", () => {
    const xs = [5, 1, 4, 2, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 4, 2, 3]);
    expect(median([10, 2, 8, 4])).toBe(6);
    expect(median(Float64Array.of(7))).toBe(7);
  });
  test("lies between the sample's minimum and maximum", () => {
    const rng = new Rng(7);
    for (let k = 0; k < 50; k++) {
      const xs = Array.from({ length: 1 + (k % 9) }, () => rng.next() * 100 - 50);
      const m = median(xs);
      expect(m).toBeGreaterThanOrEqual(Math.min(...xs));
      expect(m).toBeLessThanOrEqual(Math.max(...xs));
    }
  });
  test("refuses an empty sample and a non-finite value with a named error", () => {
    expect(() => median([])).toThrow(ZettasimError);
    expect(() => median([])).toThrow(/empty sample/);
    expect(() => median([1, Number.NaN])).toThrow(/not a finite number/);
  });
});

describe("Student t", () => {
  test("table and expansion agree with published values and fall towards the normal", () => {
    expect(studentT95(1)).toBeCloseTo(12.706, 3);
    expect(studentT95(10)).toBeCloseTo(2.228, 3);
    expect(studentT95(40)).toBeCloseTo(2.021, 3);
    expect(studentT95(120)).toBeCloseTo(1.98, 3);
    expect(studentT95(31)).toBeLessThan(studentT95(30));
    expect(studentT95(0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("running moments", () => {
  test("mean and sample variance", () => {
    const m = new RunningMoments();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) m.add(x);
    expect(m.mean).toBe(5);
    expect(m.variance).toBeCloseTo(32 / 7, 12);
  });
});

describe("quantile sketch", () => {
  test("every quantile within the stated relative error of the exact one", () => {
    const rng = new Rng(3);
    const xs: number[] = [];
    const s = new QuantileSketch();
    for (let i = 0; i < 20000; i++) {
      const x = Math.exp(3 * rng.normal()) * 1e-3;
      xs.push(x);
      s.add(x);
    }
    const sorted = Float64Array.from(xs).sort();
    const bound = 2 ** -(s.subBits + 1);
    for (const p of [0, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1]) {
      const exact = quantileSorted(sorted, p);
      expect(Math.abs(s.quantile(p) - exact) / exact).toBeLessThanOrEqual(bound);
    }
    expect(s.count).toBe(20000);
    expect(s.mean).toBeCloseTo(mean(xs), 10);
    expect(s.quantile(0)).toBe(sorted[0]);
    expect(s.quantile(1)).toBe(sorted[sorted.length - 1]);
  });

  test("order-independent and mergeable: same multiset, same answers, bit for bit", () => {
    const rng = new Rng(9);
    const xs = Array.from({ length: 5000 }, () => rng.next() * 100 + 0.5);
    const a = new QuantileSketch();
    for (const x of xs) a.add(x);
    const b = new QuantileSketch();
    for (const x of [...xs].reverse()) b.add(x);
    const c1 = new QuantileSketch();
    const c2 = new QuantileSketch();
    for (let i = 0; i < xs.length; i++) (i % 2 ? c1 : c2).add(xs[i]);
    c1.merge(c2);
    for (const p of [0.1, 0.5, 0.9, 0.99]) {
      expect(b.quantile(p)).toBe(a.quantile(p));
      expect(c1.quantile(p)).toBe(a.quantile(p));
    }
  });

  test("memory does not grow with the count", () => {
    const s = new QuantileSketch();
    const rng = new Rng(1);
    for (let i = 0; i < 1000; i++) s.add(1 + rng.next());
    const size = (s as unknown as { counts: Float64Array }).counts.length;
    for (let i = 0; i < 200000; i++) s.add(1 + rng.next());
    expect((s as unknown as { counts: Float64Array }).counts.length).toBe(size);
  });

  test("zeros and an empty sketch", () => {
    const s = new QuantileSketch();
    expect(s.quantile(0.5)).toBe(0);
    s.add(0);
    s.add(0);
    s.add(3);
    expect(s.quantile(0.5)).toBe(0);
    expect(s.quantile(1)).toBe(3);
    expect(() => s.add(Number.NaN)).toThrow(/NaN/);
  });
});

describe("batch means", () => {
  test("covers the true mean of independent draws about 95% of the time", () => {
    let covered = 0;
    const runs = 200;
    for (let r = 0; r < runs; r++) {
      const rng = new Rng(100 + r);
      const b = new BatchMeans();
      for (let i = 0; i < 2000; i++) b.add(rng.exponential(1));
      const ci = b.result();
      expect(ci.batches).toBeGreaterThanOrEqual(32);
      if (Math.abs(ci.mean - 1) <= ci.halfWidth95) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.9);
    expect(covered / runs).toBeLessThan(0.99);
  });

  test("the interval narrows as the run grows, and memory stays bounded", () => {
    const rng = new Rng(5);
    const b = new BatchMeans(16);
    for (let i = 0; i < 1000; i++) b.add(rng.next());
    const w1 = b.result().halfWidth95;
    for (let i = 0; i < 100000; i++) b.add(rng.next());
    const r = b.result();
    expect(r.halfWidth95).toBeLessThan(w1 / 5);
    expect(r.batches).toBeLessThanOrEqual(16);
    expect(b.count).toBe(101000);
  });

  test("no interval from too few values", () => {
    const b = new BatchMeans();
    b.add(1);
    b.add(3);
    expect(b.result()).toEqual({ mean: 2, halfWidth95: 0, batches: 0 });
  });
});

describe("rate series", () => {
  test("a steady Poisson stream: rate within its interval, bins bounded", () => {
    const rng = new Rng(2);
    const r = new RateSeries(0, 0.001, 32);
    let t = 0;
    for (let i = 0; i < 50000; i++) {
      t += rng.exponential(100);
      r.add(t, 1);
    }
    const res = r.result(t);
    expect(res.mean).toBeCloseTo(50000 / t, 9);
    expect(Math.abs(res.mean - 100)).toBeLessThan(3 * res.halfWidth95 + 1e-9);
    expect(res.halfWidth95).toBeGreaterThan(0);
    expect(res.batches).toBeLessThanOrEqual(32);
    expect((r as unknown as { bins: number[] }).bins.length).toBeLessThanOrEqual(32);
  });
});

describe("least-squares line", () => {
  test("recovers an exact line and the worked two-point case", () => {
    const xs = [16, 32, 60, 240];
    const { slope, intercept } = leastSquaresLine(
      xs,
      xs.map((x) => 0.12 * x + 1.1),
    );
    expect(slope).toBeCloseTo(0.12, 12);
    expect(intercept).toBeCloseTo(1.1, 12);
    // Two points: slope (9 - 3) / (4 - 1) = 2, intercept 3 - 2 x 1 = 1.
    expect(leastSquaresLine([1, 4], [3, 9])).toEqual({ slope: 2, intercept: 1 });
  });

  test("passes through the means and is unchanged by the order of the points", () => {
    const xs = [1, 2, 3, 7];
    const ys = [2, 1, 5, 6];
    const a = leastSquaresLine(xs, ys);
    expect(a.slope * 3.25 + a.intercept).toBeCloseTo(3.5, 12);
    const b = leastSquaresLine([7, 3, 1, 2], [6, 5, 2, 1]);
    expect(b.slope).toBeCloseTo(a.slope, 12);
    expect(b.intercept).toBeCloseTo(a.intercept, 12);
  });

  test("refuses what has no line, naming the field", () => {
    expect(() => leastSquaresLine([2, 2, 2], [1, 2, 3])).toThrow(ZettasimError);
    expect(() => leastSquaresLine([2, 2, 2], [1, 2, 3])).toThrow(/xs.*no slope/s);
    expect(() => leastSquaresLine([1, 2], [1])).toThrow(/ys.*length differs/s);
    expect(() => leastSquaresLine([], [])).toThrow(/xs.*empty sample/s);
    expect(() => leastSquaresLine([1, Number.NaN], [1, 2])).toThrow(/xs.*not a finite number/s);
  });
});
