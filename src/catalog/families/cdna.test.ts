// New catalog chips (TPU v5e/v6e/TPU7x, B300, AMD MI300X/MI325X/MI355X): datasheet figures, families, and finite
// training and serving answers on them within the compute and memory-bandwidth bounds.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  cdnaCustomAllReduceS,
  cdnaDecodeFigures,
  cdnaGemmPeakFractions,
} from "../../../scripts/fit/kernels-cdna.js";
import { scenarioFromValue } from "../../scenario/load.js";
import { servingPlan } from "../../serving/config.js";
import { runPlan } from "../../serving/simulate.js";
import { trainingEfficiency } from "../../training/efficiency.js";
import { estimateTraining } from "../../training/estimate.js";
import { KernelModel } from "../../training/kernels.js";
import { recipeFor } from "../../training/precision.js";
import { resolveChip } from "../resolve.js";
import {
  CDNA_ATTENTION,
  CDNA_CUSTOM_ALLREDUCE_S,
  CDNA_DECODE,
  CDNA_GEMM_HALF_WORK_MN,
  CDNA_GEMM_PEAK_FRACTION,
} from "./cdna.js";
import { GENERIC_TRAINING } from "./generic.js";
import { chipFamily, chipUsableMemoryBytes } from "./index.js";

const T = 1e12;

