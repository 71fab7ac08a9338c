// Training model: parameter/FLOP conservation, published-figure bounds, monotonicity, determinism, every infeasibility path.
import { describe, expect, it } from "vitest";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveChip, resolveSystem } from "../catalog/resolve.js";
import type { System } from "../catalog/types.js";
import { ZettasimError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { trainingEfficiency } from "./efficiency.js";
import {
  bottleneckOf,
  estimateNumbersFinite,
  estimateTraining,
  evaluateTraining,
  memoryFixes,
  prepareTraining,
  type TrainingBreakdown,
} from "./estimate.js";
import { planTraining } from "./plan.js";
import { modelShape } from "./shape.js";

const dgxA100 = (chips: number, outGBps = 25): System =>
  systemFromCaseHardware({
    chip: "a100-sxm-80gb",
    chips,
    network: [
      { name: "nvlink", groupSize: 8, bandwidthGBps: 300 },
      { name: "infiniband-hdr", bandwidthGBps: outGBps },
    ],
  });
const dgxH100 = (chips: number, upGBps = 450, outGBps = 50): System =>
  systemFromCaseHardware({
    chip: "h100-sxm",
    chips,
    network: [
      { name: "nvlink", groupSize: 8, bandwidthGBps: upGBps },
      { name: "infiniband-ndr", bandwidthGBps: outGBps },
    ],
  });

const gpt3 = resolveModel("gpt3-175b");
const base: TrainingConfig = {
  seqLength: 2048,
  globalBatchSize: 1536,
  microBatchSize: 1,
  tp: 8,
  pp: 8,
  dp: 16,
  vpp: 4,
  recompute: "selective",
  zero: 1,
  precision: "bf16",
};

function expectError(fn: () => unknown, field: string): ZettasimError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZettasimError);
    const z = e as ZettasimError;
    expect(z.issues.map((i) => i.path.join("."))).toContain(field);
    return z;
  }
  throw new Error(`expected a ZettasimError on ${field}`);
}

describe("parameter counts (model cards, within 2%)", () => {
  const within = (x: number, ref: number) => expect(Math.abs(x / ref - 1)).toBeLessThan(0.02);
  it("GPT-3 175B", () => within(modelShape(gpt3).totalParams, 175e9));
  it("Llama 3 405B", () => within(modelShape(resolveModel("llama3-405b")).totalParams, 405e9));
  it("Llama 3 70B and 8B", () => {
    within(modelShape(resolveModel("llama3-70b")).totalParams, 70.6e9);
    within(modelShape(resolveModel("llama3-8b")).totalParams, 8.03e9);
  });
  it("DeepSeek-V3: 671B total, 37B active", () => {
    const s = modelShape(resolveModel("deepseek-v3"));
    within(s.totalParams, 671e9);
    within(s.activeParams, 37e9);
  });
  it("Mixtral 8x22B: 141B total, 39B active", () => {
    const s = modelShape(resolveModel("mixtral-8x22b"));
    within(s.totalParams, 141e9);
    within(s.activeParams, 39e9);
  });
  it("synthetic sizes are what their names say (within 2%)", () => {
    within(modelShape(resolveModel("dense-1t")).totalParams, 1.0e12);
    within(modelShape(resolveModel("moe-2t")).totalParams, 2.0e12);
    within(modelShape(resolveModel("moe-10t")).totalParams, 1.0e13);
  });
});

