// A full recompute reruns the forward's expert dispatch and combine with the layer (stage.ts `epRecomputeS`): charged in the backward, absent otherwise, and in the comm plan.
import { describe, expect, it } from "vitest";
import { qwen3A3bEp8Job } from "../../test/fixtures/jobs.js";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import type { TrainingConfig } from "../schema/training.js";
import { analyze } from "./analyze.js";
import { prepareTraining } from "./estimate.js";
import { planTraining } from "./plan.js";

describe("full recompute and the expert exchange", () => {
  const sys = dgxB200(8);
  const qwen = qwen3MoeA3b(48);
  const stage = (c: TrainingConfig) => {
    const a = analyze(prepareTraining(sys, qwen, c));
    const s = a.stages[a.slowest];
    if (!s) throw new Error("no stage");
    return s;
  };
  it("reruns half the exposed exchange (the forward's) in the backward with full recompute only", () => {
    const sel = stage({ ...qwen3A3bEp8Job, recompute: "selective" });
    const full = stage({ ...qwen3A3bEp8Job, recompute: "full" });
    expect(sel.epRecomputeS).toBe(0);
    expect(full.epRecomputeS).toBeGreaterThan(0);
    // The exposed exchange of the passes themselves does not depend on the recompute (the layer compute it may hide
    // behind is the same forward + backward); the rerun adds the forward's half.
    expect(full.epRecomputeS).toBeCloseTo((full.epS - full.epRecomputeS) / 2, 12);
    expect(full.epS).toBeGreaterThan(sel.epS);
  });
  it("has nothing to rerun without expert parallelism", () => {
    expect(stage({ ...qwen3A3bEp8Job, ep: 1, recompute: "full" }).epRecomputeS).toBe(0);
  });
  it("lists the rerun in the comm plan: twice the forward's exchanges in the backward", () => {
    const ops = planTraining(sys, qwen, { ...qwen3A3bEp8Job, recompute: "full" }).comm.filter(
      (o) => o.parallelism === "ep",
    );
    const count = (per: string) => ops.filter((o) => o.per === per).reduce((n, o) => n + o.count, 0);
    expect(count("microbatch-backward")).toBe(2 * count("microbatch-forward"));
  });
});
