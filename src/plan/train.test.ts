// plan train: the search returns the exact optimum (and top-k) of brute force; counts add up; cancel reports a gap.
import { describe, expect, it } from "vitest";
import { chipUsableMemoryBytes } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { estimateTraining, facilityPowerW } from "../training/estimate.js";
import { inProcess } from "./executor.js";
import { planTrain } from "./train.js";
import { runTrainTask } from "./train-search.js";
import { type TrainProblem, TrainSpace } from "./train-space.js";

/** Every layout of the space through the plain training model (resolve + estimate), ranked like the planner ranks. */
function bruteForce(p: TrainProblem, k: number) {
  const space = new TrainSpace(p);
  const cap = chipUsableMemoryBytes(p.system.chip) * (p.plan.constraints?.memoryFraction ?? 1);
  const price = p.plan.pricePerChipHourUsd ?? 1;
  const per = (chips: number) =>
    p.plan.objective === "cost"
      ? (chips * price) / 3600
      : p.plan.objective === "energy"
        ? facilityPowerW(p.system, chips)
        : 1;
  const all: { index: number; value: number; stepTimeS: number; chips: number }[] = [];
  for (const g of space.groups) {
    space.tails[g.tail].forEach((c, i) => {
      // Without data-parallel traffic every ZeRO variant is the first one's layout (the search settles them by symmetry).
      if (!g.hasDp && c.zv !== 0) return;
      const r = estimateTraining(p.system, p.model, space.trainingConfig(g, c));
      if (r.memoryPerChipBytes > cap) return;
      all.push({
        index: g.offset + i,
        value: per(g.chips) * r.stepTimeS,
        stepTimeS: r.stepTimeS,
        chips: g.chips,
      });
    });
  }
  all.sort((a, b) => a.value - b.value || a.index - b.index);
  const best = new Map<number, (typeof all)[number]>();
  for (const x of all) if (!best.has(x.chips)) best.set(x.chips, x);
  return { space, top: all.slice(0, k), best, feasible: all.length };
}

const problems: [string, TrainProblem][] = [
  [
    "llama3-8b on 32 H100, bf16 or fp8, ZeRO 0 or FSDP with and without resharding, offload",
    {
      system: resolveSystem("dgx-h100-superpod"),
      model: resolveModel("llama3-8b"),
      training: { seqLength: 4096, globalBatchSize: 64 },
      plan: {
        chips: 32,
        top: 8,
        space: {
          precision: ["bf16", "fp8"],
          microBatchSize: [1, 2],
          cp: [1],
          tp: [1, 2, 4, 8],
          zero: [0, 3],
          offload: { optimizer: [0, 1], weights: [0], activations: [0, 1] },
          schedule: ["1f1b", "interleaved", "dualpipe"],
        },
      },
    },
  ],
  [
    "Mixtral 8x22B on 64 H100 (EP, ETP, EP overlap, weight offload)",
    {
      system: resolveSystem("dgx-h100-superpod"),
      model: resolveModel("mixtral-8x22b"),
      training: { seqLength: 4096, globalBatchSize: 128 },
      plan: {
        chips: 64,
        top: 6,
        space: {
          cp: [1],
          microBatchSize: [1],
          tp: [1, 2, 4, 8],
          zero: [1, 3],
          reshardAfterForward: [true],
          offload: { optimizer: [0], weights: [0, 1], activations: [0] },
          schedule: ["1f1b", "zero-bubble", "dualpipe"],
        },
      },
    },
  ],
  [
    "GPT-3 175B on 64 or 128 A100 by cost, 90% of memory",
    {
      system: resolveSystem("dgx-a100-superpod"),
      model: resolveModel("gpt3-175b"),
      training: { seqLength: 2048, globalBatchSize: 256 },
      plan: {
        chips: [64, 128],
        objective: "cost",
        pricePerChipHourUsd: 1.5,
        top: 5,
        constraints: { memoryFraction: 0.9 },
        space: {
          microBatchSize: [1],
          cp: [1],
          recompute: ["selective", "full"],
          reshardAfterForward: [true],
          offload: { optimizer: [0, 1], weights: [0], activations: [0] },
        },
      },
    },
  ],
  [
    "Mixtral 8x22B on 64 H100: bf16 or fp8 with two recipes, two dispatchers, two EP overlap schemes, CUDA graphs",
    {
      system: resolveSystem("dgx-h100-superpod"),
      model: resolveModel("mixtral-8x22b"),
      training: { seqLength: 4096, globalBatchSize: 128, framework: "megatron-lm" },
      plan: {
        chips: 64,
        top: 6,
        space: {
          precision: ["bf16", "fp8"],
          precisionRecipe: ["fp8-delayed", "fp8-blockwise"],
          moeDispatcher: ["alltoall", "deepep"],
          moeOverlap: ["two-batch", "dualpipe"],
          cudaGraphs: [false, true],
          tp: [2, 4],
          cp: [1],
          microBatchSize: [1],
          zero: [1],
          recompute: ["selective", "full"],
          offload: { optimizer: [0], weights: [0], activations: [0] },
          schedule: ["1f1b", "dualpipe"],
        },
      },
    },
  ],
];