describe("FLOP accounting", () => {
  it("model FLOPs of GPT-3 match Narayanan et al. eq. 3 without recompute (72 B s l h^2 (1 + s/6h + V/12lh))", () => {
    const r = estimateTraining(dgxA100(1024), gpt3, { ...base, dp: 16 });
    const B = 1536;
    const s = 2048;
    const l = 96;
    const h = 12288;
    const V = 51200;
    const ref = 72 * B * s * l * h * h * (1 + s / (6 * h) + V / (12 * l * h));
    expect(Math.abs(r.modelFlopsPerStep / ref - 1)).toBeLessThan(0.01);
  });
  it("is close to 6 N T for a short-sequence dense model", () => {
    const r = estimateTraining(dgxA100(1024), gpt3, base);
    const sixNT = 6 * modelShape(gpt3).totalParams * 1536 * 2048;
    expect(r.modelFlopsPerStep / sixNT).toBeGreaterThan(1.0);
    expect(r.modelFlopsPerStep / sixNT).toBeLessThan(1.05);
  });
  it("an MoE counts only active parameters (6 N_active T, plus MLA attention at 4k and the MTP module)", () => {
    const sys = dgxH100(2048, 160, 50);
    const r = estimateTraining(sys, resolveModel("deepseek-v3"), {
      seqLength: 4096,
      globalBatchSize: 4096,
      tp: 1,
      pp: 16,
      dp: 128,
      ep: 64,
      precision: "fp8",
      schedule: "dualpipe",
    });
    const ref = 6 * 37e9 * 4096 * 4096;
    expect(r.modelFlopsPerStep / ref).toBeGreaterThan(1.0);
    expect(r.modelFlopsPerStep / ref).toBeLessThan(1.4);
  });
  it("full recompute adds one forward: HFU / MFU = 4/3", () => {
    const r = estimateTraining(dgxA100(1024), gpt3, { ...base, recompute: "full" });
    expect(r.hfu / r.mfu).toBeCloseTo(4 / 3, 2);
    expect(r.breakdownS.recomputeS).toBeGreaterThan(0);
  });
});

describe("published step times", () => {
  it("GPT-3 175B on 1024 A100 (MegaScale Megatron-LM row, 11.9 s) within 15%", () => {
    const r = estimateTraining(dgxA100(1024), resolveModel("megascale-175b"), {
      ...base,
      globalBatchSize: 768,
      dp: 16,
      vpp: 6,
      sequenceParallel: true,
    });
    expect(Math.abs(r.stepTimeS / 11.9 - 1)).toBeLessThan(0.15);
  });
  it("MFU stays physical (between 0 and the large-GEMM efficiency)", () => {
    const r = estimateTraining(dgxA100(1024), gpt3, base);
    expect(r.mfu).toBeGreaterThan(0.2);
    expect(r.mfu).toBeLessThan(0.75);
  });
});

describe("monotonicity", () => {
  it("more bandwidth at any tier is never slower", () => {
    const slow = estimateTraining(dgxA100(1024, 25), gpt3, base).stepTimeS;
    const fast = estimateTraining(dgxA100(1024, 50), gpt3, base).stepTimeS;
    expect(fast).toBeLessThanOrEqual(slow);
    const upSlow = estimateTraining(dgxH100(512, 200), gpt3, { ...base, dp: 8 }).stepTimeS;
    const upFast = estimateTraining(dgxH100(512, 900), gpt3, { ...base, dp: 8 }).stepTimeS;
    expect(upFast).toBeLessThan(upSlow);
  });
  it("more chips at a fixed per-chip batch never lowers total throughput (dense DP)", () => {
    let prev = 0;
    for (const dp of [1, 2, 4, 8, 16, 32, 64]) {
      const r = estimateTraining(dgxA100(64 * dp), gpt3, { ...base, dp, globalBatchSize: 96 * dp });
      expect(r.tokensPerSecond).toBeGreaterThanOrEqual(prev);
      prev = r.tokensPerSecond;
    }
  });
  it("more micro-batches per step shrink the pipeline bubble's share", () => {
    const a = estimateTraining(dgxA100(1024), gpt3, { ...base, globalBatchSize: 256 });
    const b = estimateTraining(dgxA100(1024), gpt3, { ...base, globalBatchSize: 2048 });
    expect(b.breakdownS.bubbleS / b.stepTimeS).toBeLessThan(a.breakdownS.bubbleS / a.stepTimeS);
  });
  it("interleaving (vpp) reduces the bubble; fp8 is faster than bf16 on H100", () => {
    const one = estimateTraining(dgxA100(1024), gpt3, { ...base, vpp: 1 });
    const four = estimateTraining(dgxA100(1024), gpt3, { ...base, vpp: 4 });
    expect(four.breakdownS.bubbleS).toBeLessThan(one.breakdownS.bubbleS);
    const bf16 = estimateTraining(dgxH100(512), gpt3, { ...base, dp: 8 });
    const fp8 = estimateTraining(dgxH100(512), gpt3, { ...base, dp: 8, precision: "fp8" });
    expect(fp8.stepTimeS).toBeLessThan(bf16.stepTimeS);
  });
});

