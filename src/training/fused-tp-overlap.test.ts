// Tests of MC2's per-matmul TP overlap (fused-tp-overlap.ts).
import { describe, expect, it } from "vitest";
import { llama70bTp8Layout } from "../../test/fixtures/jobs.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { estimateTraining } from "./estimate.js";
import { type FusedTpGemms, fusedTpBackwardS, fusedTpForwardS } from "./fused-tp-overlap.js";
import { hidden } from "./moe.js";

const g = (qkv: number, out: number, up: number, down: number): FusedTpGemms => ({
  tpPairQkvF: qkv,
  tpPairOutF: out,
  tpPairUpF: up,
  tpPairDownF: down,
  tpPairBlocks: 2,
});

describe("fused per-matmul TP overlap (MC2)", () => {
  it("charges only the overlap cost when every matmul outlasts its collective", () => {
    expect(fusedTpForwardS(g(2, 2, 2, 2), 1, 1, 1, 0.15)).toBeCloseTo(4 * 0.15, 12);
    expect(fusedTpBackwardS(g(2, 2, 2, 2), 1, 1, 1, 0.15)).toBeCloseTo(6 * 0.15, 12);
  });

  it("pairs the attention projections alone in an MoE layer whose MLP is not MC2", () => {
    const attnOnly = { ...g(2, 2, 0, 0), tpPairBlocks: 1 };
    expect(fusedTpForwardS(attnOnly, 1, 1, 1, 0.15)).toBeCloseTo(2 * 0.15, 12);
    expect(fusedTpBackwardS(attnOnly, 1, 1, 1, 0.15)).toBeCloseTo(3 * 0.15, 12);
    // The same projections with an MLP pair of zero-length matmuls would expose the MLP's collectives whole.
    expect(fusedTpForwardS(g(2, 2, 0, 0), 1, 1, 1, 0.15)).toBeCloseTo(2 * 0.15 + 2, 12);
  });

  it("shows a collective's excess over its own matmul even when the layer's GEMMs together would hide it", () => {
    // Small attention projections, large MLP ones: whole-layer overlap hides all four collectives (sum 11 > 4).
    const layer = g(0.25, 0.25, 2, 0.5);
    const wholeLayer = hidden(4, 0.25 + 0.25 + 2 + 0.5 + 8, 0.15);
    const fused = fusedTpForwardS(layer, 1, 1, 1, 0.15);
    expect(fused).toBeGreaterThan(wholeLayer);
    // qkv, out: 0.75 + 0.15 x 0.25 each; up: 0.15 x 1; down: 0.5 + 0.15 x 0.5.
    expect(fused).toBeCloseTo(2 * (0.75 + 0.0375) + 0.15 + 0.575, 12);
  });

  it("never exceeds the collectives run serially and falls as the matmuls grow", () => {
    let prev = Number.POSITIVE_INFINITY;
    for (const m of [0, 0.2, 0.5, 1, 2, 4]) {
      const f = fusedTpForwardS(g(m, m, m, m), 1, 1, 1, 0.15);
      const b = fusedTpBackwardS(g(m, m, m, m), 1, 1, 1, 0.15);
      expect(f).toBeLessThanOrEqual(4 + 1e-12);
      expect(b).toBeLessThanOrEqual(6 + 1e-12);
      expect(f).toBeLessThanOrEqual(prev);
      prev = f;
    }
    expect(fusedTpForwardS(g(0, 0, 0, 0), 1, 1, 1, 0.15)).toBeCloseTo(4, 12);
  });

  it("a slower chip hides more behind its longer matmuls", () => {
    expect(fusedTpForwardS(g(0.5, 0.5, 0.5, 0.5), 1, 1, 1.5, 0.15)).toBeLessThan(
      fusedTpForwardS(g(0.5, 0.5, 0.5, 0.5), 1, 1, 1, 0.15),
    );
  });
});

describe("in a step (MindSpeed's profile pairs per matmul)", () => {
  const sys = dgxB200(16);
  const model = resolveModel("llama3-70b");
  const run = (framework: "mindspeed" | "nemo", tpComm: boolean, sequenceParallel = true) =>
    estimateTraining(sys, model, {
      ...llama70bTp8Layout,
      recompute: "none",
      precision: "bf16",
      framework,
      sequenceParallel,
      overlap: { tpComm, dpComm: false },
    }).breakdownS.tpCommS;

  it("exposes more TP time than the layer-scope overlap, and no more than no overlap at all", () => {
    const fused = run("mindspeed", true);
    expect(fused).toBeGreaterThan(run("nemo", true));
    expect(fused).toBeLessThan(run("mindspeed", false));
  });

  it("leaves runs without sequence parallelism (no MC2) to the layer-scope rule", () => {
    expect(run("mindspeed", true, false)).toBeCloseTo(run("nemo", true, false), 9);
  });
});