describe("plan train is exact", () => {
  for (const [name, p] of problems) {
    it(`top-k equals brute force: ${name}`, async () => {
      const k = p.plan.top ?? 10;
      const bf = bruteForce(p, k);
      expect(bf.space.total).toBeLessThan(64_000);
      expect(bf.feasible).toBeGreaterThan(k);
      const r = await planTrain(p, { chunkLayouts: 2000 });
      expect(r.exact).toBe(true);
      expect(r.considered).toBe(bf.space.total);
      expect(r.counts.rejectedGroups).toBe(0);
      expect(r.top.map((l) => l.index)).toEqual(bf.top.map((x) => x.index));
      // Bit for bit: the planner's figures are the training model's.
      expect(r.top.map((l) => l.estimate.stepTimeS)).toEqual(bf.top.map((x) => x.stepTimeS));
      expect(r.top.map((l) => l.value)).toEqual(bf.top.map((x) => x.value));
      for (const l of r.bestByChips) {
        expect(l.index).toBe(bf.best.get(l.estimate.chips)?.index);
      }
      // Pruning did its job: far fewer layouts evaluated than exist.
      expect(r.evaluated).toBeLessThan(bf.space.total / 2);
    });
  }

  it("the winner's training section reproduces its estimate through `zettasim train`'s path", async () => {
    const [, p] = problems[0];
    const r = await planTrain(p);
    const w = r.top[0];
    const again = estimateTraining(p.system, p.model, w.training);
    expect(again.stepTimeS).toBe(w.estimate.stepTimeS);
    expect(again.memoryPerChipBytes).toBe(w.estimate.memoryPerChipBytes);
    expect(again.fitsInMemory).toBe(true);
  });

  it("gives the same answer whatever the chunk size (determinism)", async () => {
    const [, p] = problems[1];
    const a = await planTrain(p, { chunkLayouts: 500 });
    const b = await planTrain(p, { chunkLayouts: 100_000 });
    expect(b.top.map((l) => [l.index, l.value])).toEqual(a.top.map((l) => [l.index, l.value]));
    expect(b.considered).toBe(a.considered);
  });

  it("Pareto front over chips: fewer chips never faster on the front", async () => {
    const [, p] = problems[2];
    const r = await planTrain({ ...p, plan: { ...p.plan, objective: "stepTime" } });
    expect(r.bestByChips.map((l) => l.estimate.chips)).toEqual([64, 128]);
    for (let i = 1; i < r.pareto.length; i++) {
      expect(r.pareto[i].estimate.chips).toBeGreaterThan(r.pareto[i - 1].estimate.chips);
      expect(r.pareto[i].estimate.stepTimeS).toBeLessThan(r.pareto[i - 1].estimate.stepTimeS);
    }
  });

  it("a recipe whose precision is not searched is refused, naming it", () => {
    const [, p] = problems[0];
    const bad = {
      ...p,
      plan: { ...p.plan, space: { precision: ["bf16" as const], precisionRecipe: ["mxfp8" as const] } },
    };
    expect(() => new TrainSpace(bad)).toThrow(
      /plan\.space\.precisionRecipe\[0\]: recipe mxfp8 runs none of the precisions searched \(bf16\)/s,
    );
  });

  it("the run's framework, imbalance and recipe travel into every layout; searched knobs are explicit", () => {
    const [, p] = problems[3];
    const space = new TrainSpace({ ...p, training: { ...p.training, moeImbalance: 1.3 } });
    const moe = space.groups.find((g) => g.ep > 1 && g.precision === "fp8");
    expect(moe).toBeDefined();
    if (!moe) return;
    const on = space.tails[moe.tail].find((c) => c.overlap.epComm);
    const t = space.trainingConfig(moe, on ?? space.tails[moe.tail][0]);
    expect(t.framework).toBe("megatron-lm");
    expect(t.moeImbalance).toBe(1.3);
    expect(["fp8-delayed", "fp8-blockwise"]).toContain(t.precisionRecipe);
    expect(["alltoall", "deepep"]).toContain(t.moeDispatcher);
    expect(["two-batch", "dualpipe"]).toContain(t.moeOverlap);
    expect(typeof t.cudaGraphs).toBe("boolean");
    // Dispatchers vary only where experts are exchanged.
    const dispatchers = (ep: boolean) =>
      new Set(space.groups.filter((g) => g.ep > 1 === ep).map((g) => g.dispatcher)).size;
    expect(dispatchers(true)).toBe(2);
    expect(dispatchers(false)).toBe(1);
  });

  it("a cancelled search says it is not exact and bounds its gap", async () => {
    const [, p] = problems[0];
    const ac = new AbortController();
    let chunks = 0;
    const exec = inProcess(runTrainTask);
    const r = await planTrain(p, {
      chunkLayouts: 200,
      signal: ac.signal,
      executor: {
        threads: 1,
        run: (inputs, onResult, signal) =>
          exec.run(
            inputs,
            (o, i, input) => {
              onResult(o, i, input);
              if (input.kind === "train-search" && ++chunks === 2) ac.abort();
            },
            signal,
          ),
      },
    });
    expect(r.cancelled).toBe(true);
    expect(r.considered).toBeLessThan(r.space.layouts);
    expect(r.gap?.lowerBound).not.toBeNull();
    const best = r.top[0].value;
    expect(r.gap?.lowerBound).toBeLessThanOrEqual(best);
    const full = await planTrain(p);
    // The floor is a true floor: the optimum is not below it.
    expect(full.top[0].value).toBeGreaterThanOrEqual(r.gap?.lowerBound ?? Number.POSITIVE_INFINITY);
    expect(r.exact).toBe((r.gap?.lowerBound ?? 0) >= best);
  });
});
