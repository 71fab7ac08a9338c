// Draft passes of a speculative step: the rows each pass carries, the draft-extend pass over the verified window, and that more drafts never make a step faster.

import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { draftPassRowsPerSeq } from "./draft-passes.js";
import { servingEngine } from "./engines/index.js";
import type { ServingEngine } from "./engines/types.js";

const decode = (seqs: number, draftTokens: number): RankLoad => decodeOnlyLoad(seqs, 3000, draftTokens);
const cost = (engine: Partial<ServingEngine>, model = "llama3-70b") =>
  new InstanceCost(
    resolveModel(model),
    resolveSystem("dgx-h100-superpod"),
    { chips: 8, tp: 8, attentionDp: 1, ep: 1 },
    costOptions({ engine: deviceOnlyEngine("sglang", engine) }),
  );

describe("draftPassRowsPerSeq", () => {
  it("runs one pass per draft token, the first over the verified window when the engine extends", () => {
    expect(draftPassRowsPerSeq(0, true)).toEqual([]);
    expect(draftPassRowsPerSeq(3, true)).toEqual([4, 1, 1]);
    expect(draftPassRowsPerSeq(3, false)).toEqual([1, 1, 1]);
    expect(draftPassRowsPerSeq(1, true)).toEqual([2]);
  });
  it("rejects a draft count that is not a whole number >= 0, naming the field", () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => draftPassRowsPerSeq(bad, true)).toThrow(ZettasimError);
      expect(() => draftPassRowsPerSeq(bad, true)).toThrow(/draftTokens/);
    }
  });
});

describe("which engines run the draft-extend pass", () => {
  it("SGLang and vLLM's V1 engines (and the vLLM-Ascend plugin on V1) extend; V0 and the others run one-row passes", () => {
    for (const id of ["sglang", "vllm", "vllm-0.10", "vllm-ascend-0.9"])
      expect(servingEngine(id).draftExtendsVerified).toBe(true);
    for (const id of ["vllm-v0", "trtllm", "generic", "mindie", "xdeepserve"])
      expect(servingEngine(id).draftExtendsVerified ?? false).toBe(false);
  });
});

describe("draft passes in the step cost", () => {
  it("SGLang's draft-extend pass costs more than a one-row pass, more so at a large batch, and stays under a verify pass", () => {
    const extend = cost({ draftExtendsVerified: true });
    const plain = cost({ draftExtendsVerified: false });
    const gap = (seqs: number) =>
      extend.step(decode(seqs, 3), seqs * 4).draftS - plain.step(decode(seqs, 3), seqs * 4).draftS;
    expect(gap(1)).toBeGreaterThanOrEqual(0);
    expect(gap(256)).toBeGreaterThan(gap(1));
    // The three draft passes (one layer each) stay far below the verify pass over every layer.
    const s = extend.step(decode(256, 3), 1024);
    expect(s.draftS).toBeLessThan(0.5 * (s.timeS - s.draftS));
  });
  it("at acceptance 1 (one token gained per step) more drafts never give a faster step", () => {
    for (const engine of [{ draftExtendsVerified: true }, { draftExtendsVerified: false }]) {
      for (const model of ["llama3-70b", "deepseek-v3"]) {
        const c = cost(engine, model);
        for (const seqs of [1, 8, 64, 256]) {
          let prev = 0;
          for (let d = 0; d <= 6; d++) {
            const t = c.step(decode(seqs, d), seqs * (1 + d)).timeS;
            expect(t).toBeGreaterThanOrEqual(prev);
            prev = t;
          }
        }
      }
    }
  });
});
