// Tests of the per-pass overlap mechanisms shared by the analytical model and the flow simulator (pass-overlap.ts).
import { describe, expect, it } from "vitest";
import { llama70bTp8Layout } from "../../test/fixtures/jobs.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { estimateTraining } from "./estimate.js";
import { hidden } from "./moe.js";
import { planTraining } from "./plan.js";

const sys = dgxB200(16);
const model = resolveModel("llama3-70b");
const job = (framework: "mindspeed" | "nemo", tpComm: boolean, recompute: "none" | "full" = "none") => ({
  ...llama70bTp8Layout,
  recompute,
  precision: "bf16" as const,
  framework,
  sequenceParallel: true,
  overlap: { tpComm, dpComm: false },
});

describe("a stage's overlap mechanisms (StageOverlap)", () => {
  for (const [framework, tpComm, recompute] of [
    ["mindspeed", true, "none"],
    ["nemo", true, "none"],
    ["nemo", false, "none"],
    ["nemo", true, "full"],
  ] as const) {
    it(`at scale 1 give the analytical model's exposed TP (${framework}, overlap ${tpComm}, recompute ${recompute})`, () => {
      const t = job(framework, tpComm, recompute);
      const plan = planTraining(sys, model, t);
      const est = estimateTraining(sys, model, t);
      const ov = plan.stages[0].overlap!;
      const perMb = ov.tpS(true, 1) + ov.tpS(false, 1);
      expect(perMb * plan.microBatches).toBeCloseTo(est.breakdownS.tpCommS, 12);
    });
  }

  it("grows with the collectives' time and never below the overlap cost of hiding them", () => {
    const ov = planTraining(sys, model, job("mindspeed", true)).stages[0].overlap!;
    let prev = 0;
    for (const scale of [0, 0.5, 1, 2, 8, 32]) {
      const f = ov.tpS(true, scale);
      expect(f).toBeGreaterThanOrEqual(prev);
      prev = f;
    }
    expect(ov.tpS(true, 0)).toBe(0);
  });

  it("charges overlapped FSDP traffic the overlap cost of the part the compute hides, so excess plus it is `hidden`", () => {
    const ov = planTraining(sys, model, job("nemo", true)).stages[0].overlap!;
    const rho = ov.dpHiddenCostS(1, 2);
    expect(rho).toBeGreaterThan(0);
    expect(rho).toBeLessThan(1);
    for (const [comm, compute] of [
      [0, 5],
      [1, 5],
      [5, 5],
      [8, 5],
    ])
      expect(Math.max(0, comm - compute) + ov.dpHiddenCostS(comm, compute)).toBeCloseTo(
        hidden(comm, compute, rho),
        12,
      );
    expect(ov.dpHiddenCostS(0, 5)).toBe(0);
  });

  it("MC2's per-GEMM scope shows more of a slowed collective than layer scope does", () => {
    const fused = planTraining(sys, model, job("mindspeed", true)).stages[0].overlap!;
    const layer = planTraining(sys, model, job("nemo", true)).stages[0].overlap!;
    expect(fused.tpS(true, 4)).toBeGreaterThan(layer.tpS(true, 4));
  });
});
