// Schema of a scenario's `plan` section: what `zettasim plan train | serve | size` searches, for what, under which limits.
import * as z from "zod";
import { count, fraction, positive } from "./fields.js";

const list = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: `expected a list of ${what}` }).min(1, { error: `give at least one ${what}` });

/** Restrictions of the training search space; a knob left out takes every value the model accepts. */
export const trainSpaceFile = z.lazy(() =>
  z.strictObject({
    tp: list(count("tensor-parallel ranks"), "tp degrees").optional(),
    pp: list(count("pipeline stages"), "pp degrees").optional(),
    cp: list(count("context-parallel ranks"), "cp degrees").optional(),
    ep: list(count("expert-parallel ranks"), "ep degrees").optional(),
    /** Expert tensor parallelism: 1 (experts whole on a rank) or "tp" (split like the dense layers). */
    etp: list(z.union([z.literal(1), z.literal("tp")]), 'etp choices (1 or "tp")').optional(),
    vpp: list(count("virtual stages per rank"), "vpp depths").optional(),
    microBatchSize: list(count("sequences per micro-batch"), "micro-batch sizes").optional(),
    recompute: list(z.enum(["none", "selective", "full"]), "recompute modes").optional(),
    zero: list(z.number().int().min(0).max(3), "ZeRO stages (0-3)").optional(),
    /** ZeRO-3 / FSDP: parameters freed after the forward and gathered again (default both). */
    reshardAfterForward: list(z.boolean(), "settings").optional(),
    /** ZeRO-3 / FSDP shard group in data-parallel ranks, or "auto" (hybrid sharding chosen from memory; default). */
    shardGroupSize: list(
      z.union([count("data-parallel ranks"), z.literal("auto")]),
      'shard groups (or "auto")',
    ).optional(),
    /** Shares kept in host memory (default 0 and 1 for each). */
    offload: z
      .strictObject({
        optimizer: list(fraction("share of optimizer state in host memory"), "shares").optional(),
        weights: list(fraction("share of weights in host memory"), "shares").optional(),
        activations: list(fraction("share of activations in host memory"), "shares").optional(),
      })
      .optional(),
    sequenceParallel: list(z.boolean(), "sequence-parallel settings").optional(),
    schedule: list(
      z.enum(["1f1b", "interleaved", "zero-bubble", "dualpipe"]),
      "pipeline schedules",
    ).optional(),
    /** Number formats the search may train in (default: the training section's, else bf16). */
    precision: list(z.enum(["bf16", "fp8", "fp4"]), "precisions").optional(),
    /** Scaling recipes of the low-precision GEMMs (default: the training section's, else the framework's). */
    precisionRecipe: list(
      z.enum(["fp8-tensorwise", "fp8-delayed", "fp8-blockwise", "fp8-rowwise", "mxfp8", "nvfp4"]),
      "recipes",
    ).optional(),
    /** MoE dispatchers searched where ep > 1 (default: the training section's, else the framework's). */
    moeDispatcher: list(z.enum(["alltoall", "allgather", "deepep", "hybridep"]), "dispatchers").optional(),
    /** Schemes hiding expert all-to-all while EP overlap is on (default: the training section's, else DualPipe-style). */
    moeOverlap: list(z.enum(["deepep", "two-batch", "dualpipe"]), "overlap schemes").optional(),
    /** Kernels launched from captured graphs (default: the training section's, else the framework's). */
    cudaGraphs: list(z.boolean(), "settings").optional(),
    overlap: z
      .strictObject({
        tpComm: list(z.boolean(), "settings").optional(),
        dpComm: list(z.boolean(), "settings").optional(),
        epComm: list(z.boolean(), "settings").optional(),
      })
      .optional(),
    /** Largest micro-batch searched (default 16 sequences). */
    maxMicroBatchSize: count("sequences per micro-batch").optional(),
    /** Fewest tokens a context-parallel rank holds (default 1,024): bounds cp by the sequence length. */
    minTokensPerCpRank: count("tokens").optional(),
  }),
);
export type TrainSpaceFile = z.output<typeof trainSpaceFile>;

/** Chips to plan for: one count, a list, or every power-of-two multiple of `step` from min to max. */
export const chipsChoice = z.lazy(() =>
  z.union([
    count("chips"),
    list(count("chips"), "chip counts"),
    z.strictObject({ min: count("chips"), max: count("chips") }),
  ]),
);

/** What `plan serve` searches and for what. */
export const serveSearchFile = z.lazy(() =>
  z.strictObject({
    /** Maximise goodput per chip (default), per dollar or per watt. */
    objective: z.enum(["perChip", "perDollar", "perWatt"]).optional(),
    /** Latency percentile the targets apply to (default 90). */
    percentile: z.union([z.literal(50), z.literal(90), z.literal(99)]).optional(),
    modes: list(z.enum(["colocated", "disaggregated"]), "serving modes").optional(),
    /** Candidates re-checked with the request-level simulator (default 4). */
    recheck: count("candidates").optional(),
    /** Chips per instance to try (default: powers of two from 1 to the scale-up domain). */
    instanceChips: list(count("chips per instance"), "instance sizes").optional(),
    /** Tensor-parallel degrees to try inside an attention rank (default 1, 2, 4, 8). */
    tp: list(count("tensor-parallel ranks"), "tp degrees").optional(),
    /** Decode batch caps per attention rank to try (default 8 to 256). */
    maxBatchPerRank: list(count("sequences per rank"), "batch caps").optional(),
    /** Requests each re-check simulates (default: the workload's, at most 4,000). */
    requests: count("requests").optional(),
  }),
);

/** What `plan size` compares. */
export const sizeSearchFile = z.lazy(() =>
  z.strictObject({
    /** Catalog systems to size (default: every system whose chips can train the model). */
    systems: list(z.string().min(1), "system ids").optional(),
    /** The run must finish, failures and checkpoints counted, within this many days. */
    deadlineDays: positive("days"),
    /** What "best" means among clusters that meet the deadline (default chips). */
    minimize: z.enum(["chips", "cost", "power"]).optional(),
    /** Budget for the side-by-side table: equal facility power (default) or equal floor area. */
    equalBy: z.enum(["power", "floor"]).optional(),
    /** The budget itself (default: the first system's whole footprint). */
    budgetMW: positive("MW").optional(),
    budgetM2: positive("m2").optional(),
  }),
);

export const planFile = z.lazy(() =>
  z.strictObject({
    /** Training objective (default stepTime; the others compare layouts across chip counts). */
    objective: z.enum(["stepTime", "timeToTrain", "cost", "energy"]).optional(),
    /** Layouts listed (default 10). */
    top: count("layouts").optional(),
    chips: chipsChoice.optional(),
    space: trainSpaceFile.optional(),
    constraints: z
      .strictObject({
        /** Facility power the job may draw, MW. */
        maxPowerMW: positive("MW").optional(),
        /** Failure-free time to train (needs training.trainTokens), days. */
        deadlineDays: positive("days").optional(),
        /** Share of chip memory a layout may fill (default 1). */
        memoryFraction: fraction("of chip memory").optional(),
      })
      .optional(),
    /** Price of one chip-hour, USD (cost objectives and columns). */
    pricePerChipHourUsd: positive("USD per chip-hour").optional(),
    serve: serveSearchFile.optional(),
    size: sizeSearchFile.optional(),
  }),
);
export type PlanFile = z.input<typeof planFile>;
export type PlanConfig = z.output<typeof planFile>;
