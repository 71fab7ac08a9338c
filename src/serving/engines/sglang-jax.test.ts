// The SGL-JAX engine profile on its own: its published host step bounds a step, its buckets pad the linears, its defaults.

import { describe, expect, it } from "vitest";
import { costOptions, prefillOnlyLoad } from "../../../test/fixtures/serving.js";
import { resolveModel } from "../../catalog/models-resolve.js";
import { resolveSystem } from "../../catalog/resolve.js";
import { checkBuckets, SGLJAX_DECODE_BS_BUCKETS, SGLJAX_PREFILL_TOKEN_BUCKETS } from "../bucket-padding.js";
import { InstanceCost, type RankLoad } from "../cost.js";
import { instanceLayout, servingEngine } from "./index.js";
import { SGLJAX_HOST_STEP_S } from "./sglang-jax.js";
import type { ServingEngine } from "./types.js";

const decode = (seqs: number): RankLoad => ({
  prefillTokens: 0,
  prefillPairs: 0,
  decodeSeqs: seqs,
  decodeKvTokens: seqs * 500,
  logitTokens: seqs,
});
const prefill = prefillOnlyLoad;
const cost = (e: ServingEngine, tp = 1) =>
  new InstanceCost(
    resolveModel("llama3-8b"),
    resolveSystem("dgx-h100-superpod"),
    { chips: tp, tp, attentionDp: 1, ep: 1 },
    { ...costOptions({ precision: "bf16" }), engine: e },
  );

describe("SGL-JAX engine profile", () => {
  const e = servingEngine("sglang-jax");
  it("is registered, overlaps its host step with the device, and runs every batch as a compiled program", () => {
    expect(e.id).toBe("sglang-jax");
    expect(e.hostOverlap).toBe(true);
    expect(e.decodeGraphs).toBe(true);
    expect(e.graphMaxBatchPerRank).toBe(Number.POSITIVE_INFINITY);
    expect(e.eagerHostPerKernelS).toBeUndefined();
    expect(instanceLayout(e, 4, false, {})).toEqual({ chips: 4, tp: 4, attentionDp: 1, ep: 1 });
  });
  it("carries PR 1652's measured host span per decode step, with no per-sequence share", () => {
    expect(SGLJAX_HOST_STEP_S).toBe(6.621e-3);
    expect(e.hostStepS).toBe(SGLJAX_HOST_STEP_S);
    expect(e.hostPerSeqS).toBe(0);
  });
  it("bounds a small step by the host span and leaves a large one to the device", () => {
    for (const tp of [1, 8]) {
      const s = cost(e, tp).step(decode(1), 1).timeS;
      const device = cost({ ...e, hostStepS: 0 }, tp).step(decode(1), 1).timeS;
      expect(s).toBeCloseTo(Math.max(device, SGLJAX_HOST_STEP_S), 12);
    }
    // a one-sequence decode of an 8B model over 8 ranks is shorter on the device than the host span
    expect(cost({ ...e, hostStepS: 0 }, 8).step(decode(1), 1).timeS).toBeLessThan(SGLJAX_HOST_STEP_S);
    expect(cost(e, 8).step(decode(1), 1).timeS).toBeCloseTo(SGLJAX_HOST_STEP_S, 12);
    const big = cost(e).step(prefill(8192), 8192);
    const bigGeneric = cost(servingEngine("generic")).step(prefill(8192), 8192);
    expect(big.timeS).toBeGreaterThan(SGLJAX_HOST_STEP_S);
    expect(big.timeS).toBeCloseTo(bigGeneric.timeS, 9);
  });
  it("pads prefill linears to the token bucket: 1,100 tokens cost the 2,048-token linears", () => {
    const c = cost(e);
    const g = cost(servingEngine("generic"));
    expect(c.step(prefill(1100), 1100).gemmS).toBeCloseTo(c.step(prefill(2048), 2048).gemmS, 12);
    expect(g.step(prefill(1100), 1100).gemmS).toBeLessThan(g.step(prefill(2048), 2048).gemmS);
    // attention is ragged (not padded): it still grows from 1,100 to 2,048 tokens
    expect(c.step(prefill(1100), 1100).attentionCoreS).toBeLessThan(
      c.step(prefill(2048), 2048).attentionCoreS,
    );
  });
  it("uses SGL-JAX's default bucket lists, which are valid", () => {
    expect(e.decodeBatchBuckets).toBe(SGLJAX_DECODE_BS_BUCKETS);
    expect(e.prefillTokenBuckets).toBe(SGLJAX_PREFILL_TOKEN_BUCKETS);
    expect(() => checkBuckets(e.decodeBatchBuckets ?? [], ["decodeBatchBuckets"])).not.toThrow();
    expect(() => checkBuckets(e.prefillTokenBuckets ?? [], ["prefillTokenBuckets"])).not.toThrow();
  });
});
