// The Ascend 910B bins as CANN's platform descriptions give them (data/kernels/ascend-910b-bins-published.json), and the catalog's ascend-910b4-1 (the Atlas 800I A2's NPU) derived from them.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  costOptions,
  decodeOnlyLoad,
  deviceOnlyEngine,
  prefillOnlyLoad,
} from "../../../test/fixtures/serving.js";
import { InstanceCost } from "../../serving/cost.js";
import { systemFromCaseHardware } from "../../validate/hardware.js";
import { resolveModel } from "../models-resolve.js";
import { resolveChip } from "../resolve.js";

type Bin = {
  soc: string;
  cubeCores: number;
  cubeFreqMHz: number;
  ddrRateBytesPerCycle: number;
  memorySizeBytes: number;
  peakTflopsFp16: number;
  coreReadTBps: number;
  publishedHbmTBps: number | null;
};
type Server = { server: string | null; chip: string; hbmMB: number | null };
const DATA = JSON.parse(
  readFileSync(new URL("../../../data/kernels/ascend-910b-bins-published.json", import.meta.url), "utf8"),
).sections;
const BINS = DATA.platform_bins.rows as Bin[];
const SERVERS = DATA.server_bin.rows as Server[];
const bin = (soc: string): Bin => {
  const b = BINS.find((r) => r.soc === soc);
  if (!b) throw new Error(`no row ${soc}`);
  return b;
};
/** Cube peak of a platform row: cores x 16 x 16 x 16 MACs x 2 x clock. */
const cubePeak = (b: Bin) => b.cubeCores * 4096 * 2 * b.cubeFreqMHz * 1e6;
/** The cores' global-memory read rate of a platform row: cores x bytes per cycle x clock. */
const coreRead = (b: Bin) => b.cubeCores * b.ddrRateBytesPerCycle * b.cubeFreqMHz * 1e6;

describe("CANN platform descriptions of the 910B bins", () => {
  it("each row's peak and core read rate are the products of its own fields (rounded as written)", () => {
    for (const b of BINS) {
      expect(cubePeak(b) / 1e12).toBeCloseTo(b.peakTflopsFp16, 1);
      expect(coreRead(b) / 1e12).toBeCloseTo(b.coreReadTBps, 3);
    }
  });
  it("the core read rate sits at 0.86-0.93 of the HBM bandwidth on every chip whose HBM figure Huawei publishes", () => {
    const published = BINS.filter((b) => b.publishedHbmTBps !== null);
    expect(published.map((b) => b.soc)).toEqual(["Ascend910B2", "Ascend910_9392", "Ascend950DT_9571"]);
    for (const b of published) {
      const r = coreRead(b) / ((b.publishedHbmTBps as number) * 1e12);
      expect(r).toBeGreaterThan(0.85);
      expect(r).toBeLessThan(0.94);
    }
  });
  it("the 910B4 bins have fewer cube cores at a lower clock than the 910B2: 0.694 of its peak and core read rate", () => {
    for (const soc of ["Ascend910B4", "Ascend910B4-1"]) {
      expect(cubePeak(bin(soc)) / cubePeak(bin("Ascend910B2"))).toBeCloseTo(0.694, 3);
      expect(coreRead(bin(soc)) / coreRead(bin("Ascend910B2"))).toBeCloseTo(0.694, 3);
    }
  });
});

describe("catalog ascend-910b4-1 (Atlas 800I A2)", () => {
  const c = resolveChip("ascend-910b4-1");
  const b2 = bin("Ascend910B2");
  const b4 = bin("Ascend910B4-1");
  it("is the chip an 800I A2 reports, with the 64 GB its npu-smi shows", () => {
    expect(SERVERS.some((s) => s.server === "Atlas 800I A2" && s.chip === "910B4-1")).toBe(true);
    const hbm = SERVERS.filter((s) => s.chip === "910B4-1" && s.hbmMB !== null).map((s) => s.hbmMB);
    expect(hbm.length).toBeGreaterThan(1);
    for (const mb of hbm) expect((mb as number) / 1024).toBe(c.memoryBytes / 1e9);
    expect(c.family).toBe("ascend-910");
  });
  it("peaks are the platform description's cube product (bf16 = fp16, int8 twice)", () => {
    expect(c.peakFlops.bf16).toBeCloseTo(cubePeak(b4), -6);
    expect(c.peakFlops.fp16).toBe(c.peakFlops.bf16);
    expect(c.peakFlops.int8).toBeCloseTo(2 * cubePeak(b4), -6);
  });
  it("HBM is the 910B2's 1.6 TB/s scaled by the core read rate, marked an assumption", () => {
    const b910 = resolveChip("ascend-910b");
    expect(b910.memoryBandwidthBytesPerS).toBe((b2.publishedHbmTBps as number) * 1e12);
    expect(c.memoryBandwidthBytesPerS).toBeCloseTo((1.6e12 * coreRead(b4)) / coreRead(b2), -6);
    const src = c.sources.find((s) => s.fields.includes("memoryBandwidthTBps"));
    expect(src?.confidence).toBe("A");
  });
});

