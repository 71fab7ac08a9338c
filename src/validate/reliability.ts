// Predicts a published fleet failure study (validation case of kind "reliability") with the failure model of src/reliability.

import { topologyTraits } from "../catalog/topologies/index.js";
import type { System } from "../catalog/types.js";
import { type InputIssue, ZettasimError } from "../core/errors.js";
import { DAY, GB, HOUR } from "../core/units.js";
import { expectedOutcome, meanTimesBetween } from "../reliability/closed-form.js";
import { inventory, networkTotals } from "../reliability/inventory.js";
import { LEMON_EVIDENCE } from "../reliability/lemon-nodes.js";
import { buildModel, type ReliabilityModel } from "../reliability/model.js";
import { type ComponentKind, linkRatePerS, MODULES_PER_LINK } from "../reliability/rates.js";
import {
  DEFAULT_BYTES_PER_PARAM,
  DEFAULT_IN_MEMORY_BYTES_PER_S,
  DEFAULT_PARAMS,
  DEFAULT_STORAGE_BYTES_PER_S,
} from "../reliability/scenario.js";
import { deviceCrashShare } from "../reliability/switch-crash.js";
import { issuesFromZod } from "../schema/issues.js";
import {
  RELIABILITY_METRICS,
  type ReliabilityCase,
  type ReliabilityMetric,
  reliabilityCase,
  reliabilityMeasured,
} from "../schema/validation.js";
import { poissonInterval } from "./counting-noise.js";
import { systemFromCaseHardware } from "./hardware.js";

type Path = (string | number)[];

const MINUTE_S = 60;

/**
 * Switch radix assumed for a switched scale-out tier when the case does not give one (A): 64-port switches,
 * the class of 400G and 200G Ethernet and InfiniBand switches these fleets used. It sets how many switches
 * and optical modules the fabric has, hence the network share of failures.
 */
export const DEFAULT_SWITCH_RADIX = 64;

/**
 * Switches a host's scale-out links land on when the case does not say (A): one ToR per host, as in the Llama 3
 * layout the rates come from (16-GPU racks under one ToR, rates.ts LLAMA3_EXPOSURE). A rail-optimized fabric has
 * one per NIC, which a case gives in `accessSwitchesPerHost` from its source.
 */
export const DEFAULT_ACCESS_SWITCHES_PER_HOST = 1;

export interface ReliabilityPrediction {
  predicted: Record<string, number>;
  measured: Record<string, number>;
  metric: ReliabilityMetric;
  errorPct: number;
  model: ReliabilityModel;
  /** Present when the case gives `measured.events`: how far the compared figure could move by chance alone. */
  countingNoise?: CountingNoise;
}

/**
 * The 95% exact Poisson interval of the compared figure from the count it rests on (src/validate/counting-noise.ts),
 * in the figure's own unit, and whether the prediction falls inside it (a miss no larger than counting noise).
 */
export interface CountingNoise {
  events: number;
  level: number;
  lower: number;
  upper: number;
  predictedInside: boolean;
}

/** Confidence level of the counting-noise interval. */
export const COUNTING_NOISE_LEVEL = 0.95;

function fail(id: string, issues: InputIssue[]): never {
  throw new ZettasimError(issues.map((i) => ({ ...i, message: `case ${id}: ${i.message}` })));
}

/** Component kinds that live in a node (a node-day failure rate counts these). */
const NODE_KINDS: ReadonlySet<ComponentKind> = new Set(["accelerator", "hbm", "host", "nic"]);
/** Figures that count a job's failures (lemon nodes in service multiply them; component counts are per fault). */
const JOB_FAILURE_METRICS: ReadonlySet<ReliabilityMetric> = new Set([
  "interruptions",
  "mttfHours",
  "goodput",
]);
/** Component kinds that are the accelerator package itself. */
const CHIP_KINDS: ReadonlySet<ComponentKind> = new Set(["accelerator", "hbm"]);