describe("determinism and finiteness", () => {
  it("same inputs, same result", () => {
    const a = estimateTraining(dgxA100(1024), gpt3, base);
    const b = estimateTraining(dgxA100(1024), gpt3, base);
    expect(a).toEqual(b);
  });
  it("a prepared job copied with another resolved job or profile is costed for that one, not from the layer costs prepared", () => {
    const p = prepareTraining(dgxA100(1024), gpt3, base);
    expect(evaluateTraining(p)).toStrictEqual(estimateTraining(dgxA100(1024), gpt3, base));
    // Another micro-batch size changes the per-layer costs prepareTraining computed for `p`.
    const q = prepareTraining(p.system, p.shape, { ...base, microBatchSize: 2 });
    const copied = evaluateTraining({ ...p, t: q.t });
    expect(copied).toStrictEqual(evaluateTraining(q));
    expect(copied.stepTimeS).not.toBe(evaluateTraining(p).stepTimeS);
    // A lower collective efficiency changes the layers' TP collectives.
    const r = prepareTraining(p.system, p.shape, base, { collective: p.eff.collective / 2 });
    const withProfile = evaluateTraining({ ...p, eff: r.eff });
    expect(withProfile).toStrictEqual(evaluateTraining(r));
    expect(withProfile.breakdownS.tpCommS).toBeGreaterThan(evaluateTraining(p).breakdownS.tpCommS);
  });
  it("random valid scenarios never produce NaN or Infinity", () => {
    const rng = new Rng(7);
    const pick = <T>(xs: T[]) => xs[rng.nextU32() % xs.length];
    const models = [
      "gpt3-175b",
      "llama3-70b",
      "deepseek-v3",
      "mixtral-8x22b",
      "qwen3-235b-a22b",
      "megatron-gpt-1.7b",
    ];
    for (let i = 0; i < 200; i++) {
      const model = resolveModel(pick(models));
      const shape = modelShape(model);
      const tp = pick(
        [1, 2, 4, 8].filter(
          (t) => shape.heads % t === 0 && (shape.kvHeads % t === 0 || t % shape.kvHeads === 0),
        ),
      );
      const pp = pick([1, 2, 4, 8]);
      const cp = pick([1, 2]);
      const dp = pick([1, 2, 4, 8, 16]);
      const ep =
        shape.experts > 0
          ? pick([1, 2, 4, 8].filter((e) => shape.experts % e === 0 && (tp * cp * dp) % (e * tp) === 0))
          : 1;
      const mbs = pick([1, 2]);
      const chips = tp * pp * cp * dp;
      const sys = dgxH100(Math.max(8, chips));
      const r = estimateTraining(sys, shape, {
        seqLength: pick([2048, 4096, 32768]),
        globalBatchSize: dp * mbs * pick([1, 4, 16]),
        microBatchSize: mbs,
        tp,
        pp,
        cp,
        dp,
        ep: ep ?? 1,
        vpp: pick([1, 2]),
        recompute: pick(["none", "selective", "full"] as const),
        zero: pick([0, 1, 2, 3]),
        precision: pick(["bf16", "fp8"] as const),
        schedule: pick(["1f1b", "interleaved", "zero-bubble", "dualpipe"]),
        trainTokens: 1e12,
      });
      expect(Number.isFinite(r.stepTimeS)).toBe(true);
      expect(r.stepTimeS).toBeGreaterThan(0);
      expect(Number.isFinite(r.energyToTrainJ as number)).toBe(true);
    }
  });
});

