// Seeded pseudo-random numbers: every random draw in the core comes from one of these, never Math.random.
import { cos, exp, log } from "./math.js";

/** Largest seed accepted: every whole number from 0 to 2^53 - 1 gives its own sequence. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/**
 * xoshiro128** generator (Blackman and Vigna, https://prng.di.unimi.it/xoshiro128starstar.c) seeded through a
 * 32-bit splitmix-style mixer. Same seed, same sequence, on every platform (only 32-bit integer arithmetic).
 * `stream` picks an independent sequence for the same seed (one per use: arrivals, routing...). Cost: a few ns
 * per draw.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number, stream = 0) {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
      throw new Error(`internal error: seed ${seed} is not a whole number in [0, 2^53 - 1]`);
    if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff)
      throw new Error(`internal error: stream ${stream} is not a 32-bit whole number`);
    const mixer = (start: number) => {
      let x = start;
      return () => {
        x = (x + 0x9e3779b9) | 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
        return (z ^ (z >>> 16)) >>> 0;
      };
    };
    const next = mixer((seed >>> 0) ^ 0x9e3779b9);
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // The seed's high 21 bits and the stream number perturb the state; both 0 keeps the 32-bit seeds' sequences.
    const hi = Math.floor(seed / 4294967296);
    if (hi !== 0 || stream !== 0) {
      const more = mixer((hi ^ Math.imul(stream, 0x632be5ab) ^ 0x7f4a7c15) >>> 0);
      this.s0 ^= more();
      this.s1 ^= more();
      this.s2 ^= more();
      this.s3 ^= more();
      if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    }
  }

  /** A generator from an explicit 128-bit state (four 32-bit words, not all 0), as the reference code takes it. */
  static fromState(state: readonly [number, number, number, number]): Rng {
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = state.map((x) => x | 0);
    return r;
  }

  /** The 128-bit state as four unsigned 32-bit words (s0..s3), for tests against the reference code. */
  state(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(this.rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = this.rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of resolution. */
  next(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Exponential with the given rate (events per unit time). */
  exponential(rate: number): number {
    return -log(1 - this.next()) / rate;
  }

  /** Standard normal by Box-Muller. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * log(u)) * cos(2 * Math.PI * v);
  }

  /** Poisson-distributed count with the given mean (inversion for small means, normal approximation above 500). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 500) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const l = exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  private rotl(x: number, k: number): number {
    return (x << k) | (x >>> (32 - k));
  }
}
