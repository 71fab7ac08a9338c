// SGL-JAX's ragged paged attention on TPU: the decode call line and the prefill rate recomputed from its published v6e kernel table, the line's formula and bounds, and where the cost model applies them.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  fitTpuKernels,
  type RpaDecodeRow,
  rpaFitRows,
  rpaKvBytesPerSequence,
  rpaPrefillFlopsPerS,
} from "../../scripts/fit/kernels-tpu.js";
import { decodeOnlyLoad } from "../../test/fixtures/serving.js";
import { SGLJAX_RPA_ATTENTION_COMPUTE, SGLJAX_RPA_DECODE, TPU } from "../catalog/families/tpu.js";
import { resolveChip } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { prepareServingCase } from "../validate/serving.js";
import { InstanceCost } from "./cost.js";
import { checkRaggedDecodeLine, raggedDecodeCallS, raggedDecodeLineFor } from "./ragged-decode.js";

type Row = RpaDecodeRow;
const data = JSON.parse(
  readFileSync(new URL("../../data/kernels/sgljax-rpa-v6e-published.json", import.meta.url), "utf8"),
) as { sections: Record<string, { rows: Row[] }> };
const bytesOf = rpaKvBytesPerSequence;
const hbm = resolveChip("tpu-v6e").memoryBandwidthBytesPerS;
/** What scripts/fit/kernels-tpu.ts (run by `npm run fit`) computes from the data file now. */
const fitted = fitTpuKernels();

describe("SGL-JAX's RPA decode line on TPU v6e (data/kernels/sgljax-rpa-v6e-published.json)", () => {
  const jan = rpaFitRows().decode;

  it("is the least-squares line through the page-128 trace rows (scripts/fit/kernels-tpu.ts), each within 9%", () => {
    expect(jan).toHaveLength(8);
    expect(SGLJAX_RPA_DECODE.perSeqS).toBe(fitted["raggedDecodeCall.perSeqS"]);
    expect(SGLJAX_RPA_DECODE.hbmFraction).toBe(fitted["raggedDecodeCall.hbmFraction"]);
    for (const r of jan) {
      const t = raggedDecodeCallS(SGLJAX_RPA_DECODE, r.sequences, r.sequences * bytesOf(r), r.kvHeads, hbm);
      expect(Math.abs((t as number) / (r.kernelMs * 1e-3) - 1)).toBeLessThan(0.09);
    }
    // the measured heads per chip bound where it applies
    expect(SGLJAX_RPA_DECODE.maxKvHeadsPerRank).toBe(Math.max(...jan.map((r) => r.kvHeads)));
  });

  it("agrees with the April-2026 kernel's 2-KV-head rows within 5% (a later kernel, not used to set it)", () => {
    const apr = data.sections.rpa_v6e_trace_2026_04.rows.filter(
      (r) => r.pageTokens === 128 && r.kvHeads === 2,
    );
    expect(apr.length).toBe(2);
    for (const r of apr) {
      const t = raggedDecodeCallS(SGLJAX_RPA_DECODE, r.sequences, r.sequences * bytesOf(r), 2, hbm) as number;
      expect(Math.abs(t / (r.kernelMs * 1e-3) - 1)).toBeLessThan(0.05);
    }
  });

  it("stops at 4 KV heads: the 2025 kernel's 8-head marginal time per sequence is below the line's", () => {
    const nov = data.sections.rpa_v6e_wallclock_2025_11.rows.filter(
      (r) => r.pageTokens === 128 && r.kvHeads === 8,
    );
    const [r32, r128] = [nov.find((r) => r.sequences === 32), nov.find((r) => r.sequences === 128)] as Row[];
    // the cache copy both rows pay cancels in the difference
    const marginal = ((r128.kernelMs - r32.kernelMs) * 1e-3) / (r128.sequences - r32.sequences);
    expect(marginal).toBeGreaterThan(5.7e-6);
    expect(marginal).toBeLessThan(5.9e-6);
    const lineAt8 = SGLJAX_RPA_DECODE.perSeqS + (8 * 1540 * 512) / (SGLJAX_RPA_DECODE.hbmFraction * hbm);
    expect(lineAt8).toBeGreaterThan(marginal * 1.15);
    expect(raggedDecodeCallS(SGLJAX_RPA_DECODE, 10, 1e6, 8, hbm)).toBeUndefined();
  });

  it("is a fixed time per sequence plus bytes: 0 with no sequence, growing with sequences and bytes", () => {
    const L = SGLJAX_RPA_DECODE;
    expect(raggedDecodeCallS(L, 0, 0, 2, hbm)).toBe(0);
    expect(raggedDecodeCallS(L, 1, 0, 2, hbm)).toBeCloseTo(L.perSeqS, 15);
    expect(raggedDecodeCallS(L, 0, 5e6, 2, hbm)).toBe(0);
    let last = 0;
    for (const seqs of [1, 8, 64, 256]) {
      const t = raggedDecodeCallS(L, seqs, seqs * 1.6e6, 2, hbm) as number;
      expect(t).toBeGreaterThan(last);
      last = t;
    }
    const a = raggedDecodeCallS(L, 64, 1e8, 2, hbm) as number;
    const b = raggedDecodeCallS(L, 64, 2e8, 2, hbm) as number;
    expect(b - a).toBeCloseTo(1e8 / (L.hbmFraction * hbm), 12);
    // never faster than the bytes at the chip's full HBM bandwidth
    expect(a).toBeGreaterThan(1e8 / hbm);
  });

  it("names a bad line's field, value and what was expected", () => {
    const bad = (over: object, field: string) => {
      try {
        checkRaggedDecodeLine({ ...SGLJAX_RPA_DECODE, ...over }, ["efficiency", "raggedDecodeCall"]);
        throw new Error("no error");
      } catch (e) {
        expect(e).toBeInstanceOf(ZettasimError);
        expect((e as ZettasimError).issues[0].path).toEqual(["efficiency", "raggedDecodeCall", field]);
      }
    };
    bad({ perSeqS: 0 }, "perSeqS");
    bad({ perSeqS: Number.NaN }, "perSeqS");
    bad({ hbmFraction: 1.2 }, "hbmFraction");
    bad({ hbmFraction: 0 }, "hbmFraction");
    bad({ maxKvHeadsPerRank: 2.5 }, "maxKvHeadsPerRank");
    expect(() => checkRaggedDecodeLine(SGLJAX_RPA_DECODE, [])).not.toThrow();
    // the cost model reads it through raggedDecodeLineFor: checked there, and never for a latent (MLA) cache
    expect(raggedDecodeLineFor({ raggedDecodeCall: SGLJAX_RPA_DECODE }, false)).toBe(SGLJAX_RPA_DECODE);
    expect(raggedDecodeLineFor({ raggedDecodeCall: SGLJAX_RPA_DECODE }, true)).toBeUndefined();
    expect(raggedDecodeLineFor({}, false)).toBeUndefined();
    expect(() =>
      raggedDecodeLineFor({ raggedDecodeCall: { ...SGLJAX_RPA_DECODE, hbmFraction: 2 } }, false),
    ).toThrow(ZettasimError);
  });
});

