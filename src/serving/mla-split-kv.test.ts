// The Triton split-KV MLA decode rate on CDNA: the family figures against the data file, the call's shape, its errors and its place in a decode step.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costOptions, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { CDNA_TRITON_MLA_DECODE } from "../catalog/families/cdna.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { efficiencyFor } from "./efficiency.js";
import { checkMlaSplitKvRate, mlaSplitKvCallS, splitKvGroupTokenS } from "./mla-split-kv.js";

const data = JSON.parse(
  readFileSync(
    new URL("../../data/kernels/cdna-mla-triton-decode-tilelang-2025.json", import.meta.url),
    "utf8",
  ),
) as {
  sections: {
    triton_mla_decode_mi300x: {
      heads: number;
      blockHeads: number;
      flopsPerHeadToken: number;
      seqlens: number[];
      tflopsByBatch: Record<string, number[]>;
    };
  };
};
const sec = data.sections.triton_mla_decode_mi300x;
const r = CDNA_TRITON_MLA_DECODE;

describe("CDNA_TRITON_MLA_DECODE", () => {
  it("is the data file's batch-128 Triton bars: mean KV seqlen + 127, 16 x 2,176 FLOPs over the rate", () => {
    expect(r.blockHeads).toBe(sec.blockHeads);
    expect(r.kvTokens).toEqual(sec.seqlens.map((s) => s + 127));
    sec.tflopsByBatch["128"].forEach((tf, i) => {
      expect(r.groupTokenS[i]).toBeCloseTo((sec.blockHeads * sec.flopsPerHeadToken) / (tf * 1e12), 18);
    });
    expect(sec.flopsPerHeadToken).toBe((576 + 512) * 2);
  });
  it("reproduces the figure's call time (128 heads, batch 128, 4K: 34 TFLOPS)", () => {
    const kv = 4096 + 127;
    const flops = 128 * kv * 128 * sec.flopsPerHeadToken;
    expect(mlaSplitKvCallS(r, 128, 128, kv)).toBeCloseTo(flops / 34e12, 12);
  });
  it("is a valid rate and belongs to the releases that ran it on CDNA only (SGLang 0.4.2, vLLM V0)", () => {
    expect(() => checkMlaSplitKvRate(r, ["cdna"])).not.toThrow();
    const mi300x = resolveSystem("mi300x-cluster").chip;
    expect(efficiencyFor(mi300x, undefined, "sglang-0.4.2").mlaDecodeSplitKv).toBe(r);
    expect(efficiencyFor(mi300x, undefined, "vllm-v0").mlaDecodeSplitKv).toBe(r);
    // Today's SGLang and vLLM run aiter's MLA in their ROCm images: not this rate.
    expect(efficiencyFor(mi300x, undefined, "sglang").mlaDecodeSplitKv).toBeUndefined();
    expect(efficiencyFor(mi300x, undefined, "vllm").mlaDecodeSplitKv).toBeUndefined();
    expect(efficiencyFor(mi300x).mlaDecodeSplitKv).toBeUndefined();
    const b200 = resolveSystem("gb200-nvl72").chip;
    expect(efficiencyFor(b200, undefined, "sglang-0.4.2").mlaDecodeSplitKv).toBeUndefined();
  });
});

describe("splitKvGroupTokenS", () => {
  it("returns the measured points, interpolates in log KV between them and holds the edges", () => {
    r.kvTokens.forEach((kv, i) => {
      expect(splitKvGroupTokenS(r, kv)).toBeCloseTo(r.groupTokenS[i], 18);
    });
    const mid = splitKvGroupTokenS(r, Math.sqrt(r.kvTokens[1] * r.kvTokens[2]));
    expect(mid).toBeCloseTo((r.groupTokenS[1] + r.groupTokenS[2]) / 2, 18);
    expect(splitKvGroupTokenS(r, 10)).toBe(r.groupTokenS[0]);
    expect(splitKvGroupTokenS(r, 1e6)).toBe(r.groupTokenS[4]);
  });
  it("never rises with the KV length (longer splits amortise each program), yet the call still grows with KV", () => {
    let prevRate = Number.POSITIVE_INFINITY;
    let prevCall = 0;
    for (let kv = 256; kv <= 65536; kv *= 1.25) {
      const rate = splitKvGroupTokenS(r, kv);
      const call = mlaSplitKvCallS(r, 16, 64, kv);
      expect(rate).toBeLessThanOrEqual(prevRate);
      expect(call).toBeGreaterThan(prevCall);
      prevRate = rate;
      prevCall = call;
    }
  });
});