describe("the estimate's fast finiteness check", () => {
  // estimateNumbersFinite stands in for assertFinite's generic walk on every estimate: it must see a non-finite
  // value in every number an estimate carries (a field added to TrainingEstimate and not to it fails here).
  const moe = estimateTraining(dgxH100(1024), resolveModel("mixtral-8x22b"), {
    seqLength: 4096,
    globalBatchSize: 512,
    tp: 2,
    pp: 4,
    ep: 8,
    precision: "fp8",
    trainTokens: 1e12,
  });
  const paths: (string | number)[][] = [];
  const collect = (o: unknown, path: (string | number)[]) => {
    if (typeof o === "number") paths.push(path);
    else if (o && typeof o === "object") for (const [k, v] of Object.entries(o)) collect(v, [...path, k]);
  };
  collect(moe, []);
  it("passes a real estimate and covers its numbers (timeToTrainS and energyToTrainJ included)", () => {
    expect(estimateNumbersFinite(moe)).toBe(true);
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.map((p) => p.join("."))).toContain("energyToTrainJ");
  });
  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    "sees %s in every number",
    (bad) => {
      for (const path of paths) {
        const copy = structuredClone(moe) as unknown as Record<string | number, unknown>;
        let o = copy;
        for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
        o[path[path.length - 1]] = bad;
        expect(estimateNumbersFinite(copy as unknown as typeof moe), path.join(".")).toBe(false);
      }
    },
  );
  it("leaves an estimate with adjustments (values of any kind) to the generic walk", () => {
    expect(
      estimateNumbersFinite({ ...moe, adjustments: [{ path: ["x"], from: 1, to: 2, reason: "r" }] }),
    ).toBe(false);
  });
});

describe("infeasible jobs name the field", () => {
  const sys = dgxA100(1024);
  it("global batch not divisible by dp x micro-batch", () =>
    expectError(
      () => estimateTraining(sys, gpt3, { ...base, globalBatchSize: 1000 }),
      "training.globalBatchSize",
    ));
  it("too few chips for tp x pp x cp x dp", () =>
    expectError(() => estimateTraining(sys, gpt3, { ...base, dp: 32 }), "training.dp"));
  it("chips not a whole number of replicas", () =>
    expectError(
      () => estimateTraining(sys, gpt3, { ...base, dp: undefined, chips: 1000 }),
      "training.chips",
    ));
  it("tp not dividing the heads", () =>
    expectError(() => estimateTraining(sys, gpt3, { ...base, tp: 7, dp: 16 }), "training.tp"));
  it("ep not dividing the experts, or ep on a dense model", () => {
    const moe = resolveModel("mixtral-8x22b");
    expectError(() => estimateTraining(dgxH100(1024), moe, { ...base, ep: 3, dp: 16 }), "training.ep");
    expectError(() => estimateTraining(sys, gpt3, { ...base, ep: 2 }), "training.ep");
  });
  it("a precision the chip lacks (fp8 on A100)", () =>
    expectError(() => estimateTraining(sys, gpt3, { ...base, precision: "fp8" }), "training.precision"));
  it("more pipeline stages than layers; cp not dividing the sequence", () => {
    expectError(
      () => estimateTraining(resolveSystem("atlas-950-superpod"), gpt3, { ...base, pp: 128, dp: 1 }),
      "training.pp",
    );
    expectError(() => estimateTraining(sys, gpt3, { ...base, seqLength: 2049, cp: 2, dp: 8 }), "training.cp");
  });
  it("a core-API caller's counts that are not whole numbers >= 1, or missing, never reach the arithmetic", () => {
    const raw = (t: Record<string, unknown>) => () =>
      estimateTraining(sys, gpt3, t as unknown as TrainingConfig);
    expectError(raw({ ...base, dp: undefined, chips: -1 }), "training.chips");
    expectError(raw({ ...base, dp: 0 }), "training.dp");
    expectError(raw({ ...base, tp: Number.NaN }), "training.tp");
    expectError(raw({ ...base, microBatchSize: 0.5 }), "training.microBatchSize");
    expectError(raw({ ...base, seqLength: "8k" }), "training.seqLength");
    expectError(raw({ chips: 1024 }), "training.seqLength");
    expectError(raw({ ...base, globalBatchSize: undefined }), "training.globalBatchSize");
  });
  it("an unknown pipeline schedule", () =>
    expectError(
      () => estimateTraining(sys, gpt3, { ...base, schedule: "round-robin" }),
      "training.schedule",
    ));
  it("too little memory is reported with fixes that fit", () => {
    const cfg: TrainingConfig = {
      ...base,
      tp: 1,
      pp: 8,
      dp: 128,
      vpp: 1,
      recompute: "none",
      zero: 0,
      microBatchSize: 1,
    };
    const r = estimateTraining(sys, gpt3, cfg);
    expect(r.fitsInMemory).toBe(false);
    expect(r.memoryPerChipBytes).toBeGreaterThan(r.memoryCapacityBytes);
    const fixes = memoryFixes(sys, gpt3, cfg);
    for (const f of fixes) expect(f.memoryPerChipBytes).toBeLessThanOrEqual(r.memoryCapacityBytes);
  });
});

