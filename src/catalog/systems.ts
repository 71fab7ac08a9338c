// System catalog: superpods and superclusters as hierarchies of network tiers with their physical facts.

import type { SystemFile, TierFile } from "../schema/hardware.js";
import { mergeOverride } from "./merge.js";
import type { SourceRef } from "./types.js";

const HC2025 = "Huawei Connect 2025 keynote (Eric Xu), 18 Sep 2025; shared/reference/hardware.md";
const CM384 = "Zuo et al., Serving LLMs on Huawei CloudMatrix384, arXiv 2506.12708";
const UBMESH = "Liao et al., UB-Mesh, arXiv 2503.20377";
const TPU_V4_PAPER = "Jouppi et al., TPU v4, ISCA 2023, arXiv 2304.01433";

/** A catalog entry built from another by a deep override (tiers merge by name), with its own id and sources appended. */
function variant(base: SystemFile, over: Partial<SystemFile> & { id: string; name: string }): SystemFile {
  const merged = mergeOverride(base, { ...over, sources: undefined }) as SystemFile;
  return { ...merged, sources: [...(base.sources ?? []), ...(over.sources ?? [])] };
}

// ---------------------------------------------------------------------------------------------------------------
// Huawei Atlas 950: the published SuperPoD with a UB Clos across cabinets (our default reading), and its UB-Mesh twin.

/** In-cabinet tier of an Atlas 950 SuperPoD: 64 NPUs on an electrical backplane to L1 UB switches. */
const ATLAS950_CABINET: TierFile = {
  name: "cabinet-ub",
  topology: { kind: "switch" },
  groupSize: 64,
  bandwidthGBps: 1000,
  latencyUs: 0.15,
  protocol: "unifiedbus",
  perGroup: {
    cabinets: { compute: 1 },
    switches: 20,
    hosts: 8,
    cpus: 32,
    cpuMemoryGB: 16384,
    powerKW: 40,
  },
};

/** UB Clos joining 128 cabinets: L2 UB switches in 32 communication cabinets, all-optical links. */
const ATLAS950_SUPERPOD: TierFile = {
  name: "superpod-ub",
  topology: { kind: "fat-tree", levels: 2, leavesBelow: true },
  groupSize: 8192,
  bandwidthGBps: 1000,
  latencyUs: 0.6,
  oversubscription: 1,
  protocol: "unifiedbus",
  perGroup: {
    cabinets: { communication: 32 },
    switches: 1280,
    opticalModules: 163840,
    powerKW: 3246,
  },
};

const ATLAS950_SOURCES: SourceRef[] = [
  {
    fields: [
      "chips",
      "tiers.cabinet-ub.groupSize",
      "tiers.cabinet-ub.perGroup.cabinets",
      "tiers.superpod-ub.perGroup.cabinets",
    ],
    source: HC2025,
    confidence: "S",
    note: "8,192 NPUs; 160 cabinets: 128 compute (64 NPUs each) + 32 communication",
  },
  {
    fields: [
      "tiers.cabinet-ub.bandwidthGBps",
      "tiers.superpod-ub.bandwidthGBps",
      "tiers.superpod-ub.oversubscription",
    ],
    source: HC2025,
    confidence: "A",
    note: "2 TB/s per NPU (both directions) over UB 2.0, 16.3 PB/s for the SuperPoD: read as a non-blocking UB fabric with the full 1 TB/s per direction at every tier",
  },
  {
    fields: ["tiers.cabinet-ub.topology", "tiers.superpod-ub.topology", "tiers.superpod-ub.groupSize"],
    source: `${HC2025}; CloudMatrix384 two-level UB Clos (${CM384})`,
    confidence: "A",
    note: "the 950's internal fabric is not published: taken as CloudMatrix384's design scaled up, L1 UB switches inside each cabinet (electrical) and an optical L2 tier across cabinets",
  },
  {
    fields: [
      "tiers.cabinet-ub.perGroup.switches",
      "tiers.superpod-ub.perGroup.switches",
      "tiers.superpod-ub.perGroup.opticalModules",
    ],
    source: "assumption",
    confidence: "A",
    note: "1 TB/s per NPU = 10 x 800 Gb/s UB ports; 51.2 Tb/s (64 x 800G) switch units. L1: 64 x 10 down + 640 up = 1,280 ports = 20 per cabinet. L2: 128 x 640 up-links = 81,920 ports = 1,280 switches. One optical module per link end: 2 x 81,920 = 163,840",
  },
  {
    fields: [
      "tiers.cabinet-ub.perGroup.hosts",
      "tiers.cabinet-ub.perGroup.cpus",
      "tiers.cabinet-ub.perGroup.cpuMemoryGB",
    ],
    source: `assumption after ${CM384}`,
    confidence: "A",
    note: "CloudMatrix384's ratio kept: one host with 4 Kunpeng CPUs per 8 NPUs; 2 TB DRAM per host",
  },
  {
    fields: ["tiers.cabinet-ub.perGroup.powerKW", "tiers.superpod-ub.perGroup.powerKW"],
    source: "assumption",
    confidence: "A",
    note: "cabinet: 20 L1 switches x 1 kW + 8 hosts x 1.5 kW + 8 kW fans, pumps and conversion = 40 kW; SuperPoD: 1,280 L2 switches x 1 kW + 163,840 modules x 12 W = 3,246 kW",
  },
  {
    fields: ["tiers.cabinet-ub.latencyUs", "tiers.superpod-ub.latencyUs"],
    source: `assumption after ${CM384}`,
    confidence: "A",
    note: "CloudMatrix384 measures < 1 us between nodes over two UB switch levels; 150 ns per in-cabinet hop, 600 ns across the optical L2",
  },
  {
    fields: ["floorM2PerCabinet"],
    source: HC2025,
    confidence: "S",
    note: "about 1,000 m2 / 160 cabinets = 6.25 m2 per cabinet including aisles",
  },
  { fields: ["pue"], source: "assumption", confidence: "A", note: "liquid-cooled data hall, PUE 1.2" },
];

