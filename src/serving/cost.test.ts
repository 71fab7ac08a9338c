// Tests of the per-step cost model: parameter counts, KV bytes, roofline monotonicity, layout errors, multi-device chips, draft tokens.
import { describe, expect, it } from "vitest";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import type { System } from "../catalog/types.js";
import { ZettasimError } from "../core/errors.js";
import type { ModelConfig } from "../schema/model.js";
import { type CostOptions, InstanceCost, type InstanceLayout, servingShape } from "./cost.js";
import { servingEngine } from "./engines/index.js";

const dsv3 = resolveModel("deepseek-v3");
const pod = resolveSystem("atlas-950-superpod");
const opts: CostOptions = {
  precision: "fp8",
  kvCache: "bf16",
  twoBatchOverlap: true,
  expertImbalance: 1.15,
  redundantExperts: 0,
  allToAll: "low-latency",
  memoryUtilization: 0.9,
  engine: servingEngine("generic"),
};
const layout: InstanceLayout = { chips: 64, tp: 1, attentionDp: 64, ep: 64 };
const decodeLoad = (seqs: number, ctx: number) => ({
  prefillTokens: 0,
  prefillPairs: 0,
  decodeSeqs: seqs,
  decodeKvTokens: seqs * ctx,
  logitTokens: seqs,
});

function withBandwidth(s: System, tbps: number): System {
  return { ...s, chip: { ...s.chip, memoryBandwidthBytesPerS: tbps * 1e12 } };
}

describe("servingShape", () => {
  it("counts DeepSeek-V3 at about 671B total and 37B active parameters", () => {
    const s = servingShape(dsv3);
    expect(s.totalParams / 1e9).toBeGreaterThan(660);
    expect(s.totalParams / 1e9).toBeLessThan(690);
    expect(s.activeParamsPerToken / 1e9).toBeGreaterThan(36);
    expect(s.activeParamsPerToken / 1e9).toBeLessThan(40);
    expect(s.moeLayers).toBe(58);
  });

  it("stores MLA's compressed KV: kvLoraRank + qkRopeHeadDim per token per layer", () => {
    const s = servingShape(dsv3);
    expect(s.kvElemsPerTokenLayer).toBe(512 + 64);
    const c = new InstanceCost(dsv3, pod, layout, opts);
    expect(c.kvBytesPerToken()).toBe(61 * 576 * 2);
  });

  it("stores GQA's K and V per KV head, sharded over tensor-parallel ranks", () => {
    const gqa = { ...dsv3, attention: undefined, moe: undefined, kvHeads: 8, headDim: 128 };
    const c = new InstanceCost(gqa, pod, { chips: 8, tp: 8, attentionDp: 1, ep: 1 }, opts);
    expect(c.kvBytesPerToken()).toBe((61 * 2 * 8 * 128 * 2) / 8);
  });
});