describe("memory", () => {
  it("ZeRO stages shrink memory monotonically; full recompute shrinks activations", () => {
    const sys = dgxA100(1024);
    const mem = [0, 1, 2, 3].map((zero) => estimateTraining(sys, gpt3, { ...base, zero }).memoryPerChipBytes);
    for (let i = 1; i < mem.length; i++) expect(mem[i]).toBeLessThan(mem[i - 1]);
    const sel = estimateTraining(sys, gpt3, base).memoryBreakdownBytes.activationsBytes;
    const full = estimateTraining(sys, gpt3, { ...base, recompute: "full" }).memoryBreakdownBytes
      .activationsBytes;
    expect(full).toBeLessThan(sel / 5);
  });
  it("activations follow Korthikanti et al.: 34 s b h / t per layer with SP, less the 2 s b h of dropout masks", () => {
    // Korthikanti et al. 2022, Table 2: 34 sbh/t with sequence parallelism (attention 11, MLP 19, norms 4),
    // of which 2 sbh/t are dropout masks; the model stores none (today's pretraining runs without dropout).
    const r = estimateTraining(dgxA100(64), gpt3, { ...base, pp: 1, dp: 8, vpp: 1, sequenceParallel: true });
    const perLayer = (32 * 2048 * 12288) / 8;
    const layers = 96;
    // one micro-batch in flight at pp = 1, plus the logits
    const got = r.memoryBreakdownBytes.activationsBytes;
    expect(got / (perLayer * layers)).toBeGreaterThan(0.95);
    expect(got / (perLayer * layers)).toBeLessThan(1.15);
  });
});

describe("plan for the flow simulator", () => {
  it("lays TP inside the scale-up domain and DP/PP across it", () => {
    const p = planTraining(dgxA100(1024), gpt3, base);
    expect(p.layout.tierIndex.tp).toBe(0);
    expect(p.layout.tierIndex.dp).toBe(1);
    expect(p.stages).toHaveLength(8);
    expect(p.stages.reduce((a, s) => a + s.layers, 0)).toBe(96);
    const tp = p.comm.filter((c) => c.parallelism === "tp");
    expect(tp.length).toBeGreaterThan(0);
    for (const c of p.comm) {
      expect(c.timeS).toBeGreaterThan(0);
      expect(c.bytesPerRank).toBeGreaterThan(0);
    }
    expect(p.comm.some((c) => c.parallelism === "dp" && c.collective === "reduce-scatter")).toBe(true);
  });
});