describe("new catalog chips", () => {
  it("carry their datasheet figures (dense peaks, HBM, per-direction scale-up, power)", () => {
    const mi300x = resolveChip("mi300x");
    expect(mi300x.peakFlops.bf16).toBeCloseTo(1307.4 * T, -9);
    expect(mi300x.peakFlops.fp8).toBeCloseTo(2614.9 * T, -9);
    expect(mi300x.memoryBytes).toBe(192e9);
    expect(mi300x.memoryBandwidthBytesPerS).toBeCloseTo(5.3e12, -6);
    // 7 Infinity Fabric links x 128 GB/s both ways = 896 GB/s, half of it each way.
    expect(mi300x.scaleUpBandwidthBytesPerS).toBeCloseTo((7 * 128e9) / 2, -6);
    expect(mi300x.powerW).toBe(750);
    const mi325x = resolveChip("mi325x");
    expect(mi325x.peakFlops.bf16).toBe(mi300x.peakFlops.bf16);
    expect([mi325x.memoryBytes, mi325x.memoryBandwidthBytesPerS, mi325x.powerW]).toEqual([256e9, 6e12, 1000]);
    const mi355x = resolveChip("mi355x");
    expect(mi355x.peakFlops.fp4).toBeCloseTo(10066 * T, -9);
    expect(mi355x.peakFlops.fp4).toBeCloseTo(2 * (mi355x.peakFlops.fp8 ?? 0), -12);
    expect(mi355x.scaleUpBandwidthBytesPerS).toBeCloseTo((7 * 153.6e9) / 2, -6);
    expect([mi355x.memoryBytes, mi355x.powerW]).toEqual([288e9, 1400]);
    const b300 = resolveChip("b300");
    // HGX B300: 108 PF dense FP4 and 72 PF sparse FP8 per 8 GPUs.
    expect(b300.peakFlops.fp4).toBeCloseTo((108e15 / 8) as number, -9);
    expect(b300.peakFlops.fp8).toBeCloseTo(72e15 / 8 / 2, -9);
    expect(b300.memoryBytes).toBe(288e9);
    expect(b300.scaleUpBandwidthBytesPerS).toBe(resolveChip("gb300").scaleUpBandwidthBytesPerS);
    expect(b300.sfuExpRateRelative).toBe(resolveChip("gb300").sfuExpRateRelative);
    const v5e = resolveChip("tpu-v5e");
    expect([v5e.peakFlops.bf16, v5e.memoryBytes, v5e.scaleUpBandwidthBytesPerS]).toEqual([
      197 * T,
      16e9,
      200e9,
    ]);
    expect(resolveChip("tpu-v6e").matrixUnitWidth).toBe(256);
    expect(resolveChip("tpu7x").devicesPerPackage).toBe(2);
  });

  it("name their families, and extends inherits them", () => {
    for (const id of ["mi300x", "mi325x", "mi355x"]) expect(resolveChip(id).family).toBe("cdna");
    expect(resolveChip("b300").family).toBe("blackwell");
    for (const id of ["tpu-v5e", "tpu-v6e", "tpu7x"]) expect(resolveChip(id).family).toBe("tpu");
    expect(resolveChip({ extends: "mi300x", memoryGB: 128, name: "MI300X 128 GB" }).family).toBe("cdna");
    expect(resolveChip({ extends: "tpu7x", powerW: 600 }).devicesPerPackage).toBe(2);
    // AMD's GB is GiB: the MI300X's 192 GB is 206.2e9 bytes.
    expect(chipUsableMemoryBytes(resolveChip("mi300x"))).toBe(192 * 2 ** 30);
  });

  it("the CDNA GEMM fractions are the medians of AMD's max-achievable FLOPS over the chips", () => {
    const file = JSON.parse(
      readFileSync(new URL("../../../data/kernels/cdna-maf-2025.json", import.meta.url), "utf8"),
    ) as {
      sections: {
        gemm_maf: { rows: { chip: string; precision: string; tflops: number; peakTflops: number }[] };
      };
    };
    const rows = file.sections.gemm_maf.rows;
    for (const p of ["bf16", "fp8", "fp4"] as const) {
      const f = rows
        .filter((r) => r.precision === p)
        .map((r) => {
          // Each row's peak is the catalog's dense datasheet figure for that chip.
          expect(r.peakTflops * T).toBeCloseTo(resolveChip(r.chip).peakFlops[p] ?? 0, -9);
          return r.tflops / r.peakTflops;
        })
        .sort((a, b) => a - b);
      expect(CDNA_GEMM_PEAK_FRACTION[p]).toBeCloseTo(f[Math.floor(f.length / 2)], 4);
      expect(chipFamily("cdna").training.gemm[p].peakFraction).toBe(CDNA_GEMM_PEAK_FRACTION[p]);
    }
    expect(chipFamily("cdna").serving.gemm).toBe(CDNA_GEMM_PEAK_FRACTION.fp8);
  });

  it("the CDNA decode figures are the medians of the MI300X microbenchmarks they cite", () => {
    type Row = { n: number; k: number; hipblasltUs: number; wvSpltKUs: number };
    const file = JSON.parse(
      readFileSync(new URL("../../../data/kernels/cdna-decode-2026.json", import.meta.url), "utf8"),
    ) as {
      sections: {
        skinny_gemm_m1: { hbmBytesPerS: number; cacheBytes: number; rows: Row[] };
        rccl_allreduce_small: { rows: { outOfPlaceUs: number; inPlaceUs: number }[] };
        eager_launch: { rows: { cachedUs: number }[] };
      };
    };
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const m = Math.floor(s.length / 2);
      return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
    };
    const g = file.sections.skinny_gemm_m1;
    expect(g.hbmBytesPerS).toBe(resolveChip("mi300x").memoryBandwidthBytesPerS);
    // Rows whose fp16 weights fit in the 256 MB Infinity Cache are left out (re-reads hit the cache).
    const big = g.rows.filter((r) => r.n * r.k * 2 > g.cacheBytes);
    expect(big.length).toBe(8);
    const frac = (us: (r: Row) => number) =>
      median(big.map((r) => (r.n * r.k * 2) / (us(r) * 1e-6))) / g.hbmBytesPerS;
    expect(CDNA_DECODE.weightStreaming.skinnyGemm).toBeCloseTo(
      frac((r) => r.wvSpltKUs),
      3,
    );
    expect(CDNA_DECODE.weightStreaming.hipblaslt).toBeCloseTo(
      frac((r) => r.hipblasltUs),
      3,
    );
    const ar = file.sections.rccl_allreduce_small.rows.flatMap((r) => [r.outOfPlaceUs, r.inPlaceUs]);
    expect(CDNA_DECODE.rcclAllReduceS * 1e6).toBeCloseTo(median(ar), 1);
    expect(CDNA_DECODE.launchEagerS * 1e6).toBeCloseTo(file.sections.eager_launch.rows[0].cachedUs, 3);
    // The family's profile uses them: skinny GEMMs by default, RCCL and hipBLASLt under upstream vLLM V0.
    const cdna = chipFamily("cdna");
    expect(cdna.serving.weightStreaming).toBe(CDNA_DECODE.weightStreaming.skinnyGemm);
    expect(cdna.serving.launchEagerS).toBe(CDNA_DECODE.launchEagerS);
    expect(cdna.servingByEngine?.["vllm-v0"]).toMatchObject({
      weightStreaming: CDNA_DECODE.weightStreaming.hipblaslt,
      allReduceFixedS: CDNA_DECODE.rcclAllReduceS,
    });
  });

  it("the CDNA small all-reduce is AMD's MI300X custom all-reduce median at 2-32 KB less the xGMI static latency, far below RCCL's", () => {
    const file = JSON.parse(
      readFileSync(new URL("../../../data/kernels/cdna-serving-2026-12-02.json", import.meta.url), "utf8"),
    ) as {
      sections: {
        custom_allreduce_small: {
          chip: string;
          protocolStaticLatencyUs: number;
          rows: { bytes: number; us: number }[];
        };
      };
    };
    const sec = file.sections.custom_allreduce_small;
    expect(resolveChip(sec.chip).family).toBe("cdna");
    const small = sec.rows
      .filter((r) => r.bytes <= 32768)
      .map((r) => r.us)
      .sort((a, b) => a - b);
    expect(small.length).toBe(3);
    const median = small[1];
    expect(CDNA_CUSTOM_ALLREDUCE_S * 1e6).toBeCloseTo(median - sec.protocolStaticLatencyUs, 2);
    // The profile uses it; upstream vLLM V0 (no custom all-reduce on ROCm) keeps RCCL's latency, about 8x more.
    const cdna = chipFamily("cdna");
    expect(cdna.serving.allReduceFixedS).toBe(CDNA_CUSTOM_ALLREDUCE_S);
    expect(cdna.servingByEngine?.["vllm-v0"]?.allReduceFixedS).toBe(CDNA_DECODE.rcclAllReduceS);
    expect(CDNA_DECODE.rcclAllReduceS / CDNA_CUSTOM_ALLREDUCE_S).toBeGreaterThan(5);
    // Larger messages take longer (the table is monotone): the fixed cost is the small-message floor.
    for (let i = 1; i < sec.rows.length; i++)
      expect(sec.rows[i].us).toBeGreaterThanOrEqual(sec.rows[i - 1].us);
  });
});

