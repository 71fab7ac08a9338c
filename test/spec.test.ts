// Derived system figures against the vendors' published ones (3% unless docs/catalog.md explains a wider gap).
import { describe, expect, it } from "vitest";
import { resolveSystem, systemIds } from "../src/catalog/resolve.js";
import { EFLOPS, PB, PFLOPS, TB, ZFLOPS } from "../src/core/units.js";
import { compareSpecs } from "../src/report/compare.js";
import { deriveSpec } from "../src/report/derive.js";
import { specRows } from "../src/report/format.js";

const spec = (id: unknown) => deriveSpec(resolveSystem(id));
/** Asserts |derived / published - 1| <= tol. */
const near = (derived: number, published: number, tol = 0.03) =>
  expect(Math.abs(derived / published - 1), `${derived} vs ${published}`).toBeLessThanOrEqual(tol);

describe("Atlas 950 SuperPoD (Huawei Connect 2025)", () => {
  const s = spec("atlas-950-superpod");
  it("8,192 NPUs, 8 EFLOPS FP8, 16 EFLOPS FP4", () => {
    expect(s.chips).toBe(8192);
    near(s.peakFlops.fp8 ?? 0, 8 * EFLOPS);
    near(s.peakFlops.fp4 ?? 0, 16 * EFLOPS);
  });
  it("1,152 TB of HBM: Huawei's figure is 8,192 x 144 GB / 1,024", () => {
    near(s.memoryBytes, 1152 * TB);
    expect(s.memoryBytes / 1024 / 1e9).toBeCloseTo(1152, 6);
  });
  it("16.3 PB/s interconnect = sum of per-chip scale-up bandwidth, both directions", () => {
    near(s.scaleUpBandwidthBytesPerS, 16.3 * PB);
  });
  it("160 cabinets (128 compute + 32 communication) on about 1,000 m2", () => {
    expect(s.cabinets.total).toBe(160);
    expect(s.cabinets.byKind).toEqual({ compute: 128, communication: 32 });
    near(s.floorAreaM2, 1000);
  });
});

describe("Atlas 950 SuperCluster", () => {
  const s = spec("atlas-950-supercluster");
  it("64 PoDs, 524,288 NPUs, 524 EFLOPS FP8, 1 ZFLOPS FP4", () => {
    expect(s.chips).toBe(524288);
    expect(s.tiers.find((t) => t.name === "superpod-ub")?.groups).toBe(64);
    near(s.peakFlops.fp8 ?? 0, 524 * EFLOPS);
    near(s.peakFlops.fp4 ?? 0, 1 * ZFLOPS, 0.05); // 1.049 ZFLOPS: Huawei rounds to "1 ZFLOPS" (docs/catalog.md)
  });
  it("over 10,240 cabinets: 10,240 in the PoDs plus the scale-out network's", () => {
    expect((s.cabinets.byKind.compute ?? 0) + (s.cabinets.byKind.communication ?? 0)).toBe(10240);
    expect(s.cabinets.total).toBeGreaterThan(10240);
  });
  it("about 64,000 m2: PoD cabinets exactly, network cabinets add under 5% (docs/catalog.md)", () => {
    expect(10240 * 6.25).toBe(64000);
    expect(s.floorAreaM2).toBeGreaterThan(64000);
    near(s.floorAreaM2, 64000, 0.05);
  });
  it("the default is the UBoE variant", () => {
    expect(s.tiers.at(-1)?.protocol).toBe("uboe");
    expect(spec("atlas-950-supercluster-uboe").powerW).toBe(s.powerW);
  });
});

describe("Atlas 950 at CANN's Server-tier peaks (docs/catalog.md, \"Checking the vendor's claims\")", () => {
  const cann = (id: string) => spec({ extends: id, id: `${id}-cann`, chip: "ascend-950dt-cann" });
  it("SuperCluster: 524,288 x 865.1 = 453.6 EFLOPS FP8, 13.4% under Huawei's 524; SuperPoD 7.09 EFLOPS", () => {
    const sc = cann("atlas-950-supercluster");
    expect(sc.chips).toBe(524288);
    near(sc.peakFlops.fp8 ?? 0, 453.6 * EFLOPS, 0.001);
    near(1 - (sc.peakFlops.fp8 ?? 0) / (524 * EFLOPS), 0.134, 0.01);
    near(cann("atlas-950-superpod").peakFlops.fp8 ?? 0, 7.09 * EFLOPS, 0.001);
  });
});

