// Op-level selective checkpointing without the attention op on its save list: the attention forward rerun in the backward, nothing else moved, and the field refused where no op policy exists.
import { describe, expect, it } from "vitest";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { torchtitanFsdp8b } from "../../test/fixtures/training.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { estimateTraining, prepareTraining } from "./estimate.js";

const llama8b = resolveModel("llama3-8b");
const sys = dgxB200(8);
// torchao's B200 table as torchtitan ran it: FSDP2 over 8 GPUs, local batch 1 x 8,192, per-op SAC, compiled.
const job: TrainingConfig = { ...torchtitanFsdp8b, compile: true };

describe("op-level selective checkpointing that leaves attention off its save list", () => {
  it("adds exactly the layer's attention forward (time and FLOPs) to what selective recompute reruns", () => {
    const saved = layerCosts(prepareTraining(sys, llama8b, job)).dense;
    const rerun = layerCosts(prepareTraining(sys, llama8b, { ...job, opSacSavesAttention: false })).dense;
    expect(saved.attnF).toBeGreaterThan(0);
    expect(rerun.selectiveS - saved.selectiveS).toBeCloseTo(saved.attnF, 12);
    expect(rerun.selectiveFlops - saved.selectiveFlops).toBeCloseTo(saved.attnModelFlopsF, 0);
    // The forward and backward passes themselves are the same kernels.
    expect(rerun.attnF).toBe(saved.attnF);
    expect(rerun.gemmF).toBe(saved.gemmF);
    expect(rerun.attnB).toBe(saved.attnB);
  });

  it("makes the step longer by about one attention forward per layer, and null or true change nothing", () => {
    const base = estimateTraining(sys, llama8b, job);
    expect(estimateTraining(sys, llama8b, { ...job, opSacSavesAttention: null }).stepTimeS).toBe(
      base.stepTimeS,
    );
    expect(estimateTraining(sys, llama8b, { ...job, opSacSavesAttention: true }).stepTimeS).toBe(
      base.stepTimeS,
    );
    const rerun = estimateTraining(sys, llama8b, { ...job, opSacSavesAttention: false });
    const attnF = layerCosts(prepareTraining(sys, llama8b, job)).dense.attnF;
    const grown = rerun.stepTimeS - base.stepTimeS;
    // One micro-batch per step and 32 layers; the stage scales compute by the job's slowest-chip factor (a few per
    // cent) and communication hidden behind the longer backward may shrink, so the step grows by about the rerun.
    expect(grown).toBeGreaterThan(llama8b.layers * attnF * 0.9);
    expect(grown).toBeLessThan(llama8b.layers * attnF * 1.1);
    expect(rerun.hfu).toBeGreaterThan(base.hfu);
    expect(rerun.mfu).toBeLessThan(base.mfu);
  });

  it("has no effect without selective recompute", () => {
    for (const recompute of ["none", "full"] as const) {
      const a = estimateTraining(sys, llama8b, { ...job, recompute });
      const b = estimateTraining(sys, llama8b, { ...job, recompute, opSacSavesAttention: false });
      expect(b.stepTimeS).toBe(a.stepTimeS);
    }
  });

  it("is refused, naming the field, for a framework without an op-level policy", () => {
    let err: unknown;
    try {
      estimateTraining(sys, llama8b, {
        ...job,
        framework: "megatron-lm",
        zero: 1,
        opSacSavesAttention: false,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZettasimError);
    const issue = (err as ZettasimError).issues[0];
    expect(issue.path).toEqual(["training", "opSacSavesAttention"]);
    expect(issue.value).toBe(false);
    expect(issue.expected).toMatch(/op-level policy/);
  });
});