describe("InstanceCost", () => {
  it("never gets slower in decode with more memory bandwidth", () => {
    let prev = Number.POSITIVE_INFINITY;
    for (const bw of [1, 1.6, 2.5, 4, 8, 16]) {
      const c = new InstanceCost(dsv3, withBandwidth(pod, bw), layout, opts);
      const t = c.step(decodeLoad(64, 4000), 64 * 64).timeS;
      expect(t).toBeLessThanOrEqual(prev);
      prev = t;
    }
  });

  it("grows with batch and context, and a step with no tokens costs nothing", () => {
    const c = new InstanceCost(dsv3, pod, layout, opts);
    const a = c.step(decodeLoad(32, 2000), 32 * 64).timeS;
    const b = c.step(decodeLoad(64, 2000), 64 * 64).timeS;
    const d = c.step(decodeLoad(64, 8000), 64 * 64).timeS;
    expect(b).toBeGreaterThan(a);
    expect(d).toBeGreaterThan(b);
    expect(c.step(decodeLoad(0, 0), 0).timeS).toBe(0);
  });

  it("holds fewer weight bytes per chip at narrower precision, leaving more KV room", () => {
    const f8 = new InstanceCost(dsv3, pod, layout, opts);
    // Every GEMM in FP4 (an FP4 run keeps the attention projections in BF16 unless told otherwise).
    const f4 = new InstanceCost(dsv3, pod, layout, { ...opts, precision: "fp4", attentionPrecision: "fp4" });
    const b16 = new InstanceCost(dsv3, pod, layout, { ...opts, precision: "bf16" });
    expect(f4.weightBytesPerChip()).toBeLessThan(f8.weightBytesPerChip());
    expect(f8.weightBytesPerChip()).toBeLessThan(b16.weightBytesPerChip());
    expect(f4.kvCapacityTokensPerRank()).toBeGreaterThan(f8.kvCapacityTokensPerRank());
  });

  it("hides communication with two-batch overlap where the fabric is slow, and is never slower for it", () => {
    const ib: System = {
      ...pod,
      tiers: pod.tiers.map((t, i) => (i === 0 ? { ...t, groupSize: 8 } : { ...t, bandwidthBytesPerS: 50e9 })),
    };
    const on = new InstanceCost(dsv3, ib, layout, opts).step(decodeLoad(128, 4000), 128 * 64);
    const off = new InstanceCost(dsv3, ib, layout, { ...opts, twoBatchOverlap: false }).step(
      decodeLoad(128, 4000),
      128 * 64,
    );
    expect(on.exposedCommS).toBeLessThan(on.commS);
    expect(off.exposedCommS).toBe(off.commS);
    expect(on.timeS).toBeLessThan(off.timeS);
    for (const seqs of [1, 4, 16, 64, 256]) {
      const a = new InstanceCost(dsv3, pod, layout, opts).step(decodeLoad(seqs, 2000), seqs * 64).timeS;
      const b = new InstanceCost(dsv3, pod, layout, { ...opts, twoBatchOverlap: false }).step(
        decodeLoad(seqs, 2000),
        seqs * 64,
      ).timeS;
      expect(a).toBeLessThanOrEqual(b);
    }
  });

  it("makes expert-parallel traffic slower over a slower tier", () => {
    const slow: System = {
      ...pod,
      tiers: pod.tiers.map((t, i) => (i === 0 ? { ...t, groupSize: 8 } : { ...t, bandwidthBytesPerS: 50e9 })),
    };
    const fast = new InstanceCost(dsv3, pod, layout, opts).step(decodeLoad(64, 2000), 64 * 64);
    const s = new InstanceCost(dsv3, slow, layout, opts).step(decodeLoad(64, 2000), 64 * 64);
    expect(s.commS).toBeGreaterThan(fast.commS);
  });

  it("charges tensor-parallel all-reduces on the tier that holds the TP group", () => {
    const dense = resolveModel("gpt3-175b");
    const c = new InstanceCost(
      dense,
      pod,
      { chips: 8, tp: 8, attentionDp: 1, ep: 1 },
      { ...opts, twoBatchOverlap: false },
    );
    const step = c.step(decodeLoad(64, 2000), 64);
    expect(step.commS).toBeGreaterThan(0);
    expect(step.commS).toBeLessThan(step.computeS);
  });

  it("rejects a layout whose tp x attentionDp is not the instance size, naming the field", () => {
    try {
      new InstanceCost(dsv3, pod, { chips: 64, tp: 2, attentionDp: 64, ep: 64 }, opts);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).issues[0].path).toEqual(["serving", "attentionDp"]);
    }
  });

  it("rejects expert parallelism on a dense model", () => {
    const dense = resolveModel("gpt3-175b");
    expect(() => new InstanceCost(dense, pod, { chips: 8, tp: 1, attentionDp: 8, ep: 8 }, opts)).toThrow(
      /MoE model/,
    );
  });
});

