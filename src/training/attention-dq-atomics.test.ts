// The fused attention backward's dQ accumulation (fp32 or 16-bit atomics): the CDNA kernel variant it selects, and its refusals.
import { describe, expect, it } from "vitest";
import { dgxH100 } from "../../test/fixtures/systems.js";
import { CDNA_ATTENTION } from "../catalog/families/cdna.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { layerCosts } from "./analyze.js";
import { fusedAttentionShape } from "./attention-dq-atomics.js";
import { estimateTraining, prepareTraining } from "./estimate.js";

// One 8-GPU MI325X node (Infinity Fabric, fully connected), as the MLPerf v6.0 MiTAC case describes it.
const mi325x = systemFromCaseHardware({
  chip: "mi325x",
  chips: 8,
  network: [{ name: "infinity-fabric", bandwidthGBps: 448, topology: "full-mesh" }],
});
const llama8b = resolveModel("llama3-8b");
// MLPerf Llama 3.1 8B on one node: MBS 2 of 8,192 tokens, GBS 32, FP8 delayed scaling, Megatron-Core.
const job: TrainingConfig = {
  seqLength: 8192,
  globalBatchSize: 32,
  microBatchSize: 2,
  precision: "fp8",
  precisionRecipe: "fp8-delayed",
  framework: "megatron-lm",
};

describe("the fused attention backward's dQ atomics", () => {
  it("null and fp32 are the default kernel: bit-identical predictions", () => {
    const base = estimateTraining(mi325x, llama8b, job).stepTimeS;
    expect(estimateTraining(mi325x, llama8b, { ...job, attentionDqAtomics: "fp32" }).stepTimeS).toBe(base);
    expect(estimateTraining(mi325x, llama8b, { ...job, attentionDqAtomics: null }).stepTimeS).toBe(base);
  });

  it("16-bit atomics on CDNA run the family's faster backward: attention faster, by no more than the curves' ratio", () => {
    const a32 = layerCosts(prepareTraining(mi325x, llama8b, job)).dense;
    const a16 = layerCosts(prepareTraining(mi325x, llama8b, { ...job, attentionDqAtomics: "16-bit" })).dense;
    const fb32 = a32.attnF + a32.attnB;
    const fb16 = a16.attnF + a16.attnB;
    expect(fb16).toBeLessThan(fb32);
    const rate = (a: { peakFraction: number; halfSeq: number }) =>
      (a.peakFraction * 8192) / (8192 + a.halfSeq);
    expect(fb32 / fb16).toBeCloseTo(rate(CDNA_ATTENTION.a16) / rate(CDNA_ATTENTION.a32), 6);
    // The step is faster, by less than the whole attention time saved per micro-batch x micro-batches x layers.
    const s32 = estimateTraining(mi325x, llama8b, job).stepTimeS;
    const s16 = estimateTraining(mi325x, llama8b, { ...job, attentionDqAtomics: "16-bit" }).stepTimeS;
    expect(s16).toBeLessThan(s32);
    expect(s32 - s16).toBeLessThanOrEqual((fb32 - fb16) * 2 * 32 * 1.5);
  });

  it("picks the family's variant only when asked, and the default where the family has none", () => {
    const cdna = chipFamily("cdna").training;
    expect(fusedAttentionShape(cdna, false)).toBe(cdna.attention.fused);
    expect(fusedAttentionShape(cdna, true)).toBe(cdna.attention.fused16BitDqAtomics);
    const hopper = chipFamily("hopper").training;
    expect(fusedAttentionShape(hopper, true)).toBe(hopper.attention.fused);
  });

  it("refuses 16-bit on a family without the variant, and with a non-fused attention class, naming the field", () => {
    const h100 = dgxH100(8);
    expect(estimateTraining(h100, llama8b, { ...job, attentionDqAtomics: "fp32" }).stepTimeS).toBeGreaterThan(
      0,
    );
    for (const [sys, t] of [
      [h100, { ...job, attentionDqAtomics: "16-bit" }],
      [mi325x, { ...job, attentionDqAtomics: "16-bit", attentionBackend: "sdpa" }],
    ] as const) {
      let err: unknown;
      try {
        estimateTraining(sys, llama8b, t as TrainingConfig);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ZettasimError);
      const issue = (err as ZettasimError).issues[0];
      expect(issue.path).toEqual(["training", "attentionDqAtomics"]);
      expect(issue.value).toBe("16-bit");
      expect(issue.expected).toMatch(/fp32/);
    }
  });
});