const nn = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/** The case's system with a radix on every switched tier that has none, so the fabric's switches and optics are counted. */
function withRadix(system: System, radix: number): System {
  return {
    ...system,
    tiers: system.tiers.map((t) =>
      topologyTraits(t.topology.kind).closFromRadix && !t.topology.radix
        ? { ...t, topology: { ...t.topology, radix } }
        : t,
    ),
  };
}

/**
 * Predicts a fleet failure study from its hardware and job size with the project's failure rates (derived from
 * the Llama 3 breakdown; nothing here is fitted to the case): interruptions over the window, mean time between
 * interruptions, node failures per 1,000 node-days (with the node's own links when the source counts them),
 * accelerator, HBM, switch and link failures per million component-hours, and goodput. Throws ZettasimError naming the case id
 * and the field. Cost: O(kinds x tiers), microseconds.
 */
export function predictReliabilityCase(c: unknown, path: Path = []): ReliabilityPrediction {
  if (!c || typeof c !== "object" || Array.isArray(c)) {
    throw new ZettasimError([
      {
        path,
        message: "a case must be an object",
        value: c,
        expected: "{id, kind, hardware, reliability, measured}",
      },
    ]);
  }
  const raw = c as Record<string, unknown>;
  const id = typeof raw.id === "string" ? raw.id : "(no id)";
  const rc = reliabilityCase.safeParse(raw.reliability, { reportInput: true });
  if (!rc.success) fail(id, issuesFromZod(rc.error, [...path, "reliability"], reliabilityCase));
  const ms = reliabilityMeasured.safeParse(raw.measured ?? {}, { reportInput: true });
  if (!ms.success) fail(id, issuesFromZod(ms.error, [...path, "measured"], reliabilityMeasured));
  let system: System;
  try {
    system = systemFromCaseHardware(raw.hardware, [...path, "hardware"]);
  } catch (e) {
    if (e instanceof ZettasimError) fail(id, e.issues);
    throw e;
  }
  const r = rc.data;
  const jobChips = nn(r.jobChips) ?? system.chips;
  if (jobChips > system.chips) {
    fail(id, [
      {
        path: [...path, "reliability", "jobChips"],
        message: "the job cannot use more chips than the hardware block has",
        value: jobChips,
        expected: `at most ${system.chips}`,
      },
    ]);
  }
  const { measured, metric } = caseMetric(id, ms.data, raw.measured, path);
  const lemonsInService = r.lemonNodes === "in-service";
  if (lemonsInService && !JOB_FAILURE_METRICS.has(metric)) {
    fail(id, [
      {
        path: [...path, "reliability", "lemonNodes"],
        message:
          "lemon nodes multiply job failures; the compared figure counts faults of components or nodes",
        value: r.lemonNodes,
        expected: `a measured ${[...JOB_FAILURE_METRICS].join(", ")}, or lemonNodes null`,
      },
    ]);
  }
  const chipsPerHost = nn(r.chipsPerHost) ?? 8;
  const hosts = jobChips / chipsPerHost;
  const nics = hosts * (nn(r.nicsPerHost) ?? chipsPerHost);
  const fabric = withRadix(system, nn(r.switchRadix) ?? DEFAULT_SWITCH_RADIX);
  const attachment = hostAttachment(id, fabric, r, { jobChips, hosts, nics, chipsPerHost }, path);
  const ck = nn(r.checkpoint) ?? {};
  const rec = nn(r.recovery) ?? {};
  const sizeGB = nn(ck.sizeGB);
  const model = buildModel(fabric, {
    jobChips,
    chipsPerHost,
    rates: caseRates(r.causes === "hardware"),
    lemonNodes: lemonsInService ? CASE_LEMON_NODES : undefined,
    counts: { hosts, nics },
    attachment,
    recovery: {
      detectionS: mul(nn(rec.detectionMinutes), MINUTE_S),
      restartS: mul(nn(rec.restartMinutes), MINUTE_S),
    },
    checkpoint: {
      sizeBytes:
        sizeGB !== undefined ? sizeGB * GB : (nn(r.modelParams) ?? DEFAULT_PARAMS) * DEFAULT_BYTES_PER_PARAM,
      writeBytesPerS: (nn(ck.writeGBps) ?? DEFAULT_STORAGE_BYTES_PER_S / GB) * GB,
      readBytesPerS: (nn(ck.writeGBps) ?? DEFAULT_STORAGE_BYTES_PER_S / GB) * GB,
      inMemory: nn(ck.inMemory) ?? false,
      inMemoryBytesPerSPerChip: DEFAULT_IN_MEMORY_BYTES_PER_S,
      intervalS: mul(nn(ck.intervalMinutes), MINUTE_S),
    },
  });
  const windowS = (nn(r.windowDays) ?? 0) * DAY;
  if (metric === "interruptions" && windowS <= 0) {
    fail(id, [
      {
        path: [...path, "reliability", "windowDays"],
        message: "interruptions are counted over a window, and the case gives none",
        value: r.windowDays,
        expected: "the observation window in days",
      },
    ]);
  }
  // Wall-clock window the expectation covers: the case's, else 30 days (goodput and rates do not depend on it).
  const runS = windowS > 0 ? windowS : 30 * DAY;
  const out = expectedOutcome(model, { idealTrainingS: runS, wallS: runS });
  const { mtbiS } = meanTimesBetween(model);
  let nodeRate = 0;
  let chipRate = 0;
  for (const cl of model.classes) {
    if (NODE_KINDS.has(cl.kind)) nodeRate += cl.ratePerS;
    if (CHIP_KINDS.has(cl.kind)) chipRate += cl.ratePerS;
  }
  // A node taken out on a failure of its own scale-out links (one per NIC) when the source's health checks count it.
  const accessLinkRate = r.nodeFailuresIncludeLinks ? nics * linkRatePerS(model.rates) : 0;
  const perMillionHours = (ratePerS: number) => ratePerS * HOUR * 1e6;
  const predicted: Record<string, number> = {
    interruptions: out.interruptions.unexpected,
    mttfHours: mtbiS / HOUR,
    failuresPerThousandNodeDays: ((nodeRate + accessLinkRate) * DAY * 1000) / hosts,
    acceleratorFailuresPerMillionHours: perMillionHours(chipRate) / jobChips,
    // Component figures read the per-component rates: HBM per accelerator, a switch, a link (both optical ends).
    hbmFailuresPerMillionHours: perMillionHours(model.rates.hbm.ratePerS),
    // A source counting only switch crashes sees the device-crash share of the model's switch failures.
    switchFailuresPerMillionHours:
      perMillionHours(model.rates.switch.ratePerS) *
      (r.switchFailures === "device-crash" ? deviceCrashShare() : 1),
    linkFailuresPerMillionHours: perMillionHours(linkRatePerS(model.rates)),
    goodput: out.goodput,
  };
  for (const [k, v] of Object.entries(predicted)) {
    if (!Number.isFinite(v) || v < 0) {
      fail(id, [
        { path: [...path, "reliability"], message: `the failure model gave no finite ${k}`, value: v },
      ]);
    }
  }
  const meas = measured[metric];
  const events = ms.data.events;
  const countingNoise =
    events === undefined ? undefined : countingInterval(id, metric, meas, events, predicted[metric], path);
  return {
    predicted,
    measured,
    metric,
    errorPct: ((predicted[metric] - meas) / meas) * 100,
    model,
    ...(countingNoise ? { countingNoise } : {}),
  };
}