describe("InstanceCost with multi-device chips and speculative decoding", () => {
  it("runs a two-device package as two ranks: attention weights held and read twice, same KV per token", () => {
    const withDevices = (n: number) => ({ ...pod, chip: { ...pod.chip, devicesPerPackage: n } });
    const one = new InstanceCost(dsv3, withDevices(1), layout, opts);
    const two = new InstanceCost(dsv3, withDevices(2), layout, opts);
    expect(two.devices).toBe(2);
    expect(two.weightBytesPerChip()).toBeGreaterThan(1.3 * one.weightBytesPerChip());
    expect(two.kvBytesPerToken()).toBe(one.kvBytesPerToken());
    // Small decode batches are weight-bound: two copies of the attention weights cost time.
    expect(two.step(decodeLoad(8, 4000), 8 * 64).timeS).toBeGreaterThan(
      one.step(decodeLoad(8, 4000), 8 * 64).timeS,
    );
  });

  it("prices draft tokens: longer steps, but less than one step per extra token at small batch", () => {
    const c = new InstanceCost(dsv3, pod, layout, opts);
    const plain = c.step(decodeLoad(16, 4000), 16 * 64).timeS;
    const mtp = c.step({ ...decodeLoad(16, 4000), logitTokens: 32, draftTokens: 1 }, 32 * 64).timeS;
    expect(mtp).toBeGreaterThan(plain);
    expect(mtp).toBeLessThan(1.7 * plain);
  });
});

describe("sliding-window attention in serving", () => {
  // gpt-oss-120b shapes (openai/gpt-oss-120b config.json), with and without its 128-token window on alternate layers.
  const { slidingWindow: _window, ...full } = resolveModel("gpt-oss-120b");
  const windowed = (w: number) => ({
    ...full,
    slidingWindow: { windowTokens: w, localLayers: 1, globalLayers: 1 },
  });
  const lay: InstanceLayout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
  const cost = (m: ModelConfig) => new InstanceCost(m, pod, lay, { ...opts, twoBatchOverlap: false });
  const prefill = (n: number) => ({
    prefillTokens: n,
    prefillPairs: (n * (n + 1)) / 2,
    decodeSeqs: 0,
    decodeKvTokens: 0,
    logitTokens: 1,
  });

  it("a window at least the context costs exactly what full attention does", () => {
    const a = cost(full).step(decodeLoad(32, 4096), 32);
    const b = cost(windowed(4096)).step(decodeLoad(32, 4096), 32);
    expect(b.timeS).toBe(a.timeS);
    expect(cost(windowed(8192)).step(prefill(8192), 8192).timeS).toBe(
      cost(full).step(prefill(8192), 8192).timeS,
    );
  });

  it("decode and prefill attention are monotone in the window and bounded by full attention", () => {
    let prevD = 0;
    let prevP = 0;
    for (const w of [16, 128, 1024, 4096, 8192]) {
      const d = cost(windowed(w)).step(decodeLoad(64, 8192), 64).attentionCoreS;
      const p = cost(windowed(w)).step(prefill(8192), 8192).attentionCoreS;
      expect(d).toBeGreaterThanOrEqual(prevD);
      expect(p).toBeGreaterThanOrEqual(prevP);
      prevD = d;
      prevP = p;
    }
    expect(prevD).toBe(cost(full).step(decodeLoad(64, 8192), 64).attentionCoreS);
    // Half the layers at a 128-token window read about half the cache of 8,192-token sequences.
    const ratio =
      cost(windowed(128)).step(decodeLoad(64, 8192), 64).attentionCoreS /
      cost(full).step(decodeLoad(64, 8192), 64).attentionCoreS;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.52);
  });

  it("KV bytes of windowed layers are capped at the window: bounded, and capacity grows with it", () => {
    const f = cost(full);
    const w = cost(windowed(128));
    expect(w.kvBytesPerToken()).toBe(f.kvBytesPerToken());
    expect(w.kvBytesPerToken(128)).toBe(f.kvBytesPerToken());
    // Long sequences: the 18 windowed layers add 128 tokens' worth per sequence, so bytes/token tend to half.
    const long = w.kvBytesPerToken(1e6);
    expect(long).toBeGreaterThanOrEqual(f.kvBytesPerToken() / 2);
    expect(long).toBeLessThan(f.kvBytesPerToken() / 2 + f.kvBytesPerToken() / 2 / 1000);
    expect(w.kvCapacityTokensPerRank(8192)).toBeGreaterThan(1.8 * f.kvCapacityTokensPerRank(8192));
    expect(f.kvCapacityTokensPerRank(8192)).toBe(f.kvCapacityTokensPerRank());
  });
});
