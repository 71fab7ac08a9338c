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
  {
    id: "dgx-h100-superpod",
    name: "NVIDIA DGX H100 SuperPOD (4 scalable units, 128 nodes)",
    vendor: "NVIDIA",
    year: 2022,
    chip: "h100-sxm",
    chips: 1024,
    description:
      "8-GPU NVLink nodes joined by a rail-optimized NDR InfiniBand fat tree; extend with chips: N (a multiple of 8)",
    tiers: [
      {
        name: "nvlink",
        topology: { kind: "switch" },
        groupSize: 8,
        bandwidthGBps: 450,
        latencyUs: 0.3,
        protocol: "nvlink",
        perGroup: {
          cabinets: { compute: 0.25, network: 0.0625 },
          hosts: 1,
          cpus: 2,
          cpuMemoryGB: 2048,
          nics: 8,
          powerKW: 4.6,
        },
      },
      {
        name: "infiniband",
        topology: { kind: "fat-tree", radix: 64 },
        bandwidthGBps: 50,
        latencyUs: 0.6,
        oversubscription: 1,
        protocol: "infiniband",
      },
    ],
    floorM2PerCabinet: 2.5,
    pue: 1.3,
    sources: [
      {
        fields: [
          "chips",
          "tiers.nvlink.groupSize",
          "tiers.nvlink.perGroup.hosts",
          "tiers.nvlink.perGroup.cpus",
          "tiers.nvlink.perGroup.cpuMemoryGB",
          "tiers.nvlink.perGroup.nics",
          "tiers.infiniband.topology",
          "tiers.infiniband.oversubscription",
        ],
        source:
          "NVIDIA DGX SuperPOD reference architecture (DGX H100), 2023: 32-node scalable units, 8 ConnectX-7 NDR ports per node, QM9700 64-port switches, full-bisection rail-optimized fat tree; DGX H100: 2 x Xeon 8480C, 2 TB RAM",
        confidence: "P",
      },
      {
        fields: ["tiers.nvlink.bandwidthGBps", "tiers.infiniband.bandwidthGBps"],
        source: "h100-sxm chip entry (NVLink4 450 GB/s, NDR 50 GB/s per direction)",
        confidence: "P",
      },
      {
        fields: ["tiers.nvlink.perGroup.powerKW"],
        source: "NVIDIA DGX H100 datasheet: 10.2 kW max per system",
        confidence: "S",
        note: "10.2 kW less 8 x 700 W GPUs = 4.6 kW for CPUs, NVSwitches, NICs, fans",
      },
      {
        fields: ["tiers.nvlink.perGroup.cabinets"],
        source: "DGX SuperPOD reference architecture: 4 DGX H100 per rack; network racks per SU",
        confidence: "A",
        note: "one network rack per 16 nodes assumed",
      },
      {
        fields: ["tiers.nvlink.latencyUs", "tiers.infiniband.latencyUs"],
        source: "assumption",
        confidence: "A",
        note: "NVSwitch hop ~0.3 us; NDR switch ~0.13 us per hop x up to 5 hops incl. cables ~0.6 us",
      },
      {
        fields: ["floorM2PerCabinet", "pue"],
        source: "assumption",
        confidence: "A",
        note: "600 x 1200 mm rack plus aisle share ~2.5 m2; air-cooled hall PUE 1.3",
      },
    ],
  },
];
