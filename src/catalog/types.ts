// Internal (SI) descriptions of chips, network tiers and systems that every model reads.

export type Precision = "fp4" | "fp8" | "int8" | "fp16" | "bf16" | "tf32" | "fp32";
export const PRECISIONS: readonly Precision[] = ["fp4", "fp8", "int8", "fp16", "bf16", "tf32", "fp32"];

/** How sure a catalog figure is: P quoted from the primary source, S several consistent secondary copies, A approximate, single-source or our assumption. */
export type Confidence = "P" | "S" | "A";

/** Where a group of catalog fields comes from. `fields` are dotted paths in the file format ("peakTflops", "tiers.scale-out.bandwidthGBps"); a prefix covers everything below it. */
export interface SourceRef {
  fields: string[];
  source: string;
  confidence: Confidence;
  /** Reasoning, for assumptions and derived figures. */
  note?: string;
}

export interface Chip {
  id: string;
  name: string;
  vendor: string;
  year?: number;
  /** Dense peak FLOP/s per precision (no sparsity). */
  peakFlops: Partial<Record<Precision, number>>;
  /** Number formats the chip computes in natively. */
  formats: Precision[];
  memoryBytes: number;
  memoryBandwidthBytesPerS: number;
  /** Scale-up (in-domain) bandwidth per chip, per direction, bytes/s. */
  scaleUpBandwidthBytesPerS: number;
  /** Scale-out bandwidth per chip, per direction, bytes/s. */
  scaleOutBandwidthBytesPerS: number;
  /** Chip (package) power, W: its power limit where one is set below the rating. */
  powerW: number;
  /** Rated (TDP) power of the chip, W (`powerW` unless a derived chip set its own limit). */
  ratedPowerW: number;
  /** Id of the chip family whose kernel profiles the models use (src/catalog/families/). */
  family: string;
  /** Independent devices software drives in one package (each its own rank with its share of the package). */
  devicesPerPackage: number;
  /** Chip to host memory bandwidth per direction, bytes/s (offload path). */
  hostLinkBandwidthBytesPerS: number;
  /** Softmax exponential (SFU) throughput relative to the chip its family's attention figures come from (1 = same). */
  sfuExpRateRelative: number;
  /**
   * Sustained dense BF16/FP8 GEMM rate relative to its family's level at the chip's own peak, where the chip's
   * power-soaked GEMM rate was measured (1 = the family's level). FP4 is not scaled.
   */
  gemmSustainedRelative: number;
  /** Host CPU time of an eager framework op relative to the host the family's launch figures come from (1 = same). */
  hostOpTimeRelative: number;
  /**
   * Achieved / datasheet HBM bandwidth of a decode-sized linear streaming its weights, measured on this chip;
   * undefined: the chip family's `weightStreaming` applies.
   */
  memoryStreamingFraction: number | undefined;
  /** Multiply-accumulators along one side of a systolic matrix unit (TPU MXU); undefined: no head-dim limit. */
  matrixUnitWidth: number | undefined;
  /**
   * Bytes of the compiler-managed on-chip scratchpad the matrix units read from (TPU VMEM), into which a compiled
   * program can prefetch the next operands while other ops run; undefined: none known (src/serving/vmem-prefetch.ts).
   */
  vectorMemoryBytes: number | undefined;
  sources: SourceRef[];
}

export type TopologyKind = "switch" | "full-mesh" | "nd-full-mesh" | "torus" | "fat-tree" | "rail-optimized";

export interface Topology {
  kind: TopologyKind;
  /** Dimension sizes for nd-full-mesh and torus (product = sub-groups joined at this tier). */
  dims?: number[];
  /** Switch levels for fat-tree. */
  levels?: number;
  /** Switch radix (ports) for fat-tree / switch tiers, where known. */
  radix?: number;
  /** Fat tree whose leaf switches (and the chip-to-leaf links) belong to the tier below: only the upper levels are counted here. */
  leavesBelow?: boolean;
}

/** One row of a transport's measured all-to-all (Protocol.allToAllCall). */
export interface AllToAllCallRow {
  ranks: number;
  /** Fixed time of one call, s. */
  s: number;
  /** Payload rate of the bytes crossing the tier / its line rate. */
  lineShare: number;
}

export interface Protocol {
  id: string;
  name: string;
  /** Payload bytes / wire bytes (headers, encoding). */
  headerEfficiency: number;
  /** Fixed per-message latency of the protocol stack, s. */
  staticLatencyS: number;
  /**
   * One collective-library all-to-all that crosses this transport, by ranks in the call, ascending (a published table;
   * `allToAllCall` in training/comm.ts reads it): its fixed time, s, and the share of the tier's line rate (before
   * header efficiency) its payload reaches. Undefined: the per-message latency and the caller's efficiency.
   */
  allToAllCall?: readonly AllToAllCallRow[];
  sources: SourceRef[];
}

/** Physical items added once per group at a tier (the rack tier adds its compute cabinet, the pod tier its switches...). */
export interface PerGroup {
  cabinets: Record<string, number>;
  switches: number;
  opticalModules: number;
  /** IT power beyond the chips themselves (hosts, switches, optics, fans), W. */
  powerW: number;
  cpus: number;
  cpuMemoryBytes: number;
  hosts: number;
  nics: number;
}

export interface Tier {
  name: string;
  topology: Topology;
  /** Chips per group at this tier (cumulative: the outermost tier's group is the whole system). */
  groupSize: number;
  /** Per chip, per direction, bytes/s. */
  bandwidthBytesPerS: number;
  /** One-hop latency, s (the protocol's static latency is added separately). */
  latencyS: number;
  /** 1 = full bisection; 4 = 4:1 tapered. */
  oversubscription: number;
  protocol: Protocol;
  perGroup: PerGroup;
  /** Power of each switch the topology implies (not those listed in perGroup), W. */
  switchPowerW?: number;
  /** Power of each optical module the topology implies, W. */
  opticalModulePowerW?: number;
  /** Topology-implied switches per network cabinet (adds "network" cabinets); none added when absent. */
  switchesPerCabinet?: number;
}

export interface System {
  id: string;
  name: string;
  vendor: string;
  year?: number;
  chip: Chip;
  chips: number;
  /** Innermost first; the last tier's groupSize equals `chips`. */
  tiers: Tier[];
  /** Floor area per cabinet including its share of aisles and service space, m2. */
  floorM2PerCabinet: number;
  /** Facility power / IT power. */
  pue: number;
  sources: SourceRef[];
  description?: string;
}