/**
 * The compared figure's counting-noise interval: a count (interruptions) or a rate (events over an exposure) moves
 * with the count, a mean time to failure (exposure over events) against it. Goodput rests on no single count, so a
 * case giving `events` with it is refused (named). Cost: O(events).
 */
function countingInterval(
  id: string,
  metric: ReliabilityMetric,
  figure: number,
  events: number,
  predicted: number,
  path: Path,
): CountingNoise {
  if (metric === "goodput") {
    fail(id, [
      {
        path: [...path, "measured", "events"],
        message: "goodput rests on no single count of events",
        value: events,
        expected: "events absent for a goodput figure",
      },
    ]);
  }
  const { lower, upper } = poissonInterval(events, COUNTING_NOISE_LEVEL);
  const [lo, hi] =
    metric === "mttfHours"
      ? [(figure * events) / upper, (figure * events) / lower]
      : [(figure * lower) / events, (figure * upper) / events];
  return {
    events,
    level: COUNTING_NOISE_LEVEL,
    lower: lo,
    upper: hi,
    predictedInside: predicted >= lo && predicted <= hi,
  };
}

/**
 * The hosts' own scale-out links and the switches they land on, for a job confined to its hosts (its tiers in the
 * case's hardware hold no optical link: no scale-out tier) whose source takes a node out on a link error
 * (`nodeFailuresIncludeLinks`): the job uses no scale-out link for its traffic, yet the health check that removes
 * its node on a link error ends it (Kokolis et al. 2024: high-severity checks, InfiniBand link errors among them,
 * remove the node and reschedule every job on it). One link per NIC (two optical ends, MODULES_PER_LINK) and
 * `accessSwitchesPerHost` switches per host. Undefined otherwise: a job spanning a scale-out tier already counts
 * that tier's links and switches. Throws ZettasimError when `accessSwitchesPerHost` is given where it is not read.
 * Cost: O(tiers).
 */
