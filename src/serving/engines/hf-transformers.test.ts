// HF transformers generate() profile: the generic engine's host figures, but in series with the device; DeepSpeed AutoTP's whole LM head on every rank.
import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad, prefillOnlyLoad } from "../../../test/fixtures/serving.js";
import { chipFamily } from "../../catalog/families/index.js";
import { resolveModel } from "../../catalog/models-resolve.js";
import { resolveChip, resolveSystem } from "../../catalog/resolve.js";
import { systemFromCaseHardware } from "../../validate/hardware.js";
import { InstanceCost } from "../cost.js";
import { GENERIC_ENGINE } from "./generic.js";
import { HF_TRANSFORMERS } from "./hf-transformers.js";
import { engineLineage, servingEngine } from "./index.js";
import type { ServingEngine } from "./types.js";

const llama = resolveModel("llama3-70b");
/** One Atlas 800I A2 as the torchair cases enter it: 8 x 910B4-1 on the HCCS full mesh. */
const hccs = [{ name: "hccs", groupSize: 8, bandwidthGBps: 196, topology: "full-mesh" as const }];
const atlas = systemFromCaseHardware({ chip: "ascend-910b4-1", chips: 8, network: hccs });
const layout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
const cost = (engine: ServingEngine) =>
  new InstanceCost(llama, atlas, layout, costOptions({ precision: "bf16", engine }));
const step = (engine: ServingEngine, seqs: number) => cost(engine).step(decodeOnlyLoad(seqs, 1536), seqs);
/** The generic engine with the head replicated as hf-transformers has it: the host test compares like device work. */
const genericWholeHead: ServingEngine = { ...GENERIC_ENGINE, lmHeadReplicated: true };

describe("hf-transformers engine (generate() with a graph-compiled forward)", () => {
  it("is registered and derives from generic, so chip families' generic figures reach it", () => {
    expect(servingEngine("hf-transformers")).toBe(HF_TRANSFORMERS);
    expect(engineLineage(HF_TRANSFORMERS)).toEqual(["hf-transformers", "generic"]);
    expect(HF_TRANSFORMERS.decodeGraphs).toBe(true);
    expect(HF_TRANSFORMERS.defaultLayout).toBe("tensor-parallel");
    expect(HF_TRANSFORMERS.lmHeadReplicated).toBe(true);
    expect(GENERIC_ENGINE.lmHeadReplicated).toBeUndefined();
  });
  it("adds its host time to the device step where the generic engine hides it (the per-step sync, PR 22875)", () => {
    // On the A3 SuperPoD (910C dies), whose family keeps the engines' own host figures.
    const a3 = resolveSystem("atlas-900-a3-superpod");
    const a3Step = (engine: ServingEngine, seqs: number) =>
      new InstanceCost(llama, a3, layout, costOptions({ precision: "bf16", engine })).step(
        decodeOnlyLoad(seqs, 1536),
        seqs,
      );
    for (const seqs of [1, 8, 32]) {
      const hidden = a3Step(genericWholeHead, seqs);
      const serial = a3Step(HF_TRANSFORMERS, seqs);
      const host = HF_TRANSFORMERS.hostStepS + seqs * HF_TRANSFORMERS.hostPerSeqS;
      // Same device work: the forward replays as a graph under both.
      expect(serial.computeS).toBeCloseTo(hidden.computeS, 12);
      // A 70B step on 8 NPUs lasts far longer than the host's 1 ms, so overlapped it is the device alone.
      expect(hidden.timeS).toBeGreaterThan(host);
      expect(serial.timeS - hidden.timeS).toBeCloseTo(host, 12);
    }
  });
});

describe("LM head replicated on every TP rank (DeepSpeed AutoTP without a checkpoint description)", () => {
  const headBytes = llama.vocabSize * llama.hiddenSize * 2;
  const chip = resolveChip("ascend-910b4-1");
  const streamBps = chip.memoryBandwidthBytesPerS * chipFamily("ascend-910").serving.weightStreaming;
  it("a memory-bound decode step streams the (tp-1)/tp of the head the shards left out: longer by that at the streaming rate", () => {
    for (const seqs of [1, 8]) {
      const sharded = step(GENERIC_ENGINE, seqs);
      const whole = step(genericWholeHead, seqs);
      const extra = (headBytes * (1 - 1 / layout.tp)) / streamBps;
      expect(whole.computeS - sharded.computeS).toBeCloseTo(extra, 6);
    }
  });
  it("gathers no logits: its communication is the sharded head's less the gather", () => {
    const sharded = step(GENERIC_ENGINE, 8);
    const whole = step(genericWholeHead, 8);
    expect(whole.commS).toBeLessThan(sharded.commS);
    expect(whole.commS).toBeGreaterThan(0); // the layers' all-reduces remain
  });
  it("reproduces the weight size per NPU the torchair Llama README published for Llama 3 70B at TP 8", () => {
    // npu_tuned_model/llm/llama/README.md at e5391fc8 / 326067a2 (removed in c0c2ef82): 'llama3网络 权重（19.8543G）',
    // the 48-batch OOM note of the 8-NPU graph-mode run. Whole vocabulary tables on each rank give it; sharded ones
    // would give 16.43 GiB.
    const gib = (engine: ServingEngine) => cost(engine).weightBytesPerChip() / 2 ** 30;
    expect(Math.abs(gib(HF_TRANSFORMERS) / 19.8543 - 1)).toBeLessThan(5e-4);
    expect(gib(GENERIC_ENGINE)).toBeLessThan(0.85 * 19.8543);
  });
  it("holds both vocabulary tables whole on every chip", () => {
    const tables = 2 * headBytes;
    const diff = cost(genericWholeHead).weightBytesPerChip() - cost(GENERIC_ENGINE).weightBytesPerChip();
    expect(diff).toBeCloseTo(tables * (1 - 1 / layout.tp), -3);
  });
  it("changes nothing on one chip (tp 1: the head is whole either way)", () => {
    const one = systemFromCaseHardware({ chip: "ascend-910b4-1", chips: 1, network: hccs });
    const l1 = { chips: 1, tp: 1, attentionDp: 1, ep: 1 };
    const opts = (engine: ServingEngine) => costOptions({ precision: "bf16", engine });
    const a = new InstanceCost(llama, one, l1, opts(GENERIC_ENGINE)).step(prefillOnlyLoad(1024), 1024);
    const b = new InstanceCost(llama, one, l1, opts(genericWholeHead)).step(prefillOnlyLoad(1024), 1024);
    expect(b.timeS).toBe(a.timeS);
  });
});
