// ExactSum: the correctly rounded sum whatever the order or split; quantile sketches survive a trip through JSON.
import { describe, expect, it } from "vitest";
import { Rng } from "./rng.js";
import { ExactSum, QuantileSketch } from "./stats.js";

describe("ExactSum", () => {
  it("is the correctly rounded sum where naive summation is not", () => {
    const s = new ExactSum();
    for (const x of [1e100, 1, -1e100, 1e-30, 0.1, 0.2, 0.3]) s.add(x);
    // Exact: 1 + 1e-30 + 0.1 + 0.2 + 0.3 (as doubles) rounds to 1.6000000000000001 or 1.6; naive gives 0.6.
    const naive = [1e100, 1, -1e100, 1e-30, 0.1, 0.2, 0.3].reduce((a, b) => a + b, 0);
    expect(naive).not.toBeCloseTo(1.6, 5);
    expect(s.value()).toBe(1.6);
  });

  it("gives the same bits in any order and any split into merged parts", () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 5000 }, () => (rng.next() - 0.3) * 10 ** (rng.int(30) - 15));
    const whole = new ExactSum();
    for (const x of xs) whole.add(x);
    for (let trial = 0; trial < 5; trial++) {
      const shuffled = xs.slice().sort(() => rng.next() - 0.5);
      const parts = [new ExactSum(), new ExactSum(), new ExactSum()];
      shuffled.forEach((x, i) => {
        parts[i % 3].add(x);
      });
      const merged = ExactSum.fromState(parts[2].toState());
      merged.merge(parts[0]);
      merged.merge(parts[1]);
      expect(merged.value()).toBe(whole.value());
    }
  });
});

describe("QuantileSketch state", () => {
  it("round-trips through JSON and merges to the same quantiles as one sketch", () => {
    const rng = new Rng(5);
    const one = new QuantileSketch();
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    for (let i = 0; i < 3000; i++) {
      const x = rng.exponential(1) * (i % 7 === 0 ? 0 : 1);
      one.add(x);
      (i % 2 ? a : b).add(x);
    }
    const back = QuantileSketch.fromState(JSON.parse(JSON.stringify(a.toState())));
    back.merge(QuantileSketch.fromState(JSON.parse(JSON.stringify(b.toState()))));
    for (const p of [0, 0.1, 0.5, 0.9, 0.99, 1]) expect(back.quantile(p)).toBe(one.quantile(p));
    expect(back.count).toBe(one.count);
  });
});
