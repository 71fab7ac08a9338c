// MoE token exchange: expert parallelism sends tokens between ranks only when attention is data-parallel; with one tensor-parallel attention group the step's communication is the TP all-reduces alone.
import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad } from "../../test/fixtures/serving.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { servingEngine } from "./engines/index.js";
import { moeExchangesTokens, twoBatchOverlapByDefault } from "./moe-token-exchange.js";

describe("moeExchangesTokens", () => {
  it("is false without expert parallelism and with one tensor-parallel attention group", () => {
    expect(moeExchangesTokens({ ep: 1, attentionDp: 1 })).toBe(false);
    expect(moeExchangesTokens({ ep: 1, attentionDp: 8 })).toBe(false);
    expect(moeExchangesTokens({ ep: 8, attentionDp: 1 })).toBe(false);
  });
  it("is true for expert parallelism over data-parallel attention ranks", () => {
    expect(moeExchangesTokens({ ep: 8, attentionDp: 8 })).toBe(true);
    expect(moeExchangesTokens({ ep: 16, attentionDp: 2 })).toBe(true);
  });
});

describe("twoBatchOverlapByDefault", () => {
  it("is on only for an MoE model whose layers exchange tokens: nothing to hide otherwise", () => {
    expect(twoBatchOverlapByDefault(true, { ep: 8, attentionDp: 8 })).toBe(true);
    expect(twoBatchOverlapByDefault(true, { ep: 8, attentionDp: 1 })).toBe(false);
    expect(twoBatchOverlapByDefault(true, { ep: 1, attentionDp: 8 })).toBe(false);
    expect(twoBatchOverlapByDefault(false, { ep: 8, attentionDp: 8 })).toBe(false);
  });
});

describe("the step's communication follows the exchange", () => {
  const dsv3 = resolveModel("deepseek-v3");
  const system = resolveSystem("dgx-h100-superpod");
  const decode = (seqs: number): RankLoad => decodeOnlyLoad(seqs, 2000);
  const opts = { ...costOptions(), engine: servingEngine("vllm"), twoBatchOverlap: false };

  it("charges TP8 attention with EP8 experts the same communication as TP8 experts: the TP all-reduces", () => {
    const tpEp = new InstanceCost(dsv3, system, { chips: 8, tp: 8, attentionDp: 1, ep: 8 }, opts);
    const tpOnly = new InstanceCost(dsv3, system, { chips: 8, tp: 8, attentionDp: 1, ep: 1 }, opts);
    for (const seqs of [1, 4, 64]) {
      const a = tpEp.step(decode(seqs), seqs);
      const b = tpOnly.step(decode(seqs), seqs);
      expect(a.commS).toBeGreaterThan(0);
      expect(a.commS).toBeCloseTo(b.commS, 12);
    }
  });
  it("still charges the dispatch and combine under DP attention, where no TP all-reduce exists", () => {
    // tp 1: every microsecond of communication is the MoE exchange.
    const dpEp = new InstanceCost(dsv3, system, { chips: 8, tp: 1, attentionDp: 8, ep: 8 }, opts);
    const s = dpEp.shape;
    const exchanged = dpEp.step(decode(1), 8).commS;
    // A dispatch and a combine per MoE layer, each at least the family's fixed cost of one call.
    expect(exchanged).toBeGreaterThanOrEqual(s.moeLayers * 2 * dpEp.eff.allToAllFixedS);
    const one = new InstanceCost(dsv3, system, { chips: 1, tp: 1, attentionDp: 1, ep: 1 }, opts);
    expect(one.step(decode(1), 1).commS).toBe(0);
  });
  it("grows with the sequences and never goes negative", () => {
    const tpEp = new InstanceCost(dsv3, system, { chips: 8, tp: 8, attentionDp: 1, ep: 8 }, opts);
    let prev = 0;
    for (const seqs of [1, 2, 8, 32, 128]) {
      const c = tpEp.step(decode(seqs), seqs).commS;
      expect(c).toBeGreaterThanOrEqual(prev);
      prev = c;
    }
  });
});