function hostAttachment(
  id: string,
  system: System,
  r: ReliabilityCase,
  job: { jobChips: number; hosts: number; nics: number; chipsPerHost: number },
  path: Path,
): { switches: number; opticalModules: number } | undefined {
  const own = inventory(system, { jobChips: job.jobChips, chipsPerHost: job.chipsPerHost });
  const confined = networkTotals(own).opticalModules === 0;
  const given = nn(r.accessSwitchesPerHost);
  if (!(r.nodeFailuresIncludeLinks && confined)) {
    if (given !== undefined) {
      fail(id, [
        {
          path: [...path, "reliability", "accessSwitchesPerHost"],
          message:
            "read only for a job confined to its hosts (no scale-out tier in the hardware) with nodeFailuresIncludeLinks true",
          value: given,
          expected: "null here",
        },
      ]);
    }
    return undefined;
  }
  return {
    opticalModules: job.nics * MODULES_PER_LINK,
    switches: job.hosts * (given ?? DEFAULT_ACCESS_SWITCHES_PER_HOST),
  };
}

/** The measured figures of a case and the one compared (the first of RELIABILITY_METRICS present). Cost: O(metrics). */
function caseMetric(
  id: string,
  data: Record<string, unknown>,
  raw: unknown,
  path: Path,
): { measured: Record<string, number>; metric: ReliabilityMetric } {
  const measured: Record<string, number> = {};
  for (const [k, v] of Object.entries(data)) if (typeof v === "number" && Number.isFinite(v)) measured[k] = v;
  const metric = RELIABILITY_METRICS.find((k) => measured[k] !== undefined);
  if (metric === undefined) {
    fail(id, [
      {
        path: [...path, "measured"],
        message: "no measured figure to compare against",
        value: raw,
        expected: `one of ${RELIABILITY_METRICS.join(", ")}`,
      },
    ]);
  }
  return { measured, metric };
}

/**
 * A count of hardware failures only compares the model's hardware kinds: software interrupts nothing. Undefined
 * when the case counts every cause. Cost: O(1).
 */
function caseRates(
  hardwareOnly: boolean,
): Partial<Record<ComponentKind, { failuresPerMillionHours: number }>> | undefined {
  return hardwareOnly ? { software: { failuresPerMillionHours: 0 } } : undefined;
}

/**
 * Lemon nodes in service multiply the node-resident kinds' job failures (withLemonNodes) at LEMON_EVIDENCE's share
 * (src/reliability/lemon-nodes.ts, not from any case it is scored on), with no detection. Cost: O(1).
 */
const CASE_LEMON_NODES = {
  share: LEMON_EVIDENCE.failureShare,
  detection: 0,
  source: LEMON_EVIDENCE.source,
} as const;

const mul = (x: number | undefined, k: number) => (x === undefined ? undefined : x * k);
