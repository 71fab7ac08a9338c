// The least-squares line the kernel extraction scripts and the step-intercept diagnostic fit with (src/core/fit.ts).
import { describe, expect, test } from "vitest";
import { leastSquaresLine } from "./fit.js";

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

  test("refuses what has no line, saying why (its callers are scripts over data files, not user input)", () => {
    expect(() => leastSquaresLine([2, 2, 2], [1, 2, 3])).toThrow(/every x is the same/);
    expect(() => leastSquaresLine([1, 2], [1])).toThrow(/2 x and 1 y values/);
    expect(() => leastSquaresLine([], [])).toThrow(/need two or more pairs/);
  });
});