describe("sharding and expert dispatch across tiers", () => {
  it("ZeRO-3 across a slow outer tier shards inside the fast tier (hybrid sharding)", () => {
    const sys = systemFromCaseHardware({
      chip: "tpu-v4",
      chips: 1024,
      network: [
        { name: "ici", groupSize: 512, bandwidthGBps: 135, topology: "torus3d" },
        { name: "dcn", bandwidthGBps: 12.5 },
      ],
    });
    const cfg: TrainingConfig = {
      seqLength: 2048,
      globalBatchSize: 256,
      tp: 8,
      dp: 128,
      zero: 3,
      recompute: "full",
    };
    const p = planTraining(sys, resolveModel("megatron-gpt-39.1b"), cfg);
    const gather = p.comm.find((c) => c.name.startsWith("fsdp parameter all-gather"));
    expect(gather?.groupSize).toBe(64);
    expect(gather?.tierIndex).toBe(0);
    const across = p.comm.find((c) => c.name.startsWith("hsdp"));
    expect(across?.groupSize).toBe(2);
    expect(across?.tierIndex).toBe(1);
    const r = estimateTraining(sys, resolveModel("megatron-gpt-39.1b"), cfg);
    expect(r.breakdownS.dpCommS).toBeLessThan(r.stepTimeS / 2);
  });
  it("EP all-to-all across nodes costs more than inside one, and DualPipe hides it", () => {
    const moe = resolveModel("deepseek-v3");
    const cfg: TrainingConfig = {
      seqLength: 4096,
      globalBatchSize: 2048,
      tp: 1,
      pp: 16,
      dp: 64,
      ep: 8,
      precision: "fp8",
    };
    const inNode = estimateTraining(dgxH100(1024), moe, { ...cfg, schedule: "1f1b" });
    const across = estimateTraining(dgxH100(1024), moe, { ...cfg, ep: 64, schedule: "1f1b" });
    expect(across.breakdownS.epCommS).toBeGreaterThan(inNode.breakdownS.epCommS);
    const dual = estimateTraining(dgxH100(1024), moe, { ...cfg, ep: 64, schedule: "dualpipe" });
    expect(dual.breakdownS.epCommS).toBeLessThan(across.breakdownS.epCommS);
  });
  it("context parallelism splits a long sequence's activations", () => {
    const llama = resolveModel("llama3-70b");
    const cfg: TrainingConfig = {
      seqLength: 131072,
      globalBatchSize: 64,
      tp: 8,
      pp: 4,
      dp: 2,
      recompute: "full",
    };
    const one = estimateTraining(dgxH100(1024), llama, { ...cfg, dp: 16 });
    const cp8 = estimateTraining(dgxH100(1024), llama, { ...cfg, cp: 8 });
    expect(cp8.memoryBreakdownBytes.activationsBytes).toBeLessThan(
      one.memoryBreakdownBytes.activationsBytes / 4,
    );
    expect(cp8.breakdownS.cpCommS).toBeGreaterThanOrEqual(0);
  });
});

describe("efficiency overrides", () => {
  it("a scenario's training.efficiency replaces the chip family's figures", () => {
    const sys = dgxA100(1024);
    const slow = estimateTraining(sys, gpt3, { ...base, efficiency: { gemm: { bf16: 0.4 } } });
    const normal = estimateTraining(sys, gpt3, base);
    expect(slow.stepTimeS).toBeGreaterThan(normal.stepTimeS * 1.4);
  });
});

describe("plan strides", () => {
  it("every collective names its group's stride, matching the rank layout", () => {
    const p = planTraining(dgxH100(1024), resolveModel("mixtral-8x22b"), {
      seqLength: 4096,
      globalBatchSize: 512,
      tp: 2,
      pp: 4,
      dp: 128,
      ep: 8,
      cp: 1,
    });
    for (const c of p.comm) expect(c.stride).toBeGreaterThanOrEqual(1);
    expect(p.comm.find((c) => c.parallelism === "tp")?.stride).toBe(1);
    expect(p.comm.find((c) => c.parallelism === "ep")?.stride).toBe(2);
    expect(p.comm.find((c) => c.parallelism === "pp")?.stride).toBe(256);
    expect(p.comm.find((c) => c.name.startsWith("expert-dp"))?.stride).toBe(16);
  });
});

