// Tests for the core utilities: error formatting, finiteness guard, seeded randomness, unit formatting.
import { describe, expect, test } from "vitest";
import { assertFinite, formatIssue, formatPath, nearestId, ZettasimError } from "./errors.js";
import { Rng } from "./rng.js";
import { fmtDuration, fmtMemory, fmtRatio, fmtSI } from "./units.js";

describe("errors", () => {
  test("a misspelt id is matched to the nearest known one, and only when it is close", () => {
    const ids = ["llama3-8b", "llama3-70b", "llama3-405b", "dgx-h100-superpod", "gb200-nvl72"];
    expect(nearestId("llama3-70", ids)).toBe("llama3-70b");
    expect(nearestId("dgx-h100-superpd", ids)).toBe("dgx-h100-superpod");
    expect(nearestId("GB200-NVL72", ids)).toBe("gb200-nvl72");
    expect(nearestId("gb2000-nvl27", ids)).toBe("gb200-nvl72");
    expect(nearestId("no-such-chip", ids)).toBeUndefined();
    expect(nearestId("", ids)).toBeUndefined();
  });
  test("paths read the way a user writes them", () => {
    expect(formatPath(["system", "tiers", 1, "bandwidthGBps"])).toBe("system.tiers[1].bandwidthGBps");
    expect(formatPath([])).toBe("(top level)");
  });
  test("an issue names file, line, column, path, value and expectation", () => {
    const line = formatIssue(
      { path: ["chips"], message: "bad", value: -3, expected: ">= 1", line: 4, column: 9 },
      "a.yaml",
    );
    expect(line).toBe("a.yaml:4:9: chips: bad (got -3, expected >= 1)");
  });
  test("ZettasimError lists every issue", () => {
    const e = new ZettasimError(
      [
        { path: ["a"], message: "x" },
        { path: ["b"], message: "y" },
      ],
      "f.yaml",
    );
    expect(e.message).toContain("f.yaml");
    expect(e.message).toContain("a: x");
    expect(e.message).toContain("b: y");
    expect(e.issues).toHaveLength(2);
  });
  test("assertFinite finds a NaN deep in a result", () => {
    expect(() => assertFinite({ a: [1, { b: Number.NaN }] }, "test")).toThrow(/a\[1\]\.b/);
    expect(() => assertFinite({ a: [1, { b: 2 }], s: "x" }, "test")).not.toThrow();
  });
});

describe("Rng", () => {
  test("same seed, same sequence; different seed, different sequence", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 100 }, () => a.next());
    const xb = Array.from({ length: 100 }, () => b.next());
    const xc = Array.from({ length: 100 }, () => c.next());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });
  test("a known seed gives a fixed first draw on every platform (golden)", () => {
    const r = new Rng(1);
    expect(r.nextU32()).toBe(2466671647);
  });
  test("uniform draws lie in [0,1) with mean near 1/2", () => {
    const r = new Rng(7);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });
  test("exponential and Poisson draws have the requested means", () => {
    const r = new Rng(9);
    let e = 0;
    let p = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      e += r.exponential(4);
      p += r.poisson(3.5);
    }
    expect(e / n).toBeCloseTo(0.25, 2);
    expect(p / n).toBeCloseTo(3.5, 1);
  });
});

describe("units", () => {
  test("memory per chip reads in GB up to 10 TB and with an SI prefix beyond", () => {
    expect(fmtMemory(141e9)).toBe("141.0 GB");
    expect(fmtMemory(9.99e12)).toBe("9990.0 GB");
    expect(fmtMemory(2.302e16)).toBe("23.0 PB");
    expect(fmtMemory(-5e9)).toBe("-5.0 GB");
  });
  test("metric prefixes", () => {
    expect(fmtSI(1.6384e16, "B/s")).toBe("16.4 PB/s");
    expect(fmtSI(5.24e20, "FLOP/s")).toBe("524 EFLOP/s");
  });
  test("durations pick a readable unit", () => {
    expect(fmtDuration(0.0123)).toBe("12.3 ms");
    expect(fmtDuration(7200)).toBe("2.00 h");
  });
});

describe("fmtRatio", () => {
  test("a small ratio keeps two significant digits instead of reading 0.00x; larger ones keep their old form", () => {
    expect(fmtRatio(72 / 524288)).toBe("0.00014x");
    expect(fmtRatio(0.009)).toBe("0.009x");
    expect(fmtRatio(3e-9)).toBe("3.0e-9x");
    expect(fmtRatio(0)).toBe("0x");
    expect(fmtRatio(0.16)).toBe("0.16x");
    expect(fmtRatio(7281.78)).toBe("7281.8x");
    for (const r of [1e-3, 1e-5, 1e-8, 4.4e-12]) expect(fmtRatio(r)).not.toMatch(/^0(\.0*)?x$/);
  });
});