/** An 8-chip node of `chip` joined by one scale-up tier at the chip's own per-direction bandwidth. */
function node(chip: string) {
  const c = resolveChip(chip);
  return {
    id: `node-${chip}`,
    name: `8 x ${chip}`,
    vendor: "test",
    chip,
    chips: 8,
    tiers: [
      {
        name: "scale-up",
        topology: { kind: "full-mesh" },
        bandwidthGBps: c.scaleUpBandwidthBytesPerS / 1e9,
        latencyUs: 1,
      },
    ],
  };
}

describe("training and serving on the new GPUs", () => {
  it.each(["mi300x", "mi325x", "mi355x", "b300"])(
    "%s: an 8-chip Llama 3 8B step is finite and no faster than the compute bound",
    (chip) => {
      const sc = scenarioFromValue({ system: node(chip), model: "llama3-8b" });
      for (const precision of ["bf16", "fp8"] as const) {
        const r = estimateTraining(sc.system, sc.model!, {
          seqLength: 4096,
          globalBatchSize: 64,
          microBatchSize: 1,
          tp: 1,
          pp: 1,
          chips: 8,
          precision,
        });
        const peak = sc.system.chip.peakFlops[precision] ?? 0;
        expect(Number.isFinite(r.stepTimeS)).toBe(true);
        expect(r.stepTimeS).toBeGreaterThanOrEqual(r.hardwareFlopsPerStep / (8 * peak));
        expect(r.mfu).toBeGreaterThan(0.05);
        expect(r.mfu).toBeLessThanOrEqual(1);
      }
    },
  );

  it.each(["mi300x", "mi355x", "b300"])(
    "%s: Llama 3 8B serving on one chip is finite, within the compute bound, and no faster per token than reading the weights",
    (chip) => {
      const sc = scenarioFromValue({
        seed: 3,
        system: node(chip),
        model: "llama3-8b",
        serving: {
          mode: "colocated",
          precision: "fp8",
          colocated: { instances: 1, instanceChips: 1 },
          workload: {
            arrival: { kind: "poisson", ratePerS: 4 },
            requests: 60,
            inputTokens: { kind: "fixed", tokens: 1000 },
            outputTokens: { kind: "fixed", tokens: 100 },
          },
        },
      });
      const r = runPlan(servingPlan(sc), 3);
      const c = sc.system.chip;
      const tokensPerS = r.throughput.inputTokensPerS + r.throughput.outputTokensPerS;
      expect(Number.isFinite(r.tpotMs.p50) && Number.isFinite(r.ttftMs.p50)).toBe(true);
      // 2 FLOPs per parameter per token at the FP8 peak of the one chip.
      expect(tokensPerS * 2 * 8.0e9).toBeLessThanOrEqual(c.peakFlops.fp8 ?? 0);
      // Each decode step streams the 8 GB of FP8 weights at least once.
      expect(r.tpotMs.p50 / 1e3).toBeGreaterThanOrEqual(8.0e9 / c.memoryBandwidthBytesPerS);
    },
  );
});

