// System catalog: superpods and superclusters as hierarchies of network tiers with their physical facts.
import type { SystemFile } from "../scenario/hardware.js";

const HC2025 = "Huawei Connect 2025 keynote (Eric Xu), 18 Sep 2025; shared/reference/hardware.md";

export const SYSTEM_FILES: SystemFile[] = [
  {
    id: "atlas-950-superpod",
    name: "Huawei Atlas 950 SuperPoD",
    vendor: "Huawei",
    year: 2026,
    chip: "ascend-950dt",
    chips: 8192,
    tiers: [
      {
        name: "cabinet-ub",
        topology: { kind: "nd-full-mesh", dims: [8, 8] },
        groupSize: 64,
        bandwidthGBps: 1000,
        latencyUs: 0.2,
        protocol: "unifiedbus",
        perGroup: { cabinets: { compute: 1 } },
      },
      {
        name: "superpod-ub",
        topology: { kind: "fat-tree", levels: 2 },
        groupSize: 8192,
        bandwidthGBps: 1000,
        latencyUs: 0.6,
        protocol: "unifiedbus",
        perGroup: { cabinets: { communication: 32 } },
      },
    ],
    floorM2PerCabinet: 6.25,
    pue: 1.2,
    sources: [
      {
        fields: ["chips", "tiers.superpod-ub.perGroup.cabinets", "tiers.cabinet-ub.perGroup.cabinets"],
        source: HC2025,
        confidence: "S",
        note: "160 cabinets: 128 compute (64 NPUs each) + 32 communication",
      },
      {
        fields: ["floorM2PerCabinet"],
        source: HC2025,
        confidence: "S",
        note: "about 1,000 m2 / 160 cabinets",
      },
      {
        fields: ["tiers"],
        source: "UB-Mesh, arXiv 2503.20377",
        confidence: "A",
        note: "tier layout not published for the 950; 64-NPU 2D full-mesh cabinet from UB-Mesh, UB Clos across cabinets",
      },
      { fields: ["pue"], source: "assumption", confidence: "A", note: "liquid-cooled data hall" },
    ],
  },
];