describe("UBoE against RoCE scale-out", () => {
  const u = spec("atlas-950-supercluster-uboe");
  const r = spec("atlas-950-supercluster-roce");
  it("RoCE needs more switches, optical modules, NICs, cabinets and power", () => {
    expect(r.switches).toBeGreaterThan(u.switches);
    expect(r.opticalModules).toBeGreaterThan(u.opticalModules);
    expect(r.nics).toBeGreaterThan(u.nics);
    expect(r.cabinets.total).toBeGreaterThan(u.cabinets.total);
    expect(r.powerW).toBeGreaterThan(u.powerW);
  });
  it("RoCE has the higher static latency on the scale-out tier, the same bandwidth and compute", () => {
    expect(r.tiers.at(-1)?.latencyS ?? 0).toBeGreaterThan(u.tiers.at(-1)?.latencyS ?? 0);
    expect(r.tiers.at(-1)?.bisectionPerGroupBytesPerS).toBe(u.tiers.at(-1)?.bisectionPerGroupBytesPerS);
    expect(r.peakFlops).toEqual(u.peakFlops);
  });
});

describe("Atlas 960", () => {
  it("SuperPoD: 15,488 NPUs, 30 EFLOPS FP8, 60 EFLOPS FP4, 34 PB/s", () => {
    const s = spec("atlas-960-superpod");
    expect(s.chips).toBe(15488);
    // 15,488 x 2 PFLOPS = 30.98 EFLOPS: Huawei rounds down (3.3%, docs/catalog.md)
    near(s.peakFlops.fp8 ?? 0, 30 * EFLOPS, 0.035);
    near(s.peakFlops.fp4 ?? 0, 60 * EFLOPS, 0.035);
    near(s.scaleUpBandwidthBytesPerS, 34 * PB);
    near(s.memoryBytes, 4460 * TB);
    expect(s.cabinets.total).toBe(220);
  });
  it("SuperCluster: over a million NPUs, 4 ZFLOPS FP4", () => {
    const s = spec("atlas-960-supercluster");
    expect(s.chips).toBeGreaterThan(1_000_000);
    expect(s.chips).toBe(66 * 15488);
    near(s.peakFlops.fp4 ?? 0, 4 * ZFLOPS);
    near(s.peakFlops.fp8 ?? 0, 2 * ZFLOPS);
  });
});

describe("CloudMatrix384 (Atlas 900 A3 SuperPoD)", () => {
  const s = spec("atlas-900-a3-superpod");
  it("about 300 PFLOPS BF16: 384 x 752 TFLOPS = 289 PFLOPS (3.7%, docs/catalog.md)", () => {
    near(s.peakFlops.bf16 ?? 0, 300 * PFLOPS, 0.04);
  });
  it("about 49 TB HBM, 16 racks, 192 CPUs", () => {
    near(s.memoryBytes, 49 * TB);
    expect(s.cabinets.total).toBe(16);
    expect(s.cpus).toBe(192);
  });
  it("about 559 kW", () => near(s.powerW, 559e3));
});

describe("Nvidia and Google systems", () => {
  it("GB200 NVL72: 13.4 TB HBM, 130 TB/s NVLink, 720 PF FP4 dense", () => {
    const s = spec("gb200-nvl72");
    near(s.memoryBytes, 13.4 * TB);
    near(s.scaleUpBandwidthBytesPerS, 130 * TB);
    near(s.peakFlops.fp4 ?? 0, 720 * PFLOPS);
  });
  it("GB300 NVL72: 1,080 PF FP4 dense, 20 TB HBM, about 37 TB fast memory", () => {
    const s = spec("gb300-nvl72");
    near(s.peakFlops.fp4 ?? 0, 1080 * PFLOPS);
    near(s.memoryBytes, 20 * TB);
    near(s.fastMemoryBytes, 37 * TB);
  });
  it("Vera Rubin NVL144: 3.6 EF FP4, 1.2 EF FP8, 75 TB fast memory, 260 TB/s", () => {
    const s = spec("vr-nvl144");
    near(s.peakFlops.fp4 ?? 0, 3.6 * EFLOPS);
    near(s.peakFlops.fp8 ?? 0, 1.2 * EFLOPS);
    near(s.fastMemoryBytes, 75 * TB);
    near(s.scaleUpBandwidthBytesPerS, 260 * TB);
  });
  it("DGX H100 SuperPOD of 4 SUs: 32 leaf + 16 spine switches (reference architecture)", () => {
    const s = spec("dgx-h100-superpod");
    expect(s.tiers[1].switches).toBe(48);
    expect(s.hosts).toBe(128);
  });
  it("TPU v4 pod: 4,096 chips, 1.1 EFLOPS BF16, 48 OCS", () => {
    const s = spec("tpu-v4-pod");
    near(s.peakFlops.bf16 ?? 0, 1.126 * EFLOPS);
    expect(s.switches).toBe(48);
  });
});