describe("MI300X's sustained GEMM rate", () => {
  it("MI300X's GEMMs run at its own max-achievable share of the family level; MI325X and MI355X keep the level", () => {
    const file = JSON.parse(
      readFileSync(new URL("../../../data/kernels/cdna-maf-2025.json", import.meta.url), "utf8"),
    ) as {
      sections: {
        gemm_maf: { rows: { chip: string; precision: string; tflops: number; peakTflops: number }[] };
      };
    };
    const ratio = (chip: string, p: "bf16" | "fp8") => {
      const r = file.sections.gemm_maf.rows.find((x) => x.chip === chip && x.precision === p);
      if (r === undefined) throw new Error(`no ${chip} ${p} row`);
      return r.tflops / r.peakTflops / CDNA_GEMM_PEAK_FRACTION[p];
    };
    const mi300x = resolveChip("mi300x").gemmSustainedRelative;
    // One figure for both precisions: the two ratios agree within 0.2%, the catalog takes their mean.
    expect(Math.abs(ratio("mi300x", "bf16") - ratio("mi300x", "fp8"))).toBeLessThan(0.002);
    expect(mi300x).toBeCloseTo((ratio("mi300x", "bf16") + ratio("mi300x", "fp8")) / 2, 3);
    for (const chip of ["mi325x", "mi355x"]) {
      for (const p of ["bf16", "fp8"] as const) expect(Math.abs(ratio(chip, p) - 1)).toBeLessThan(0.007);
      expect(resolveChip(chip).gemmSustainedRelative).toBe(1);
    }
    // Used where the chip runs: a compute-bound MI300X training step slows, by at most 1 / 0.844 (GEMMs only),
    // against the same job on a copy of the chip without the field.
    const step = (chip: unknown) => {
      const sc = scenarioFromValue({ system: { ...node("mi300x"), chip }, model: "llama3-8b" });
      return estimateTraining(sc.system, sc.model!, {
        seqLength: 8192,
        globalBatchSize: 32,
        microBatchSize: 2,
        tp: 1,
        pp: 1,
        chips: 8,
        precision: "fp8",
      }).stepTimeS;
    };
    const withField = step("mi300x");
    const without = step({ extends: "mi300x", gemmSustainedRelative: 1 });
    expect(withField).toBeGreaterThan(without * 1.05);
    expect(withField).toBeLessThan(without / mi300x + 1e-9);
  });
});

