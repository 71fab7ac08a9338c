// Vocabulary tiling on its own: the tile count's checks, the output layer's forward rerun in the backward, and the logits memory it saves.
import { describe, expect, it } from "vitest";
import { dgxH100 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { outputLayerCost } from "./output-layer.js";
import { resolveVocabTiles, vocabTilingRerunS } from "./vocab-tiling.js";

const llama8b = resolveModel("llama3-8b");
const sys = dgxH100(8);
const job: TrainingConfig = {
  seqLength: 8192,
  globalBatchSize: 16,
  microBatchSize: 1,
  precision: "bf16",
  framework: "megatron-lm",
  zero: 1,
};

describe("vocabulary tiling", () => {
  it("is one tile when not published, and refuses a count that does not divide the micro-batch's tokens", () => {
    expect(resolveVocabTiles(undefined, 8192, ["training", "vocabTiles"])).toBe(1);
    expect(resolveVocabTiles(null, 8192, ["training", "vocabTiles"])).toBe(1);
    expect(resolveVocabTiles(16, 8192, ["training", "vocabTiles"])).toBe(16);
    let err: unknown;
    try {
      estimateTraining(sys, llama8b, { ...job, vocabTiles: 3 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZettasimError);
    const issue = (err as ZettasimError).issues[0];
    expect(issue.path).toEqual(["training", "vocabTiles"]);
    expect(issue.value).toBe(3);
    expect(issue.expected).toMatch(/dividing 8192/);
  });

  it("reruns the output layer's forward once in the backward, whatever the tile count above one", () => {
    const k = layerCosts(prepareTraining(sys, llama8b, job)).kernels;
    const out = outputLayerCost(k, 8192, llama8b.vocabSize, llama8b.hiddenSize, false, 1);
    expect(vocabTilingRerunS(out, 1)).toBe(0);
    expect(vocabTilingRerunS(out, 4)).toBe(out.forwardS);
    expect(vocabTilingRerunS(out, 16)).toBe(out.forwardS);
  });

  it("makes the step longer by the rerun per micro-batch and holds one tile's logits", () => {
    const one = estimateTraining(sys, llama8b, job);
    const four = estimateTraining(sys, llama8b, { ...job, vocabTiles: 4 });
    const k = layerCosts(prepareTraining(sys, llama8b, job)).kernels;
    const out = outputLayerCost(k, 8192, llama8b.vocabSize, llama8b.hiddenSize, false, 1);
    // Two micro-batches a step, each rerunning the forward; the stage scales its compute by the job's slowest-chip
    // factor (a few per cent), so the step grows by at least the rerun and by not much more.
    const grown = four.breakdownS.computeS - one.breakdownS.computeS;
    expect(grown).toBeGreaterThanOrEqual(2 * out.forwardS * 0.999);
    expect(grown).toBeLessThanOrEqual(2 * out.forwardS * 1.05);
    // fp32 logits of the micro-batch: 8192 x 128256 x 4 bytes whole, a quarter of that with four tiles.
    const saved = one.memoryBreakdownBytes.activationsBytes - four.memoryBreakdownBytes.activationsBytes;
    expect(saved).toBeCloseTo((8192 * llama8b.vocabSize * 4 * 3) / 4, -3);
  });
});
