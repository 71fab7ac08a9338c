// File-format schemas for chips, protocols, tiers and systems (what catalog entries and scenario files are written in).
import * as z from "zod";
import {
  confidence,
  count,
  efficiency,
  nonNegative,
  positive,
  precision,
  recordOf,
  sourceRef,
} from "./fields.js";

export const chipFile = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  vendor: z.string().min(1),
  year: z.number().int().optional(),
  /** Dense peak TFLOP/s per precision. */
  peakTflops: z.strictObject({
    fp4: positive("TFLOP/s").optional(),
    fp8: positive("TFLOP/s").optional(),
    int8: positive("TFLOP/s").optional(),
    fp16: positive("TFLOP/s").optional(),
    bf16: positive("TFLOP/s").optional(),
    tf32: positive("TFLOP/s").optional(),
    fp32: positive("TFLOP/s").optional(),
  }),
  formats: z.array(precision).optional(),
  memoryGB: positive("GB"),
  memoryBandwidthTBps: positive("TB/s"),
  /** Per chip, per direction. */
  scaleUpBandwidthGBps: nonNegative("GB/s"),
  /** Per chip, per direction. */
  scaleOutBandwidthGBps: nonNegative("GB/s"),
  powerW: positive("W"),
  /**
   * The chip's rated (TDP) power; default `powerW`. A chip that extends a catalog chip and sets its own `powerW`
   * keeps the base's rating here, so a `powerW` below it is a power limit (power-limit.ts); the catalog's `powerW`
   * is the rating.
   */
  ratedPowerW: positive("W").optional(),
  /** Chip family whose kernel profiles the training and serving models use (src/catalog/families/); default "generic". */
  family: z.string().min(1).optional(),
  /** Independent devices software drives in one package (Ascend 910C: 2 dies, each its own rank); default 1. */
  devicesPerPackage: count("devices per package").optional(),
  /** Chip to host memory, per direction (PCIe, NVLink-C2C): what offloaded weights, optimizer state and activations stream over; default 32. */
  hostLinkBandwidthGBps: positive("GB/s").optional(),
  /**
   * Softmax exponential (SFU) throughput relative to the chip its family's attention figures were measured on,
   * at the same tensor throughput (Blackwell Ultra: 2, NVIDIA "Making Softmax More Efficient with NVIDIA
   * Blackwell Ultra"); default 1.
   */
  sfuExpRateRelative: positive("x the family's reference SFU exponential rate").optional(),
  /**
   * Sustained dense BF16/FP8 GEMM rate relative to the chip family's level at this chip's peak, from a
   * power-soaked GEMM measurement of this chip (GB200: Azure's cuBLASLt rows after 10,000 warmup iterations);
   * default 1. FP4 GEMMs are not scaled.
   */
  gemmSustainedRelative: positive("x the family's sustained GEMM level").optional(),
  /**
   * Host CPU time of one eager framework op (PyTorch dispatch, kernel launch, the BLAS host path) relative to the
   * x86 host the family's launch figures were measured on; default 1. GB200/GB300 on Grace: 1.09 (a torch.ops call,
   * 197.4 ns against 181.7 ns on an H100 host, pytorch/pytorch issue 187862).
   */
  hostOpTimeRelative: positive("x the family's reference host op time").optional(),
  /**
   * Achieved / datasheet HBM bandwidth (memoryBandwidthTBps) of a decode-sized linear streaming its weights on this
   * chip, from a kernel measurement of this chip (the vendor BLAS at M = 1 over weights larger than the caches;
   * data/kernels/hbm-achieved-published.json). The serving model streams decode weights at it in place of the chip
   * family's `weightStreaming`; unset: the family's figure. `extends` inherits it like any field.
   */
  memoryStreamingFraction: efficiency(
    "achieved / datasheet HBM bandwidth of a decode GEMM streaming its weights",
  ).optional(),
  /**
   * Multiply-accumulators along one side of the chip's systolic matrix unit (TPU MXU: 128 on v4/v5e/v5p, 256 on
   * v6e). Attention matmuls whose head dimension is narrower fill only headDim / width of it; unset: no such
   * limit (tensor cores tile by much smaller fragments). Used by the training model's attention; the serving
   * model does not use it yet.
   */
  matrixUnitWidth: count("multiply-accumulators along one side of the matrix unit", 65536).optional(),
  /**
   * MiB of the chip's compiler-managed on-chip scratchpad between HBM and the matrix units (TPU VMEM: 128 MiB on v5e),
   * into which XLA prefetches a later op's weights while other ops run. The serving model hides a decode step's
   * collectives and op fixed costs behind the weight stream when a layer's weight shard fits in half of it
   * (src/serving/vmem-prefetch.ts); unset: no such overlap.
   */
  vectorMemoryMiB: count("MiB of on-chip vector memory", 65536).optional(),
  sources: z.array(sourceRef).default([]),
});
export type ChipFile = z.input<typeof chipFile>;