const ATLAS_950_SUPERPOD: SystemFile = {
  id: "atlas-950-superpod",
  name: "Huawei Atlas 950 SuperPoD",
  vendor: "Huawei",
  year: 2026,
  description: "8,192 Ascend 950DT in 128 compute + 32 communication cabinets over a UnifiedBus 2.0 Clos",
  chip: "ascend-950dt",
  chips: 8192,
  tiers: [ATLAS950_CABINET, ATLAS950_SUPERPOD],
  floorM2PerCabinet: 6.25,
  pue: 1.2,
  sources: ATLAS950_SOURCES,
};

const ATLAS_950_SUPERPOD_UBMESH: SystemFile = {
  ...ATLAS_950_SUPERPOD,
  id: "atlas-950-superpod-ubmesh",
  name: "Huawei Atlas 950 SuperPoD, UB-Mesh reading (nD full mesh in the pod, Clos above)",
  description:
    "64-NPU 2D full-mesh racks [8,8]; 1,024-NPU pods as a 4x4 full mesh of racks (4D full mesh); a Clos of high-radix switches joins 8 pods",
  tiers: [
    {
      name: "cabinet-ub",
      topology: { kind: "nd-full-mesh", dims: [8, 8] },
      groupSize: 64,
      bandwidthGBps: 778,
      latencyUs: 0.1,
      protocol: "unifiedbus",
      perGroup: {
        cabinets: { compute: 1 },
        switches: 4,
        hosts: 8,
        cpus: 32,
        cpuMemoryGB: 16384,
        powerKW: 24,
      },
    },
    {
      name: "pod-ub",
      topology: { kind: "nd-full-mesh", dims: [4, 4] },
      groupSize: 1024,
      bandwidthGBps: 222,
      latencyUs: 0.3,
      protocol: "unifiedbus",
    },
    {
      name: "superpod-ub",
      topology: { kind: "fat-tree", levels: 2, leavesBelow: true },
      groupSize: 8192,
      bandwidthGBps: 222,
      latencyUs: 0.6,
      oversubscription: 2,
      protocol: "unifiedbus",
      perGroup: { cabinets: { communication: 8 }, switches: 26, opticalModules: 11469, powerKW: 186 },
    },
  ],
  sources: [
    {
      fields: [
        "chips",
        "tiers.superpod-ub.groupSize",
        "tiers.cabinet-ub.perGroup.cabinets",
        "floorM2PerCabinet",
      ],
      source: HC2025,
      confidence: "S",
      note: "8,192 NPUs, 128 compute cabinets of 64 NPUs, 6.25 m2 per cabinet as the published SuperPoD",
    },
    {
      fields: [
        "tiers.cabinet-ub.topology",
        "tiers.cabinet-ub.groupSize",
        "tiers.pod-ub.topology",
        "tiers.pod-ub.groupSize",
        "tiers.superpod-ub.topology",
      ],
      source: UBMESH,
      confidence: "S",
      note: "rack: 8 boards x 8 NPUs in a 2D full mesh; pod: 4x4 racks in a 2D full mesh = 4D full mesh of 1,024 NPUs; SuperPoD: pods joined by a Clos of high-radix switches, up to 8K NPUs",
    },
    {
      fields: [
        "tiers.cabinet-ub.bandwidthGBps",
        "tiers.pod-ub.bandwidthGBps",
        "tiers.superpod-ub.bandwidthGBps",
        "tiers.superpod-ub.oversubscription",
      ],
      source: `${UBMESH}; chip bandwidth from ${HC2025}`,
      confidence: "A",
      note: "UB-Mesh NPU has x72 UB lanes, x16 of them inter-rack: 1 TB/s x 56/72 = 778 GB/s in the rack and 1 TB/s x 16/72 = 222 GB/s across racks; the pod uplinks to the Clos taken as 2:1 tapered",
    },
    {
      fields: [
        "tiers.cabinet-ub.perGroup.switches",
        "tiers.superpod-ub.perGroup",
        "tiers.cabinet-ub.perGroup.powerKW",
        "tiers.cabinet-ub.perGroup.hosts",
        "tiers.cabinet-ub.perGroup.cpus",
        "tiers.cabinet-ub.perGroup.cpuMemoryGB",
      ],
      source: `assumption from ${UBMESH} claims`,
      confidence: "A",
      note: "UB-Mesh claims 98% fewer high-radix switches and 93% fewer optical modules than a Clos: 2% of the Clos reading's 1,280 L2 switches = 26, 7% of 163,840 modules = 11,469; 4 low-radix switches per rack; 8 communication cabinets; power: 26 x 1 kW + 11,469 x 12 W + LRS 4 x 1 kW per rack; hosts as the Clos reading",
    },
    {
      fields: ["tiers.cabinet-ub.latencyUs", "tiers.pod-ub.latencyUs", "tiers.superpod-ub.latencyUs"],
      source: "assumption",
      confidence: "A",
      note: "direct links: 100 ns in the rack, 300 ns between racks of a pod, 600 ns through the Clos",
    },
    { fields: ["pue"], source: "assumption", confidence: "A", note: "liquid-cooled data hall, PUE 1.2" },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Atlas 950 SuperCluster: 64 SuperPoDs joined by a scale-out fabric (UBoE by default, RoCE as the alternative).

/** UBoE scale-out: the NPUs' UBoE ports reach the cabinet's L1 UB switches, which act as the leaves. */
const SCALE_OUT_UBOE: TierFile = {
  name: "scale-out",
  topology: { kind: "fat-tree", radix: 128, leavesBelow: true },
  bandwidthGBps: 100,
  latencyUs: 1,
  oversubscription: 1,
  protocol: "uboe",
  switchPowerW: 2000,
  opticalModulePowerW: 12,
  switchesPerCabinet: 32,
};

/** RoCE scale-out: a NIC per NPU, its own leaf switches and optics from NIC to leaf. */
const SCALE_OUT_ROCE: TierFile = {
  ...SCALE_OUT_UBOE,
  topology: { kind: "fat-tree", radix: 128, leavesBelow: false },
  protocol: "roce",
};

const SCALE_OUT_SOURCES: SourceRef[] = [
  {
    fields: ["chips", "tiers.superpod-ub.groupSize"],
    source: HC2025,
    confidence: "S",
    note: "64 Atlas 950 SuperPoDs = 524,288 NPUs; scale-out over UBoE or RoCE",
  },
  {
    fields: [
      "tiers.scale-out.bandwidthGBps",
      "tiers.scale-out.oversubscription",
      "tiers.scale-out.latencyUs",
    ],
    source: "assumption",
    confidence: "A",
    note: "not published: one 800 Gb/s port (100 GB/s per direction) per NPU, full bisection; ~1 us switching and cable latency across three switch levels",
  },
  {
    fields: [
      "tiers.scale-out.topology",
      "tiers.scale-out.switchPowerW",
      "tiers.scale-out.opticalModulePowerW",
      "tiers.scale-out.switchesPerCabinet",
    ],
    source: `assumption after ${HC2025} (UBoE needs fewer switches and optical modules than RoCE; no ratio published)`,
    confidence: "A",
    note: "102.4 Tb/s switches (128 x 800G); a 3-level Clos of them holds 2 x 64^3 = 524,288 ports. UBoE: the cabinet's L1 UB switches speak UBoE and serve as leaves, so only the 2 upper levels and their links are added (12,288 switches, 4 modules per NPU). RoCE: a NIC per NPU, 8,192 more leaf switches and an optical NIC-to-leaf hop (20,480 switches, 6 modules per NPU). 2 kW per switch, 12 W per 800G module, 32 switches per network cabinet",
  },
];

const ATLAS_950_SUPERCLUSTER_UBOE: SystemFile = {
  ...ATLAS_950_SUPERPOD,
  id: "atlas-950-supercluster-uboe",
  name: "Huawei Atlas 950 SuperCluster (UBoE scale-out)",
  description: "64 Atlas 950 SuperPoDs (524,288 Ascend 950DT) joined by UB over Ethernet",
  chips: 524288,
  tiers: [ATLAS950_CABINET, ATLAS950_SUPERPOD, SCALE_OUT_UBOE],
  sources: [...ATLAS950_SOURCES, ...SCALE_OUT_SOURCES],
};

const ATLAS_950_SUPERCLUSTER: SystemFile = {
  ...ATLAS_950_SUPERCLUSTER_UBOE,
  id: "atlas-950-supercluster",
  name: "Huawei Atlas 950 SuperCluster",
};

const ATLAS_950_SUPERCLUSTER_ROCE: SystemFile = variant(ATLAS_950_SUPERCLUSTER_UBOE, {
  id: "atlas-950-supercluster-roce",
  name: "Huawei Atlas 950 SuperCluster (RoCE scale-out)",
  description: "64 Atlas 950 SuperPoDs joined by RoCEv2: a NIC per NPU and its own leaf switches",
  tiers: [
    { ...ATLAS950_CABINET, perGroup: { ...ATLAS950_CABINET.perGroup, nics: 64 } },
    ATLAS950_SUPERPOD,
    { ...SCALE_OUT_ROCE },
  ],
  sources: [
    {
      fields: ["tiers.cabinet-ub.perGroup.nics"],
      source: "assumption",
      confidence: "A",
      note: "one 800G RoCE NIC per NPU (UBoE needs none: the NPU speaks UB natively)",
    },
  ],
});

// ---------------------------------------------------------------------------------------------------------------
// Atlas 960 (2027)

const ATLAS960_CABINET: TierFile = {
  name: "cabinet-ub",
  topology: { kind: "switch" },
  groupSize: 88,
  bandwidthGBps: 1100,
  latencyUs: 0.15,
  protocol: "unifiedbus",
  perGroup: { cabinets: { compute: 1 }, switches: 16, hosts: 11, cpus: 44, cpuMemoryGB: 22528, powerKW: 58 },
};

const ATLAS960_SUPERPOD: TierFile = {
  name: "superpod-ub",
  topology: { kind: "fat-tree", levels: 2, leavesBelow: true },
  groupSize: 15488,
  bandwidthGBps: 1100,
  latencyUs: 0.6,
  oversubscription: 1,
  protocol: "unifiedbus",
  perGroup: { cabinets: { communication: 44 }, switches: 1331, opticalModules: 340736, powerKW: 6751 },
};

const ATLAS960_SOURCES: SourceRef[] = [
  {
    fields: ["chips", "tiers.cabinet-ub.bandwidthGBps", "tiers.superpod-ub.bandwidthGBps"],
    source: HC2025,
    confidence: "S",
    note: "15,488 Ascend 960, 34 PB/s = 15,488 x 2.2 TB/s (both directions): 1.1 TB/s per direction at every tier",
  },
  {
    fields: [
      "tiers.cabinet-ub.groupSize",
      "tiers.cabinet-ub.perGroup.cabinets",
      "tiers.superpod-ub.perGroup.cabinets",
    ],
    source: "shared/reference/hardware.md (220 cabinets, A)",
    confidence: "A",
    note: "220 cabinets split 4:1 as in the 950 SuperPoD: 176 compute x 88 NPUs = 15,488, plus 44 communication",
  },
  {
    fields: [
      "tiers.cabinet-ub.topology",
      "tiers.superpod-ub.topology",
      "tiers.superpod-ub.oversubscription",
      "tiers.superpod-ub.groupSize",
      "tiers.cabinet-ub.latencyUs",
      "tiers.superpod-ub.latencyUs",
    ],
    source: "assumption",
    confidence: "A",
    note: "same two-level UB Clos reading as the Atlas 950 SuperPoD",
  },
  {
    fields: [
      "tiers.cabinet-ub.perGroup.switches",
      "tiers.superpod-ub.perGroup.switches",
      "tiers.superpod-ub.perGroup.opticalModules",
      "tiers.cabinet-ub.perGroup.hosts",
      "tiers.cabinet-ub.perGroup.cpus",
      "tiers.cabinet-ub.perGroup.cpuMemoryGB",
      "tiers.cabinet-ub.perGroup.powerKW",
      "tiers.superpod-ub.perGroup.powerKW",
    ],
    source: "assumption",
    confidence: "A",
    note: "1.1 TB/s = 11 x 800G ports per NPU; 102.4 Tb/s (128-port) switches: L1 88 x 22 / 128 = 16 per cabinet, L2 176 x 968 / 128 = 1,331; 2 x 170,368 optical modules; one host (4 CPUs, 2 TB) per 8 NPUs; cabinet 16 x 2 kW + 11 x 1.5 kW + 9.5 kW; SuperPoD 1,331 x 2 kW + 340,736 x 12 W",
  },
  { fields: ["floorM2PerCabinet"], source: "assumption", confidence: "A", note: "as the Atlas 950 SuperPoD" },
  { fields: ["pue"], source: "assumption", confidence: "A", note: "liquid-cooled data hall, PUE 1.2" },
];

const ATLAS_960_SUPERPOD: SystemFile = {
  id: "atlas-960-superpod",
  name: "Huawei Atlas 960 SuperPoD",
  vendor: "Huawei",
  year: 2027,
  description: "15,488 Ascend 960 in 176 compute + 44 communication cabinets (cabinet split assumed)",
  chip: "ascend-960",
  chips: 15488,
  tiers: [ATLAS960_CABINET, ATLAS960_SUPERPOD],
  floorM2PerCabinet: 6.25,
  pue: 1.2,
  sources: ATLAS960_SOURCES,
};

const ATLAS_960_SUPERCLUSTER: SystemFile = {
  ...ATLAS_960_SUPERPOD,
  id: "atlas-960-supercluster",
  name: "Huawei Atlas 960 SuperCluster",
  description: "66 Atlas 960 SuperPoDs (1,022,208 Ascend 960; the PoD count is our assumption) over UBoE",
  chips: 1022208,
  tiers: [ATLAS960_CABINET, ATLAS960_SUPERPOD, { ...SCALE_OUT_UBOE, bandwidthGBps: 200 }],
  sources: [
    ...ATLAS960_SOURCES,
    ...SCALE_OUT_SOURCES.slice(2),
    {
      fields: ["chips"],
      source: HC2025,
      confidence: "A",
      note: "'over a million' NPUs: 66 SuperPoDs x 15,488 = 1,022,208 is the smallest whole number of PoDs above 1,000,000",
    },
    {
      fields: [
        "tiers.scale-out.bandwidthGBps",
        "tiers.scale-out.oversubscription",
        "tiers.scale-out.latencyUs",
      ],
      source: "assumption",
      confidence: "A",
      note: "one 1.6 Tb/s port per NPU (200 GB/s per direction), full bisection, ~1 us",
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Atlas 900 A3 SuperPoD (CloudMatrix384)

const CLOUDMATRIX_384: SystemFile = {
  id: "atlas-900-a3-superpod",
  name: "Huawei Atlas 900 A3 SuperPoD (CloudMatrix384)",
  vendor: "Huawei",
  year: 2025,
  description: "384 Ascend 910C and 192 Kunpeng CPUs in 48 nodes over a two-level non-blocking UB Clos",
  chip: "ascend-910c",
  chips: 384,
  tiers: [
    {
      name: "node",
      topology: { kind: "switch" },
      groupSize: 8,
      bandwidthGBps: 392,
      latencyUs: 0.2,
      protocol: "unifiedbus",
      perGroup: {
        cabinets: { compute: 0.25 },
        switches: 7,
        hosts: 1,
        cpus: 4,
        cpuMemoryGB: 2048,
        nics: 8,
        powerKW: 3.5,
      },
    },
    {
      name: "superpod-ub",
      topology: { kind: "fat-tree", levels: 2, leavesBelow: true },
      groupSize: 384,
      bandwidthGBps: 392,
      latencyUs: 0.6,
      oversubscription: 1,
      protocol: "unifiedbus",
      perGroup: { cabinets: { network: 4 }, switches: 112, opticalModules: 6912, powerKW: 84 },
    },
  ],
  floorM2PerCabinet: 2.5,
  pue: 1.3,
  sources: [
    {
      fields: [
        "chips",
        "tiers.superpod-ub.groupSize",
        "tiers.node.groupSize",
        "tiers.node.perGroup.cpus",
        "tiers.node.perGroup.switches",
        "tiers.node.perGroup.hosts",
        "tiers.node.perGroup.cabinets",
        "tiers.superpod-ub.perGroup.cabinets",
        "tiers.node.topology",
        "tiers.superpod-ub.topology",
        "tiers.superpod-ub.oversubscription",
      ],
      source: CM384,
      confidence: "S",
      note: "48 nodes of 8 NPUs + 4 Kunpeng CPUs + 7 L1 UB switches; 16 racks = 12 compute + 4 network; L1 on board, L2 in the network racks; non-blocking",
    },
    {
      fields: [
        "tiers.node.bandwidthGBps",
        "tiers.superpod-ub.bandwidthGBps",
        "tiers.node.perGroup.nics",
        "tiers.node.latencyUs",
        "tiers.superpod-ub.latencyUs",
      ],
      source: CM384,
      confidence: "S",
      note: "UB 392 GB/s per NPU per direction, < 1 us between nodes; one 400 Gb/s RDMA NIC port per NPU",
    },
    {
      fields: ["tiers.superpod-ub.perGroup.switches", "tiers.superpod-ub.perGroup.opticalModules"],
      source:
        "SemiAnalysis, Huawei AI CloudMatrix 384 (Apr 2025): 6,912 400G LPO transceivers; 7 planes x 16 L2 UB switches",
      confidence: "A",
    },
    {
      fields: ["tiers.node.perGroup.powerKW", "tiers.superpod-ub.perGroup.powerKW"],
      source: "SemiAnalysis (Apr 2025): about 559 kW for the system",
      confidence: "A",
      note: "559 kW - 384 x 800 W NPUs = 252 kW, split 48 x 3.5 kW per node (CPUs, L1 switches, fans) + 84 kW for L2 switches and optics",
    },
    {
      fields: ["tiers.node.perGroup.cpuMemoryGB", "floorM2PerCabinet", "pue"],
      source: "assumption",
      confidence: "A",
      note: "2 TB DRAM per node; 2.5 m2 per rack with aisles; air- and liquid-cooled hall PUE 1.3",
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Nvidia rack-scale systems

const GB200_NVL72: SystemFile = {
  id: "gb200-nvl72",
  name: "NVIDIA GB200 NVL72",
  vendor: "NVIDIA",
  year: 2024,
  description: "72 Blackwell GPUs and 36 Grace CPUs in one rack, one NVLink 5 domain",
  chip: "gb200",
  chips: 72,
  tiers: [
    {
      name: "nvlink",
      topology: { kind: "switch" },
      groupSize: 72,
      bandwidthGBps: 900,
      latencyUs: 0.3,
      protocol: "nvlink",
      perGroup: {
        cabinets: { compute: 1 },
        switches: 9,
        hosts: 18,
        cpus: 36,
        cpuMemoryGB: 17280,
        nics: 72,
        powerKW: 33.6,
      },
    },
  ],
  floorM2PerCabinet: 2.5,
  pue: 1.2,
  sources: [
    {
      fields: ["chips", "tiers.nvlink", "tiers.nvlink.perGroup.cpuMemoryGB"],
      source:
        "NVIDIA GB200 NVL72 product page (2024): 72 GPUs, 36 Grace CPUs with up to 17 TB LPDDR5X (480 GB each), 18 compute trays, 9 NVLink switch trays, NVLink 130 TB/s",
      confidence: "P",
    },
    {
      fields: ["tiers.nvlink.perGroup.powerKW"],
      source: "shared/reference/hardware.md: about 120 kW per rack",
      confidence: "S",
      note: "120 kW - 72 x 1.2 kW GPUs = 33.6 kW for CPUs, switch trays, NICs, fans",
    },
    {
      fields: ["tiers.nvlink.latencyUs", "floorM2PerCabinet", "pue"],
      source: "assumption",
      confidence: "A",
      note: "one NVSwitch hop ~0.3 us; 2.5 m2 per rack with aisles; liquid-cooled PUE 1.2",
    },
  ],
};

const GB300_NVL72: SystemFile = variant(GB200_NVL72, {
  id: "gb300-nvl72",
  name: "NVIDIA GB300 NVL72",
  year: 2025,
  description: "72 Blackwell Ultra GPUs and 36 Grace CPUs in one rack",
  chip: "gb300",
  tiers: [{ name: "nvlink", perGroup: { powerKW: 34.2 } } as TierFile],
  sources: [
    {
      fields: ["tiers.nvlink.perGroup.powerKW"],
      source: "assumption after NVIDIA GB300 NVL72 (~135 kW per rack reported)",
      confidence: "A",
      note: "135 kW - 72 x 1.4 kW GPUs = 34.2 kW",
    },
    {
      fields: ["tiers.nvlink.perGroup.cpuMemoryGB"],
      source: "NVIDIA GB300 NVL72 product page: up to 40 TB fast memory (20 TB HBM3e + 17 TB LPDDR5X)",
      confidence: "S",
    },
  ],
});

const VR_NVL144: SystemFile = {
  id: "vr-nvl144",
  name: "NVIDIA Vera Rubin NVL144",
  vendor: "NVIDIA",
  year: 2026,
  description: "144 Rubin GPU dies (72 packages) and 36 Vera CPUs in one NVLink 6 domain",
  chip: "rubin",
  chips: 144,
  tiers: [
    {
      name: "nvlink",
      topology: { kind: "switch" },
      groupSize: 144,
      bandwidthGBps: 900,
      latencyUs: 0.3,
      protocol: "nvlink",
      perGroup: {
        cabinets: { compute: 1 },
        switches: 18,
        hosts: 18,
        cpus: 36,
        cpuMemoryGB: 54000,
        nics: 72,
        powerKW: 40,
      },
    },
  ],
  floorM2PerCabinet: 2.5,
  pue: 1.2,
  sources: [
    {
      fields: ["chips", "tiers.nvlink.bandwidthGBps", "tiers.nvlink.topology", "tiers.nvlink.groupSize"],
      source: "NVIDIA GTC 2025 keynote: Vera Rubin NVL144, 144 GPU dies, NVLink6 260 TB/s",
      confidence: "S",
      note: "260 TB/s / 144 dies = 1.8 TB/s both directions = 900 GB/s per direction",
    },
    {
      fields: ["tiers.nvlink.perGroup.cpuMemoryGB", "tiers.nvlink.perGroup.cpus"],
      source: "NVIDIA GTC 2025 keynote: NVL144 'fast memory' 75 TB; 36 Vera CPUs",
      confidence: "A",
      note: "75 TB - 72 x 288 GB HBM4 (20.7 TB) = 54 TB of LPDDR5X over 36 Vera CPUs = 1.5 TB each",
    },
    {
      fields: [
        "tiers.nvlink.perGroup.switches",
        "tiers.nvlink.perGroup.hosts",
        "tiers.nvlink.perGroup.nics",
        "tiers.nvlink.perGroup.powerKW",
        "tiers.nvlink.latencyUs",
        "tiers.nvlink.perGroup.cabinets",
        "floorM2PerCabinet",
        "pue",
      ],
      source: "assumption",
      confidence: "A",
      note: "Oberon rack like GB300 NVL72: 18 compute trays, NVLink switch trays doubled for NVLink 6, one ConnectX-9 per package; 40 kW beyond the dies",
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Rack-scale NVLink domains joined by an XDR InfiniBand fat tree: the clusters `plan size` compares with the
// Atlas 950 SuperCluster. Sized to one 8-rack scalable unit; extend with chips: N (a multiple of the rack).

/** Scale-out tier of a rack-scale cluster: one 800 Gb/s ConnectX port per GPU die into a Quantum-X800 fat tree. */
const XDR_FAT_TREE: TierFile = {
  name: "infiniband",
  topology: { kind: "fat-tree", radix: 144 },
  bandwidthGBps: 100,
  latencyUs: 0.6,
  oversubscription: 1,
  protocol: "infiniband",
  switchPowerW: 3000,
  opticalModulePowerW: 15,
  switchesPerCabinet: 16,
};

const XDR_SOURCES: SourceRef[] = [
  {
    fields: [
      "tiers.infiniband.topology",
      "tiers.infiniband.bandwidthGBps",
      "tiers.infiniband.oversubscription",
    ],
    source:
      "NVIDIA GTC 2024: Quantum-X800 Q3400 switch, 144 ports of 800 Gb/s (XDR); GB300 NVL72 product page: ConnectX-8 SuperNIC, 800 Gb/s per GPU; gb300 and rubin chip entries (100 GB/s per direction per die)",
    confidence: "S",
    note: "full-bisection fat tree of 144-port switches, one port per GPU die, as the DGX SuperPOD reference architectures build their compute fabric",
  },
  {
    fields: [
      "tiers.infiniband.switchPowerW",
      "tiers.infiniband.opticalModulePowerW",
      "tiers.infiniband.latencyUs",
      "tiers.infiniband.switchesPerCabinet",
    ],
    source: "assumption",
    confidence: "A",
    note: "~3 kW per 144-port 800G switch (about twice an NDR QM9700 for twice the ports at twice the rate, liquid-cooled); ~15 W per 800G OSFP module; switch hops as the NDR fabric; 16 switches per network rack",
  },
  {
    fields: ["chips"],
    source: "NVIDIA DGX SuperPOD (DGX GB200/GB300) reference architecture: scalable units of 8 NVL72 racks",
    confidence: "S",
    note: "one scalable unit by default; `plan size` and scenarios extend it with chips: N",
  },
];

const GB300_NVL72_CLUSTER: SystemFile = variant(GB300_NVL72, {
  id: "gb300-nvl72-cluster",
  name: "NVIDIA GB300 NVL72 cluster (XDR InfiniBand)",
  description:
    "GB300 NVL72 racks on a Quantum-X800 XDR fat tree, 8 racks by default; extend with chips: N (a multiple of 72)",
  chips: 576,
  tiers: [XDR_FAT_TREE],
  sources: XDR_SOURCES,
});

const VR_NVL144_CLUSTER: SystemFile = {
  ...VR_NVL144,
  id: "vr-nvl144-cluster",
  name: "NVIDIA Vera Rubin NVL144 cluster (XDR InfiniBand)",
  description:
    "Vera Rubin NVL144 racks on a Quantum-X800 XDR fat tree, 8 racks by default; extend with chips: N (a multiple of 144)",
  chips: 1152,
  tiers: [VR_NVL144.tiers[0], XDR_FAT_TREE],
  sources: [...(VR_NVL144.sources ?? []), ...XDR_SOURCES],
};

// ---------------------------------------------------------------------------------------------------------------
// Nvidia DGX SuperPODs: 8-GPU NVLink nodes on an InfiniBand fat tree whose switches follow from the radix.

const DGX_H100_SUPERPOD: SystemFile = {
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
      switchPowerW: 1720,
      opticalModulePowerW: 9,
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
      fields: ["tiers.infiniband.switchPowerW", "tiers.infiniband.opticalModulePowerW"],
      source: "NVIDIA QM9700 datasheet (1,720 W max with optics); 400G OSFP transceivers ~9 W per port",
      confidence: "A",
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
};

const DGX_A100_SUPERPOD: SystemFile = {
  id: "dgx-a100-superpod",
  name: "NVIDIA DGX A100 SuperPOD (140 nodes)",
  vendor: "NVIDIA",
  year: 2020,
  chip: "a100-sxm-80gb",
  chips: 1120,
  description: "140 DGX A100 nodes on an HDR InfiniBand fat tree; extend with chips: N (a multiple of 8)",
  tiers: [
    {
      name: "nvlink",
      topology: { kind: "switch" },
      groupSize: 8,
      bandwidthGBps: 300,
      latencyUs: 0.3,
      protocol: "nvlink",
      perGroup: {
        cabinets: { compute: 0.25, network: 0.05 },
        hosts: 1,
        cpus: 2,
        cpuMemoryGB: 2048,
        nics: 8,
        powerKW: 3.3,
      },
    },
    {
      name: "infiniband",
      topology: { kind: "fat-tree", radix: 40 },
      bandwidthGBps: 25,
      latencyUs: 0.6,
      oversubscription: 1,
      protocol: "infiniband",
      switchPowerW: 750,
      opticalModulePowerW: 5,
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
        "tiers.nvlink.bandwidthGBps",
        "tiers.infiniband.bandwidthGBps",
      ],
      source:
        "NVIDIA DGX SuperPOD reference architecture (DGX A100), 2020: 140 nodes in 7 scalable units of 20, 8 HDR 200 Gb/s ports per node, QM8700 40-port switches, full-bisection fat tree; DGX A100: 2 x EPYC 7742, up to 2 TB RAM",
      confidence: "P",
    },
    {
      fields: ["tiers.nvlink.perGroup.powerKW"],
      source: "NVIDIA DGX A100 datasheet: 6.5 kW max",
      confidence: "S",
      note: "6.5 kW - 8 x 400 W GPUs = 3.3 kW",
    },
    {
      fields: [
        "tiers.infiniband.switchPowerW",
        "tiers.infiniband.opticalModulePowerW",
        "tiers.nvlink.perGroup.cabinets",
        "tiers.nvlink.latencyUs",
        "tiers.infiniband.latencyUs",
        "floorM2PerCabinet",
        "pue",
      ],
      source: "assumption",
      confidence: "A",
      note: "QM8700 ~750 W; HDR module ~5 W; 4 nodes per rack and one network rack per 20 nodes; latencies as DGX H100",
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Google TPU pods: 64-chip cubes (4x4x4, electrical ICI) joined through optical circuit switches into a 3D torus.

const TPU_V4_POD: SystemFile = {
  id: "tpu-v4-pod",
  name: "Google TPU v4 pod",
  vendor: "Google",
  year: 2021,
  description: "4,096 TPU v4 as a 16x16x16 torus: 64 cubes of 4x4x4 joined by 48 optical circuit switches",
  chip: "tpu-v4",
  chips: 4096,
  tiers: [
    {
      name: "cube",
      topology: { kind: "torus", dims: [4, 4, 4] },
      groupSize: 64,
      bandwidthGBps: 202.5,
      latencyUs: 0.5,
      protocol: "ici",
      perGroup: { cabinets: { compute: 1 }, hosts: 16, cpus: 32, cpuMemoryGB: 8192, nics: 16, powerKW: 8 },
    },
    {
      name: "pod",
      topology: { kind: "torus", dims: [4, 4, 4] },
      groupSize: 4096,
      bandwidthGBps: 67.5,
      latencyUs: 1,
      protocol: "ici",
      perGroup: { cabinets: { network: 4 }, switches: 48, opticalModules: 6144, powerKW: 35 },
    },
  ],
  floorM2PerCabinet: 2.5,
  pue: 1.1,
  sources: [
    {
      fields: [
        "chips",
        "tiers.pod.groupSize",
        "tiers.cube.topology",
        "tiers.cube.groupSize",
        "tiers.pod.topology",
        "tiers.pod.perGroup.switches",
        "tiers.pod.perGroup.opticalModules",
        "tiers.cube.perGroup.cabinets",
        "tiers.cube.perGroup.hosts",
        "pue",
      ],
      source: TPU_V4_PAPER,
      confidence: "S",
      note: "64 racks of 4x4x4 chips (16 hosts of 4); 48 OCSes join the 6 faces x 16 links of each cube: 64 x 96 = 6,144 optical links ends; fleet PUE ~1.1",
    },
    {
      fields: ["tiers.cube.bandwidthGBps", "tiers.pod.bandwidthGBps"],
      source: "tpu-v4 chip entry (6 ICI links x 45 GB/s per direction)",
      confidence: "A",
      note: "a 4x4x4 cube has 96 off-cube links for 64 chips: 96 x 45 / 64 = 67.5 GB/s per chip leaves the cube, the remaining 202.5 GB/s stays inside",
    },
    {
      fields: [
        "tiers.cube.perGroup.cpus",
        "tiers.cube.perGroup.cpuMemoryGB",
        "tiers.cube.perGroup.nics",
        "tiers.cube.perGroup.powerKW",
        "tiers.pod.perGroup.powerKW",
        "tiers.pod.perGroup.cabinets",
        "tiers.cube.latencyUs",
        "tiers.pod.latencyUs",
        "floorM2PerCabinet",
      ],
      source: "assumption",
      confidence: "A",
      note: "2 CPUs, 512 GB and one DCN NIC per host at ~0.5 kW; OCS ~0.1 kW each plus 6,144 modules x 5 W; 4 OCS racks",
    },
  ],
};

const TPU_V5P_POD: SystemFile = {
  id: "tpu-v5p-pod",
  name: "Google TPU v5p pod",
  vendor: "Google",
  year: 2023,
  description: "8,960 TPU v5p as a 16x20x28 torus: 140 cubes of 4x4x4 joined by optical circuit switches",
  chip: "tpu-v5p",
  chips: 8960,
  tiers: [
    {
      name: "cube",
      topology: { kind: "torus", dims: [4, 4, 4] },
      groupSize: 64,
      bandwidthGBps: 405,
      latencyUs: 0.5,
      protocol: "ici",
      perGroup: { cabinets: { compute: 1 }, hosts: 16, cpus: 32, cpuMemoryGB: 8192, nics: 16, powerKW: 8 },
    },
    {
      name: "pod",
      topology: { kind: "torus", dims: [4, 5, 7] },
      groupSize: 8960,
      bandwidthGBps: 135,
      latencyUs: 1,
      protocol: "ici",
      perGroup: { cabinets: { network: 8 }, switches: 96, opticalModules: 13440, powerKW: 77 },
    },
  ],
  floorM2PerCabinet: 2.5,
  pue: 1.1,
  sources: [
    {
      fields: [
        "chips",
        "tiers.pod.topology",
        "tiers.pod.groupSize",
        "tiers.cube.topology",
        "tiers.cube.groupSize",
      ],
      source: "Google Cloud TPU v5p documentation: 8,960 chips per pod, 3D torus; largest slice 16x20x28",
      confidence: "S",
    },
    {
      fields: ["tiers.cube.bandwidthGBps", "tiers.pod.bandwidthGBps"],
      source: "tpu-v5p chip entry (6 ICI links x 90 GB/s per direction)",
      confidence: "A",
      note: "96 off-cube links x 90 GB/s / 64 chips = 135 GB/s leaves the cube; 405 GB/s stays inside",
    },
    {
      fields: [
        "tiers.cube.perGroup",
        "tiers.pod.perGroup",
        "tiers.cube.latencyUs",
        "tiers.pod.latencyUs",
        "floorM2PerCabinet",
        "pue",
      ],
      source: `assumption after ${TPU_V4_PAPER}`,
      confidence: "A",
      note: "v4 racks and hosts kept; 140 cubes x 96 = 13,440 optical link ends; OCS count doubled for the larger pod",
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// 8-GPU servers (AMD Instinct MI300X/MI325X/MI355X platforms, HGX B300) joined by a rail-optimized fat tree of one
// NIC port per GPU: `chips` defaults to one server; extend with chips: N (a multiple of 8).

/** A cluster of 8-GPU servers: `scaleUp` inside a server, a non-blocking fat tree of `nicGBps` per GPU between them. */
function eightGpuCluster(o: {
  id: string;
  name: string;
  vendor: string;
  year: number;
  chip: string;
  scaleUp: TierFile;
  nicGBps: number;
  scaleOutProtocol: string;
  hostPowerKW: number;
  sources: SourceRef[];
}): SystemFile {
  return {
    id: o.id,
    name: o.name,
    vendor: o.vendor,
    year: o.year,
    chip: o.chip,
    chips: 8,
    description:
      "8-GPU servers joined by a rail-optimized fat tree, one NIC port per GPU; extend with chips: N (a multiple of 8)",
    tiers: [
      {
        ...o.scaleUp,
        groupSize: 8,
        perGroup: {
          cabinets: { compute: 0.25 },
          hosts: 1,
          cpus: 2,
          cpuMemoryGB: 2048,
          nics: 8,
          powerKW: o.hostPowerKW,
        },
      },
      {
        name: "scale-out",
        topology: { kind: "fat-tree", radix: 64 },
        bandwidthGBps: o.nicGBps,
        latencyUs: 0.6,
        oversubscription: 1,
        protocol: o.scaleOutProtocol,
        switchPowerW: 1720,
        opticalModulePowerW: 9,
      },
    ],
    floorM2PerCabinet: 2.5,
    pue: 1.3,
    sources: [
      ...o.sources,
      {
        fields: ["chips", "tiers.scale-out.topology", "tiers.scale-out.oversubscription"],
        source:
          "one 8-GPU server by default; a non-blocking rail-optimized fat tree of 64-port switches as in NVIDIA's DGX SuperPOD reference architecture",
        confidence: "A",
      },
      {
        fields: [
          "tiers.scale-out.bandwidthGBps",
          `tiers.${o.scaleUp.name}.perGroup.nics`,
          `tiers.${o.scaleUp.name}.perGroup.hosts`,
          `tiers.${o.scaleUp.name}.perGroup.cpus`,
          `tiers.${o.scaleUp.name}.perGroup.cpuMemoryGB`,
        ],
        source: `${o.chip} chip entry (scale-out port per GPU); platform reference: one host with two server CPUs and 8 NIC ports per 8 GPUs`,
        confidence: "S",
        note: "2 TB host memory assumed (A)",
      },
      {
        fields: [
          "tiers.scale-out.switchPowerW",
          "tiers.scale-out.opticalModulePowerW",
          "tiers.scale-out.latencyUs",
          `tiers.${o.scaleUp.name}.perGroup.cabinets`,
          "floorM2PerCabinet",
          "pue",
        ],
        source: "assumption",
        confidence: "A",
        note: "as dgx-h100-superpod: 64-port switch 1,720 W, 9 W per optical module, ~0.6 us across the fat tree, 4 servers per rack, 2.5 m2 per rack, PUE 1.3",
      },
    ],
  };
}

/** The Infinity Fabric tier of an 8-GPU AMD Instinct platform: every GPU one xGMI link from each of the other 7. */
const xgmi = (bandwidthGBps: number): TierFile => ({
  name: "xgmi",
  topology: { kind: "full-mesh" },
  bandwidthGBps,
  latencyUs: 1,
  protocol: "xgmi",
});
const XGMI_SOURCES = (chip: string, links: string): SourceRef[] => [
  {
    fields: ["tiers.xgmi.topology", "tiers.xgmi.groupSize", "tiers.xgmi.bandwidthGBps"],
    source: `${chip} chip entry: AMD platform data sheet, 8 GPUs fully connected by 7 Infinity Fabric links each (${links})`,
    confidence: "P",
  },
  {
    fields: ["tiers.xgmi.latencyUs"],
    source: "assumption",
    confidence: "A",
    note: "one xGMI hop between any two GPUs, ~1 us for a small message",
  },
];
const AMD_HOST_POWER: SourceRef = {
  fields: ["tiers.xgmi.perGroup.powerKW"],
  source: "assumption",
  confidence: "A",
  note: "two EPYC CPUs, 8 NICs, fans and drives of an 8-GPU OAM server beyond the GPUs: ~4 kW, as DGX H100's 4.6 kW less its NVSwitches",
};

/** An AMD Instinct cluster: 8-GPU xGMI servers, one 400 Gb/s RoCE port per GPU. */
const amdCluster = (chip: string, model: string, year: number, xgmiGBps: number, links: string): SystemFile =>
  eightGpuCluster({
    id: `${chip}-cluster`,
    name: `AMD Instinct ${model} servers (8 GPUs each, 400G per GPU)`,
    vendor: "AMD",
    year,
    chip,
    scaleUp: xgmi(xgmiGBps),
    nicGBps: 50,
    scaleOutProtocol: "roce",
    hostPowerKW: 4,
    sources: [...XGMI_SOURCES(chip, links), AMD_HOST_POWER],
  });
const CDNA3_LINKS = "128 GB/s both ways per link, 448 GB/s per direction per GPU";
const MI300X_CLUSTER = amdCluster("mi300x", "MI300X", 2023, 448, CDNA3_LINKS);
const MI325X_CLUSTER = amdCluster("mi325x", "MI325X", 2024, 448, CDNA3_LINKS);
const MI355X_CLUSTER = amdCluster(
  "mi355x",
  "MI355X",
  2025,
  537.6,
  "153.6 GB/s both ways per link, 537.6 GB/s per direction per GPU",
);
const HGX_B300_CLUSTER = eightGpuCluster({
  id: "hgx-b300-cluster",
  name: "NVIDIA HGX B300 servers (8 GPUs each, ConnectX-8 800G per GPU)",
  vendor: "NVIDIA",
  year: 2025,
  chip: "b300",
  scaleUp: {
    name: "nvlink",
    topology: { kind: "switch" },
    bandwidthGBps: 900,
    latencyUs: 0.3,
    protocol: "nvlink",
  },
  nicGBps: 100,
  scaleOutProtocol: "infiniband",
  hostPowerKW: 5.5,
  sources: [
    {
      fields: ["tiers.nvlink.topology", "tiers.nvlink.groupSize", "tiers.nvlink.bandwidthGBps"],
      source:
        "b300 chip entry: HGX B300, 8 GPUs on NVLink 5 switches at 1.8 TB/s per GPU (900 GB/s per direction)",
      confidence: "P",
    },
    {
      fields: ["tiers.nvlink.latencyUs"],
      source: "assumption",
      confidence: "A",
      note: "NVSwitch hop ~0.3 us, as dgx-h100-superpod",
    },
    {
      fields: ["tiers.nvlink.perGroup.powerKW"],
      source: "NVIDIA DGX B300 data sheet: ~14 kW per system",
      confidence: "A",
      note: "14.3 kW less 8 x 1,100 W GPUs = 5.5 kW for CPUs, NVSwitches, NICs and fans",
    },
  ],
});

export const SYSTEM_FILES: SystemFile[] = [
  ATLAS_950_SUPERPOD,
  ATLAS_950_SUPERPOD_UBMESH,
  ATLAS_950_SUPERCLUSTER,
  ATLAS_950_SUPERCLUSTER_UBOE,
  ATLAS_950_SUPERCLUSTER_ROCE,
  ATLAS_960_SUPERPOD,
  ATLAS_960_SUPERCLUSTER,
  CLOUDMATRIX_384,
  GB200_NVL72,
  GB300_NVL72,
  VR_NVL144,
  GB300_NVL72_CLUSTER,
  VR_NVL144_CLUSTER,
  DGX_A100_SUPERPOD,
  DGX_H100_SUPERPOD,
  TPU_V4_POD,
  TPU_V5P_POD,
  MI300X_CLUSTER,
  MI325X_CLUSTER,
  MI355X_CLUSTER,
  HGX_B300_CLUSTER,
];
