// Ascend-specific serving mechanisms on their own: the FIA attention call's fixed device cost under SGLang.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { type CostOptions, InstanceCost, type RankLoad, servingShape } from "./cost.js";
import { attentionCallExtraS } from "./decode-attention.js";
import { efficiencyFor } from "./efficiency.js";

const qwen = resolveModel("qwen3-235b-a22b");
const a3 = systemFromCaseHardware({
  chip: "ascend-910c",
  chips: 8,
  network: [{ name: "hccs", groupSize: 8, bandwidthGBps: 392, topology: "full-mesh" }],
});
const opts = (engine: string): CostOptions =>
  costOptions({ precision: "int8", engine: deviceOnlyEngine(engine) });
const decode = (seqs: number, draftTokens = 0): RankLoad => decodeOnlyLoad(seqs, 3000, draftTokens);
const layout = { chips: 8, tp: 1, attentionDp: 8, ep: 8 };

describe("FIA attention call fixed cost (attentionCallFixedS)", () => {
  it("is the published fixed part less the kernel floor, never negative, and zero where a family gives none", () => {
    expect(attentionCallExtraS(undefined, 3e-6)).toBe(0);
    expect(attentionCallExtraS(2e-6, 3e-6)).toBe(0);
    expect(attentionCallExtraS(22e-6, 3.25e-6)).toBeCloseTo(18.75e-6, 12);
    // Only SGLang's engine profile on Ascend carries FIA's figure; the family's own profile has none.
    for (const f of ["ascend-910", "cdna", "generic", "tpu"]) {
      expect(chipFamily(f).serving.attentionCallFixedS).toBeUndefined();
    }
  });
  it("takes the one-token FIA row of vllm-ascend PR 15526 (22.14 us on an A3 die) for SGLang on Ascend 910 only", () => {
    const data = JSON.parse(readFileSync("data/kernels/ascend-fia-published.json", "utf8"));
    const rows = data.sections.fia_decode_floor.rows as { kvTokens: number; fiaUs: number }[];
    const one = rows.find((r) => r.kvTokens === 1)?.fiaUs ?? 0;
    const sglang = efficiencyFor(a3.chip, undefined, "sglang");
    expect(sglang.attentionCallFixedS?.gqa).toBeCloseTo(one * 1e-6, 6);
    // FIA serves either cache form.
    expect(sglang.attentionCallFixedS?.mla).toBe(sglang.attentionCallFixedS?.gqa);
    // The fixed part dominates up to ~1K tokens: the published call grows by under 20% from 1 to 1,024 KV tokens.
    expect((rows.find((r) => r.kvTokens === 1024)?.fiaUs ?? 0) / one).toBeLessThan(1.2);
    // CloudMatrix-Infer (xDeepServe) runs its own MLA operator and keeps the family's figures.
    expect(efficiencyFor(a3.chip, undefined, "xdeepserve").attentionCallFixedS).toBeUndefined();
  });
  it("adds one call per layer to a decode step and one per draft pass, nothing else", () => {
    const s = servingShape(qwen);
    const withFia = new InstanceCost(qwen, a3, layout, opts("sglang"));
    const without = new InstanceCost(qwen, a3, layout, opts("sglang"), { attentionCallFixedS: undefined });
    const eff = efficiencyFor(a3.chip, undefined, "sglang");
    const extra = attentionCallExtraS(eff.attentionCallFixedS?.gqa, eff.kernelFloorS);
    expect(extra).toBeGreaterThan(15e-6);
    const a = withFia.step(decode(16), 16 * 16);
    const b = without.step(decode(16), 16 * 16);
    expect(a.overheadS - b.overheadS).toBeCloseTo(s.layers * extra, 9);
    expect(a.computeS).toBeCloseTo(b.computeS, 12);
    const da = withFia.step(decode(16, 3), 16 * 16 * 4);
    const db = without.step(decode(16, 3), 16 * 16 * 4);
    expect(da.draftS - db.draftS).toBeCloseTo(3 * extra, 9);
    expect(da.timeS - db.timeS).toBeCloseTo((s.layers + 3) * extra, 9);
  });
});

describe("Ascend 910 kernel floor", () => {
  it("is the device time of a near-zero-work AscendC kernel under graph replay (vllm-ascend PR 15526)", () => {
    const data = JSON.parse(readFileSync("data/kernels/ascend-fia-published.json", "utf8"));
    const rows = data.sections.fia_decode_floor.rows as {
      kvTokens: number;
      vectorPagedAttentionUs: number;
    }[];
    const tiny = rows.filter((r) => r.kvTokens <= 128).map((r) => r.vectorPagedAttentionUs);
    const floor = chipFamily("ascend-910").serving.kernelFloorS;
    expect(floor).toBeCloseTo(Math.min(...tiny) * 1e-6, 7);
    expect(floor).toBeLessThan(Math.max(...tiny) * 1e-6);
    // Above H200's graph-replay floor (3.25 us), which the family used to borrow.
    expect(floor).toBeGreaterThan(chipFamily("hopper").serving.kernelFloorS);
  });
});