/**
 * A GQA model of Qwen3-8B's published shape (config.json: 36 layers, hidden 4,096, 32 query / `kvHeads` KV heads of
 * 128) decoding at TP 4 on one TPU v6e-4 host under `engine`; built here for the test, not taken from any
 * validation file.
 */
function qwen8bOnV6e4(engine: string, kvHeads = 8) {
  return prepareServingCase({
    id: `test-ragged-decode-${engine}-${kvHeads}`,
    kind: "inference",
    hardware: {
      chip: "tpu-v6e",
      chips: 4,
      network: [{ name: "ici", groupSize: 4, bandwidthGBps: 400, topology: "torus" }],
    },
    model: {
      layers: 36,
      hiddenSize: 4096,
      ffnHiddenSize: 12288,
      heads: 32,
      kvHeads,
      headDim: 128,
      vocabSize: 151936,
      gatedMlp: true,
    },
    serving: {
      phase: "decode",
      precision: "bf16",
      instanceChips: 4,
      tp: 4,
      attentionDp: 1,
      ep: 1,
      batchPerChip: 16,
      contextTokens: 1536,
      kvCache: "bf16",
      engine,
      colocated: false,
      concurrency: 64,
    },
    measured: { tpotMs: 1 },
  });
}

describe("the ragged decode call in a step's cost", () => {
  it("is the TPU family's figure for sglang-jax only", () => {
    expect(TPU.serving.raggedDecodeCall).toBeUndefined();
    expect(TPU.servingByEngine?.["sglang-jax"]?.raggedDecodeCall).toBe(SGLJAX_RPA_DECODE);
  });

  it("charges a Qwen3-8B TP 4 decode on v6e the line's time per layer, above the roofline it replaces", () => {
    const p = qwen8bOnV6e4("sglang-jax");
    const seqs = 200;
    const load = decodeOnlyLoad(seqs, 1536);
    const withLine = new InstanceCost(p.model, p.system, p.layout, p.opts).step(load, 1);
    const roof = new InstanceCost(p.model, p.system, p.layout, p.opts, { raggedDecodeCall: undefined }).step(
      load,
      1,
    );
    // 2 KV heads per chip: 1,536 tokens x 2 x (K, V) x 128 x 2 B per sequence per layer
    const kvBytes = seqs * 1536 * 2 * 2 * 128 * 2;
    const perLayer = raggedDecodeCallS(SGLJAX_RPA_DECODE, seqs, kvBytes, 2, hbm) as number;
    expect(withLine.attentionCoreS).toBeCloseTo(36 * perLayer, 9);
    expect(withLine.attentionCoreS).toBeGreaterThan(roof.attentionCoreS);
    // only the attention core moves
    expect(withLine.gemmS).toBeCloseTo(roof.gemmS, 12);
    expect(withLine.timeS - roof.timeS).toBeLessThanOrEqual(
      withLine.attentionCoreS - roof.attentionCoreS + 1e-12,
    );
    expect(withLine.timeS).toBeGreaterThan(roof.timeS);
  });

  it("leaves other engines, ranks with more KV heads than measured, and prefill-only steps to the roofline", () => {
    const load = decodeOnlyLoad(64, 1536);
    const attn = (engine: string, kvHeads = 8, l = load, over?: object) => {
      const p = qwen8bOnV6e4(engine, kvHeads);
      return new InstanceCost(p.model, p.system, p.layout, p.opts, over).step(l, 1).attentionCoreS;
    };
    expect(attn("vllm")).toBeCloseTo(attn("sglang-jax", 8, load, { raggedDecodeCall: undefined }), 12);
    expect(attn("sglang-jax")).toBeGreaterThan(attn("vllm"));
    // MHA, 32 KV heads over 4 chips: 8 per chip, beyond the line's 4
    expect(attn("sglang-jax", 32)).toBeCloseTo(
      attn("sglang-jax", 32, load, { raggedDecodeCall: undefined }),
      12,
    );
    const pre = {
      prefillTokens: 512,
      prefillPairs: (512 * 513) / 2,
      decodeSeqs: 0,
      decodeKvTokens: 0,
      logitTokens: 1,
    };
    expect(attn("sglang-jax", 8, pre)).toBeCloseTo(
      attn("sglang-jax", 8, pre, { raggedDecodeCall: undefined }),
      12,
    );
  });
});

