// MaxText's vocabulary tiling: each tile's logits GEMM and loss run again in the backward (custom VJP), and only when tiled.
import { describe, expect, it } from "vitest";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import { analyze } from "./analyze.js";
import { trainingEfficiency } from "./efficiency.js";
import { prepareTraining } from "./estimate.js";
import { KernelModel } from "./kernels.js";
import { outputLayerCost } from "./output-layer.js";
import { recipeFor } from "./precision.js";
import { tiledLogitsBytes, vocabTiledOutput } from "./vocab-tiling.js";

const sys = dgxB200(8);
const bf16 = recipeFor("bf16", undefined, "fp8-delayed");
const k = new KernelModel(sys.chip, trainingEfficiency(sys.chip), bf16, "fused");
const T = 32768;
const V = 262144;
const H = 3840;
const whole = outputLayerCost(k, T, V, H, false, 0);
const tiled = (n: number) => vocabTiledOutput(whole, outputLayerCost(k, T / n, V, H, false, 0), n);

describe("vocabulary tiling (MaxText num_vocab_tiling)", () => {
  it("is off at one tile: the plain output layer", () => {
    expect(tiled(1)).toBe(whole);
  });

  it("recomputes every tile's forward in the backward; the forward and the model FLOPs do not grow", () => {
    const t = tiled(16);
    const tile = outputLayerCost(k, T / 16, V, H, false, 0);
    expect(t.backwardS).toBeCloseTo(16 * (tile.forwardS + tile.backwardS), 12);
    // Tiles of 2,048 rows run the GEMM about as fast as the whole: the forward is about unchanged...
    expect(Math.abs(t.forwardS / whole.forwardS - 1)).toBeLessThan(0.05);
    // ...and the backward pays about one more forward (between 1.3x and 1.6x the plain backward).
    expect(t.backwardS / whole.backwardS).toBeGreaterThan(1.3);
    expect(t.backwardS / whole.backwardS).toBeLessThan(1.6);
    expect(t.flops).toBe(whole.flops);
  });

  it("where memory does not bind, makes the step slower, and more (smaller) tiles cost no less", () => {
    const job: TrainingConfig = {
      seqLength: 8192,
      globalBatchSize: 8,
      microBatchSize: 1,
      tp: 1,
      pp: 1,
      dp: 8,
      zero: 3,
      framework: "maxtext",
      precision: "bf16",
    };
    const model = resolveModel("llama3-8b");
    const plain = analyze(prepareTraining(sys, model, job));
    const four = analyze(prepareTraining(sys, model, { ...job, vocabTiles: 4 }));
    const many = analyze(prepareTraining(sys, model, { ...job, vocabTiles: 1024 }));
    expect(four.stepTimeS).toBeGreaterThan(plain.stepTimeS);
    expect(many.stepTimeS).toBeGreaterThanOrEqual(four.stepTimeS);
    expect(four.modelFlopsPerStep).toBe(plain.modelFlopsPerStep);
  });

  it("refuses a tile count that is not a whole number >= 1, naming the field", () => {
    for (const bad of [0, 2.5, -4]) {
      const r = trainingFile.safeParse({ seqLength: 4096, globalBatchSize: 8, vocabTiles: bad });
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error?.issues)).toContain("vocabTiles");
    }
  });

  it("keeps one tile of fp32 logits resident instead of all of them", () => {
    expect(tiledLogitsBytes(T, V, 1)).toBe(T * V * 4);
    expect(tiledLogitsBytes(T, V, 16)).toBe((T / 16) * V * 4);
    expect(tiledLogitsBytes(T, V, 0)).toBe(T * V * 4);
  });
});
