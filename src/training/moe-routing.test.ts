// Where the router places a token's copies (moe-routing.ts): remote groups reached by learned and round-robin routing, the busiest rank's load, and what each does to the expert exchange of a job.
import { describe, expect, it } from "vitest";
import { qwen3A3bEp8Job } from "../../test/fixtures/jobs.js";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { dgxH100 } from "../../test/fixtures/systems.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import { analyze } from "./analyze.js";
import { learnedRemoteGroups } from "./comm.js";
import { prepareTraining } from "./estimate.js";
import { expertExchange, routedImbalance } from "./moe.js";
import { ROUTINGS, roundRobinRemoteGroups } from "./moe-routing.js";

describe("round-robin routing: remote groups a token reaches", () => {
  it("DeepSeek-V3 (256 experts, top 8) at EP 64 over 8-GPU nodes: one node per token, 7/8 of them remote", () => {
    // 4 experts per rank, 32 per node: a block of 8 consecutive experts starting at a multiple of 8 is 2 ranks of one node.
    expect(roundRobinRemoteGroups(8, 8, 256, 64)).toBeCloseTo(7 / 8, 12);
    // Independently drawn experts reach 7 (1 - (7/8)^8) = 4.6 of the 7 other nodes.
    expect(learnedRemoteGroups(8, 8)).toBeCloseTo(7 * (1 - (7 / 8) ** 8), 12);
  });
  it("Kimi K2 (384 experts, top 8) at EP 32 over 4 nodes: 96 experts a node, still one node per token", () => {
    expect(roundRobinRemoteGroups(4, 8, 384, 32)).toBeCloseTo(3 / 4, 12);
  });
  it("counts blocks that straddle a group boundary (worked by hand)", () => {
    // 12 experts, top 3, 6 ranks in 3 groups of 4 experts: starts 0, 3, 6, 9 reach 1, 2, 2, 1 groups; mean 1.5, 2/3 remote.
    expect(roundRobinRemoteGroups(3, 3, 12, 6)).toBeCloseTo(1.0, 12);
    // 8 experts, top 3, 2 groups of 4: starts 0..7 reach 1,1,2,2,1,1,2,2 (the last two wrap to expert 0): mean 1.5, half remote.
    expect(roundRobinRemoteGroups(2, 3, 8, 4)).toBeCloseTo(0.75, 12);
  });
  it("reaches at most min(k, G - 1) remote groups and none with one group", () => {
    for (const [g, k, e, ep] of [
      [2, 8, 128, 16],
      [4, 6, 160, 32],
      [8, 2, 8, 8],
      [16, 8, 64, 64],
    ] as const) {
      const r = roundRobinRemoteGroups(g, k, e, ep);
      expect(r).toBeGreaterThan(0);
      expect(r).toBeLessThanOrEqual(Math.min(k, g - 1) + 1e-12);
    }
    expect(roundRobinRemoteGroups(1, 8, 256, 8)).toBe(0);
  });
  it("every expert gets the same load: the busiest rank carries the mean unless a ratio is published", () => {
    expect(ROUTINGS["round-robin"].imbalance(512, 64, undefined)).toBe(1);
    expect(ROUTINGS["round-robin"].imbalance(512, 64, 1.2)).toBe(1.2);
    expect(ROUTINGS.learned.imbalance(512, 64, undefined)).toBe(routedImbalance(512, 64, undefined));
    expect(ROUTINGS.learned.imbalance(512, 64, undefined)).toBeGreaterThan(1);
  });
});

describe("routing placement and the expert exchange", () => {
  const sys = dgxH100(64);
  const rr = (groups: number) => roundRobinRemoteGroups(groups, 8, 256, 64);
  it("DeepEP's cross-node dispatch is cheaper when a token's experts share a node; NCCL all-to-all is not", () => {
    const learned = expertExchange(sys, "deepep", 4096, 8, 7168, 7168, 64, 1, 1, 0.9);
    const robin = expertExchange(sys, "deepep", 4096, 8, 7168, 7168, 64, 1, 1, 0.9, rr);
    expect(robin.dispatchS).toBeLessThan(learned.dispatchS);
    expect(robin.combineS).toBeLessThan(learned.combineS);
    // A rank sends one row per token and rank reached: 2 of 64 ranks round-robin, 64 (1 - (63/64)^8) = 7.57 drawn.
    expect(robin.dispatchBytes).toBeCloseTo(4096 * 2 * 7168, 0);
    expect(learned.dispatchBytes).toBeCloseTo(4096 * 64 * (1 - (63 / 64) ** 8) * 7168, 0);
    const a2a = expertExchange(sys, "alltoall", 4096, 8, 7168, 7168, 64, 1, 1, 0.8);
    const a2aRobin = expertExchange(sys, "alltoall", 4096, 8, 7168, 7168, 64, 1, 1, 0.8, rr);
    expect(a2aRobin.dispatchS).toBe(a2a.dispatchS);
  });
  it("inside one NVLink domain a token goes once to each rank holding its experts, not once per copy", () => {
    const one = dgxH100(8);
    // The part of a dispatch that grows with the tokens (the fixed latency cancels): N more tokens cost this much.
    const slope = (k: number, reach?: (g: number) => number) =>
      expertExchange(one, "deepep", 8192, k, 2048, 4096, 8, 1, 0, 0.9, reach).dispatchS -
      expertExchange(one, "deepep", 4096, k, 2048, 4096, 8, 1, 0, 0.9, reach).dispatchS;
    // Top 8 of experts drawn independently over 8 ranks reaches 8 (1 - (7/8)^8) = 5.25 ranks, top 1 one rank.
    expect(slope(8) / slope(1)).toBeCloseTo(8 * (1 - (7 / 8) ** 8), 9);
    // Round-robin over 128 experts, 16 a rank: a token's 8 consecutive experts sit on one rank.
    expect(slope(8, (g) => roundRobinRemoteGroups(g, 8, 128, 8)) / slope(1)).toBeCloseTo(1, 9);
  });
  it("a job that routes round-robin across two nodes exposes less expert exchange, and nothing else changes", () => {
    const job: TrainingConfig = { ...qwen3A3bEp8Job, globalBatchSize: 128, ep: 16, moeDispatcher: "deepep" };
    const stage = (c: TrainingConfig) => {
      const a = analyze(prepareTraining(dgxH100(16), qwen3MoeA3b(48), c));
      const s = a.stages[a.slowest];
      if (!s) throw new Error("no stage");
      return s;
    };
    const learned = stage({ ...job, moeImbalance: 1 });
    const robin = stage({ ...job, moeRouting: "round-robin" });
    expect(robin.epS).toBeGreaterThan(0);
    expect(robin.epS).toBeLessThan(learned.epS);
    expect(robin.computeS).toBeCloseTo(learned.computeS, 9);
  });
  it("the schema refuses an unknown routing at its field", () => {
    const r = trainingFile.safeParse({ ...qwen3A3bEp8Job, moeRouting: "random" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["moeRouting"]);
    expect(trainingFile.safeParse({ ...qwen3A3bEp8Job, moeRouting: "round-robin" }).success).toBe(true);
  });
});
