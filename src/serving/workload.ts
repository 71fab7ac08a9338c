// Request streams for serving: arrival processes (Poisson, gamma, on-off, trace) and prompt/output length distributions.

import type { z } from "zod";
import type { Rng } from "../core/rng.js";
import type { arrivalFile, lengthDist, workloadFile } from "../schema/serving.js";

/** One request as the simulator receives it. */
export interface RequestSpec {
  arrivalS: number;
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens whose KV is already in the prefix cache. */
  cachedTokens: number;
}

export type LengthDist = z.output<typeof lengthDist>;
export type ArrivalSpec = z.output<typeof arrivalFile>;
export type WorkloadSpec = z.output<typeof workloadFile>;

export const DEFAULT_REQUESTS = 2000;
export const DEFAULT_INPUT: LengthDist = { kind: "fixed", tokens: 2000 };
export const DEFAULT_OUTPUT: LengthDist = { kind: "fixed", tokens: 200 };

/** Gamma(shape, scale) by Marsaglia-Tsang (shape < 1 boosted by U^(1/shape)). Cost: ~2 draws. */
export function gamma(rng: Rng, shape: number, scale: number): number {
  if (shape < 1) return gamma(rng, shape + 1, scale) * rng.next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
  }
}

/** Draws one token count (>= 1) from a length distribution. */
export function sampleLength(rng: Rng, d: LengthDist): number {
  if (typeof d === "number") return d;
  switch (d.kind) {
    case "fixed":
      return d.tokens;
    case "uniform":
      return d.minTokens + rng.int(Math.max(1, d.maxTokens - d.minTokens + 1));
    case "lognormal": {
      const s2 = Math.log(1 + d.cv * d.cv);
      const mu = Math.log(d.meanTokens) - s2 / 2;
      const x = Math.round(Math.exp(mu + Math.sqrt(s2) * rng.normal()));
      return Math.max(1, Math.min(d.maxTokens ?? Number.MAX_SAFE_INTEGER, x));
    }
  }
}

/** Mean of a length distribution, tokens (before clamping at maxTokens). */
export function meanLength(d: LengthDist): number {
  if (typeof d === "number") return d;
  switch (d.kind) {
    case "fixed":
      return d.tokens;
    case "uniform":
      return (d.minTokens + d.maxTokens) / 2;
    case "lognormal":
      return d.meanTokens;
  }
}

/**
 * The request stream of a workload, sorted by arrival time. Draws come from `rng` in a fixed order
 * (gap, input, output per request), so a seed fixes the stream. Cost: O(requests).
 */
export function generateRequests(w: WorkloadSpec, rng: Rng): RequestSpec[] {
  const hit = w.prefixHitRate ?? 0;
  const cached = (input: number) => Math.min(input - 1, Math.floor(input * hit));
  const a = w.arrival;
  if (a.kind === "trace") {
    return a.requests
      .map((r) => ({ ...r, cachedTokens: cached(r.inputTokens) }))
      .sort((x, y) => x.arrivalS - y.arrivalS);
  }
  const n = w.requests ?? DEFAULT_REQUESTS;
  const inD = w.inputTokens ?? DEFAULT_INPUT;
  const outD = w.outputTokens ?? DEFAULT_OUTPUT;
  const out: RequestSpec[] = [];
  let t = 0;
  let phase = 0; // on-off: time into the current on period
  for (let i = 0; i < n; i++) {
    if (a.kind === "poisson") t += rng.exponential(a.ratePerS);
    else if (a.kind === "gamma") {
      const k = 1 / (a.cv * a.cv);
      t += gamma(rng, k, 1 / (a.ratePerS * k));
    } else {
      // On-off: Poisson while on; an off period is skipped whenever an on period runs out.
      let gap = rng.exponential(a.ratePerS);
      while (phase + gap > a.onS) {
        gap -= a.onS - phase;
        t += a.onS - phase + a.offS;
        phase = 0;
      }
      phase += gap;
      t += gap;
    }
    const input = sampleLength(rng, inD);
    const output = sampleLength(rng, outD);
    out.push({ arrivalS: t, inputTokens: input, outputTokens: output, cachedTokens: cached(input) });
  }
  return out;
}
