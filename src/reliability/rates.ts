// Failure rates per component kind (failures per component-hour), each with its source, confidence and derivation.
import type { Confidence } from "../catalog/types.js";
import { HOUR } from "../core/units.js";

/** The component kinds the failure model knows. Each scales with its own count in the machine. */
export type ComponentKind = "accelerator" | "hbm" | "host" | "nic" | "optical-module" | "switch" | "software";

export const COMPONENT_KINDS: readonly ComponentKind[] = [
  "accelerator",
  "hbm",
  "host",
  "nic",
  "optical-module",
  "switch",
  "software",
];

/** What one failure of a kind takes down before any policy (spares, rerouting, elastic replicas) is applied. */
export type BlastRadius = "chip" | "host" | "link" | "switch" | "job";

/**
 * Which inventory count a kind's rate multiplies: job-wide counts (accelerators, hosts, NICs) or per-tier network
 * counts (optical modules, switches), read from `Inventory` and `TierInventory` by this name.
 */
export type InventoryCount = "accelerators" | "hosts" | "nics" | "opticalModules" | "switches";

export interface FailureRate {
  kind: ComponentKind;
  /** Failures per component per second (SI). */
  ratePerS: number;
  /** What a component of this kind is, i.e. what the rate is counted per. */
  per: string;
  /** What one failure takes down before any policy: the failure policies decide by this (policies.ts). */
  blastRadius: BlastRadius;
  /** The inventory count the rate is per (one component of it). */
  countedAs: InventoryCount;
  source: string;
  confidence: Confidence;
  /** How the rate was obtained. */
  note: string;
}

const LLAMA3 =
  "Llama 3 herd of models, arXiv 2407.21783, Table 5 (419 unexpected interruptions, 54 days, 16,384 H100)";

/**
 * Exposure of the Llama 3 405B snapshot, the one published per-cause breakdown at 16K-GPU scale: 54 days of
 * 16,384 H100 in 2,048 8-GPU hosts, one 400G RoCE NIC per GPU. The fabric counts are our reading of the paper's
 * layout (16-GPU racks under one ToR, 192 racks per pod, 1:7 oversubscribed aggregation layer): 1,024 ToRs,
 * 256 cluster and 37 aggregation switches of 64 x 400G (1,317), in-rack copper to the GPU, optics above the ToR
 * (16,384 + 2,341 links, two modules each: 37,450).
 */
export const LLAMA3_EXPOSURE = {
  hours: 54 * 24,
  gpus: 16384,
  hosts: 2048,
  nics: 16384,
  switches: 1317,
  opticalModules: 37450,
  /** HBM per GPU: the H100 SXM5's 80 GB (HBM3). */
  hbmBytesPerGpu: 80e9,
  /** Unexpected interruptions of the job in the snapshot (Table 5). */
  unexpectedInterruptions: 419,
  /**
   * Hours the job was down per interruption: the model's default recovery (model.ts DEFAULT_RECOVERY: 10 min
   * detection + 5 min restart, MegaScale); rates.test.ts holds the two equal.
   */
  downHoursPerInterruption: 0.25,
} as const;

/**
 * Hours of the snapshot the Llama 3 job was up: the 1,296 calendar hours less its downtime after each of its 419
 * interruptions (1,191.25 h, 91.9%; the paper reports over 90% effective training time, sec. 3.3.4). A part that
 * fails while the job is down interrupts nothing, in the snapshot as in this model (failures arrive only during
 * up-time, closed-form.ts), so the counts are per component-hour of up-time and the rates are divided by it.
 */
export const LLAMA3_UP_HOURS =
  LLAMA3_EXPOSURE.hours - LLAMA3_EXPOSURE.unexpectedInterruptions * LLAMA3_EXPOSURE.downHoursPerInterruption;

const perHour = (events: number, components: number) => events / (components * LLAMA3_UP_HOURS) / HOUR;

/**
 * Default rates. Derived from the Llama 3 per-cause counts divided by the exposure above (component-hours of the
 * job's up-time, LLAMA3_UP_HOURS), so
 * the Llama 3 example checks the scaling machinery, not the rates; independent cross-checks (Meta RSC-1 node-day
 * rate, the 1.8 h / 0.23 h job MTTF projections, MegaScale restarts) are in docs/reliability.md.
 */