describe("SGL-JAX's prefill attention rate on TPU v6e (the same CI guard's prefill rows)", () => {
  const rate = rpaPrefillFlopsPerS;
  const chip = resolveChip("tpu-v6e");
  const peak = chip.peakFlops.bf16 as number;

  it("is the mean rate at 8 query heads and 2,048-token sequences, times the MXU factor of head_dim 128, over the peak", () => {
    const sel = rpaFitRows().prefill;
    expect(sel).toHaveLength(4);
    for (const r of sel)
      expect(r.causalPairs).toBe(r.sequences * ((r.tokensPerSequence * (r.tokensPerSequence + 1)) / 2));
    const mean = sel.reduce((a, r) => a + rate(r), 0) / sel.length;
    // head_dim 128 fills half of the v6e's 256-wide MXU: the serving model charges attention FLOPs twice (fillPrefill)
    expect(chip.matrixUnitWidth).toBe(256);
    expect(SGLJAX_RPA_ATTENTION_COMPUTE / ((mean * 2) / peak)).toBeCloseTo(1, 3);
    expect(SGLJAX_RPA_ATTENTION_COMPUTE).toBe(fitted.attentionCompute);
    // every 2,048-token row sits within 6% of it; the family's generic figure is twice as fast
    for (const r of sel) expect(Math.abs(rate(r) / mean - 1)).toBeLessThan(0.06);
    expect(TPU.serving.attentionCompute / SGLJAX_RPA_ATTENTION_COMPUTE).toBeGreaterThan(2);
    expect(TPU.servingByEngine?.["sglang-jax"]?.attentionCompute).toBe(SGLJAX_RPA_ATTENTION_COMPUTE);
  });

  it("slows a Qwen3-8B TP 4 prefill's attention core on v6e by the ratio of the rates, and nothing else", () => {
    const p = qwen8bOnV6e4("sglang-jax");
    const n = 2048;
    const pre = {
      prefillTokens: n,
      prefillPairs: (n * (n + 1)) / 2,
      decodeSeqs: 0,
      decodeKvTokens: 0,
      logitTokens: 1,
    };
    const sj = new InstanceCost(p.model, p.system, p.layout, p.opts).step(pre, n);
    const gen = new InstanceCost(p.model, p.system, p.layout, p.opts, {
      attentionCompute: TPU.serving.attentionCompute,
    }).step(pre, n);
    expect(sj.gemmS).toBeCloseTo(gen.gemmS, 12);
    expect(sj.attentionCoreS).toBeGreaterThan(gen.attentionCoreS * 1.5);
    expect(sj.attentionCoreS).toBeLessThanOrEqual(
      (gen.attentionCoreS * TPU.serving.attentionCompute) / SGLJAX_RPA_ATTENTION_COMPUTE + 1e-12,
    );
  });
});