describe("collectives", () => {
  it("a ring over several chips per node runs one ring per NIC: faster than one chip per node", async () => {
    const { collectiveTime } = await import("./comm.js");
    const sys = dgxA100(256);
    const packed = collectiveTime(sys, "all-reduce", 1e9, 32, 1, 1);
    const spread = collectiveTime(sys, "all-reduce", 1e9, 32, 8, 1);
    expect(packed).toBeLessThan(spread / 4);
    // all-reduce moves twice what reduce-scatter does
    const rs = collectiveTime(sys, "reduce-scatter", 1e9, 32, 8, 1);
    expect(spread / rs).toBeCloseTo(2, 1);
  });
  it("inside a full mesh a transfer uses only the links to its peers; through a switch, all of it", async () => {
    const { collectiveTime, peerShare } = await import("./comm.js");
    const node = (topology: string) =>
      systemFromCaseHardware({
        chip: "ascend-910b",
        chips: 16,
        network: [
          { name: "hccs", groupSize: 8, bandwidthGBps: 196, topology },
          { name: "roce", bandwidthGBps: 25, topology: "fat-tree" },
        ],
      });
    const mesh = node("full-mesh");
    const sw = node("switch");
    expect(peerShare(mesh, 0, 1)).toBeCloseTo(1 / 7, 12);
    expect(peerShare(mesh, 0, 3)).toBeCloseTo(3 / 7, 12);
    expect(peerShare(mesh, 0, 7)).toBe(1);
    expect(peerShare(sw, 0, 1)).toBe(1);
    expect(peerShare(mesh, 1, 1)).toBe(1); // the fat tree above is switched
    const p2p = (s: typeof mesh) => collectiveTime(s, "send-recv", 1e9, 2, 1, 0) - s.tiers[0].latencyS;
    expect(p2p(mesh) / p2p(sw)).toBeGreaterThan(6.9);
    expect(collectiveTime(mesh, "all-gather", 1e9, 8, 1, 0)).toBeCloseTo(
      collectiveTime(sw, "all-gather", 1e9, 8, 1, 0),
      12,
    );
    expect(collectiveTime(mesh, "all-gather", 1e9, 4, 1, 0)).toBeGreaterThan(
      2 * collectiveTime(sw, "all-gather", 1e9, 4, 1, 0),
    );
  });
  it("unfused attention (A100 profile) costs more than fused flash attention at long sequence", () => {
    const llama = resolveModel("llama3-8b");
    const cfg: TrainingConfig = { seqLength: 16384, globalBatchSize: 64, tp: 1, pp: 1, dp: 8 };
    const unfused = estimateTraining(dgxA100(8), llama, cfg);
    const fused = estimateTraining(dgxA100(8), llama, {
      ...cfg,
      efficiency: { attentionScoreBytes: 0 },
    } as TrainingConfig);
    expect(fused.stepTimeS).toBeLessThan(unfused.stepTimeS);
  });
});

describe("efficiency profiles by chip family", () => {
  it("the 950/960 profiles carry the 910B/910C fit over, adding fp8 and fp4 below bf16", async () => {
    const { trainingEfficiency } = await import("./efficiency.js");
    const byId = (id: string) => trainingEfficiency(resolveChip(id));
    const a910 = byId("ascend-910b");
    const a950 = byId("ascend-950dt");
    expect(byId("ascend-910c")).toBe(a910);
    expect(byId("ascend-960")).toBe(a950);
    expect(a950).not.toBe(a910);
    for (const k of ["attention", "collective", "overlapCost", "memory", "memoryOps"] as const)
      expect(a950[k]).toBe(a910[k]);
    expect(a950.gemm.bf16).toBe(a910.gemm.bf16);
    expect(a950.gemm.fp8.peakFraction).toBeLessThan(a950.gemm.bf16.peakFraction);
    expect(a950.gemm.fp4.peakFraction).toBeLessThan(a950.gemm.fp8.peakFraction);
  });
});

describe("overlap defaults and overlap cost", () => {
  it("DP communication is exposed unless published as overlapped, below ZeRO 3; FSDP prefetches", () => {
    const sys = dgxA100(1024);
    const plain = estimateTraining(sys, gpt3, base);
    const overlapped = estimateTraining(sys, gpt3, { ...base, overlap: { dpComm: true } });
    expect(plain.breakdownS.dpCommS).toBeGreaterThan(overlapped.breakdownS.dpCommS);
    expect(plain.stepTimeS).toBeGreaterThan(overlapped.stepTimeS);
    const fsdp = { ...base, zero: 3, pp: 1, vpp: 1, dp: 128 };
    const fsdpDefault = estimateTraining(sys, gpt3, fsdp);
    const fsdpOn = estimateTraining(sys, gpt3, { ...fsdp, overlap: { dpComm: true } });
    expect(fsdpDefault.stepTimeS).toBe(fsdpOn.stepTimeS);
  });
  it("hidden communication still costs overlapCost of its time, and never more than exposing it", () => {
    const sys = dgxH100(512);
    const cfg: TrainingConfig = { ...base, dp: 8, precision: "fp8", overlap: { tpComm: true } };
    const free = estimateTraining(sys, gpt3, { ...cfg, efficiency: { overlapCost: 0 } });
    const costly = estimateTraining(sys, gpt3, cfg);
    const exposed = estimateTraining(sys, gpt3, { ...cfg, overlap: { tpComm: false } });
    expect(costly.breakdownS.tpCommS).toBeGreaterThan(free.breakdownS.tpCommS);
    expect(costly.stepTimeS).toBeLessThan(exposed.stepTimeS);
    const rho = trainingEfficiency(sys.chip).overlapCost;
    expect(rho).toBeGreaterThan(0);
    expect(costly.breakdownS.tpCommS).toBeCloseTo(rho * exposed.breakdownS.tpCommS, 6);
  });
  it("an interleaved schedule named without its depth takes one layer per virtual stage", () => {
    const sys = dgxA100(1024);
    const { vpp: _v, ...noVpp } = base;
    const named = estimateTraining(sys, gpt3, { ...noVpp, schedule: "interleaved" });
    expect(named.degrees.vpp).toBe(12); // 96 layers, pp 8
    expect(estimateTraining(sys, gpt3, noVpp).degrees.vpp).toBe(1);
  });
});