export const DEFAULT_RATES: Record<ComponentKind, FailureRate> = {
  accelerator: {
    kind: "accelerator",
    ratePerS: perHour(148 + 19 + 17 + 6 + 6, LLAMA3_EXPOSURE.gpus),
    per: "accelerator package (GPU/NPU)",
    blastRadius: "chip",
    countedAs: "accelerators",
    source: LLAMA3,
    confidence: "S",
    note: "faulty GPU 148 + SRAM 19 + GPU system processor 17 + silent data corruption 6 + thermal 6 = 196 over 16,384 GPUs x 1,191 h of up-time; Ascend NPUs assumed to fail at the H100 rate (no field data published)",
  },
  hbm: {
    kind: "hbm",
    ratePerS: perHour(72, LLAMA3_EXPOSURE.gpus),
    per: "accelerator's HBM stack set",
    blastRadius: "chip",
    countedAs: "accelerators",
    source: LLAMA3,
    confidence: "S",
    note: "GPU HBM3 72 over 16,384 GPUs x 1,191 h of up-time",
  },
  host: {
    kind: "host",
    ratePerS: perHour(32 + 3 + 3 + 2 + 2 + 2 + 2, LLAMA3_EXPOSURE.hosts),
    per: "host server (CPU, DRAM, SSD, PSU, chassis)",
    blastRadius: "host",
    countedAs: "hosts",
    source: LLAMA3,
    confidence: "S",
    note: "unplanned host maintenance 32 + SSD 3 + power supply 3 + chassis 2 + IO expansion board 2 + CPU 2 + system memory 2 = 46 over 2,048 hosts x 1,191 h of up-time",
  },
  nic: {
    kind: "nic",
    ratePerS: perHour(7, LLAMA3_EXPOSURE.nics),
    per: "scale-out NIC",
    blastRadius: "chip",
    countedAs: "nics",
    source: LLAMA3,
    confidence: "S",
    note: "NIC 7 over 16,384 NICs x 1,191 h of up-time",
  },
  "optical-module": {
    kind: "optical-module",
    ratePerS: perHour(35 * 0.8, LLAMA3_EXPOSURE.opticalModules),
    per: "optical transceiver (or optical cable end)",
    blastRadius: "link",
    countedAs: "opticalModules",
    source: LLAMA3,
    confidence: "A",
    note: "network switch/cable 35, of which 80% assumed optics and cables (split not published) = 28 over 37,450 modules x 1,191 h of up-time",
  },
  switch: {
    kind: "switch",
    ratePerS: perHour(35 * 0.2, LLAMA3_EXPOSURE.switches),
    per: "network switch",
    blastRadius: "switch",
    countedAs: "switches",
    source: LLAMA3,
    confidence: "A",
    note: "network switch/cable 35, of which 20% assumed switches (split not published) = 7 over 1,317 switches x 1,191 h of up-time",
  },
  software: {
    kind: "software",
    ratePerS: perHour(54 + 7 + 2, LLAMA3_EXPOSURE.gpus),
    per: "training process (one per accelerator)",
    blastRadius: "job",
    countedAs: "accelerators",
    source: LLAMA3,
    confidence: "A",
    note: "software bug 54 + NCCL watchdog timeout 7 + dependency 2 = 63 over 16,384 processes x 1,191 h of up-time; scaling with process count is our assumption",
  },
};

/**
 * Optical modules per network link: one transceiver (or active-cable end) at each end. The catalog's topology counts
 * use the same convention (a fat tree's optical modules are 2 per link, catalog/topologies/fat-tree.ts), so a link
 * fails when either end does.
 */
export const MODULES_PER_LINK = 2;

/** Failures per link per second: either optical end failing takes the link down. Cost: O(1). */
export function linkRatePerS(rates: Record<ComponentKind, FailureRate>): number {
  return MODULES_PER_LINK * rates["optical-module"].ratePerS;
}

/**
 * HBM failures follow the bits, not the package: on NCSA Delta (Cui et al. 2025, "A Story of Two GPUs", arXiv
 * 2503.11901) the H100's 96 GB of HBM3 had 3.2x the A100's 40 GB of HBM2e uncorrectable memory errors per GPU
 * (mean time between them 88,768 h against 283,271 h) but about the same per GB (8.5 M against 11.3 M GB-hours:
 * 1.33x, against 2.4x the capacity). So an accelerator's HBM rate is Llama 3's per-GPU rate (80 GB of HBM3) scaled
 * by its HBM capacity. Returns the scaled rate entry; `memoryBytes` must be > 0. Cost: O(1).
 */
export function hbmRateForCapacity(memoryBytes: number): FailureRate {
  const base = DEFAULT_RATES.hbm;
  const scale = memoryBytes / LLAMA3_EXPOSURE.hbmBytesPerGpu;
  return {
    ...base,
    ratePerS: base.ratePerS * scale,
    source: `${base.source}; per-GB scaling: Cui et al. 2025, arXiv 2503.11901 (NCSA Delta, uncorrectable HBM errors per GB)`,
    note: `${base.note}, scaled by HBM capacity ${(memoryBytes / 1e9).toFixed(0)} GB / 80 GB = ${scale.toFixed(3)}`,
  };
}

/**
 * The default rate table for an accelerator with `memoryBytes` of HBM (HBM scaled by capacity, hbmRateForCapacity;
 * the Llama 3 H100's 80 GB when absent), with per-kind overrides (failures per million component-hours) applied.
 */
export function ratesWithOverrides(
  overrides: Partial<Record<ComponentKind, { failuresPerMillionHours: number }>> = {},
  memoryBytes: number = LLAMA3_EXPOSURE.hbmBytesPerGpu,
): Record<ComponentKind, FailureRate> {
  const out = { ...DEFAULT_RATES, hbm: hbmRateForCapacity(memoryBytes) };
  for (const k of COMPONENT_KINDS) {
    const o = overrides[k];
    if (o)
      out[k] = {
        ...out[k],
        ratePerS: o.failuresPerMillionHours / 1e6 / HOUR,
        source: "scenario override",
        confidence: "A",
        note: `set in the scenario: ${o.failuresPerMillionHours} failures per million ${out[k].per}-hours`,
      };
  }
  return out;
}
