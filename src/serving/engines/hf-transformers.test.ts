// HF transformers generate() profile: the generic engine's host figures, but in series with the device.
import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad } from "../../../test/fixtures/serving.js";
import { resolveModel } from "../../catalog/models-resolve.js";
import { resolveSystem } from "../../catalog/resolve.js";
import { InstanceCost } from "../cost.js";
import { GENERIC_ENGINE } from "./generic.js";
import { HF_TRANSFORMERS } from "./hf-transformers.js";
import { engineLineage, servingEngine } from "./index.js";

const llama = resolveModel("llama3-70b");
const atlas = resolveSystem("atlas-900-a3-superpod");
const layout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
const step = (engine: typeof GENERIC_ENGINE, seqs: number) =>
  new InstanceCost(llama, atlas, layout, costOptions({ precision: "bf16", engine })).step(
    decodeOnlyLoad(seqs, 1536),
    seqs,
  );

describe("hf-transformers engine (generate() with a graph-compiled forward)", () => {
  it("is registered and derives from generic, so chip families' generic figures reach it", () => {
    expect(servingEngine("hf-transformers")).toBe(HF_TRANSFORMERS);
    expect(engineLineage(HF_TRANSFORMERS)).toEqual(["hf-transformers", "generic"]);
    expect(HF_TRANSFORMERS.decodeGraphs).toBe(true);
    expect(HF_TRANSFORMERS.defaultLayout).toBe("tensor-parallel");
  });
  it("adds its host time to the device step where the generic engine hides it (the per-step sync, PR 22875)", () => {
    for (const seqs of [1, 8, 32]) {
      const hidden = step(GENERIC_ENGINE, seqs);
      const serial = step(HF_TRANSFORMERS, seqs);
      const host = HF_TRANSFORMERS.hostStepS + seqs * HF_TRANSFORMERS.hostPerSeqS;
      // Same device work: the forward replays as a graph under both.
      expect(serial.computeS).toBeCloseTo(hidden.computeS, 12);
      // A 70B step on 8 NPUs lasts far longer than the host's 1 ms, so overlapped it is the device alone.
      expect(hidden.timeS).toBeGreaterThan(host);
      expect(serial.timeS - hidden.timeS).toBeCloseTo(host, 12);
    }
  });
});