describe("FSDP sharding group", () => {
  const hsdp = (model: string) =>
    planTraining(dgxH100(64), resolveModel(model), {
      seqLength: 8192,
      globalBatchSize: 128,
      tp: 1,
      pp: 1,
      dp: 64,
      zero: 3,
    }).comm.some((c) => c.name.startsWith("hsdp"));
  it("shards inside a node when the states fit there, over every DP rank when they do not", () => {
    expect(hsdp("llama3-8b")).toBe(true); // 8B x 18 bytes / 8 = 18 GB per GPU
    expect(hsdp("llama3-70b")).toBe(false); // 157 GB per GPU inside a node: full sharding
  });
});

describe("an unpublished interleaving depth", () => {
  const system = resolveSystem({ extends: "dgx-h100-superpod", chips: 16384 });
  const model = resolveModel("llama3-405b");
  // Llama 3 405B's published layout: 16 stages and, at 16M tokens a step, 16 micro-batches per pipeline.
  const base: TrainingConfig = { seqLength: 8192, globalBatchSize: 2048, tp: 8, pp: 16, microBatchSize: 1 };

  it("is taken as interleaved when plain 1F1B would leave most of the step idle", () => {
    const r = estimateTraining(system, model, { ...base, vpp: null });
    expect(r.schedule).toBe("interleaved");
    expect(r.degrees.vpp).toBeGreaterThanOrEqual(4);
    const plain = estimateTraining(system, model, { ...base, vpp: 1 });
    expect(r.stepTimeS).toBeLessThan(plain.stepTimeS * 0.8);
  });

  it("stays plain 1F1B when the bubble is small, or when the user simply left vpp out", () => {
    const many = estimateTraining(system, model, { ...base, globalBatchSize: 16384, vpp: null });
    expect(many.schedule).toBe("1f1b");
    expect(estimateTraining(system, model, base).schedule).toBe("1f1b");
  });
});

describe("bottleneck", () => {
  const flat: TrainingBreakdown = {
    computeS: 1,
    recomputeS: 1,
    tpCommS: 1,
    cpCommS: 1,
    epCommS: 1,
    ppCommS: 1,
    dpCommS: 1,
    bubbleS: 1,
    optimizerS: 1,
    gradCheckS: 1,
    offloadS: 1,
  };
  it("names every part of the breakdown when it is the largest, and the first of equal parts", () => {
    for (const k of Object.keys(flat) as (keyof TrainingBreakdown)[])
      expect(bottleneckOf({ ...flat, [k]: 2 })).toBe(k);
    expect(bottleneckOf(flat)).toBe("computeS");
    expect(bottleneckOf({ ...flat, bubbleS: 3, offloadS: 3 })).toBe("bubbleS");
  });
  it("is the largest part of an estimate's breakdown", () => {
    const r = estimateTraining(resolveSystem("atlas-950-supercluster"), resolveModel("moe-2t"), {
      seqLength: 4096,
      globalBatchSize: 32768,
      tp: 1,
      pp: 16,
      ep: 64,
      dp: 64,
      precision: "fp8",
      schedule: "dualpipe",
    });
    expect(r.breakdownS[r.bottleneck]).toBe(Math.max(...Object.values(r.breakdownS)));
  });
});
