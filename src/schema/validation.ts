// File formats of validation extras: the failure-study case block (kind "reliability") and the case declarations file.
import * as z from "zod";
import { count, countOrZero, fraction, positive } from "./fields.js";

/** The `reliability` block of a case (docs/validation-sources.md, "Reliability cases"); null means not published. */
export const reliabilityCase = z.looseObject({
  /** "job": the figures are one job's (or one job size's) interruptions; "fleet": failures across a cluster. */
  scope: z.enum(["job", "fleet"]),
  /** Accelerators of the job (scope job) or of the fleet observed (scope fleet); default hardware.chips. */
  jobChips: count("accelerators").nullable().optional(),
  /** Accelerators per host server (default 8). */
  chipsPerHost: count("accelerators per host").nullable().optional(),
  /** Scale-out NICs per host (default: one per accelerator). */
  nicsPerHost: countOrZero("NICs per host").nullable().optional(),
  /** Ports per switch of switched scale-out tiers (default DEFAULT_SWITCH_RADIX). */
  switchRadix: count("ports per switch").nullable().optional(),
  /**
   * Which causes the published count covers: "hardware" (the source counts hardware failures only) or "all"
   * (hardware and software: bugs, NCCL/collective timeouts); null: all. Applies to interruptions, mttfHours, goodput.
   */
  causes: z.enum(["hardware", "all"]).nullable().optional(),
  /**
   * The source's node-failure count (failuresPerThousandNodeDays) includes failures of the node's own scale-out
   * links: health checks that take a node out on a link error (Kokolis et al. 2024 remove a node on PCIe or
   * InfiniBand link errors). null or false: node-resident parts only (accelerator, HBM, host, NIC). For a job
   * confined to its hosts (no scale-out tier in the hardware) true also makes the job fail on its hosts' links and
   * the switches they land on (accessSwitchesPerHost): the health check takes its node out.
   */
  nodeFailuresIncludeLinks: z.boolean().nullable().optional(),
  /**
   * Switches a host's scale-out links land on: one per NIC on a rail-optimized fabric (each NIC on its own rail's
   * leaf), 1 where all of a host's NICs go to one ToR. Read only for a job confined to its hosts (no scale-out tier
   * in the case's hardware) whose source takes a node out on a link error (nodeFailuresIncludeLinks true): such a
   * job still fails when its hosts' links, or the switches they land on, fail. null: 1 (DEFAULT_ACCESS_SWITCHES_PER_HOST).
   */
  accessSwitchesPerHost: count("switches per host").nullable().optional(),
  /**
   * Lemon nodes during the counts (src/reliability/lemon-nodes.ts): "in-service" where the source says nodes that
   * fail jobs again and again stayed in service (passed health checks, were handed to the next job), so one faulty
   * node fails several jobs; "screened" where the source says they were found and removed. null: not said, and the
   * model's base applies (one failure per faulty part, as in the Llama 3 production job its rates come from).
   */
  lemonNodes: z.enum(["in-service", "screened"]).nullable().optional(),
  /**
   * What the source counts as a switch failure (switchFailuresPerMillionHours; src/reliability/switch-crash.ts):
   * "any" misbehaviour of the device whatever its cause (the model's switch rate), or "device-crash": only the
   * device crashing on its own (hardware faults, software or firmware bugs; e.g. "critical errors and crashes").
   * null: any.
   */
  switchFailures: z.enum(["any", "device-crash"]).nullable().optional(),
  /** Observation window: wall-clock days the counts cover. */
  windowDays: positive("days").nullable().optional(),
  /** Model parameters, for the checkpoint size when `checkpoint.sizeGB` is not given. */
  modelParams: positive("parameters").nullable().optional(),
  checkpoint: z
    .strictObject({
      sizeGB: positive("GB").nullable().optional(),
      writeGBps: positive("GB/s").nullable().optional(),
      intervalMinutes: positive("minutes").nullable().optional(),
      inMemory: z.boolean().nullable().optional(),
    })
    .nullable()
    .optional(),
  recovery: z
    .strictObject({
      detectionMinutes: positive("minutes").nullable().optional(),
      restartMinutes: positive("minutes").nullable().optional(),
    })
    .nullable()
    .optional(),
});
export type ReliabilityCase = z.output<typeof reliabilityCase>;

/** Measured keys a reliability case can carry, in the order the first present one is the figure to predict. */
export const RELIABILITY_METRICS = [
  "interruptions",
  "mttfHours",
  "failuresPerThousandNodeDays",
  "acceleratorFailuresPerMillionHours",
  "hbmFailuresPerMillionHours",
  "switchFailuresPerMillionHours",
  "linkFailuresPerMillionHours",
  "goodput",
] as const;
export type ReliabilityMetric = (typeof RELIABILITY_METRICS)[number];

/** The `measured` block of a failure-study case: any of these figures (see RELIABILITY_METRICS for which is compared). */
export const reliabilityMeasured = z.looseObject({
  /** Unexpected job interruptions over the window. */
  interruptions: positive("interruptions").optional(),
  /** Mean time between a job's unexpected interruptions, hours of running. */
  mttfHours: positive("hours").optional(),
  /** Failures of node-resident hardware (accelerator, HBM, host, NIC) per 1,000 node-days. */
  failuresPerThousandNodeDays: positive("failures per 1,000 node-days").optional(),
  /** Accelerator failures (the chip and its HBM) per million accelerator-hours. */
  acceleratorFailuresPerMillionHours: positive("failures per million accelerator-hours").optional(),
  /** Failures of an accelerator's HBM (uncorrectable memory errors that stop its work) per million accelerator-hours. */
  hbmFailuresPerMillionHours: positive("HBM failures per million accelerator-hours").optional(),
  /** Failures (crashes, critical errors) of a scale-out or circuit switch per million switch-hours. */
  switchFailuresPerMillionHours: positive("failures per million switch-hours").optional(),
  /** Failures of one network link (cable with its two optical ends) per million link-hours. */
  linkFailuresPerMillionHours: positive("failures per million link-hours").optional(),
  /** Useful training time / wall time. */
  goodput: fraction("useful share of wall time").optional(),
  /**
   * The number of events the compared figure rests on, as the source published it (or as its figure and its
   * exposure fix it: fleet x window / mean time between events); absent where the source gives neither. Not
   * compared: it sets the interval the figure could move by chance alone (src/validate/counting-noise.ts).
   */
  events: count("events").optional(),
});

export const DECLARATIONS_FORMAT = "zettasim-case-declarations/1";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "a date written YYYY-MM-DD" });

/** One case's declaration: "fit" cases may be used to fit model parameters; "holdout" cases never are. */
export const caseDeclaration = z.strictObject({
  role: z.enum(["fit", "holdout"]),
  /** Day the role was declared (before the case's prediction was looked at). */
  declared: isoDate,
  /** Why this role: the rule and the source group that decided it. */
  why: z.string().min(1),
  /**
   * For a holdout case whose prediction error was looked at after its declaration while a model change was
   * made: when, by whom and for what. The case keeps its role but is no longer a clean test.
   */
  inspected: z.string().min(1).optional(),
});
export type CaseDeclaration = z.output<typeof caseDeclaration>;

export const declarationsFile = z.strictObject({
  format: z.literal(DECLARATIONS_FORMAT),
  /** The rule that assigned the roles, written before any prediction was looked at. */
  rule: z.string().min(1),
  cases: z.record(z.string().min(1), caseDeclaration),
});
export type DeclarationsFile = z.output<typeof declarationsFile>;
