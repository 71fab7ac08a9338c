// Shape-bucket padding of a JIT-compiled step (SGL-JAX), on its own: bucket choice, bounds, off without buckets, refusals.

import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import {
  checkBuckets,
  paddedStepRows,
  padToBucket,
  SGLJAX_DECODE_BS_BUCKETS,
  SGLJAX_PREFILL_TOKEN_BUCKETS,
} from "./bucket-padding.js";

describe("padToBucket", () => {
  it("takes the smallest bucket that holds the size (SGL-JAX pad_to_bucket)", () => {
    expect(padToBucket(1, SGLJAX_DECODE_BS_BUCKETS)).toBe(1);
    expect(padToBucket(14.4, SGLJAX_DECODE_BS_BUCKETS)).toBe(16);
    expect(padToBucket(16, SGLJAX_DECODE_BS_BUCKETS)).toBe(16);
    expect(padToBucket(17, SGLJAX_DECODE_BS_BUCKETS)).toBe(32);
    expect(padToBucket(227, SGLJAX_DECODE_BS_BUCKETS)).toBe(256);
    expect(padToBucket(265, SGLJAX_PREFILL_TOKEN_BUCKETS)).toBe(512);
    expect(padToBucket(10, SGLJAX_PREFILL_TOKEN_BUCKETS)).toBe(64);
  });
  it("never pads below the size, is monotone, and pads by less than 2x on power-of-two buckets", () => {
    let last = 0;
    for (let n = 1; n <= 300; n += 0.5) {
      const p = padToBucket(n, SGLJAX_DECODE_BS_BUCKETS);
      expect(p).toBeGreaterThanOrEqual(n);
      expect(p).toBeGreaterThanOrEqual(last);
      if (n <= 256) expect(p).toBeLessThan(2 * n);
      last = p;
    }
  });
  it("is off without buckets, for n <= 0, and past the last bucket (charged its own size)", () => {
    expect(padToBucket(37, undefined)).toBe(37);
    expect(padToBucket(37, [])).toBe(37);
    expect(padToBucket(0, SGLJAX_DECODE_BS_BUCKETS)).toBe(0);
    expect(padToBucket(300, SGLJAX_DECODE_BS_BUCKETS)).toBe(300);
  });
  it("matches SGL-JAX's default lists: powers of two 1-256 (batch) and 64-8,192 (tokens)", () => {
    expect(SGLJAX_DECODE_BS_BUCKETS).toEqual(Array.from({ length: 9 }, (_, i) => 2 ** i));
    expect(SGLJAX_PREFILL_TOKEN_BUCKETS).toEqual(Array.from({ length: 8 }, (_, i) => 2 ** (i + 6)));
    expect(() => checkBuckets(SGLJAX_DECODE_BS_BUCKETS, ["b"])).not.toThrow();
    expect(() => checkBuckets(SGLJAX_PREFILL_TOKEN_BUCKETS, ["t"])).not.toThrow();
  });
});

describe("paddedStepRows", () => {
  const b = {
    decodeBatchBuckets: SGLJAX_DECODE_BS_BUCKETS,
    prefillTokenBuckets: SGLJAX_PREFILL_TOKEN_BUCKETS,
  };
  it("pads a decode step's sequences to the batch bucket, each with its query tokens", () => {
    expect(paddedStepRows(b, 0, 14.4, 1)).toBe(16);
    expect(paddedStepRows(b, 0, 20, 4)).toBe(128);
  });
  it("pads a step with prompt tokens to the token bucket over all its new tokens", () => {
    expect(paddedStepRows(b, 1024, 0, 1)).toBe(1024);
    expect(paddedStepRows(b, 990, 30, 1)).toBe(1024);
    expect(paddedStepRows(b, 1000, 30, 1)).toBe(2048);
    expect(paddedStepRows(b, 1100, 0, 1)).toBe(2048);
  });
  it("is the exact row count for an engine without buckets", () => {
    expect(paddedStepRows({}, 0, 14.4, 1)).toBe(14.4);
    expect(paddedStepRows({}, 1100, 3, 2)).toBe(1106);
  });
});

describe("checkBuckets", () => {
  const issue = (f: () => void) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      return (e as ZettasimError).issues[0];
    }
    throw new Error("expected a refusal");
  };
  it("refuses an empty list, a non-positive or fractional size and a non-increasing list, naming the field", () => {
    expect(issue(() => checkBuckets([], ["engine", "decodeBatchBuckets"])).path).toEqual([
      "engine",
      "decodeBatchBuckets",
    ]);
    const zero = issue(() => checkBuckets([0, 2], ["x"]));
    expect(zero.path).toEqual(["x", 0]);
    expect(zero.value).toBe(0);
    expect(zero.expected).toBe(">= 1");
    expect(issue(() => checkBuckets([1, 2.5], ["x"])).value).toBe(2.5);
    const down = issue(() => checkBuckets([4, 2], ["x"]));
    expect(down.path).toEqual(["x", 1]);
    expect(down.expected).toBe("> 4");
  });
});