describe("catalog ascend-910b4 (32 GB, the early Atlas 800I A2 NPU)", () => {
  const c = resolveChip("ascend-910b4");
  const b41 = resolveChip("ascend-910b4-1");
  it("has the 910B4-1's speed figures: its platform description gives the same cores, clock and read rate", () => {
    const b4 = bin("Ascend910B4");
    const b4x = bin("Ascend910B4-1");
    expect(cubePeak(b4)).toBe(cubePeak(b4x));
    expect(coreRead(b4)).toBe(coreRead(b4x));
    expect(c.peakFlops).toEqual(b41.peakFlops);
    expect(c.memoryBandwidthBytesPerS).toBe(b41.memoryBandwidthBytesPerS);
    expect(c.family).toBe("ascend-910");
  });
  it("holds the 32 GiB its platform description gives (HAMi issue 1497: the B4's 32 GB, raised to 64 in the B4-1)", () => {
    const b4 = bin("Ascend910B4");
    expect(b4.memorySizeBytes / 2 ** 30).toBe(32);
    expect(c.memoryBytes / 1e9).toBe(b4.memorySizeBytes / 2 ** 30);
    expect(c.memoryBytes).toBe(b41.memoryBytes / 2);
  });
});

describe("serving on ascend-910b4-1 against the catalog 910B", () => {
  const qwen2 = resolveModel({
    layers: 28,
    hiddenSize: 3584,
    ffnHiddenSize: 18944,
    heads: 28,
    kvHeads: 4,
    headDim: 128,
    vocabSize: 152064,
    gatedMlp: true,
  });
  const one = (chip: string) =>
    new InstanceCost(
      qwen2,
      systemFromCaseHardware({
        chip,
        chips: 1,
        network: [{ name: "hccs", groupSize: 8, bandwidthGBps: 196, topology: "full-mesh" }],
      }),
      { chips: 1, tp: 1, attentionDp: 1, ep: 1 },
      costOptions({ precision: "bf16", engine: deviceOnlyEngine("other") }),
    );
  it("a batch-1 decode step streams the same weights at the lower rate: longer by at most the bandwidth ratio", () => {
    const fast = one("ascend-910b").step(decodeOnlyLoad(1, 1536), 1).timeS;
    const slow = one("ascend-910b4-1").step(decodeOnlyLoad(1, 1536), 1).timeS;
    const ratio =
      resolveChip("ascend-910b").memoryBandwidthBytesPerS /
      resolveChip("ascend-910b4-1").memoryBandwidthBytesPerS;
    expect(slow).toBeGreaterThan(fast * 1.2);
    expect(slow).toBeLessThanOrEqual(fast * ratio * (1 + 1e-9));
  });
  it("a compute-bound prefill is slower by about the peak ratio (its memory-bound parts by up to the bandwidth ratio)", () => {
    const fast = one("ascend-910b").step(prefillOnlyLoad(8192), 8192).timeS;
    const slow = one("ascend-910b4-1").step(prefillOnlyLoad(8192), 8192).timeS;
    const peak =
      (resolveChip("ascend-910b").peakFlops.bf16 ?? 0) / (resolveChip("ascend-910b4-1").peakFlops.bf16 ?? 1);
    const bw =
      resolveChip("ascend-910b").memoryBandwidthBytesPerS /
      resolveChip("ascend-910b4-1").memoryBandwidthBytesPerS;
    expect(bw).toBeGreaterThan(peak);
    expect(slow / fast).toBeGreaterThan(peak * 0.98);
    expect(slow / fast).toBeLessThan(peak * 1.05);
    expect(slow / fast).toBeLessThanOrEqual(bw);
  });
});
