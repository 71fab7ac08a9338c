// Scenario-file schema for the `reliability` section: run length, recovery times, checkpoints, policy, rate overrides.
import * as z from "zod";
import { count, fraction, fractionBelowOne, nonNegative, positive, recordOf } from "./fields.js";

const rateOverride = z.strictObject({
  failuresPerMillionHours: nonNegative("failures per million component-hours", { max: 1e9 }),
});

export const reliabilityFile = z.lazy(() =>
  z.strictObject({
    /** Failure-free time to train, days (when no model + training section gives a step time). */
    idealTrainingDays: positive("days", { min: 1e-6, max: 36500 }).optional(),
    /** Simulate a fixed wall-clock window instead (e.g. a published 54-day snapshot), days. */
    wallDays: positive("days", { min: 1e-6, max: 36500 }).optional(),
    /** Training step time, s: checkpoints fall between steps (default: none, any interval). */
    stepTimeS: positive("s", { max: 1e6 }).optional(),
    /** Chips the job uses; defaults to training.chips, else the whole system. */
    jobChips: count("chips").optional(),
    /** Chips per host when the catalog gives no host count (default 8). */
    chipsPerHost: count("chips per host").optional(),
    /** Monte Carlo trials (default 1000) and seed (default: the scenario's seed). */
    trials: count("trials", 10_000_000).optional(),
    recovery: z
      .strictObject({
        detectionMinutes: nonNegative("minutes", { max: 1e6 }).optional(),
        restartMinutes: nonNegative("minutes", { max: 1e6 }).optional(),
        migrationMinutes: nonNegative("minutes", { max: 1e6 }).optional(),
        reconfigureMinutes: nonNegative("minutes", { max: 1e6 }).optional(),
        repairHours: nonNegative("hours", { max: 1e5 }).optional(),
      })
      .optional(),
    checkpoint: z
      .strictObject({
        /** Whole-job checkpoint size; default: model parameters x bytesPerParam. */
        sizeGB: positive("GB").optional(),
        /** Bytes saved per parameter (default 14: bf16 weights, fp32 master weights, two fp32 Adam moments). */
        bytesPerParam: positive("bytes per parameter", { max: 1e3 }).optional(),
        /** Aggregate storage bandwidth the job gets (default 1000 GB/s write and read). */
        writeGBps: positive("GB/s").optional(),
        readGBps: positive("GB/s").optional(),
        /** Keep checkpoints in host or peer memory (default false). */
        inMemory: z.boolean().optional(),
        /** Per-chip copy bandwidth for in-memory checkpoints (default 25 GB/s). */
        inMemoryGBpsPerChip: positive("GB/s").optional(),
        /** Compute between checkpoints; default the Young/Daly optimum sqrt(2 C MTBF). */
        intervalMinutes: positive("minutes", { min: 1e-3, max: 1e6 }).optional(),
      })
      .optional(),
    policy: z
      .strictObject({
        hotSpares: z
          .strictObject({
            groupChips: count("chips per spare group"),
            spares: count("spare chips per group"),
          })
          .optional(),
        elasticDataParallel: z
          .strictObject({ replicaChips: count("chips per data-parallel replica") })
          .optional(),
        meshLinkFailures: z.enum(["reroute", "restart"]).optional(),
        degradedThroughputFraction: fraction("throughput lost while a link is routed around").optional(),
        switchedAbsorbFraction: fraction("switched-tier failures absorbed by multipath").optional(),
        /** Per tier (by name): fraction of its link and switch failures routed around without interruption. */
        tierAbsorbFraction: recordOf(
          z.union([
            fraction("failures absorbed"),
            z.strictObject({
              opticalModules: fraction("optical-module failures absorbed").optional(),
              switches: fraction("switch failures absorbed").optional(),
            }),
          ]),
          "a tier",
        ).optional(),
      })
      .optional(),
    /** Per-kind rate overrides. */
    rates: z
      .strictObject({
        accelerator: rateOverride.optional(),
        hbm: rateOverride.optional(),
        host: rateOverride.optional(),
        nic: rateOverride.optional(),
        "optical-module": rateOverride.optional(),
        switch: rateOverride.optional(),
        software: rateOverride.optional(),
      })
      .optional(),
    /**
     * Lemon nodes in service (docs/reliability.md section 7.1): nodes that pass health checks yet keep failing jobs
     * multiply the node-resident kinds' job failures by 1 + (1 - detection) share / (1 - share). Off when absent.
     */
    lemonNodes: z
      .strictObject({
        /** Share of job failures the lemons cause while in service (default 0.5: Kang et al. 2026, arXiv 2605.09370). */
        share: fractionBelowOne("share of job failures caused by lemon nodes").optional(),
        /** Fraction of the lemons a detector takes out of service (default 0: none). */
        detection: fraction("lemon nodes taken out of service by a detector").optional(),
      })
      .optional(),
    /** Component totals for the job's footprint, replacing catalog counts. */
    counts: z
      .strictObject({
        hosts: nonNegative("hosts").optional(),
        nics: nonNegative("NICs").optional(),
        switches: nonNegative("switches").optional(),
        opticalModules: nonNegative("optical modules").optional(),
      })
      .optional(),
  }),
);
export type ReliabilityFile = z.input<typeof reliabilityFile>;
export type ReliabilityConfig = z.output<typeof reliabilityFile>;