describe("Huawei's comparison with Vera Rubin NVL144", () => {
  const c = compareSpecs([spec("vr-nvl144"), spec("atlas-950-superpod")]);
  const ratio = (key: string) => c.rows.find((r) => r.key === key)?.ratios[1] ?? 0;
  it("56.8x NPUs, 6.7x FP8 compute, 62x interconnect bandwidth", () => {
    near(ratio("chips"), 56.8);
    near(ratio("peakFlops.fp8"), 6.7, 0.025);
    near(ratio("scaleUpBandwidthBytesPerS"), 62, 0.025);
  });
  it("15x memory is Atlas HBM over NVL144 fast memory (HBM + LPDDR); HBM alone is 57x", () => {
    // 1,179.6 TB / 74.7 TB = 15.8x; with Huawei's own 1,152 TB and 75 TB it is 15.4x, which Huawei calls 15x (docs/catalog.md)
    near(ratio("memoryBytesVsFirstFastMemory"), 15, 0.06);
    near(ratio("memoryBytes"), 56.9);
  });
  it("ratios are to the first system", () => {
    for (const r of c.rows) if (r.values[0] && !r.note) expect(r.ratios[0]).toBe(1);
  });
});

describe("derivation invariants", () => {
  it("every catalog system derives finite figures, totals = per-group x groups", () => {
    for (const id of systemIds()) {
      const s = spec(id);
      expect(s.tiers.reduce((a, t) => a + t.switches, 0)).toBe(s.switches);
      for (const t of s.tiers) expect(t.groups * t.groupSize).toBe(s.chips);
      expect(s.facilityPowerW).toBeCloseTo(s.powerW * s.pue, 3);
      expect(s.fastMemoryBytes).toBe(s.memoryBytes + s.cpuMemoryBytes);
    }
  });
  it("doubling the chips of a DGX SuperPOD doubles compute and nodes, and at least doubles switches", () => {
    const a = spec({ extends: "dgx-h100-superpod", chips: 1024 });
    const b = spec({ extends: "dgx-h100-superpod", chips: 2048 });
    expect(b.peakFlops.bf16).toBe(2 * (a.peakFlops.bf16 ?? 0));
    expect(b.hosts).toBe(2 * a.hosts);
    expect(b.switches).toBeGreaterThanOrEqual(2 * a.switches);
  });
  it("at 16,384 GPUs the fat tree needs a third level: 5N/k switches", () => {
    const s = spec({ extends: "dgx-h100-superpod", chips: 16384 });
    expect(s.tiers[1].switches).toBe((16384 * 5) / 64);
    expect(s.tiers[1].diameterHops).toBe(6);
  });
});

describe("a system that gives no floor area per cabinet", () => {
  const bare = spec({
    id: "bare",
    name: "bare",
    vendor: "x",
    chip: "h100-sxm",
    chips: 64,
    tiers: [{ name: "t", topology: "switch", bandwidthGBps: 100, perGroup: { cabinets: { compute: 2 } } }],
  });
  it("says its floor is unknown rather than 0 m2, and compares as unknown", () => {
    expect(specRows(bare).find((r) => r[0] === "floor area")?.[1]).toMatch(/^unknown/);
    const c = compareSpecs([spec("dgx-h100-superpod"), bare]);
    const floor = c.rows.find((r) => r.key === "floorAreaM2");
    expect(floor?.values[1]).toBeNull();
    expect(floor?.ratios[1]).toBeNull();
  });
});