describe("mlaSplitKvCallS", () => {
  it("is 0 without sequences or KV", () => {
    expect(mlaSplitKvCallS(r, 16, 0, 3600)).toBe(0);
    expect(mlaSplitKvCallS(r, 16, 10, 0)).toBe(0);
  });
  it("is linear in sequences and counts whole head groups (16 heads one group, 17 two, 128 eight)", () => {
    const one = mlaSplitKvCallS(r, 16, 1, 3600);
    expect(mlaSplitKvCallS(r, 16, 100, 3600)).toBeCloseTo(100 * one, 15);
    expect(mlaSplitKvCallS(r, 8, 1, 3600)).toBeCloseTo(one, 18);
    expect(mlaSplitKvCallS(r, 17, 1, 3600)).toBeCloseTo(2 * one, 18);
    expect(mlaSplitKvCallS(r, 128, 1, 3600)).toBeCloseTo(8 * one, 18);
  });
  it("streams the latent far below the MI300X's HBM (0.5-2 TB/s of 5.3 at 1-16K)", () => {
    for (const kv of r.kvTokens) {
      const bytesPerS = (1152 * kv) / mlaSplitKvCallS(r, 16, 1, kv);
      expect(bytesPerS).toBeGreaterThan(0.5e12);
      expect(bytesPerS).toBeLessThan(2e12);
    }
  });
});

describe("checkMlaSplitKvRate", () => {
  const bad = (over: object, field: string) => {
    try {
      checkMlaSplitKvRate({ ...r, ...over }, ["serving", "mlaDecodeSplitKv"]);
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).message).toContain(field);
      return;
    }
    throw new Error(`accepted a bad ${field}`);
  };
  it("names the field of a bad rate", () => {
    bad({ blockHeads: 0 }, "blockHeads");
    bad({ blockHeads: 1.5 }, "blockHeads");
    bad({ kvTokens: [1024], groupTokenS: [1e-9] }, "kvTokens");
    bad({ kvTokens: [2048, 1024, 4096, 8192, 16384] }, "kvTokens");
    bad({ groupTokenS: [1e-9, 1e-9] }, "groupTokenS");
    bad({ groupTokenS: [1e-9, Number.NaN, 1e-9, 1e-9, 1e-9] }, "groupTokenS");
  });
  it("is applied when a step is priced with a bad rate", () => {
    const bad = { mlaDecodeSplitKv: { ...r, blockHeads: -1 } };
    const sys = resolveSystem("mi300x-cluster");
    const opts = costOptions({ engine: deviceOnlyEngine("sglang") });
    const layout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
    expect(() => new InstanceCost(resolveModel("deepseek-v3"), sys, layout, opts, bad)).toThrow(/blockHeads/);
  });
});

describe("in a decode step on MI300X", () => {
  const r1 = resolveModel("deepseek-v3");
  const llama = resolveModel("llama3-70b");
  const sys = resolveSystem("mi300x-cluster");
  const layout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
  const load = (seqs: number, kv = 3600, draft = 0): RankLoad => ({
    prefillTokens: 0,
    prefillPairs: 0,
    decodeSeqs: seqs,
    decodeKvTokens: seqs * kv,
    logitTokens: seqs * (1 + draft),
    draftTokens: draft,
  });
  const sg = costOptions({ engine: deviceOnlyEngine("sglang-0.4.2") });
  const off = { mlaDecodeSplitKv: undefined };
  it("charges each MLA layer's core at least the split-KV call (100 x 3,600, 16 heads per rank: one group)", () => {
    const a = new InstanceCost(r1, sys, layout, sg).step(load(100), 100);
    const b = new InstanceCost(r1, sys, layout, sg, off).step(load(100), 100);
    expect(a.attentionCoreS).toBeGreaterThan(b.attentionCoreS);
    expect(a.attentionCoreS).toBeCloseTo(
      Math.max(b.attentionCoreS, r1.layers * mlaSplitKvCallS(r, 16, 100, 3600)),
      12,
    );
    expect(a.timeS).toBeGreaterThan(b.timeS);
  });
  it("grows with the sequences and the KV length, and never lowers a step", () => {
    let prev = 0;
    for (const seqs of [1, 4, 16, 64, 128]) {
      const s = new InstanceCost(r1, sys, layout, sg).step(load(seqs), seqs);
      const base = new InstanceCost(r1, sys, layout, sg, off).step(load(seqs), seqs);
      expect(s.timeS).toBeGreaterThanOrEqual(base.timeS);
      expect(s.attentionCoreS).toBeGreaterThan(prev);
      prev = s.attentionCoreS;
    }
    const short = new InstanceCost(r1, sys, layout, sg).step(load(64, 1024), 64);
    const long = new InstanceCost(r1, sys, layout, sg).step(load(64, 8192), 64);
    expect(long.attentionCoreS).toBeGreaterThan(short.attentionCoreS);
  });
  it("leaves GQA models, other engines and verify passes with drafts at the roofline", () => {
    const gen = costOptions({ engine: deviceOnlyEngine("generic") });
    for (const [m, o, l] of [
      [llama, sg, load(64)],
      [r1, gen, load(64)],
      [r1, sg, load(8, 3600, 2)],
    ] as const) {
      const a = new InstanceCost(m, sys, layout, o).step(l, 64);
      const b = new InstanceCost(m, sys, layout, o, off).step(l, 64);
      expect(a.attentionCoreS).toBe(b.attentionCoreS);
    }
  });
});