describe("CDNA fused attention", () => {
  it("the CDNA attention curves are the log-space fits of aiter's v3 causal kernel table over both chips", () => {
    const file = JSON.parse(
      readFileSync(new URL("../../../data/kernels/cdna-attention-aiter-2025.json", import.meta.url), "utf8"),
    ) as {
      sections: {
        aiter_v3_causal_hd128: {
          rows: {
            chip: string;
            seq: number;
            fwdTflops: number;
            bwdA16Tflops: number;
            bwdA32Tflops: number;
            peakBf16Tflops: number;
          }[];
        };
      };
    };
    const rows = file.sections.aiter_v3_causal_hd128.rows;
    for (const r of rows)
      expect(r.peakBf16Tflops * T).toBeCloseTo(resolveChip(r.chip).peakFlops.bf16 ?? 0, -9);
    for (const [acc, key] of [
      ["a32", "bwdA32Tflops"],
      ["a16", "bwdA16Tflops"],
    ] as const) {
      // Forward + backward rate (the backward does 2.5x the forward's FLOPs) over the chip's bf16 peak.
      const pts = rows.map((r) => ({
        s: r.seq,
        y: 3.5 / (1 / r.fwdTflops + 2.5 / r[key]) / r.peakBf16Tflops,
      }));
      let best = { err: Number.POSITIVE_INFINITY, hs: 0, pf: 0 };
      for (let hs = 0; hs <= 4000; hs += 10) {
        const ls = pts.map((p) => Math.log((p.y * (p.s + hs)) / p.s));
        const m = ls.reduce((a, b) => a + b, 0) / ls.length;
        const err = ls.reduce((a, l) => a + (l - m) ** 2, 0);
        if (err < best.err) best = { err, hs, pf: Math.exp(m) };
      }
      const shares = rows
        .map((r) => 1 / r.fwdTflops / (1 / r.fwdTflops + 2.5 / r[key]))
        .sort((a, b) => a - b);
      const n = shares.length;
      expect(CDNA_ATTENTION[acc].halfSeq).toBe(best.hs);
      expect(CDNA_ATTENTION[acc].peakFraction).toBeCloseTo(best.pf, 4);
      expect(CDNA_ATTENTION[acc].forwardShare).toBeCloseTo((shares[n / 2 - 1] + shares[n / 2]) / 2, 4);
    }
    const att = chipFamily("cdna").training.attention;
    expect(att.fused).toEqual(CDNA_ATTENTION.a32);
    expect(att.fused16BitDqAtomics).toEqual(CDNA_ATTENTION.a16);
  });
});