export const protocolFile = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  headerEfficiency: efficiency("payload bytes per wire byte"),
  staticLatencyUs: nonNegative("us"),
  /**
   * One collective-library all-to-all crossing this transport, by ranks in the call (published): its fixed time and
   * the share of the tier's line rate its payload reaches.
   */
  allToAllCall: z
    .array(
      z.strictObject({
        ranks: count("ranks in the all-to-all"),
        us: nonNegative("us"),
        lineShare: efficiency("payload rate of the all-to-all / the tier's line rate"),
      }),
    )
    .min(1)
    .optional(),
  sources: z.array(sourceRef).default([]),
});
export type ProtocolFile = z.input<typeof protocolFile>;

export const topologyKind = z.enum([
  "switch",
  "full-mesh",
  "nd-full-mesh",
  "torus",
  "fat-tree",
  "rail-optimized",
]);
export const topologyFile = z.union([
  topologyKind,
  z.strictObject({
    kind: topologyKind,
    dims: z.array(count("chips or groups along a dimension")).optional(),
    levels: count("switch levels", 16).optional(),
    /** At least 2 ports; each kind refuses radixes it cannot build with (a fat tree needs 4 without `levels`). */
    radix: z.number().int().min(2, { error: "must be at least 2 switch ports" }).max(1_000_000).optional(),
    /** Fat tree whose leaf switches belong to the tier below (only upper levels counted here). */
    leavesBelow: z.boolean().optional(),
  }),
]);

export const perGroupFile = z.strictObject({
  cabinets: recordOf(nonNegative("cabinets"), "a cabinet kind").optional(),
  switches: nonNegative("switches").optional(),
  opticalModules: nonNegative("optical modules").optional(),
  powerKW: nonNegative("kW").optional(),
  cpus: nonNegative("CPUs").optional(),
  /** Host servers (each with its OS, BMC and power supplies). */
  hosts: nonNegative("hosts").optional(),
  /** Scale-out network interface cards. */
  nics: nonNegative("NICs").optional(),
  cpuMemoryGB: nonNegative("GB").optional(),
});

export const tierFile = z.strictObject({
  name: z.string().min(1),
  topology: topologyFile,
  /** Chips per group at this tier; the outermost tier may omit it (= all chips). */
  groupSize: count("chips per group").optional(),
  /** Per chip, per direction. */
  bandwidthGBps: positive("GB/s"),
  latencyUs: nonNegative("us").optional(),
  oversubscription: z
    .number()
    .finite()
    .min(1, { error: "must be >= 1 (1 = full bisection)" })
    .max(1e6)
    .optional(),
  protocol: z.union([z.string().min(1), protocolFile]).optional(),
  perGroup: perGroupFile.optional(),
  /** Power of each switch the topology implies (with `radix`), W. */
  switchPowerW: nonNegative("W").optional(),
  /** Power of each optical module the topology implies, W. */
  opticalModulePowerW: nonNegative("W").optional(),
  /** Topology-implied switches per network cabinet. */
  switchesPerCabinet: positive("switches per cabinet").optional(),
});
export type TierFile = z.input<typeof tierFile>;

/** A chip given by catalog id, inline, or as a catalog entry with some fields overridden. */
// The inline branch comes before the `extends` branch so that, on an equally deep error, the inline schema's
// issue (say a missing field) is reported rather than "extends: expected string".
export const chipRef = z.union([z.string().min(1), chipFile, z.looseObject({ extends: z.string().min(1) })]);

export const systemFile = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  vendor: z.string().min(1),
  year: z.number().int().optional(),
  description: z.string().optional(),
  chip: chipRef,
  /** At most 2^27 (134M): the simulator numbers links in 32 bits. */
  chips: count("chips", 2 ** 27),
  tiers: z.array(tierFile).min(1, { error: "a system needs at least one network tier" }),
  floorM2PerCabinet: positive("m2").optional(),
  pue: z.number().finite().min(1).max(10).optional(),
  sources: z.array(sourceRef).default([]),
});
export type SystemFile = z.input<typeof systemFile>;

/** A system given by catalog id, inline, or as a catalog entry with fields overridden (tiers merged by name). */
export const systemRef = z.union([
  z.string().min(1),
  systemFile,
  z.looseObject({ extends: z.string().min(1) }),
]);

export { confidence };
