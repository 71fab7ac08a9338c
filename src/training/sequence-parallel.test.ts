// Tensor-parallel collectives per layer on their own: the sequence-parallel backward gathers the column-parallel inputs again.
import { describe, expect, it } from "vitest";
import { llama70bTp8Layout } from "../../test/fixtures/jobs.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import type { TrainingConfig } from "../schema/training.js";
import { estimateTraining } from "./estimate.js";
import { planTraining } from "./plan.js";
import { tpCollectives } from "./sequence-parallel.js";

const llama70b = resolveModel("llama3-70b");
const base: TrainingConfig = {
  ...llama70bTp8Layout,
  recompute: "full",
  precision: "bf16",
  overlap: { tpComm: false, dpComm: false },
};

describe("collective counts per layer", () => {
  it("without sequence parallelism: two all-reduces each way", () => {
    expect(tpCollectives(false, "forward")).toEqual({ allGather: 0, reduceScatter: 0, allReduce: 2 });
    expect(tpCollectives(false, "backward")).toEqual({ allGather: 0, reduceScatter: 0, allReduce: 2 });
  });
  it("with sequence parallelism the backward gathers the column-parallel inputs again: 1.5x the forward's bytes", () => {
    const f = tpCollectives(true, "forward");
    const b = tpCollectives(true, "backward");
    expect(f).toEqual({ allGather: 2, reduceScatter: 2, allReduce: 0 });
    expect(b.allGather).toBe(2 * f.allGather);
    expect(b.reduceScatter).toBe(f.reduceScatter);
    expect((b.allGather + b.reduceScatter) / (f.allGather + f.reduceScatter)).toBe(1.5);
  });
});

describe("in a step", () => {
  const sys = dgxB200(16);
  it("exposed sequence-parallel TP time is 3 forward passes' worth for a plain backward, 4 with full recompute", () => {
    const sel = estimateTraining(sys, llama70b, { ...base, recompute: "selective", sequenceParallel: true });
    const full = estimateTraining(sys, llama70b, { ...base, sequenceParallel: true });
    // Selective: forward (2 AG + 2 RS) + backward (4 AG + 2 RS) = 2.5 forwards; full adds the rerun forward.
    expect(full.breakdownS.tpCommS / sel.breakdownS.tpCommS).toBeCloseTo(3.5 / 2.5, 6);
  });
  it("the flow simulator's plan lists the backward gathers too", () => {
    const p = planTraining(sys, llama70b, { ...base, recompute: "selective", sequenceParallel: true });
    const ag = p.comm.filter((c) => c.parallelism === "tp" && c.collective === "all-gather");
    const fwd = ag.find((c) => c.per === "microbatch-forward");
    const bwd = ag.find((c) => c.per === "microbatch-backward");
    expect(bwd?.count).toBe(2 * (fwd?.count ?? 0));
    const rs = p.comm.filter((c) => c.parallelism === "tp" && c.collective === "reduce-scatter");
    expect(rs.map((c) => c.count)).toEqual([fwd?.count, fwd?.count]);
  });
  it("without sequence parallelism the backward is the forward's all-reduces", () => {
    const noSp = estimateTraining(sys, llama70b, {
      ...base,
      recompute: "selective",
      sequenceParallel: false,
    });
    const p = planTraining(sys, llama70b, { ...base, recompute: "selective", sequenceParallel: false });
    const ar = p.comm.filter((c) => c.parallelism === "tp");
    expect(ar.every((c) => c.collective === "all-reduce")).toBe(true);
    expect(ar[0].count).toBe(ar[1].count);
    expect(noSp.breakdownS.tpCommS).toBeGreaterThan(0);
  });
});