describe("CDNA GEMM shapes from a torch.mm sweep", () => {
  const rows = (
    JSON.parse(
      readFileSync(new URL("../../../data/kernels/cdna-gemm-shapes-published.json", import.meta.url), "utf8"),
    ) as {
      sections: {
        aten_bf16_mm: {
          rows: { m: number; n: number; k: number; atenTflops: number; deviceBound: boolean }[];
        };
      };
    }
  ).sections.aten_bf16_mm.rows;
  const hk = GENERIC_TRAINING.gemm.bf16.halfDepthK;
  const shape = (h: number, r: { m: number; n: number; k: number }) =>
    1 / ((1 + h / (r.m * r.n)) * (1 + hk / r.k));

  it("halfWorkMN is the log-space least-squares fit over the sweep's device-bound rows, level free", () => {
    const used = rows.filter((r) => r.deviceBound);
    expect(used.length).toBe(4);
    let best = { sse: Number.POSITIVE_INFINITY, h: 0, level: 0 };
    for (let h = 1000; h <= 4e6; h += 1000) {
      const logs = used.map((r) => Math.log(r.atenTflops) - Math.log(shape(h, r)));
      const lv = logs.reduce((a, b) => a + b, 0) / logs.length;
      const sse = logs.reduce((a, l) => a + (l - lv) ** 2, 0);
      if (sse < best.sse) best = { sse, h, level: Math.exp(lv) };
    }
    expect(CDNA_GEMM_HALF_WORK_MN.bf16).toBeCloseTo(best.h, -3);
    // The fit is close: every device-bound row within 2%, rms about 1%.
    for (const r of used)
      expect(Math.abs((best.level * shape(best.h, r)) / r.atenTflops - 1)).toBeLessThan(0.02);
    // The rows left out are slower than the curve: occupancy and host launch, which the term does not describe.
    for (const r of rows.filter((x) => !x.deviceBound))
      expect(r.atenTflops).toBeLessThan(best.level * shape(best.h, r));
    expect(chipFamily("cdna").training.gemm.bf16.halfWorkMN).toBe(CDNA_GEMM_HALF_WORK_MN.bf16);
    // FP8 and FP4 keep the generic terms (no CDNA sweep of them).
    expect(chipFamily("cdna").training.gemm.fp8.halfWorkMN).toBe(GENERIC_TRAINING.gemm.fp8.halfWorkMN);
  });

  it("an MI300X BF16 GEMM with a narrow output runs below a wide one by the sweep's ratio, the level unchanged", () => {
    const c = resolveChip("mi300x");
    const k = new KernelModel(c, trainingEfficiency(c), recipeFor("bf16", undefined, "fp8-delayed"), "fused");
    const rate = (m: number, n: number, kk: number) => (2 * m * n * kk) / k.gemm(m, n, kk, false);
    const at = (m: number, n: number, kk: number) => {
      const r = rows.find((x) => x.m === m && x.n === n && x.k === kk);
      if (r === undefined) throw new Error(`no ${m}x${n}x${kk} row`);
      return r.atenTflops;
    };
    // Model and sweep agree on how much an 8,192 x 1,024 output loses against 8,192 cubed (11%), within 1.5 points.
    const modelRatio = rate(8192, 1024, 8192) / rate(8192, 8192, 8192);
    const sweepRatio = at(8192, 1024, 8192) / at(8192, 8192, 8192);
    expect(Math.abs(modelRatio - sweepRatio)).toBeLessThan(0.015);
    // The large-shape level stays AMD's max-achievable figure x MI300X's own share, not the sweep's lower asymptote.
    const asymptote = c.peakFlops.bf16! * CDNA_GEMM_PEAK_FRACTION.bf16 * c.gemmSustainedRelative;
    expect(rate(65536, 65536, 65536) / asymptote).toBeGreaterThan(0.99);
    expect(rate(65536, 65536, 65536) / T).toBeGreaterThan(at(8192, 8192, 8192));
  });
});

describe("the CDNA kernel-level figures", () => {
  it("are exactly what scripts/fit/kernels-cdna.ts (npm run fit) computes from the data files", () => {
    expect(cdnaGemmPeakFractions()).toEqual(CDNA_GEMM_PEAK_FRACTION);
    expect(cdnaDecodeFigures()).toEqual({
      ...CDNA_DECODE.weightStreaming,
      rcclAllReduceS: CDNA_DECODE.rcclAllReduceS,
    });
    expect(cdnaCustomAllReduceS()).toBe(CDNA_CUSTOM_ALLREDUCE_S);
  });
});
