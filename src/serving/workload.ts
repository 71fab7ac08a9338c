// Request streams for serving: arrival processes (Poisson, gamma, on-off, trace) and prompt/output length distributions.

import type { z } from "zod";
import { exp, log, pow } from "../core/math.js";
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
  if (shape < 1) return gamma(rng, shape + 1, scale) * pow(rng.next(), 1 / shape);
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
    if (log(u) < 0.5 * x * x + d - d * v + d * log(v)) return d * v * scale;
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
      const s2 = log(1 + d.cv * d.cv);
      const mu = log(d.meanTokens) - s2 / 2;
      const x = Math.round(exp(mu + Math.sqrt(s2) * rng.normal()));
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

/** A request stream drawn one request at a time, in arrival order, so memory does not grow with its length. */
export interface RequestStream {
  /** Requests the stream will yield in all. */
  readonly total: number;
  /** The next request, or undefined when the stream is exhausted. Cost O(1) (trace: O(1) after an O(n log n) sort). */
  next(): RequestSpec | undefined;
}

/** Mean prompt and output tokens of a workload: a trace's own averages, else its length distributions' means. Cost O(trace length). */
export function meanRequestTokens(w: WorkloadSpec): { inTok: number; outTok: number } {
  const a = w.arrival;
  if (a.kind === "trace") {
    const n = Math.max(1, a.requests.length);
    let i = 0;
    let o = 0;
    for (const r of a.requests) {
      i += r.inputTokens;
      o += r.outputTokens;
    }
    return { inTok: i / n, outTok: o / n };
  }
  return {
    inTok: meanLength(w.inputTokens ?? DEFAULT_INPUT),
    outTok: meanLength(w.outputTokens ?? DEFAULT_OUTPUT),
  };
}

/**
 * The request stream of a workload, in arrival order. Draws come from `rng` in a fixed order
 * (gap, input, output per request), so a seed fixes the stream. Memory O(1) for synthetic arrivals
 * (a trace is held as given).
 */
export function requestStream(w: WorkloadSpec, rng: Rng): RequestStream {
  const hit = w.prefixHitRate ?? 0;
  const cached = (input: number) => Math.min(input - 1, Math.floor(input * hit));
  const a = w.arrival;
  if (a.kind === "trace") {
    const sorted = a.requests
      .map((r) => ({ ...r, cachedTokens: cached(r.inputTokens) }))
      .sort((x, y) => x.arrivalS - y.arrivalS);
    let i = 0;
    return { total: sorted.length, next: () => sorted[i++] };
  }
  const n = w.requests ?? DEFAULT_REQUESTS;
  const inD = w.inputTokens ?? DEFAULT_INPUT;
  const outD = w.outputTokens ?? DEFAULT_OUTPUT;
  let t = 0;
  let phase = 0; // on-off: time into the current on period
  let i = 0;
  const next = (): RequestSpec | undefined => {
    if (i >= n) return undefined;
    i++;
    if (a.kind === "poisson") t += rng.exponential(a.ratePerS);
    else if (a.kind === "gamma") {
      const k = 1 / (a.cv * a.cv);
      t += gamma(rng, k, 1 / (a.ratePerS * k));
    } else {
      // On-off: Poisson while on; an off period is skipped whenever an on period runs out. The gap spans
      // `skips` whole on periods, counted at once (O(1) however short the on periods are).
      const gap = rng.exponential(a.ratePerS);
      const skips = Math.max(0, Math.ceil((phase + gap) / a.onS) - 1);
      t += gap + skips * a.offS;
      phase = phase + gap - skips * a.onS;
    }
    const input = sampleLength(rng, inD);
    const output = sampleLength(rng, outD);
    return { arrivalS: t, inputTokens: input, outputTokens: output, cachedTokens: cached(input) };
  };
  return { total: n, next };
}

/** The whole request stream as an array (tests and small workloads). Cost: O(requests) time and memory. */
export function generateRequests(w: WorkloadSpec, rng: Rng): RequestSpec[] {
  const s = requestStream(w, rng);
  const out: RequestSpec[] = [];
  for (let r = s.next(); r !== undefined; r = s.next()) out.push(r);
  return out;
}
