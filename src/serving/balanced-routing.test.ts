// Balanced routing (what the fused-MoE tables measured) against the busiest rank of a random routing: counts, bounds, errors, the step.

import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { balancedTouchedExpertsPerChip, unbalancedExtraExpertsPerChip } from "./balanced-routing.js";
import { InstanceCost } from "./cost.js";
import { busiestRankTouchedSlots } from "./expert-straggler.js";
import type { FusedMoeCallTable } from "./fused-moe-table.js";

/**
 * The collector's `balanced_logits` (ai-dynamo/aiconfigurator 095f58a51c4c, collector/helper.py), as index arithmetic:
 * the experts token i picks, then the distinct experts each of `ep` ranks (contiguous blocks) receives.
 */
function collectorBalancedPerRank(experts: number, topK: number, ep: number, tokens: number): number[] {
  const stride = Math.ceil(experts / topK);
  const perRank = Array.from({ length: ep }, () => new Set<number>());
  for (let i = 0; i < tokens; i++)
    for (let j = 0; j < topK; j++) {
      const e =
        tokens >= stride
          ? (i + j * stride) % experts
          : Math.floor(((i * stride) / tokens + j * stride) % experts);
      perRank[Math.floor(e / (experts / ep))].add(e);
    }
  return perRank.map((s) => s.size);
}

describe("balancedTouchedExpertsPerChip", () => {
  it("is the most distinct experts the collector's balanced router logits give a rank (MiniMax-M2/DeepSeek 256 x top 8, Qwen3 128 x top 8, Mixtral 8 x top 2)", () => {
    for (const [experts, topK] of [
      [256, 8],
      [128, 8],
      [8, 2],
    ])
      for (const ep of [1, 2, 4, 8])
        for (const tokens of [1, 2, 3, 4, 8, 16, 32, 64, 128]) {
          const perRank = collectorBalancedPerRank(experts, topK, ep, tokens);
          expect(balancedTouchedExpertsPerChip(experts, topK, ep, ep, tokens)).toBe(Math.max(...perRank));
          // Rank 0, the one a single-GPU collector run holds, receives that many.
          expect(perRank[0]).toBe(Math.max(...perRank));
        }
  });
  it("shares a rank's experts over its expert-TP chips, and never exceeds the experts a chip holds", () => {
    expect(balancedTouchedExpertsPerChip(256, 8, 8, 8, 4)).toBe(4);
    expect(balancedTouchedExpertsPerChip(256, 8, 8, 8, 1000)).toBe(32);
    expect(balancedTouchedExpertsPerChip(256, 8, 4, 8, 1)).toBe(1);
    expect(balancedTouchedExpertsPerChip(256, 8, 1, 4, 1)).toBe(2);
    expect(balancedTouchedExpertsPerChip(256, 8, 8, 8, 0)).toBe(0);
  });
  it("names the argument that is out of range", () => {
    for (const bad of [
      () => balancedTouchedExpertsPerChip(0, 1, 1, 1, 1),
      () => balancedTouchedExpertsPerChip(8, 9, 1, 1, 1),
      () => balancedTouchedExpertsPerChip(8, 2, 0, 1, 1),
      () => balancedTouchedExpertsPerChip(8, 2, 3, 4, 1),
      () => balancedTouchedExpertsPerChip(8, 2, 1, 1, Number.NaN),
      () => balancedTouchedExpertsPerChip(8, 2, 1, 1, -1),
    ])
      expect(bad).toThrow(ZettasimError);
    expect(() => balancedTouchedExpertsPerChip(8, 2, 1, 1, -1)).toThrow(/balancedRouting\.tokens/);
    expect(() => balancedTouchedExpertsPerChip(8, 2, 3, 4, 1)).toThrow(/balancedRouting\.ep/);
  });
});

describe("unbalancedExtraExpertsPerChip", () => {
  const pAt = (tokens: number, experts: number, topK: number) => 1 - Math.exp(-(tokens * topK) / experts);
  it("is the busiest rank's expected touched experts less the balanced share (MiniMax-M2.5 at EP 8, 1 and 4 tokens)", () => {
    for (const t of [1, 4]) {
      const busiest = busiestRankTouchedSlots(256, 8, pAt(t, 256, 8));
      expect(unbalancedExtraExpertsPerChip(256, 8, 8, 8, t, t)).toBeCloseTo(busiest - t, 12);
      expect(busiest).toBeGreaterThan(t + 1); // one token: about 2.4 experts on the busiest rank against 1
    }
  });
  it("is 0 without expert parallelism, where random routing touches no more experts than balanced routing", () => {
    for (const chips of [1, 4, 8])
      for (const t of [1, 2, 4, 8, 16, 64, 1024])
        expect(unbalancedExtraExpertsPerChip(256, 8, 1, chips, t, t)).toBe(0);
  });
  it("vanishes once every rank's experts are all touched, and never goes below 0", () => {
    expect(unbalancedExtraExpertsPerChip(256, 8, 8, 8, 4096, 4096)).toBe(0);
    for (const t of [1, 2, 4, 8, 16, 32, 64, 128, 256])
      expect(unbalancedExtraExpertsPerChip(128, 8, 8, 8, t, t)).toBeGreaterThanOrEqual(0);
  });
  it("grows as the table point read falls below the tokens (a lower-bound read leaves more experts out)", () => {
    let prev = -1;
    for (const p of [8, 4, 2, 1]) {
      const x = unbalancedExtraExpertsPerChip(256, 8, 8, 8, 8, p);
      expect(x).toBeGreaterThan(prev);
      prev = x;
    }
  });
  it("names a table point past the tokens and an EP group that does not divide the chips", () => {
    expect(() => unbalancedExtraExpertsPerChip(256, 8, 8, 8, 4, 8)).toThrow(/balancedRouting\.tableTokens/);
    expect(() => unbalancedExtraExpertsPerChip(256, 8, 3, 8, 4, 4)).toThrow(/balancedRouting\.ep/);
  });
});

describe("in a vLLM step at TP + EP (no all-to-all)", () => {
  const qwen = resolveModel("qwen3-235b-a22b"); // 4096 / 1536 / 128 experts / top 8
  const h100 = resolveSystem("dgx-h100-superpod");
  const o = costOptions({ precision: "bf16", engine: deviceOnlyEngine("vllm") });
  /** A measured call of 1 s at every point, so that the table bounds the routed experts; `axis` its token points. */
  const binding = (axis: number[], moeTp: number, moeEp: number): FusedMoeCallTable => ({
    measured: "test",
    tokens: axis,
    series: [[4096, 1536, 128, 8, moeTp, moeEp, "bf16", axis.map(() => 1e6)]],
  });
  const step = (axis: number[], layout: { chips: number; tp: number; attentionDp: number; ep: number }) =>
    new InstanceCost(qwen, h100, layout, o, {
      fusedMoeCall: binding(axis, layout.chips / layout.ep, layout.ep),
    }).step(decodeOnlyLoad(4, 2000), 4).timeS;
  it("charges the experts the busiest rank touches beyond the table point's balanced share", () => {
    const ep8 = { chips: 8, tp: 8, attentionDp: 1, ep: 8 };
    // Read at 1 token the table's routing covered 1 expert per rank; read at 4, 4: the first leaves 3 more out.
    expect(step([1, 4096], ep8)).toBeGreaterThan(step([1, 4, 4096], ep8));
  });
  it("adds nothing at expert parallelism 1", () => {
    const ep1 = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
    expect(step([1, 4096], ep1)).toBe(step([1, 4, 4096], ep1));
  });
});
