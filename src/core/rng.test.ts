// The generator against xoshiro128**'s reference implementation, and seeds: every whole number its own sequence.
import { describe, expect, it } from "vitest";
import { MAX_SEED, Rng } from "./rng.js";

describe("xoshiro128** reference vectors", () => {
  // Outputs and states of the reference C code (https://prng.di.unimi.it/xoshiro128starstar.c) from the state
  // 0x964d4a0c 0xd40ab895 0xad7fdecb 0x3006f0f0, as published with the C-verified test data of
  // github.com/edorfaus/xoshiro-6502 (test-rom/testdata.asm: VerifyValuesXoshiro128, starstar column).
  const start = [0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0] as const;
  it("gives the reference outputs", () => {
    const r = Rng.fromState(start);
    expect([0, 1, 2, 3].map(() => r.nextU32())).toEqual([0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70]);
  });
  it("steps the state as the reference does", () => {
    const r = Rng.fromState(start);
    r.nextU32();
    expect(r.state()).toEqual([0x72410269, 0xef382c52, 0x2e43bec7, 0x62432f20]);
    r.nextU32();
    expect(r.state()).toEqual([0xff3a011b, 0xb33a90fc, 0x2c5a18ae, 0xd81b946b]);
  });
  it("from state (1, 2, 3, 4): the outputs the reference C code gives", () => {
    // The reference next() compiled with gcc prints these; the first is rotl(2 * 5, 7) * 9 = 11520 by hand.
    const r = Rng.fromState([1, 2, 3, 4]);
    expect([0, 1, 2, 3].map(() => r.nextU32())).toEqual([11520, 0, 5927040, 70819200]);
  });
});

describe("seeds", () => {
  const draws = (seed: number) => {
    const r = new Rng(seed);
    return [0, 1, 2, 3, 4, 5].map(() => r.nextU32());
  };
  it("1 and 2^32 + 1 are different runs (the high bits count)", () => {
    expect(draws(4294967297)).not.toEqual(draws(1));
    expect(draws(2 ** 52 + 1)).not.toEqual(draws(1));
  });
  it("seeds below 2^32 keep the sequences they always had", () => {
    expect(draws(1)).toEqual(draws(1));
    expect(new Rng(1).nextU32()).toBe(new Rng(1, 0).nextU32());
  });
  it("negative, fractional or too large seeds are refused, not folded onto another seed", () => {
    for (const s of [-1, 0.5, MAX_SEED + 2, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => new Rng(s), String(s)).toThrow(/seed/);
  });
  it("streams of one seed differ from each other and from the seed's own", () => {
    const a = new Rng(7, 1);
    const b = new Rng(7, 2);
    const c = new Rng(7);
    const xs = [a.nextU32(), b.nextU32(), c.nextU32()];
    expect(new Set(xs).size).toBe(3);
  });
  it("a scenario seed of -1 is an input error naming the field", async () => {
    const { loadScenarioText } = await import("../scenario/load.js");
    expect(() => loadScenarioText("system: gb200-nvl72\nseed: -1\n")).toThrow(/seed/);
    expect(() => loadScenarioText("system: gb200-nvl72\nseed: 4294967297\n")).not.toThrow();
  });
});
